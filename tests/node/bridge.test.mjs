// The JS bridge: host functions (JS promise -> C future), starting entries (C future -> JS promise), abort, close,
// re-entrancy, and bad input from JS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  runtimes, createRuntime, WasyncError, deferred, prng, shuffle, turn, assertWorks, rejectsWith, throwsWith,
  checkTraceInvariants, EXAMPLES_WASM,
} from './helpers.mjs';

const T = { timeout: 20_000 };
// The examples module: these tests run examples (runExample, assertWorks) besides the standard entries.
const rts = runtimes({ wasm: EXAMPLES_WASM });
after(() => rts.closeAll());

// Warms a runtime up: host calls (under each of `names`) and an aborted job, so that the memory kept for the
// runtime's lifetime (pools, interned trace strings such as host function names) is allocated. The baseline for
// leak checks is taken after this.
async function warm(rt, names = []) {
  for (const name of ['warm', ...names]) {
    rt.defineHost(name, async (s) => s);
    assert.equal(await rt.start('host_echo', { name, arg: 'x' }).promise, 'x');
  }
  const j = rt.start('never');
  assert.equal(j.abort(), true);
  await rejectsWith(j.promise, 'ECANCELED');
  return rt.stats();
}

test('defineHost: a resolved promise is the entry\'s value', T, async () => {
  const rt = await rts.open();
  const seen = [];
  assert.equal(rt.defineHost('upper', async (s) => { seen.push(s); return s.toUpperCase(); }), rt, 'defineHost chains');
  const job = rt.start('host_echo', { name: 'upper', arg: 'héllo wörld' });
  assert.ok(Number.isSafeInteger(job.id) && job.id > 0, `job.id ${job.id}`);
  assert.equal(typeof job.abort, 'function');
  assert.equal(await job.promise, 'HÉLLO WÖRLD', 'UTF-8 both ways');
  assert.deepEqual(seen, ['héllo wörld']);
  // Results other than strings: bytes and numbers become text.
  rt.defineHost('bytes', async () => new TextEncoder().encode('raw bytes'));
  assert.equal(await rt.start('host_echo', { name: 'bytes' }).promise, 'raw bytes');
  rt.defineHost('empty', async () => undefined);
  assert.equal(await rt.start('host_echo', { name: 'empty' }).promise, '');
  // A plain (non-promise) string is a value too (js-api.md: only a non-promise non-string return is an error).
  rt.defineHost('plain', (s) => `plain ${s}`);
  assert.equal(await rt.start('host_echo', { name: 'plain', arg: 'x' }).promise, 'plain x');
  // Redefining a name replaces the function.
  rt.defineHost('upper', async (s) => s.toLowerCase());
  assert.equal(await rt.start('host_echo', { name: 'upper', arg: 'ABC' }).promise, 'abc');
});

test('defineHost: a rejection is EHOST carrying the message', T, async () => {
  const rt = await rts.open();
  rt.defineHost('fails', async (s) => { throw new Error(`no luck with ${s}`); });
  await rejectsWith(rt.start('host_echo', { name: 'fails', arg: 'abc' }).promise, 'EHOST', /^no luck with abc$/);
  rt.defineHost('rejectsString', () => Promise.reject('plain reason'));
  await rejectsWith(rt.start('host_echo', { name: 'rejectsString' }).promise, 'EHOST', /plain reason/);
  await assertWorks(rt);
});

test('a host function that throws synchronously, or returns a non-promise, is EHOST', T, async () => {
  const rt = await rts.open();
  rt.defineHost('throws', () => { throw new RangeError('thrown at once'); });
  await rejectsWith(rt.start('host_echo', { name: 'throws' }).promise, 'EHOST', /thrown at once/);
  await assertWorks(rt);
  rt.defineHost('number', () => 42);
  await rejectsWith(rt.start('host_echo', { name: 'number' }).promise, 'EHOST', /not a promise/);
  rt.defineHost('null', () => null);
  await rejectsWith(rt.start('host_echo', { name: 'null' }).promise, 'EHOST', /not a promise/);
  rt.defineHost('object', () => ({ some: 'object' }));
  await rejectsWith(rt.start('host_echo', { name: 'object' }).promise, 'EHOST', /not a promise/);
  await assertWorks(rt);
});

test('an unknown host name is ENOENT', T, async () => {
  const rt = await rts.open();
  await rejectsWith(rt.start('host_echo', { name: 'no_such_host', arg: 'x' }).promise, 'ENOENT');
  await assertWorks(rt);
});

test('host_many: 1000 calls, 100 in flight, settled in shuffled order, sum right', T, async () => {
  const rt = await rts.open();
  const random = prng(12345);
  let pending = [];
  let maxInFlight = 0;
  const flush = () => {
    const batch = shuffle(pending, random);
    pending = [];
    for (const p of batch) p.resolve(String(Number(p.arg)));
  };
  rt.defineHost('num', (arg) => {
    const d = deferred();
    pending.push({ arg, resolve: d.resolve });
    maxInFlight = Math.max(maxInFlight, pending.length);
    if (pending.length === 1) setImmediate(flush); // after the poll that started them
    return d.promise;
  });
  const value = await rt.start('host_many', { name: 'num', n: 1000, width: 100 }).promise;
  assert.equal(value, (999 * 1000) / 2);
  assert.equal(maxInFlight, 100, '100 calls in flight at once');
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.tasksLive, 0);
});

test('host functions are found by name every call: same-length names at a reused address, redefinition', T, async () => {
  const rt = await rts.open();
  rt.defineHost('aaa', async (x) => `A:${x}`);
  rt.defineHost('bbb', async (x) => `B:${x}`);
  // Each job's arguments (the name among them) live in a block that the next job is likely to reuse: the same
  // address, the same length, another name.
  for (const [name, want] of [['aaa', 'A:1'], ['bbb', 'B:1'], ['aaa', 'A:1'], ['bbb', 'B:1']]) {
    assert.equal(await rt.start('host_echo', { name, arg: '1' }).promise, want);
  }
  assert.equal(await rt.start('host_echo', { name: 'aaa', arg: '1' }).promise, 'A:1');
  rt.defineHost('aaa', async (x) => `A2:${x}`); // replacing a function takes effect at the next call
  assert.equal(await rt.start('host_echo', { name: 'aaa', arg: '2' }).promise, 'A2:2');
  assert.equal(await rt.start('host_many', { name: 'aaa', n: 3, width: 1 }).promise, 0); // "A2:..." parses as 0
  rt.defineHost('aaa', async (x) => x);
  assert.equal(await rt.start('host_many', { name: 'aaa', n: 4, width: 1 }).promise, 6);
});

test('host_many one at a time: each call awaited alone, a rejection fails the job and frees its outcomes', T, async () => {
  const rt = await rts.open();
  let inFlight = 0;
  let maxInFlight = 0;
  rt.defineHost('num', async (arg) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await null;
    inFlight--;
    return arg;
  });
  let calls = 0;
  rt.defineHost('flaky', async (arg) => {
    if (++calls % 7 === 0) throw new Error('every seventh call fails');
    return arg;
  });
  const both = async () => {
    assert.equal(await rt.start('host_many', { name: 'num', n: 500, width: 1 }).promise, (499 * 500) / 2);
    calls = 0;
    await rejectsWith(rt.start('host_many', { name: 'flaky', n: 20, width: 1 }).promise, 'EHOST');
    assert.equal(calls, 7, 'no call after the failed one');
  };
  await both(); // first runs grow the runtime's own tables (names, results): the baseline is taken after them
  const base = rt.stats();
  await both();
  await both();
  assert.equal(maxInFlight, 1);
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.tasksLive, 0);
  assert.equal(s.bytesLive, base.bytesLive);
});

test('settlements in shuffled order wake exactly the waiting tasks with their own results', T, async () => {
  const rt = await rts.open();
  const random = prng(777);
  const calls = [];
  const allStarted = deferred();
  const N = 60;
  rt.defineHost('later', (arg) => {
    const d = deferred();
    calls.push({ arg, d });
    if (calls.length === N) allStarted.resolve();
    return d.promise;
  });
  const jobs = Array.from({ length: N }, (_, i) => rt.start('host_echo', { name: 'later', arg: `job${i}` }));
  await allStarted.promise;
  const order = [];
  jobs.forEach((j, i) => j.promise.then((v) => order.push([i, v]), (e) => order.push([i, e.code])));
  for (const c of shuffle([...calls], random)) {
    if (c.arg.endsWith('7')) c.d.reject(new Error(`fail ${c.arg}`));
    else c.d.resolve(`done ${c.arg}`);
  }
  const results = await Promise.allSettled(jobs.map((j) => j.promise));
  results.forEach((r, i) => {
    if (String(i).endsWith('7')) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.code, 'EHOST');
      assert.equal(r.reason.message, `fail job${i}`);
    } else {
      assert.deepEqual(r, { status: 'fulfilled', value: `done job${i}` });
    }
  });
  assert.equal(order.length, N);
  assert.equal(rt.stats().opsInFlight, 0);
  assert.equal(rt.stats().tasksLive, 0);
});

test('abort from JS: ECANCELED AbortError, second abort is false', T, async () => {
  const rt = await rts.open();
  // Aborted before its first poll.
  const early = rt.start('never');
  assert.equal(early.abort(), true);
  assert.equal(early.abort(), false);
  await rejectsWith(early.promise, 'ECANCELED');
  // Aborted after it was polled and parked.
  const job = rt.start('never');
  await turn();
  assert.ok(rt.readTrace().some((e) => e.kind === 'poll' && e.depth === 0), 'the never task was polled');
  assert.equal(rt.stats().tasksLive, 1);
  assert.equal(job.abort(), true);
  await assert.rejects(job.promise, (e) => {
    assert.ok(e instanceof WasyncError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'ECANCELED');
    assert.equal(e.name, 'AbortError');
    return true;
  });
  assert.equal(job.abort(), false, 'second abort');
  assert.equal(rt.stats().tasksLive, 0);
  // Abort after completion is a no-op too.
  const done = rt.start('sleep', { ms: 5 });
  assert.equal(await done.promise, 5);
  assert.equal(done.abort(), false);
  await assertWorks(rt);
});

test('abortTask by job id; stale and garbage ids', T, async () => {
  const rt = await rts.open();
  const job = rt.start('never');
  await turn();
  assert.equal(rt.abortTask(job.id), true);
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(rt.abortTask(job.id), false, 'a stale id');
  await assertWorks(rt);
  assert.equal(rt.abortTask(987654321), false, 'an id that never existed');
  await assertWorks(rt);
  for (const bad of ['1', -1, 0, 1.5, NaN, Infinity, null, undefined, {}, 2 ** 60]) {
    throwsWith(() => rt.abortTask(bad), TypeError);
  }
  await assertWorks(rt);
});

test('an AbortSignal cancels the task: already aborted, and aborted later', T, async () => {
  const rt = await rts.open();
  const already = rt.start('never', {}, { signal: AbortSignal.abort() });
  await rejectsWith(already.promise, 'ECANCELED');
  const ac = new AbortController();
  const later = rt.start('never', {}, { signal: ac.signal });
  await turn();
  assert.equal(rt.stats().tasksLive, 1);
  ac.abort();
  await assert.rejects(later.promise, { code: 'ECANCELED', name: 'AbortError' });
  assert.equal(later.abort(), false);
  assert.equal(rt.stats().tasksLive, 0);
  // On the real clock: a sleeping task aborted through its signal has its timer disarmed.
  const real = await rts.open({ clock: 'real' });
  const ac3 = new AbortController();
  const sleeper = real.start('sleep', { ms: 100000 }, { signal: ac3.signal });
  await turn();
  assert.equal(real.stats().timersArmed, 1);
  ac3.abort();
  await rejectsWith(sleeper.promise, 'ECANCELED');
  assert.equal(real.stats().timersArmed, 0, 'the sleep\'s timer was disarmed');
  assert.equal(real.stats().tasksLive, 0);
  real.close(); // also clears the host timer, so nothing keeps the process alive
  // A signal that aborts after the job finished changes nothing.
  const ac2 = new AbortController();
  const fine = rt.start('sleep', { ms: 3 }, { signal: ac2.signal });
  assert.equal(await fine.promise, 3);
  ac2.abort();
  await assertWorks(rt);
  throwsWith(() => rt.start('never', {}, { signal: 'nope' }), TypeError);
  await assertWorks(rt);
});

test('a host call dropped before it settles: the late settlement is ignored', T, async () => {
  const rt = await rts.open();
  const base = await warm(rt, ['slow', 'slow2']);
  const called = deferred();
  const late = deferred();
  rt.defineHost('slow', (arg) => { called.resolve(arg); return late.promise; });
  const job = rt.start('host_echo', { name: 'slow', arg: 'payload' });
  assert.equal(await called.promise, 'payload');
  assert.equal(rt.stats().opsInFlight, 1);
  assert.equal(job.abort(), true);
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(rt.stats().opsInFlight, 0);
  const trace = rt.readTrace();
  assert.ok(trace.some((e) => e.kind === 'abort'));
  assert.ok(trace.some((e) => e.kind === 'complete' && e.result === 'cancelled'));
  const wakesBefore = rt.stats().wakes;
  late.resolve('x'.repeat(100000)); // a big late result: it must not be copied into wasm memory and leak
  await turn();
  await turn();
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.wakes, wakesBefore, 'the late settlement woke nobody');
  assert.equal(s.tasksLive, 0);
  assert.equal(s.bytesLive, base.bytesLive, 'bytes back to the baseline');
  // A late rejection is ignored as well.
  const late2 = deferred();
  const called2 = deferred();
  rt.defineHost('slow2', () => { called2.resolve(); return late2.promise; });
  const job2 = rt.start('host_echo', { name: 'slow2' });
  await called2.promise;
  job2.abort();
  await rejectsWith(job2.promise, 'ECANCELED');
  late2.reject(new Error('too late'));
  await turn();
  assert.equal(rt.stats().bytesLive, base.bytesLive);
  await assertWorks(rt);
  assert.equal(await rt.start('host_echo', { name: 'warm', arg: 'again' }).promise, 'again');
});

test('no leaks: many host calls and aborted jobs leave bytesLive at its baseline', T, async () => {
  const rt = await rts.open();
  const base = await warm(rt, ['boom']);
  for (let i = 0; i < 50; i++) assert.equal(await rt.start('host_echo', { name: 'warm', arg: `v${i}` }).promise, `v${i}`);
  rt.defineHost('boom', async () => { throw new Error('boom'); });
  for (let i = 0; i < 20; i++) await rejectsWith(rt.start('host_echo', { name: 'boom' }).promise, 'EHOST', /boom/);
  for (let i = 0; i < 20; i++) {
    const j = rt.start('never');
    if (i % 2) await turn();
    j.abort();
    await rejectsWith(j.promise, 'ECANCELED');
  }
  const s = rt.stats();
  assert.equal(s.bytesLive, base.bytesLive);
  assert.equal(s.objectsLive, base.objectsLive);
  assert.equal(s.tasksLive, 0);
});

test('close(): pending promises reject with ECLOSED, later calls throw ECLOSED', T, async () => {
  const rt = await rts.open();
  const hostCalled = deferred();
  rt.defineHost('hang', () => { hostCalled.resolve(); return new Promise(() => {}); });
  const a = rt.start('never');
  const b = rt.start('sleep', { ms: 100000 });
  const c = rt.start('host_echo', { name: 'hang' });
  const d = rt.runExample('join', { a: 60000, b: 1 }); // finishes at once on the virtual clock unless closed first
  await hostCalled.promise;
  assert.equal(rt.closed, false);
  rt.close();
  assert.equal(rt.closed, true);
  for (const job of [a, b, c]) await rejectsWith(job.promise, 'ECLOSED');
  await rejectsWith(d, 'ECLOSED');
  assert.equal(a.abort(), false);
  throwsWith(() => rt.start('join'), 'ECLOSED');
  throwsWith(() => rt.defineHost('x', async () => ''), 'ECLOSED');
  throwsWith(() => rt.stats(), 'ECLOSED');
  throwsWith(() => rt.abortTask(1), 'ECLOSED');
  throwsWith(() => rt.readTrace(), 'ECLOSED');
  await rejectsWith(rt.runExample('join'), 'ECLOSED');
  rt.close(); // idempotent
  // Other runtimes are not affected.
  const other = await rts.open();
  await assertWorks(other);
});

test('a trap in the module rejects every pending promise with ETRAP; other runtimes keep working', T, async () => {
  const rt = await rts.open();
  const pending = rt.start('never');
  const sleeping = rt.start('sleep', { ms: 100000 });
  const trap = rt.start('trap');
  for (const job of [trap, pending, sleeping]) await rejectsWith(job.promise, 'ETRAP');
  assert.equal(rt.closed, true);
  throwsWith(() => rt.start('join'), 'ETRAP');
  await rejectsWith(rt.runExample('join'), 'ETRAP');
  rt.close(); // closing a dead runtime is allowed and does nothing
  const other = await rts.open();
  await assertWorks(other);
});

test('no re-entrancy: close() from a host function is EBUSY, start() from one works', T, async () => {
  const rt = await rts.open();
  let closeError = null;
  rt.defineHost('closer', async () => {
    try {
      rt.close();
    } catch (e) {
      closeError = e;
    }
    return 'still here';
  });
  assert.equal(await rt.start('host_echo', { name: 'closer' }).promise, 'still here');
  assert.ok(closeError instanceof WasyncError, 'close() threw');
  assert.equal(closeError.code, 'EBUSY');
  assert.equal(rt.closed, false);
  await assertWorks(rt);

  // Not caught by the host function: its call fails with the EBUSY message, nothing else breaks.
  rt.defineHost('closerUncaught', () => { rt.close(); return Promise.resolve('unreachable'); });
  await rejectsWith(rt.start('host_echo', { name: 'closerUncaught' }).promise, 'EHOST', /inside a poll/);
  assert.equal(rt.closed, false);
  await assertWorks(rt);

  // configure() from inside a poll is EBUSY too.
  let configureError = null;
  rt.defineHost('configurer', async () => {
    try {
      rt.configure({ budget: 1 });
    } catch (e) {
      configureError = e;
    }
    return '';
  });
  await rt.start('host_echo', { name: 'configurer' }).promise;
  assert.equal(configureError?.code, 'EBUSY');

  // start() from inside a poll: the new task runs, after the current poll.
  let inner = null;
  rt.defineHost('starter', (arg) => {
    inner = rt.start('sleep', { ms: Number(arg) });
    return Promise.resolve(`started ${inner.id}`);
  });
  const outer = await rt.start('host_echo', { name: 'starter', arg: '25' }).promise;
  assert.match(outer, /^started \d+$/);
  assert.equal(await inner.promise, 25);
  // ...and abort() / abortTask() of another job from inside a poll.
  // The aborted job's rejection is handled from the start: it rejects when the job is reaped, which may be a
  // macrotask before the host_echo job's value arrives (a drain that has used its slice waits for one), and a
  // rejection with no handler across a macrotask is an unhandled rejection.
  let aborted = null;
  rt.defineHost('aborter', () => {
    const j = rt.start('never');
    aborted = rejectsWith(j.promise, 'ECANCELED');
    return Promise.resolve(String(j.abort()));
  });
  assert.equal(await rt.start('host_echo', { name: 'aborter' }).promise, 'true');
  await aborted;
  // runExample from a host function: serialized after whatever is running, resolves normally.
  // (While a host call is in flight the virtual clock follows real time, so the run takes at least 7 ms.)
  rt.defineHost('runner', () => rt.runExample('join', { a: 5, b: 7 }).then((r) => JSON.stringify([r.value, r.elapsedMs])));
  const [value, elapsed] = JSON.parse(await rt.start('host_echo', { name: 'runner' }).promise);
  assert.equal(value, 120);
  assert.ok(elapsed >= 7 && elapsed < 5000, `elapsed ${elapsed}`);
  const s = rt.stats();
  assert.equal(s.tasksLive, 0);
  assert.equal(s.opsInFlight, 0);
  await assertWorks(rt);
});

test('bad input gets clear errors and the runtime keeps working', T, async () => {
  const rt = await rts.open();
  // Unknown names.
  await rejectsWith(rt.runExample('no_such_example'), 'ENOENT', /no_such_example/);
  await assertWorks(rt);
  throwsWith(() => rt.start('no_such_entry'), 'ENOENT', /no_such_entry/);
  await assertWorks(rt);
  throwsWith(() => rt.start(42), TypeError);
  await assertWorks(rt);
  // Wrong argument types and values.
  const bad = [
    [{ a: '100' }, /'a'.*integer/],
    [{ a: 1.5 }, /'a'.*integer/],
    [{ a: NaN }, /'a'/],
    [{ a: -1 }, /'a'.*from 0/],
    [{ a: 60001 }, /'a'.*60000/],
    [{ a: 2 ** 53 }, /'a'/],
    [{ a: true }, /'a'/],
    [{ c: 1 }, /unknown parameter 'c'/],
  ];
  for (const [params, message] of bad) {
    await rejectsWith(rt.runExample('join', params), 'EINVAL', message);
    await assertWorks(rt);
    throwsWith(() => rt.start('join', params), 'EINVAL', message);
    await assertWorks(rt);
  }
  await rejectsWith(rt.runExample('channel', { count: 0 }), 'EINVAL', /count/);
  await rejectsWith(rt.runExample('fetch', { a: 42 }), 'EINVAL', /'a'.*URL/);
  await rejectsWith(rt.runExample('fetch', { a: '' }), 'EINVAL', /'a'/);
  await rejectsWith(rt.runExample('fetch', { a: 'relative/without/base' }), 'EINVAL', /not a valid URL/);
  throwsWith(() => rt.start('host_echo', { name: 5 }), 'EINVAL', /'name'.*string/);
  for (const args of [null, 'a=1']) {
    throwsWith(() => rt.start('join', args), TypeError);
    await assert.rejects(rt.runExample('join', args), TypeError);
  }
  // An array is the arguments by position: at most one per parameter.
  throwsWith(() => rt.start('join', [1, 2, 3]), 'EINVAL', /^join: takes at most 2 arguments \(a, b\), not 3$/);
  await rejectsWith(rt.runExample('join', [1, 2, 3]), 'EINVAL', /takes at most 2 arguments/);
  await assertWorks(rt);
  // Stale and garbage ids.
  assert.equal(rt.abortTask(123456789), false);
  throwsWith(() => rt.abortTask('garbage'), TypeError);
  await assertWorks(rt);
  // defineHost with bad arguments.
  throwsWith(() => rt.defineHost('x', 'not a function'), TypeError, /function/);
  throwsWith(() => rt.defineHost('x'), TypeError);
  throwsWith(() => rt.defineHost('', async () => ''), TypeError);
  throwsWith(() => rt.defineHost(null, async () => ''), TypeError);
  await rejectsWith(rt.start('host_echo', { name: 'x' }).promise, 'ENOENT');
  await assertWorks(rt);
  // configure with bad values.
  assert.throws(() => rt.configure({ budget: -1 }), TypeError);
  assert.throws(() => rt.configure({ sliceMs: 'fast' }), TypeError);
  await assertWorks(rt);
  const s = rt.stats();
  assert.equal(s.tasksLive, 0);
  assert.equal(s.opsInFlight, 0);
});

test('createRuntime rejects bad options with a TypeError', T, async () => {
  const bad = [
    null, 'virtual', { clock: 'wall' }, { clock: 1 }, { budget: -1 }, { budget: 1.5 }, { budget: '4' },
    { sliceMs: -1 }, { sliceMs: 'x' }, { trace: 'yes' }, { traceCapacity: 1 }, { traceCapacity: 1.5 },
    { unknownOption: true }, { runLimitMs: 0 },
  ];
  for (const options of bad) {
    await assert.rejects(createRuntime(options), TypeError, `createRuntime(${JSON.stringify(options)})`);
  }
  const rt = await rts.open({ clock: 'virtual', trace: true, budget: 0, sliceMs: 0, traceCapacity: 1024 });
  await assertWorks(rt);
});

test('a long-running drain yields to the host: other macrotasks run meanwhile', T, async () => {
  // With a 1 ms time slice, a drain stops after about 1 ms of polling and continues from a macrotask.
  const rt = await rts.open({ clock: 'real', sliceMs: 1 });
  let ticks = 0;
  const iv = setInterval(() => ticks++, 0);
  try {
    const run = await rt.runExample('cooperative', { items: 30, unit: 1, ticks: 3, tick: 5 });
    assert.equal(typeof run.value, 'number');
    assert.ok(run.trace.some((e) => e.kind === 'yield'), 'the executor yielded to the host');
    checkTraceInvariants(run.trace);
  } finally {
    clearInterval(iv);
  }
  assert.ok(ticks > 0, 'the host timer ran during the run');
});
