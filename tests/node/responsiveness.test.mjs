// The event loop keeps turning while C awaits JS promises: drains driven by settlements honour sliceMs like any
// other run, so setImmediate callbacks (I/O, rendering in a browser) get their turns during a long chain of awaits.
// Counted, not timed: without the slice, a chain of 1M awaits lets not one setImmediate callback run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes } from './helpers.mjs';

const T = { timeout: 120_000 };
const rts = runtimes();
after(() => rts.closeAll());

// Runs `job` while counting setImmediate callbacks, each of which posts the next.
async function countTurns(run) {
  let turns = 0;
  let live = true;
  const tick = () => {
    if (!live) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const value = await run();
  live = false;
  return { value, turns };
}

const sumArgs = (n) => (n * (n - 1)) / 2; // host_many passes 0, 1, ..., n-1 (n <= 1M) and sums the results

for (const width of [1, 1000]) {
  test(`a chain of 1M host awaits, ${width} at a time, lets setImmediate callbacks run`, T, async () => {
    const rt = await rts.open({ clock: 'real', trace: false, sliceMs: 4 });
    rt.defineHost('id', async (s) => s);
    const n = 1_000_000;
    const { value, turns } = await countTurns(() => rt.start('host_many', { name: 'id', n, width }).promise);
    assert.equal(value, sumArgs(n));
    // Each turn is at least one slice of awaits; 1M awaits take far more than ten 4 ms slices on any machine.
    assert.ok(turns >= 10, `only ${turns} setImmediate callbacks ran during 1M awaits`);
  });
}

test('sliceMs 0 (no limit): the same chain runs to the end without a turn of the event loop', T, async () => {
  // The contrast that shows the turns above come from the slice: the chain is pure microtasks.
  const rt = await rts.open({ clock: 'real', trace: false, sliceMs: 0 });
  rt.defineHost('id', async (s) => s);
  const n = 100_000;
  const { value, turns } = await countTurns(() => rt.start('host_many', { name: 'id', n, width: 1 }).promise);
  assert.equal(value, sumArgs(n));
  assert.equal(turns, 0);
});

test('slow drains end a turn at its slice: the clock is read at each drain once drains are slow', T, async () => {
  // Each await's drain runs at least 1 ms (the host function spins, inside the run that calls it). The bridge
  // reads the clock at intervals sized from the turn's pace so far, so a turn of 1 ms drains is cut after a few
  // of them (4 ms slice), not after a fixed count of drains (32 such drains would hold the loop for 32 ms).
  const rt = await rts.open({ clock: 'real', trace: false, sliceMs: 4 });
  rt.defineHost('slow', (s) => {
    const end = performance.now() + 1;
    while (performance.now() < end);
    return Promise.resolve(s);
  });
  const n = 120;
  const { value, turns } = await countTurns(() => rt.start('host_many', { name: 'slow', n, width: 1, typed: 1 }).promise);
  assert.equal(value, sumArgs(n));
  // At least 120 ms of drains in turns of about 4-6 ms; a turn of 10 drains or more would give fewer than 12.
  assert.ok(turns >= 12, `only ${turns} setImmediate callbacks ran during 120 awaits of 1 ms drains`);
});

test('a slice set by configure during a chain that ran without one takes effect in that chain', T, async () => {
  const rt = await rts.open({ clock: 'real', trace: false, sliceMs: 0 });
  // configure cannot be called inside a poll (the host function runs in one): from a microtask after it.
  rt.defineHost('id', (s) => {
    if (s === 1000) queueMicrotask(() => rt.configure({ sliceMs: 4 }));
    return Promise.resolve(s);
  });
  const n = 1_000_000;
  const { value, turns } = await countTurns(() => rt.start('host_many', { name: 'id', n, width: 1, typed: 1 }).promise);
  assert.equal(value, sumArgs(n));
  assert.ok(turns >= 10, `only ${turns} setImmediate callbacks ran during 1M awaits once a slice was set`);
});
