// Trace objects (the contract's fields) and their export as a text timeline and as Chrome Trace Event JSON.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, traceToText, traceToChrome, wasync, checkTraceInvariants, EXAMPLES_WASM } from './helpers.mjs';

const T = { timeout: 20_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
after(() => rts.closeAll());

const CAUSES = ['spawn', 'timer', 'channel', 'task', 'self', 'host', 'fetch', 'notify', 'abort'];
const KINDS = ['spawn', 'poll', 'wake', 'timer', 'host', 'settle', 'complete', 'abort', 'drop', 'yield', 'cancel'];

function checkFields(e) {
  assert.ok(Number.isInteger(e.seq) && e.seq >= 0, 'seq');
  assert.ok(typeof e.t === 'number' && Number.isFinite(e.t) && e.t >= 0, 't');
  assert.ok(KINDS.includes(e.kind), `kind ${e.kind}`);
  assert.ok(Number.isInteger(e.task) && e.task >= 0, 'task');
  switch (e.kind) {
    case 'spawn':
      assert.equal(typeof e.name, 'string');
      assert.ok(e.name.length > 0);
      assert.ok(Number.isInteger(e.parent) && e.parent >= 0);
      break;
    case 'poll':
      assert.ok(typeof e.dur === 'number' && e.dur >= 0, 'dur');
      assert.ok(['pending', 'ready'].includes(e.result), 'result');
      assert.ok(Number.isInteger(e.depth) && e.depth >= 0, 'depth');
      assert.equal(typeof e.future, 'string');
      assert.ok(e.future.length > 0);
      assert.ok(Number.isInteger(e.index) && e.index >= -1, 'index');
      assert.ok('site' in e && 'wake' in e);
      if (e.site !== null) {
        assert.equal(e.result, 'pending', 'a site only on pending polls');
        assert.equal(typeof e.site.file, 'string');
        assert.ok(Number.isInteger(e.site.line) && e.site.line > 0);
      }
      assert.ok(e.wake === null || Number.isInteger(e.wake));
      break;
    case 'wake':
      assert.ok(CAUSES.includes(e.cause), `cause ${e.cause}`);
      assert.ok(Number.isInteger(e.by) && e.by >= 0, 'by');
      assert.ok(Number.isInteger(e.source) && e.source >= 0, 'source');
      break;
    case 'timer':
      assert.ok(Number.isInteger(e.timer) && e.timer > 0);
      assert.ok(typeof e.deadline === 'number' && e.deadline >= e.t);
      break;
    case 'complete':
      assert.ok(['ok', 'error', 'cancelled'].includes(e.result));
      break;
    case 'cancel':
      assert.equal(typeof e.future, 'string');
      assert.ok(e.polled === 0 || e.polled === 1, 'polled');
      assert.ok(Number.isInteger(e.depth) && e.depth >= 1, 'depth');
      break;
    default:
      break;
  }
}

test('trace events are plain objects with the contract\'s fields', T, async () => {
  const rt = await rts.open();
  const kinds = new Set();
  for (const name of ['join', 'spawn', 'channel', 'timeout', 'cooperative']) {
    const { trace } = await rt.runExample(name);
    for (const e of trace) {
      assert.equal(Object.getPrototypeOf(e), Object.prototype, 'a plain object');
      checkFields(e);
      kinds.add(e.kind);
    }
    checkTraceInvariants(trace);
    assert.deepEqual(JSON.parse(JSON.stringify(trace)), trace, `${name}: the trace is JSON data`);
  }
  for (const k of ['spawn', 'poll', 'wake', 'timer', 'complete']) assert.ok(kinds.has(k), `saw ${k} events`);
  // host/settle/abort/drop events, from a host call and an aborted job.
  rt.defineHost('id', async (s) => s);
  rt.readTrace({ clear: true }); // restarts seq at 0 and task numbers at 1
  await rt.start('host_echo', { name: 'id', arg: 'a' }).promise;
  const job = rt.start('never');
  await new Promise((r) => setImmediate(r));
  job.abort();
  await job.promise.catch(() => {});
  const trace = rt.readTrace();
  for (const e of trace) checkFields(e);
  checkTraceInvariants(trace);
  const host = trace.find((e) => e.kind === 'host');
  assert.equal(host.name, 'id');
  assert.ok(Number.isInteger(host.op) && host.op >= 0);
  assert.equal(host.task, 1);
  const settle = trace.find((e) => e.kind === 'settle');
  assert.equal(settle.op, host.op);
  assert.equal(settle.ok, true);
  assert.ok(trace.some((e) => e.kind === 'wake' && e.cause === 'host'));
  assert.ok(trace.some((e) => e.kind === 'abort'));
  assert.ok(trace.some((e) => e.kind === 'complete' && e.result === 'cancelled'));
});

test('cancel events: a future dropped unpolled (lazy) and a select\'s loser with what it awaited (timeout)', T, async () => {
  const rt = await rts.open();
  const lazy = (await rt.runExample('lazy')).trace;
  const lc = lazy.filter((e) => e.kind === 'cancel');
  assert.deepEqual(lc.map(({ future, polled, depth, task }) => ({ future, polled, depth, task })), [{ future: 'answer', polled: 0, depth: 1, task: 1 }]);
  // Inside the task's one poll, before the awaited answer is polled.
  const top = lazy.find((e) => e.kind === 'poll' && e.depth === 0);
  assert.ok(lc[0].seq > top.seq && lc[0].seq <= top.last);
  assert.ok(lc[0].seq < lazy.find((e) => e.kind === 'poll' && e.future === 'answer').seq);
  const timeout = (await rt.runExample('timeout')).trace;
  const tc = timeout.filter((e) => e.kind === 'cancel');
  assert.deepEqual(tc.map(({ future, polled, depth }) => ({ future, polled, depth })), [
    { future: 'fake_fetch', polled: 1, depth: 2 }, // the loser, a child of the select (depth 1)
    { future: 'sleep', polled: 1, depth: 3 },      // the sleep it was awaiting
  ]);
  assert.equal(tc[0].t, 150);
  // The operation wins with a longer limit: then the timer is the loser.
  const won = (await rt.runExample('timeout', { limit: 400 })).trace.filter((e) => e.kind === 'cancel');
  assert.deepEqual(won.map(({ future, depth }) => ({ future, depth })), [{ future: 'sleep', depth: 2 }]);
  assert.match(traceToText(timeout), /cancel {4}fake_fetch dropped before it was ready in task 1/);
  assert.match(traceToText(lazy), /cancel {4}answer dropped unpolled/);
  // Joined futures that both finish are never cancelled.
  assert.equal((await rt.runExample('join')).trace.filter((e) => e.kind === 'cancel').length, 0);
});

test('traceToText: one line per event, with spawn, poll and wake lines for join', T, async () => {
  const rt = await rts.open();
  const { trace } = await rt.runExample('join', { a: 100, b: 200 });
  const text = traceToText(trace);
  assert.equal(typeof text, 'string');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, trace.length);
  assert.match(text, /spawn\s+task 1 \(join\)/);
  assert.match(text, /poll\s+task 1 \(join\).*-> Pending at wasm\/examples\/join\.c:\d+/);
  assert.match(text, /poll\s+fake_fetch \[child 0\]/);
  assert.match(text, /poll\s+fake_fetch \[child 1\]/);
  assert.match(text, /wake\s+task 1 \(join\) by timer/);
  assert.match(text, /complete\s+task 1 \(join\) ok/);
  assert.match(lines.at(-1), /200\.000 ms/);
  assert.equal(traceToText([]), '');
  assert.throws(() => traceToText('nope'), TypeError);
  assert.throws(() => traceToChrome({}), TypeError);
});

function checkChrome(trace, label) {
  const chrome = traceToChrome(trace);
  const round = JSON.parse(JSON.stringify(chrome));
  assert.deepEqual(round, chrome, `${label}: JSON round trip`);
  assert.ok(Array.isArray(round.traceEvents), 'traceEvents');
  const ev = round.traceEvents;
  for (const e of ev) {
    assert.equal(typeof e.ph, 'string');
    assert.equal(e.pid, 1);
    assert.ok(Number.isInteger(e.tid));
    if (e.ph !== 'M') assert.ok(Number.isInteger(e.ts) && e.ts >= 0, `${label}: integer ts (${e.ph} ${e.name})`);
  }
  // A thread name for each task.
  const tasks = [...new Set(trace.filter((e) => e.kind === 'spawn').map((e) => e.task))];
  for (const task of tasks) {
    const m = ev.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid === task);
    assert.equal(m.length, 1, `${label}: one thread_name for task ${task}`);
    assert.match(m[0].args.name, new RegExp(`task ${task}`));
  }
  // Slices: integer ts/dur, one per poll, properly nested on each thread.
  const slices = ev.filter((e) => e.ph === 'X');
  for (const s of slices) assert.ok(Number.isInteger(s.dur) && s.dur >= 0, `${label}: integer dur`);
  const pollSlices = slices.filter((s) => s.cat === 'poll' || s.cat === 'future');
  assert.equal(pollSlices.length, trace.filter((e) => e.kind === 'poll').length, `${label}: a slice per poll`);
  const byTid = Map.groupBy ? Map.groupBy(slices, (s) => s.tid) : groupBy(slices, (s) => s.tid);
  for (const [tid, xs] of byTid) {
    for (const a of xs) {
      for (const b of xs) {
        const aEnd = a.ts + a.dur;
        const bEnd = b.ts + b.dur;
        const partial = a.ts < b.ts && b.ts < aEnd && aEnd < bEnd;
        assert.ok(!partial, `${label}: slices ${a.name}@${a.ts}+${a.dur} and ${b.name}@${b.ts}+${b.dur} on tid ${tid} overlap partially`);
      }
    }
  }
  // Flow arrows: s/f in pairs, matching ids, unique per pair; each f starts a poll slice on its thread.
  const starts = ev.filter((e) => e.ph === 's');
  const finishes = ev.filter((e) => e.ph === 'f');
  assert.ok(starts.length > 0, `${label}: flow events`);
  const sIds = starts.map((e) => e.id);
  const fIds = finishes.map((e) => e.id);
  assert.equal(new Set(sIds).size, sIds.length, `${label}: unique s ids`);
  assert.equal(new Set(fIds).size, fIds.length, `${label}: unique f ids`);
  assert.deepEqual([...sIds].sort(), [...fIds].sort(), `${label}: every s has its f`);
  const sById = new Map(starts.map((e) => [e.id, e]));
  for (const f of finishes) {
    const s = sById.get(f.id);
    assert.ok(s.ts <= f.ts, `${label}: an arrow goes forward in time`);
    assert.ok(pollSlices.some((x) => x.tid === f.tid && x.ts === f.ts && x.cat === 'poll'), `${label}: flow ${f.id} ends at a poll`);
  }
  return round;
}

function groupBy(items, key) {
  const m = new Map();
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(it);
  }
  return m;
}

test('traceToChrome(join): round-trips, thread names, nested integer slices, paired flows', T, async () => {
  const rt = await rts.open();
  const { trace } = await rt.runExample('join', { a: 100, b: 200 });
  const chrome = checkChrome(trace, 'join');
  const ev = chrome.traceEvents;
  assert.ok(ev.some((e) => e.ph === 'M' && e.name === 'process_name'));
  assert.equal(ev.filter((e) => e.ph === 's').length, trace.filter((e) => e.kind === 'wake').length);
  // The depth-0 poll slices of task 1 at 0, 100 and 200 ms (in microseconds).
  const top = ev.filter((e) => e.ph === 'X' && e.tid === 1 && e.cat === 'poll').map((e) => e.ts);
  assert.deepEqual(top, [0, 100000, 200000]);
  const nested = ev.filter((e) => e.ph === 'X' && e.tid === 1 && e.cat === 'future' && e.name === 'fake_fetch');
  assert.ok(nested.length >= 3);
});

test('traceToChrome on other traces: spawn, blocking, channel, real clock, with a title', T, async () => {
  const rt = await rts.open();
  for (const name of ['spawn', 'blocking', 'cooperative', 'channel', 'timeout', 'lazy']) {
    const { trace } = await rt.runExample(name);
    checkChrome(trace, name);
  }
  const real = await rts.open({ clock: 'real', sliceMs: 1 });
  const { trace } = await real.runExample('cooperative', { items: 20, unit: 1, ticks: 4, tick: 3 });
  checkChrome(trace, 'cooperative on the real clock');
  const titled = traceToChrome(trace, { title: 'my run' });
  assert.ok(titled.traceEvents.some((e) => e.name === 'process_name' && e.args.name === 'my run'));
  assert.deepEqual(traceToChrome([]).traceEvents.filter((e) => e.ph !== 'M'), []);
});

test('the package exports the trace helpers and the cause list', T, async () => {
  assert.equal(typeof wasync.traceToText, 'function');
  assert.equal(typeof wasync.traceToChrome, 'function');
  assert.deepEqual([...wasync.CAUSES], CAUSES);
});
