// spawn_blocking (wasm/src/ws_blocking.h, wasm/lib/pool.js): C functions run on a pool of worker_threads, each an
// instance of the runtime's compiled module, while the executor keeps polling. Results, queueing (FIFO, at most
// `blockingWorkers` at a time), drop before and after a job starts (tokio's semantics), a trapping job, close while
// jobs run, 8 MiB through a job, two runtimes with pools of their own, and bad input. Nothing here measures time:
// order is read from the trace (seq numbers) and from the pool's counters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runtimes, rejectsWith, eventually, createRuntime, checkTraceInvariants, ROOT, PKG_DIR } from './helpers.mjs';

const T = { timeout: 60_000 };
const rts = runtimes();
after(() => rts.closeAll());

// A job that computes for a while (hundreds of ms): long enough to be caught running.
const LONG = '4000000';
const run = (rt, fn, input = '', more = {}) => rt.start('spawn_blocking', { fn, input, ...more });
const jobEvents = (trace) => trace.filter((e) => e.kind.startsWith('job_'));

test('results: count_primes and echo give the right output; the pool starts lazily', T, async () => {
  const rt = await rts.open({ blockingWorkers: 2 });
  assert.deepEqual(rt.blockingFunctions, ['count_primes', 'echo', 'fail', 'trap']);
  assert.equal(rt.blockingStats().workersStarted, 0, 'no worker before the first job');
  const want = { 0: '0', 2: '0', 3: '1', 100: '25', 1000: '168', 10000: '1229', 100000: '9592' };
  const got = await Promise.all(Object.keys(want).map((n) => run(rt, 'count_primes', n).promise));
  assert.deepEqual(got, Object.values(want));
  assert.equal(await run(rt, 'echo', 'héllo, wörld ✓').promise, 'héllo, wörld ✓');
  assert.equal(await run(rt, 'echo', '').promise, '');
  const s = rt.blockingStats();
  assert.ok(s.workersStarted >= 1 && s.workersStarted <= 2, `workers started: ${s.workersStarted}`);
  assert.equal(s.started, 9);
  assert.equal(s.finished, 9);
});

test('many jobs: 300 at once on 2 workers, every result right, never more than 2 started', T, async () => {
  const rt = await rts.open({ blockingWorkers: 2 });
  const inputs = Array.from({ length: 300 }, (_, i) => `job ${i}`);
  const out = await Promise.all(inputs.map((s) => run(rt, 'echo', s).promise));
  assert.deepEqual(out, inputs);
  const s = rt.blockingStats();
  assert.equal(s.started, 300);
  assert.equal(s.workersStarted, 2);
  assert.equal(s.queued, 0);
  const workers = new Set(jobEvents(rt.readTrace()).filter((e) => e.kind === 'job_start').map((e) => e.worker));
  assert.deepEqual([...workers].sort(), [1, 2]);
  // one C task awaiting 50 jobs one after another (the entry's repeat): each queued after the previous finished
  assert.equal(await run(rt, 'count_primes', '1000', { repeat: 50 }).promise, '168');
  assert.equal(rt.blockingStats().started, 350);
});

test('more jobs than workers: they queue and start in FIFO order, one at a time on 1 worker', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const jobs = ['30000', '20000', '10000', '5000'].map((n) => run(rt, 'count_primes', n));
  await eventually(() => rt.blockingStats().queued === 3, { what: 'three jobs queued behind the first' });
  assert.deepEqual(await Promise.all(jobs.map((j) => j.promise)), ['3245', '2262', '1229', '669']);
  const trace = rt.readTrace();
  checkTraceInvariants(trace);
  const ev = jobEvents(trace);
  const queued = ev.filter((e) => e.kind === 'job_queue').map((e) => e.task);
  const started = ev.filter((e) => e.kind === 'job_start').map((e) => e.task);
  assert.deepEqual(started, queued, 'started in the order queued');
  assert.ok(ev.filter((e) => e.kind === 'job_start').every((e) => e.worker === 1));
  // one at a time: each start comes after the previous job's finish
  const order = ev.filter((e) => e.kind !== 'job_queue').map((e) => e.kind);
  assert.deepEqual(order, ['job_start', 'job_finish', 'job_start', 'job_finish', 'job_start', 'job_finish', 'job_start', 'job_finish']);
  assert.equal(rt.blockingStats().workersStarted, 1);
});

test('the executor keeps polling while a job runs: a sleep finishes first', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const job = run(rt, 'count_primes', LONG);
  await eventually(() => rt.blockingStats().busy === 1, { what: 'the job running' });
  assert.equal(await rt.start('sleep', { ms: 1 }).promise, 1);
  assert.equal(rt.blockingStats().busy, 1, 'the job still runs when the sleep is done');
  assert.equal(await job.promise, '283146');
});

test('trace: queue, start on a worker, finish, then the settle and the wake of the awaiting task', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  await run(rt, 'count_primes', '1000').promise;
  const trace = rt.readTrace();
  checkTraceInvariants(trace);
  const host = trace.find((e) => e.kind === 'host');
  assert.equal(host.name, 'count_primes');
  const seq = (kind) => trace.find((e) => e.kind === kind && (kind === 'wake' ? e.cause === 'host' && e.source === host.op : e.op === host.op));
  const q = seq('job_queue'), s = seq('job_start'), f = seq('job_finish'), st = seq('settle'), w = seq('wake');
  assert.ok(host.seq < q.seq && q.seq < s.seq && s.seq < f.seq && f.seq < st.seq && st.seq < w.seq, JSON.stringify([host, q, s, f, st, w]));
  assert.equal(s.worker, 1);
  assert.equal(f.worker, 1);
  assert.equal(f.outcome, 0);
  assert.equal(q.task, host.task);
  assert.equal(w.task, host.task);
});

test('drop before start: the queued job leaves the queue and never runs', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const first = run(rt, 'count_primes', '200000');
  const second = run(rt, 'echo', 'never');
  await eventually(() => rt.blockingStats().queued === 1, { what: 'the second job queued' });
  assert.equal(second.abort(), true);
  await rejectsWith(second.promise, 'ECANCELED');
  assert.equal(rt.blockingStats().queued, 0);
  assert.equal(await first.promise, '17984');
  const s = rt.blockingStats();
  assert.equal(s.removed, 1);
  assert.equal(s.started, 1, 'the dropped job never started');
  assert.equal(jobEvents(rt.readTrace()).filter((e) => e.kind === 'job_start').length, 1);
});

test('drop after start: the job runs to its end, its result is discarded, the worker goes on', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const job = run(rt, 'count_primes', LONG);
  await eventually(() => rt.blockingStats().busy === 1, { what: 'the job running' });
  assert.equal(job.abort(), true);
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(rt.blockingStats().busy, 1, 'the dropped job still runs');
  await eventually(() => rt.blockingStats().discarded === 1, { withinMs: 30_000, what: 'the job finished and discarded' });
  assert.equal(await run(rt, 'echo', 'next').promise, 'next');
  const s = rt.blockingStats();
  assert.equal(s.workersStarted, 1, 'the same worker took the next job');
  const fin = jobEvents(rt.readTrace()).filter((e) => e.kind === 'job_finish');
  assert.deepEqual(fin.map((e) => [e.outcome, e.task === 0]), [[3, true], [0, false]]);
  assert.ok(rt.readTrace().some((e) => e.kind === 'settle' && e.cancelled));
});

test('a job that traps fails with EPANIC; its worker is replaced and the others go on', T, async () => {
  const rt = await rts.open({ blockingWorkers: 2 });
  const other = run(rt, 'count_primes', '300000');
  const trap = run(rt, 'trap');
  await rejectsWith(trap.promise, 'EPANIC', /blocking function 'trap' failed on worker \d: it trapped: unreachable; the worker was replaced/);
  assert.equal(await other.promise, '25997');
  // two jobs at once need two workers again: the trapped one's replacement starts
  assert.deepEqual(await Promise.all([run(rt, 'count_primes', '100').promise, run(rt, 'count_primes', '1000').promise]), ['25', '168']);
  const s = rt.blockingStats();
  assert.equal(s.panicked, 1);
  assert.equal(s.workersStarted, 3, 'two workers, then one in place of the trapped one');
  const fin = jobEvents(rt.readTrace()).filter((e) => e.kind === 'job_finish');
  assert.equal(fin.filter((e) => e.outcome === 2).length, 1);
  // many traps in a row: each fails alone, nothing hangs
  const traps = await Promise.allSettled(Array.from({ length: 5 }, () => run(rt, 'trap').promise));
  assert.ok(traps.every((r) => r.status === 'rejected' && r.reason.code === 'EPANIC'));
  assert.equal(await run(rt, 'echo', 'alive').promise, 'alive');
});

// A worker that dies by itself (not a trap): the pool starts its workers through the host's
// process.getBuiltinModule('node:worker_threads'); for this test that returns a Worker whose thread first installs a
// wrapper around the pool's message listener: an `echo` job whose input is "exit" makes the thread call process.exit(7)
// and one whose input is "throw" throws outside the wasm call (an uncaught exception in the worker). Neither sends an
// answer: the pool learns of the death only from the worker's 'exit' / 'error' event.
async function withDyingWorkers(fn) {
  const real = process.getBuiltinModule;
  const wt = real.call(process, 'node:worker_threads');
  const prelude = `{
  const port = require('node:worker_threads').parentPort;
  const on = port.on.bind(port);
  port.on = (type, fn) => on(type, (m) => {
    const text = m && m.input instanceof ArrayBuffer ? new TextDecoder().decode(m.input) : '';
    if (text === 'exit') process.exit(7);
    if (text === 'throw') throw new Error('thrown outside the wasm call');
    fn(m);
  });
}
`;
  class DyingWorker extends wt.Worker {
    constructor(code, opts) { super(prelude + code, opts); }
  }
  process.getBuiltinModule = (name) => (name === 'node:worker_threads' ? { ...wt, Worker: DyingWorker } : real.call(process, name));
  try {
    return await fn();
  } finally {
    process.getBuiltinModule = real;
  }
}

test('a worker that dies (process.exit, an uncaught throw outside the wasm call) fails its job EPANIC; a new worker runs the rest', T, async () => {
  await withDyingWorkers(async () => {
    const rt = await rts.open({ blockingWorkers: 1 });
    // one worker: the jobs queued behind the dying one must run on its replacement
    const dying = run(rt, 'echo', 'exit');
    const behind = [run(rt, 'echo', 'after 1'), run(rt, 'count_primes', '1000')];
    await rejectsWith(dying.promise, 'EPANIC', /^blocking function 'echo' failed on worker 1: its worker crashed: the worker exited \(code 7\); the worker was replaced$/);
    assert.deepEqual(await Promise.all(behind.map((j) => j.promise)), ['after 1', '168']);
    const thrown = run(rt, 'echo', 'throw');
    const next = run(rt, 'echo', 'after 2');
    await rejectsWith(thrown.promise, 'EPANIC', /^blocking function 'echo' failed on worker 2: its worker crashed: thrown outside the wasm call; the worker was replaced$/);
    assert.equal(await next.promise, 'after 2');
    const s = rt.blockingStats();
    assert.deepEqual({ panicked: s.panicked, workersStarted: s.workersStarted, busy: s.busy, queued: s.queued, finished: s.finished },
      { panicked: 2, workersStarted: 3, busy: 0, queued: 0, finished: 3 });
    const fin = jobEvents(rt.readTrace()).filter((e) => e.kind === 'job_finish');
    assert.deepEqual(fin.map((e) => [e.worker, e.outcome]).filter(([, o]) => o === 2), [[1, 2], [2, 2]]);
    // a crash while another job waits and the runtime closes right after: everything settles
    const last = run(rt, 'echo', 'exit');
    const waiting = run(rt, 'echo', 'never run');
    await rejectsWith(last.promise, 'EPANIC', /its worker crashed/);
    rt.close();
    const settled = await Promise.allSettled([waiting.promise]);
    assert.ok(settled[0].status === 'fulfilled' ? settled[0].value === 'never run' : settled[0].reason.code === 'ECLOSED');
  });
  assert.equal(process.getBuiltinModule('node:worker_threads').Worker.name, 'Worker', 'the host is restored');
});

test('close while jobs run: every promise rejects ECLOSED, the workers are terminated', T, async () => {
  const rt = await rts.open({ blockingWorkers: 2 });
  const jobs = Array.from({ length: 4 }, () => run(rt, 'count_primes', LONG));
  await eventually(() => rt.blockingStats().busy === 2, { what: 'two jobs running' });
  assert.equal(rt.blockingStats().queued, 2);
  rt.close();
  const out = await Promise.allSettled(jobs.map((j) => j.promise));
  assert.deepEqual(out.map((r) => r.reason?.code), ['ECLOSED', 'ECLOSED', 'ECLOSED', 'ECLOSED']);
  assert.equal(rt.blockingStats().workers, 0);
  assert.equal(rt.blockingStats().queued, 0);
});

test('8 MiB in and out of a job', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const n = 8 << 20;
  const out = await run(rt, 'echo', '', { fill: n }).promise;
  assert.equal(out.length, n);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  for (const i of [0, 1, 25, 26, 12345, n - 1]) assert.equal(out[i], alphabet[i % 26], `byte ${i}`);
  assert.equal(out, alphabet.repeat(Math.ceil(n / 26)).slice(0, n));
  // and 8 MiB of input text through the entry's argument
  const text = 'xyz'.repeat((n / 3) | 0);
  assert.equal((await run(rt, 'echo', text).promise).length, text.length);
});

test('two runtimes, two pools: each its own workers; closing one leaves the other working', T, async () => {
  const a = await rts.open({ blockingWorkers: 1 });
  const b = await rts.open({ blockingWorkers: 1 });
  const ja = run(a, 'count_primes', LONG);
  const jb = run(b, 'count_primes', '50000');
  await eventually(() => a.blockingStats().busy === 1, { what: 'a busy' });
  assert.equal(await jb.promise, '5133', 'b is not queued behind a');
  assert.equal(a.blockingStats().workersStarted, 1);
  assert.equal(b.blockingStats().workersStarted, 1);
  a.close();
  await rejectsWith(ja.promise, 'ECLOSED');
  assert.equal(await run(b, 'count_primes', '1000').promise, '168');
});

test('idle workers exit after the keep-alive time; the next job starts a new one', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1, blockingKeepAliveMs: 5 });
  assert.equal(await run(rt, 'echo', 'a').promise, 'a');
  await eventually(() => rt.blockingStats().workers === 0, { what: 'the idle worker gone' });
  assert.equal(await run(rt, 'echo', 'b').promise, 'b');
  assert.equal(rt.blockingStats().workersStarted, 2);
});

test('bad input: an unknown function, a failing one, bad input to one: a clear error, the runtime goes on', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  await rejectsWith(run(rt, 'nope').promise, 'ENOENT',
    /^spawn_blocking: no blocking function named 'nope' in this module \(registered: 'count_primes', 'echo', 'fail', 'trap'\)$/);
  await rejectsWith(run(rt, '').promise, 'ENOENT');
  await rejectsWith(run(rt, 'fail', 'on purpose').promise, 'EINVAL', /^fail: on purpose$/);
  await rejectsWith(run(rt, 'count_primes', 'twelve').promise, 'EINVAL', /count_primes: the input must be a decimal number/);
  await rejectsWith(run(rt, 'count_primes', '100000001').promise, 'EINVAL', /from 0 to 100000000/);
  assert.equal(rt.blockingStats().workersStarted, 1, 'a failing function does not cost its worker');
  assert.equal(await run(rt, 'count_primes', '10').promise, '4');
});

test('bad options: a pool size of 0 or not a number, a bad keep-alive: a one-line TypeError', T, async () => {
  for (const bad of [0, -1, 1.5, '2', NaN, null, 1000]) {
    await assert.rejects(createRuntime({ blockingWorkers: bad }), (e) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /^createRuntime: blockingWorkers must be an integer from 1 to 256, not /);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
  await assert.rejects(createRuntime({ blockingKeepAliveMs: -5 }), /blockingKeepAliveMs must be an integer from 0 to 3600000/);
});

const hasEmcc = (process.env.PATH || '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, 'emcc')));

test('a module of one\'s own, built with npx wasync build: its WS_BLOCKING_FN runs on the pool', { timeout: 600_000, skip: hasEmcc ? false : 'emcc is not installed' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-blocking-'));
  try {
    fs.copyFileSync(path.join(ROOT, 'tests', 'node', 'fixtures', 'blocking-module.c'), path.join(dir, 'app.c'));
    await promisify(execFile)(process.execPath, [path.join(PKG_DIR, 'bin', 'wasync.js'), 'build', 'app.c', '-o', 'app.wasm'], { cwd: dir });
    const rt = await rts.open({ wasm: fs.readFileSync(path.join(dir, 'app.wasm')), blockingWorkers: 1 });
    assert.deepEqual(rt.entries, ['sum_text']);
    assert.deepEqual(rt.blockingFunctions, ['byte_sum']);
    assert.equal(await rt.start('sum_text', { text: 'abc' }).promise, String(97 + 98 + 99));
    assert.equal(rt.blockingStats().started, 1);
    rt.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
