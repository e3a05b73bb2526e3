// The built-in examples: values, elapsed time on the virtual clock, trace shapes, determinism.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, polls, checkTraceInvariants, linesWith, EXAMPLES_WASM } from './helpers.mjs';

const T = { timeout: 20_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
after(() => rts.closeAll());

const EXAMPLES = ['lazy', 'sequential', 'join', 'spawn', 'blocking', 'cooperative', 'offload', 'timeout', 'channel',
  'fetch', 'crawler', 'abort', 'token'];
const OFFLINE = EXAMPLES.filter((n) => n !== 'fetch' && n !== 'crawler'); // those two need a server
const spawns = (trace) => trace.filter((e) => e.kind === 'spawn');
const maxDepth0 = (trace) => Math.max(...polls(trace, { depth: 0 }).map((p) => p.dur));

test('rt.examples lists every built-in example with name, title, description and params', T, async () => {
  const rt = await rts.open();
  assert.deepEqual(rt.examples.map((e) => e.name).sort(), [...EXAMPLES].sort());
  for (const e of rt.examples) {
    assert.equal(typeof e.title, 'string');
    assert.ok(e.title.length > 0);
    assert.ok(typeof e.description === 'string' && e.description.length > 10, `${e.name} has a description`);
    assert.ok(Array.isArray(e.params));
    for (const p of e.params) {
      assert.ok(['ms', 'int', 'url'].includes(p.kind), `${e.name}.${p.name}: kind ${p.kind}`);
      assert.equal(typeof p.default, p.kind === 'url' ? 'string' : 'number');
    }
  }
});

test('lazy: the dropped future never runs, the awaited one runs once', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('lazy');
  assert.equal(run.value, 1);
  assert.equal(run.elapsedMs, 0);
  assert.equal(run.truncated, null);
  assert.equal(spawns(run.trace).length, 1);
  checkTraceInvariants(run.trace);
});

test('join(100, 200): value, elapsed exactly 200 on the virtual clock, and the trace shape', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('join', { a: 100, b: 200 });
  assert.equal(run.value, (100 + 200) * 10); // fake_fetch returns 10 bytes per ms
  assert.equal(run.elapsedMs, 200);
  checkTraceInvariants(run.trace);

  // One task polls both children.
  const sp = spawns(run.trace);
  assert.equal(sp.length, 1, 'join runs in exactly one task');
  const main = sp[0].task;
  assert.equal(sp[0].name, 'join');
  assert.equal(sp[0].parent, 0);
  const top = polls(run.trace, { task: main, depth: 0 });
  assert.ok(top.length >= 2);
  const children = polls(run.trace, { task: main }).filter((p) => p.depth >= 1 && p.future === 'fake_fetch');
  assert.deepEqual([...new Set(children.map((p) => p.index))].sort(), [0, 1], 'the two fake_fetch children, index 0 and 1');
  for (const c of children) {
    const parent = top.filter((p) => p.seq < c.seq).at(-1);
    assert.ok(parent, `child poll #${c.seq} lies inside a depth-0 poll`);
    assert.ok(c.t >= parent.t && c.t + c.dur <= parent.t + parent.dur + 1e-6);
  }
  // Every depth-0 poll points at a wake of the same task.
  const bySeq = new Map(run.trace.map((e) => [e.seq, e]));
  for (const p of top) {
    const w = bySeq.get(p.wake);
    assert.equal(w?.kind, 'wake', `poll #${p.seq} -> wake #${p.wake}`);
    assert.equal(w.task, main);
  }
  // Pending polls of the main task carry the WS_AWAIT site in join.c.
  const awaitLines = linesWith('wasm/examples/join.c', 'WS_AWAIT(');
  assert.equal(awaitLines.length, 1, 'join.c has one WS_AWAIT');
  const pending = top.filter((p) => p.result === 'pending');
  assert.ok(pending.length >= 2, 'suspended at least twice (at 0 and at 100 ms)');
  for (const p of pending) {
    assert.ok(p.site, `pending poll #${p.seq} has a site`);
    assert.ok(p.site.file.endsWith('examples/join.c'), p.site.file);
    assert.equal(p.site.line, awaitLines[0]);
  }
  const ready = top.filter((p) => p.result === 'ready');
  assert.equal(ready.length, 1);
  assert.equal(ready[0].site, null);
  assert.equal(ready[0].t, 200);
  // Two timers, for 100 and 200 ms; the task completes ok at 200.
  assert.deepEqual(run.trace.filter((e) => e.kind === 'timer').map((e) => e.deadline).sort((x, y) => x - y), [100, 200]);
  const done = run.trace.filter((e) => e.kind === 'complete');
  assert.deepEqual(done.map((e) => [e.task, e.result, e.t]), [[main, 'ok', 200]]);
});

test('sequential(100, 200): elapsed exactly 300', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('sequential', { a: 100, b: 200 });
  assert.equal(run.value, 3000);
  assert.equal(run.elapsedMs, 300);
  assert.equal(spawns(run.trace).length, 1);
  checkTraceInvariants(run.trace);
  const awaitLines = linesWith('wasm/examples/sequential.c', 'WS_AWAIT(');
  const sites = polls(run.trace, { task: 1, depth: 0 }).filter((p) => p.result === 'pending').map((p) => p.site.line);
  assert.deepEqual(sites, awaitLines, 'suspended once at each of the two awaits, in order');
});

test('spawn(100, 200): three tasks, two spawned by the first, elapsed exactly 200', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('spawn', { a: 100, b: 200 });
  assert.equal(run.value, 3000);
  assert.equal(run.elapsedMs, 200);
  checkTraceInvariants(run.trace);
  const sp = spawns(run.trace);
  assert.equal(sp.length, 3, 'three tasks');
  assert.equal(new Set(sp.map((e) => e.task)).size, 3);
  const [main, ...kids] = sp;
  assert.equal(main.parent, 0);
  assert.equal(main.name, 'spawn');
  assert.deepEqual(kids.map((e) => e.parent), [main.task, main.task]);
  assert.deepEqual(sp.filter((e) => e.parent === 1).length, 2);
  // Each child task polls its own fetch and completes: at 100 and at 200 ms.
  const complete = run.trace.filter((e) => e.kind === 'complete');
  assert.equal(complete.length, 3);
  assert.ok(complete.every((e) => e.result === 'ok'));
  assert.deepEqual(kids.map((k) => complete.find((c) => c.task === k.task).t), [100, 200]);
});

test('token(250, 100, 4): cancelling the parent token stops both workers at 250; the detached logger runs on to 400', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('token', { cancel: 250, tick: 100, log: 4 });
  // worker a ticked at 100 and 200, worker b at 200: 3 ticks before the cancel.
  assert.equal(run.value, 3);
  checkTraceInvariants(run.trace);
  const byName = new Map(spawns(run.trace).map((e) => [e.name, e.task]));
  const done = (name) => run.trace.find((e) => e.kind === 'complete' && e.task === byName.get(name));
  // The workers stop at the cancel and finish normally (not aborted, not dropped); so does the main task.
  for (const w of ['worker a', 'worker b', 'token']) assert.deepEqual([done(w).t, done(w).result], [250, 'ok'], w);
  assert.equal(run.trace.filter((e) => e.kind === 'abort' || e.kind === 'drop').length, 0, 'nothing aborted');
  // The logger's handle was dropped at its spawn: that detached it, and it ticked on to its own end.
  assert.deepEqual([done('logger').t, done('logger').result], [400, 'ok']);
  assert.equal(run.elapsedMs, 400);
  // One token event per token: the parent (no waiter of its own), then each child through it, one waiter each.
  const tokens = run.trace.filter((e) => e.kind === 'token');
  assert.deepEqual(tokens.map((e) => [e.byParent, e.woken]), [[false, 0], [true, 1], [true, 1]]);
  const notify = run.trace.filter((e) => e.kind === 'wake' && e.cause === 'notify');
  assert.deepEqual(notify.map((e) => e.task).sort(), [byName.get('worker a'), byName.get('worker b')].sort());
  assert.ok(notify.every((e) => e.t === 250));
  // Each worker's last select was won by the token (branch 0); its tick lost and was dropped.
  for (const w of ['worker a', 'worker b']) {
    const sel = run.trace.filter((e) => e.kind === 'select' && e.task === byName.get(w));
    const last = sel.filter((e) => e.t === 250);
    assert.deepEqual(last.map((e) => [e.outcome, e.branch]), [['won', 0], ['lost', 1]], w);
  }
});

test('blocking starves the ticker; cooperative does not', T, async () => {
  const rt = await rts.open();
  const params = { items: 40, unit: 2, ticks: 10, tick: 5 };
  const blocking = await rt.runExample('blocking', params);
  const cooperative = await rt.runExample('cooperative', params);
  checkTraceInvariants(blocking.trace);
  checkTraceInvariants(cooperative.trace);
  assert.equal(spawns(blocking.trace).length, 3);
  assert.equal(spawns(cooperative.trace).length, 3);

  assert.ok(maxDepth0(blocking.trace) >= 40, `blocking has a poll of >= 40 ms (${maxDepth0(blocking.trace)})`);
  assert.ok(blocking.value >= 40, `blocking: worst lateness ${blocking.value} >= 40`);
  assert.ok(maxDepth0(cooperative.trace) <= 2 * params.unit, `cooperative: no poll longer than 2 items (${maxDepth0(cooperative.trace)})`);
  assert.ok(cooperative.value < blocking.value, `cooperative lateness ${cooperative.value} < ${blocking.value}`);
  // A tick that came due during an item runs right after it (timer wakes go to the front of the run queue), not
  // after the worker's next item as well: lateness of at most one item.
  assert.ok(cooperative.value <= params.unit, `cooperative lateness ${cooperative.value} <= one item (${params.unit})`);
  // The work takes as long either way: items * unit of CPU time at least.
  assert.ok(cooperative.elapsedMs >= params.items * params.unit);
  assert.ok(blocking.elapsedMs >= params.items * params.unit);
});

test('offload: each item runs as a blocking job on a worker; the ticker is polled while jobs run', T, async () => {
  const rt = await rts.open({ blockingWorkers: 1 });
  const params = { items: 20, unit: 2, ticks: 10, tick: 5 };
  const run = await rt.runExample('offload', params);
  checkTraceInvariants(run.trace);
  assert.equal(spawns(run.trace).length, 3);
  const off = spawns(run.trace).find((e) => e.name === 'offloader').task;
  const ticker = spawns(run.trace).find((e) => e.name === 'ticker').task;
  const starts = run.trace.filter((e) => e.kind === 'job_start');
  const finishes = run.trace.filter((e) => e.kind === 'job_finish');
  assert.equal(starts.length, params.items);
  assert.ok(starts.every((e) => e.task === off && e.worker === 1));
  assert.ok(finishes.every((e) => e.task === off && e.outcome === 0));
  assert.ok(run.trace.filter((e) => e.kind === 'host').every((e) => e.name === 'count_primes'));
  // the offloader never computes in a poll: its polls take no time on the runtime's clock (no CPU work on it)
  assert.equal(Math.max(...polls(run.trace, { task: off, depth: 0 }).map((p) => p.dur)), 0);
  // while a job runs, the executor polls the ticker: some ticker poll lies between a job's start and its finish
  const tickerPolls = run.trace.filter((e) => e.kind === 'poll' && e.task === ticker && e.depth === 0);
  const inside = starts.some((s, i) => tickerPolls.some((p) => p.seq > s.seq && p.seq < finishes[i].seq));
  assert.ok(inside, 'a ticker poll while a job ran');
  assert.equal(rt.blockingStats().started, params.items);
});

test('blocking with budget 4: the cooperative budget bounds each poll to 4 items', T, async () => {
  const rt = await rts.open({ budget: 4 });
  const unit = 2;
  const run = await rt.runExample('blocking', { items: 40, unit, ticks: 10, tick: 5 });
  checkTraceInvariants(run.trace);
  const worker = spawns(run.trace).find((e) => e.name === 'cruncher').task;
  const workerPolls = polls(run.trace, { task: worker, depth: 0 });
  assert.ok(workerPolls.length >= 10, `the worker was made to yield (${workerPolls.length} polls)`);
  assert.ok(maxDepth0(run.trace) <= 4 * unit, `longest poll ${maxDepth0(run.trace)} ms <= 4 items`);
  assert.ok(run.trace.some((e) => e.kind === 'wake' && e.cause === 'self' && e.task === worker), 'budget yields are self-wakes');
  // And the same runtime reconfigured: unlimited budget gives the one long poll back.
  rt.configure({ budget: 0 });
  const long = await rt.runExample('blocking', { items: 40, unit, ticks: 10, tick: 5 });
  assert.equal(maxDepth0(long.trace), 40 * unit);
});

test('timeout: the timer wins at the limit, or the work wins with its bytes', T, async () => {
  const rt = await rts.open();
  const lost = await rt.runExample('timeout', { work: 300, limit: 150 });
  assert.equal(lost.value, -1);
  assert.equal(lost.elapsedMs, 150);
  checkTraceInvariants(lost.trace);
  const won = await rt.runExample('timeout', { work: 100, limit: 300 });
  assert.equal(won.value, 100 * 10);
  assert.equal(won.elapsedMs, 100);
  checkTraceInvariants(won.trace);
  // The defaults are the timeout case.
  const defaults = await rt.runExample('timeout');
  assert.equal(defaults.value, -1);
  assert.equal(defaults.elapsedMs, 150);
});

test('channel: the consumer gets 1..count, paced by its work', T, async () => {
  const rt = await rts.open();
  for (const { count, capacity, work } of [
    { count: 6, capacity: 2, work: 20 },
    { count: 10, capacity: 3, work: 7 },
    { count: 25, capacity: 1, work: 4 },
    { count: 5, capacity: 16, work: 0 },
  ]) {
    const run = await rt.runExample('channel', { count, capacity, work });
    assert.equal(run.value, (count * (count + 1)) / 2, `sum 1..${count}`);
    // The consumer takes a message at once whenever it is free, then works `work` ms on it: count * work.
    assert.equal(run.elapsedMs, count * work, `channel(${count}, ${capacity}, ${work}) elapsed`);
    checkTraceInvariants(run.trace);
    const sp = spawns(run.trace);
    assert.deepEqual(sp.map((e) => e.name), ['channel', 'producer']);
    if (work > 0 && count > capacity + 1) {
      // Backpressure: the producer is parked on a full channel and woken by the consumer.
      assert.ok(run.trace.some((e) => e.kind === 'wake' && e.task === sp[1].task && e.cause === 'channel'));
    }
  }
});

test('every offline example runs with its defaults, with a consistent trace', T, async () => {
  const rt = await rts.open();
  for (const name of OFFLINE) {
    const run = await rt.runExample(name);
    assert.equal(typeof run.value, 'number', name);
    assert.equal(run.truncated, null);
    checkTraceInvariants(run.trace);
    const sp = spawns(run.trace);
    assert.equal(sp[0].task, 1, `${name}: the first task of a run is task 1`);
    assert.deepEqual(sp.map((e) => e.task), sp.map((_, i) => i + 1), `${name}: task numbers 1, 2, 3 ... in spawn order`);
    assert.ok(run.trace.some((e) => e.kind === 'complete' && e.task === 1 && e.result === 'ok'), `${name} completes`);
  }
  const s = rt.stats();
  assert.equal(s.tasksLive, 0);
  assert.equal(s.timersArmed, 0);
  assert.equal(s.opsInFlight, 0);
});

test('determinism: the same run gives deep-equal traces, in two runtimes and in one', T, async () => {
  const a = await rts.open();
  const b = await rts.open();
  for (const name of OFFLINE.filter((n) => n !== 'offload')) { // offload's jobs take real time, as fetch's requests
    const params = name === 'join' ? { a: 70, b: 30 } : {};
    const ra = await a.runExample(name, params);
    const rb = await b.runExample(name, params);
    const ra2 = await a.runExample(name, params);
    assert.deepEqual(rb, ra, `${name}: two runtimes`);
    assert.deepEqual(ra2, ra, `${name}: twice in one runtime`);
  }
});

test('real clock: join(30, 60) takes about 60 ms of real time', T, async () => {
  const rt = await rts.open({ clock: 'real' });
  assert.equal(rt.clock, 'real');
  const t0 = performance.now();
  const run = await rt.runExample('join', { a: 30, b: 60 });
  const wall = performance.now() - t0;
  assert.equal(run.value, 900);
  // Lower bounds only (load only makes a run longer): the real clock saw the 60 ms wait. That the two waits
  // overlapped is an order, not a duration: both timers were armed before either fired.
  assert.ok(run.elapsedMs >= 55, `elapsed ${run.elapsedMs} >= 55`);
  assert.ok(wall >= 55, `wall time ${wall} >= 55`);
  const timing = run.trace.filter((e) => e.kind === 'timer' || (e.kind === 'wake' && e.cause === 'timer')).map((e) => e.kind);
  assert.deepEqual(timing, ['timer', 'timer', 'wake', 'wake'], 'both sleeps armed before either fired');
  checkTraceInvariants(run.trace);
  assert.equal(spawns(run.trace).length, 1);
});

test('trace off: runs still work and return an empty trace', T, async () => {
  const rt = await rts.open({ trace: false });
  const run = await rt.runExample('join', { a: 100, b: 200 });
  assert.equal(run.value, 3000);
  assert.equal(run.elapsedMs, 200);
  assert.deepEqual(run.trace, []);
});

test('a small traceCapacity truncates the trace and says so', T, async () => {
  const rt = await rts.open({ traceCapacity: 16 });
  const run = await rt.runExample('cooperative');
  assert.equal(typeof run.value, 'number');
  assert.ok(run.trace.length <= 16);
  assert.match(run.truncated, /trace limit reached/);
  // Seq still starts at 0 without gaps among the events kept.
  run.trace.forEach((e, i) => assert.equal(e.seq, i));
});
