// Aborting a task whose join had some children finished: the finished children's outputs (blocks of bytes in
// wasm memory) belong to the task and must be freed by its drop. Found by the property test (host_many); the
// fetch example had the same gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, rejectsWith, eventually, turn, EXAMPLES_WASM, withTestServer } from './helpers.mjs';

const T = { timeout: 30_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
const server = withTestServer(rts);

// Waits until only `n` operations are in flight, then lets the executor deliver what settled (it runs from the
// settlement's own reaction or a microtask after it, so one macrotask turn is enough).
async function settledDownTo(rt, n) {
  await eventually(() => rt.stats().opsInFlight === n, { what: `${n} operation(s) left in flight` });
  await turn();
}

test('an aborted host_many frees the results of the calls that had finished', T, async () => {
  const rt = await rts.open();
  // Even arguments resolve at once with a 100-byte result; odd ones never settle.
  rt.defineHost('half', (arg) => (Number(arg) % 2 ? new Promise(() => {}) : Promise.resolve('r'.repeat(100))));
  rt.defineHost('all', async () => '1');
  // Warm-up: the same calls, completed, and one aborted with nothing finished.
  assert.equal(await rt.start('host_many', { name: 'all', n: 4, width: 2 }).promise, 4);
  const w = rt.start('host_many', { name: 'half', n: 2, width: 2 });
  await settledDownTo(rt, 1);
  w.abort();
  await rejectsWith(w.promise, 'ECANCELED');
  const base = rt.stats();
  for (let round = 0; round < 3; round++) {
    const job = rt.start('host_many', { name: 'half', n: 4, width: 2 });
    await settledDownTo(rt, 1); // call 0 finished and was polled; call 1 is pending
    assert.equal(job.abort(), true);
    await rejectsWith(job.promise, 'ECANCELED');
    const s = rt.stats();
    assert.equal(s.opsInFlight, 0);
    assert.equal(s.tasksLive, 0);
    assert.equal(s.bytesLive, base.bytesLive, `round ${round}: the finished call's 100-byte result was freed`);
  }
  assert.equal(await rt.start('host_many', { name: 'all', n: 3, width: 3 }).promise, 3);
});

test('an aborted fetch example frees the response that had arrived', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  const fast = '/api/delay?ms=0&bytes=3000';
  const slow = '/api/delay?ms=10000';
  // Warm-up: one complete run, and one aborted with nothing finished.
  assert.match(await rt.start('fetch', { a: fast, b: fast }).promise, /^a: HTTP 200, 3000 bytes; b: HTTP 200, 3000 bytes$/);
  const w = rt.start('fetch', { a: slow, b: slow });
  await eventually(() => rt.stats().opsInFlight === 2, { what: 'both requests in flight' });
  w.abort();
  await rejectsWith(w.promise, 'ECANCELED');
  const base = rt.stats();
  for (let round = 0; round < 2; round++) {
    const job = rt.start('fetch', { a: fast, b: slow });
    await settledDownTo(rt, 1); // a's 3000-byte response arrived and was polled; b is still waiting
    assert.equal(job.abort(), true);
    await rejectsWith(job.promise, 'ECANCELED');
    const s = rt.stats();
    assert.equal(s.opsInFlight, 0);
    assert.equal(s.bytesLive, base.bytesLive, `round ${round}: the response that had arrived was freed`);
  }
});
