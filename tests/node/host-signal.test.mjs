// Cancellation reaches JS: a host function's second argument is { signal }, an AbortSignal that aborts when the C
// future awaiting the call is dropped: it lost a select, a timeout expired, its task was aborted, or the runtime
// was closed. A call that settles normally never sees its signal abort.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, deferred, rejectsWith, EXAMPLES_WASM } from './helpers.mjs';

const T = { timeout: 20_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM }); // host_select, host_timeout: the examples module's bridge entries
after(() => rts.closeAll());

// A host function that never settles by itself; it records its signal and resolves `aborted` with the reason.
function pending() {
  const seen = deferred();
  const aborted = deferred();
  const fn = (arg, { signal }) => {
    assert.equal(signal.aborted, false);
    signal.addEventListener('abort', () => aborted.resolve(signal.reason), { once: true });
    seen.resolve(signal);
    return new Promise(() => {});
  };
  return { fn, seen: seen.promise, aborted: aborted.promise };
}

test('the loser of a select: its signal aborts with ECANCELED, the winner\'s does not', T, async () => {
  const rt = await rts.open();
  const slow = pending();
  let fastSignal;
  const go = deferred();
  rt.defineHost('fast', (arg, { signal }) => {
    fastSignal = signal;
    return go.promise.then(() => `${arg} won`);
  });
  rt.defineHost('slow', slow.fn);
  const job = rt.start('host_select', { a: 'fast', b: 'slow' });
  await slow.seen; // both calls are in flight
  go.resolve();
  assert.equal(await job.promise, 'fast won');
  const reason = await slow.aborted;
  assert.equal(reason.code, 'ECANCELED');
  assert.match(reason.message, /dropped/);
  assert.equal(fastSignal.aborted, false);
  assert.equal(rt.stats().opsInFlight, 0);
});

test('a timeout: the call\'s signal aborts and the entry fails with ETIMEDOUT', T, async () => {
  const rt = await rts.open();
  const slow = pending();
  rt.defineHost('slow', slow.fn);
  await rejectsWith(rt.start('host_timeout', { name: 'slow', arg: 'x', ms: 20 }).promise, 'ETIMEDOUT');
  assert.equal((await slow.aborted).code, 'ECANCELED');
  // A call that beats the timeout keeps its signal quiet.
  let signal;
  rt.defineHost('quick', async (arg, cx) => {
    signal = cx.signal;
    return arg;
  });
  assert.equal(await rt.start('host_timeout', { name: 'quick', arg: 'in time', ms: 60_000 }).promise, 'in time');
  assert.equal(signal.aborted, false);
});

test('a task abort: the signal of the call it was awaiting aborts', T, async () => {
  const rt = await rts.open();
  const slow = pending();
  rt.defineHost('slow', slow.fn);
  const job = rt.start('host_echo', { name: 'slow', arg: '' });
  await slow.seen;
  assert.equal(job.abort(), true);
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal((await slow.aborted).code, 'ECANCELED');
});

test('closing the runtime: every call in flight sees its signal abort with ECLOSED', T, async () => {
  const rt = await rts.open();
  const calls = [pending(), pending(), pending()];
  calls.forEach((c, i) => rt.defineHost(`slow${i}`, c.fn));
  const jobs = calls.map((_, i) => rt.start('host_echo', { name: `slow${i}`, arg: '' }));
  await Promise.all(calls.map((c) => c.seen));
  rt.close();
  for (const j of jobs) await rejectsWith(j.promise, 'ECLOSED');
  for (const c of calls) assert.equal((await c.aborted).code, 'ECLOSED');
});

test('a signal read only after the call was dropped is already aborted', T, async () => {
  const rt = await rts.open();
  let cx;
  const called = deferred();
  rt.defineHost('keep', (arg, context) => {
    cx = context; // keeps the context, reads the signal later
    called.resolve();
    return new Promise(() => {});
  });
  const job = rt.start('host_echo', { name: 'keep', arg: '' });
  await called.promise;
  job.abort();
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(cx.signal.aborted, true);
  assert.equal(cx.signal.reason.code, 'ECANCELED');
});

test('a host function can pass its signal on: an AbortSignal-aware API it calls is aborted with the C future', T, async () => {
  const rt = await rts.open();
  const started = deferred();
  let apiError;
  rt.defineHost('relay', async (arg, { signal }) => {
    // Any AbortSignal-aware API works: here a timer promise that rejects when the signal aborts.
    const { setTimeout: sleep } = await import('node:timers/promises');
    started.resolve();
    try {
      await sleep(60_000, null, { signal });
    } catch (e) {
      apiError = e;
      throw e;
    }
  });
  const job = rt.start('host_echo', { name: 'relay', arg: '' });
  await started.promise;
  job.abort();
  await rejectsWith(job.promise, 'ECANCELED');
  await new Promise((r) => setImmediate(r));
  assert.equal(apiError?.name, 'AbortError');
});
