// trace.js: the poll trace, from the runtime's ring of 32-byte records (ws_trace.h) to plain event objects, and
// from those to a text timeline and to Chrome Trace Event JSON.

import { CAUSES, TRACE_KINDS, TRACE_RECORD as R } from './contract.js';

export { CAUSES };
const COMPLETE = ['ok', 'error', 'cancelled'];

/**
 * Decodes `count` records starting at ring index `first` (wrapping at `capacity`) into events.
 * `string(i)` returns interned string i. Times become milliseconds.
 *
 * Kinds with a shape of their own are decoded below; any other kind (one added to WS_TRACE_KINDS) becomes
 * { seq, t, kind, task, ...its named fields } from the table: u32 fields as numbers, str as strings, cause as names,
 * plus `depth` when the record has one (a cancel).
 */
export function decodeTrace(buffer, ringPtr, capacity, first, count, string) {
  const steps = decodeSteps(buffer, ringPtr, capacity, first, count, string, Infinity);
  let r = steps.next();
  while (!r.done) r = steps.next(); // with no chunk size it never stops before the end
  return r.value;
}

/**
 * decodeTrace in chunks of `chunk` records, awaiting `pause()` between chunks: a full ring (65 536 records) takes
 * tens of milliseconds to decode, too long to hold the event loop in one go. `buffer` must not change meanwhile
 * (pass a copy of the ring), and `string` must still work after each pause (`pause` may throw to give up).
 */
export async function decodeTraceInChunks(buffer, ringPtr, capacity, first, count, string, pause, chunk = 4096) {
  const steps = decodeSteps(buffer, ringPtr, capacity, first, count, string, chunk);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await pause();
  }
}

// The decoder, as a generator that yields (nothing) after every `chunk` records and every `chunk` events
// renumbered, and returns the events.
function* decodeSteps(buffer, ringPtr, capacity, first, count, string, chunk) {
  const view = new DataView(buffer);
  const events = [];
  const open = []; // poll events whose end has not been seen, innermost last
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % chunk === 0) yield;
    const at = ringPtr + ((first + i) % capacity) * R.SIZE;
    const seq = view.getUint32(at + R.seq, true);
    const kind = view.getUint8(at + R.kind);
    const detail = view.getUint8(at + R.detail);
    const depth = view.getUint16(at + R.depth, true);
    const task = view.getUint32(at + R.task, true);
    const a = view.getUint32(at + R.a, true);
    const b = view.getUint32(at + R.b, true);
    const c = view.getUint32(at + R.c, true);
    const t = Number(view.getBigUint64(at + R.t, true)) / 1e6;
    const k = TRACE_KINDS[kind];
    switch (k?.kind) {
      case undefined:
        break; // a kind this reader does not know (a newer module): skipped
      case 'poll': {
        const ev = {
          seq, t, kind: 'poll', task, dur: null, result: null, depth, future: string(b),
          index: c ? c - 1 : -1, site: null, wake: depth === 0 && a ? a - 1 : null, last: null,
        };
        events.push(ev);
        open.push(ev);
        break;
      }
      case 'poll_end': {
        const ev = open.pop();
        if (!ev) break; // the begin was overwritten in the ring
        ev.dur = t - ev.t;
        ev.last = events.length - 1; // events are renumbered by index below, so this is already a seq
        ev.result = detail ? 'ready' : 'pending';
        if (!detail && b) ev.site = { file: string(c), line: b };
        break;
      }
      case 'timer':
        events.push({ seq, t, kind: 'timer', task, timer: a, deadline: (c * 2 ** 32 + b) / 1e6 });
        break;
      case 'settle':
        events.push({ seq, t, kind: 'settle', task, op: a, ok: detail === 1, ignored: detail === 2 });
        break;
      case 'complete':
        events.push({ seq, t, kind: 'complete', task, result: COMPLETE[detail] ?? 'error' });
        break;
      case 'yield':
        events.push({ seq, t, kind: 'yield', task: 0 });
        break;
      default: {
        const ev = { seq, t, kind: k.kind, task };
        if (depth) ev.depth = depth; // a record placed in the poll tree (a cancel: the depth of the future dropped)
        field(ev, k.detail, detail, string);
        field(ev, k.a, a, string);
        field(ev, k.b, b, string);
        field(ev, k.c, c, string);
        events.push(ev);
      }
    }
  }
  // The ring numbers every record, poll ends included; the events are numbered from 0 without gaps (the contract),
  // and each poll's `wake` is renumbered to match.
  const renumber = new Map();
  events.forEach((e, i) => renumber.set(e.seq, i));
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && i % chunk === 0) yield;
    const e = events[i];
    e.seq = renumber.get(e.seq);
    if (e.kind === 'poll' && e.wake != null) e.wake = renumber.get(e.wake) ?? null;
  }
  return events;
}

function field(ev, spec, v, string) {
  if (spec === null) return;
  const [type, name] = spec;
  ev[name] = type === 'str' ? string(v) : type === 'cause' ? CAUSES[v] ?? 'unknown' : v;
}

const ms = (t) => t.toFixed(3).padStart(10);

/** A text timeline, one line per event, nested polls indented. */
export function traceToText(trace) {
  if (!Array.isArray(trace)) throw new TypeError('traceToText expects an array of trace events');
  const names = new Map();
  for (const e of trace) if (e.kind === 'spawn') names.set(e.task, e.name);
  const who = (task) => (task ? `task ${task}${names.has(task) ? ` (${names.get(task)})` : ''}` : 'host');
  const lines = [];
  for (const e of trace) {
    const head = `${ms(e.t)} ms  #${String(e.seq).padEnd(5)} `;
    switch (e.kind) {
      case 'spawn':
        lines.push(`${head}spawn     ${who(e.task)}${e.parent ? ` by task ${e.parent}` : ''}`);
        break;
      case 'poll': {
        const pad = '  '.repeat(e.depth);
        const what = e.depth === 0 ? who(e.task) : `${e.future}${e.index >= 0 ? ` [child ${e.index}]` : ''}`;
        const res = e.result ? `${e.result === 'ready' ? 'Ready' : 'Pending'}` : 'unfinished';
        const site = e.site ? ` at ${e.site.file}:${e.site.line}` : '';
        const why = e.depth === 0 ? (e.wake == null ? ' (first poll)' : ` (woken by #${e.wake})`) : '';
        const dur = e.dur == null ? '' : ` ${e.dur.toFixed(3)} ms`;
        lines.push(`${head}${pad}poll      ${what}${why} -> ${res}${site}${dur}`);
        break;
      }
      case 'wake':
        lines.push(`${head}wake      ${who(e.task)} by ${e.cause}${e.by ? ` from task ${e.by}` : ''}${e.source ? ` (source ${e.source})` : ''}`);
        break;
      case 'timer':
        lines.push(`${head}timer     #${e.timer} armed by ${who(e.task)} for ${e.deadline.toFixed(3)} ms`);
        break;
      case 'host':
        lines.push(`${head}${e.cause === 'fetch' ? 'fetch' : 'host '}     op ${e.op} "${e.name}" started by ${who(e.task)}`);
        break;
      case 'settle':
        lines.push(`${head}settle    op ${e.op} ${e.ignored ? 'ignored (dropped before it settled)' : e.ok ? 'ok' : 'error'}`);
        break;
      case 'complete':
        lines.push(`${head}complete  ${who(e.task)} ${e.result}`);
        break;
      case 'abort':
        lines.push(`${head}abort     ${who(e.task)}`);
        break;
      case 'drop':
        lines.push(`${head}drop      ${who(e.task)} (dropped unfinished)`);
        break;
      case 'yield':
        lines.push(`${head}yield     to the host: time slice used`);
        break;
      case 'cancel':
        lines.push(`${head}${'  '.repeat(e.depth || 0)}cancel    ${e.future} dropped ${e.polled ? 'before it was ready' : 'unpolled'} in ${who(e.task)}`);
        break;
      default: { // a kind without a line of its own: its name and fields
        const { seq, t, kind, task, ...rest } = e;
        const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`).join(' ');
        lines.push(`${head}${kind.padEnd(9)} ${who(task)}${fields ? ` ${fields}` : ''}`);
      }
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/**
 * Chrome Trace Event JSON (Perfetto, chrome://tracing): one thread per task with its polls as nested slices,
 * a "timers" and a "host" thread, and a flow arrow from each wake to the poll it caused.
 */
export function traceToChrome(trace, { title = 'wasync' } = {}) {
  if (!Array.isArray(trace)) throw new TypeError('traceToChrome expects an array of trace events');
  const pid = 1;
  const TIMERS = 1_000_000;
  const HOST = 1_000_001;
  const us = (t) => Math.round(t * 1000);
  const out = [
    { ph: 'M', pid, tid: 0, name: 'process_name', args: { name: title } },
    { ph: 'M', pid, tid: TIMERS, name: 'thread_name', args: { name: 'timers' } },
    { ph: 'M', pid, tid: HOST, name: 'thread_name', args: { name: 'host (promises, fetch)' } },
  ];
  const wakeBySeq = new Map();
  const timerArmed = new Map();
  const hostStarted = new Map();
  for (const e of trace) {
    switch (e.kind) {
      case 'spawn':
        out.push({ ph: 'M', pid, tid: e.task, name: 'thread_name', args: { name: `task ${e.task}: ${e.name}` } });
        out.push({ ph: 'M', pid, tid: e.task, name: 'thread_sort_index', args: { sort_index: e.task } });
        break;
      case 'poll': {
        const begin = us(e.t);
        const end = e.dur == null ? begin : us(e.t + e.dur);
        const name = e.depth === 0 ? `poll ${e.future}` : e.future;
        out.push({
          ph: 'X', pid, tid: e.task, ts: begin, dur: end - begin, name, cat: e.depth === 0 ? 'poll' : 'future',
          args: { seq: e.seq, result: e.result, depth: e.depth, ...(e.site ? { site: `${e.site.file}:${e.site.line}` } : {}) },
        });
        if (e.depth === 0 && e.wake != null && wakeBySeq.has(e.wake)) {
          // The arrow's end binds to this slice: it starts at the same timestamp on this thread.
          out.push({ ph: 'f', bp: 'e', pid, tid: e.task, ts: begin, id: e.wake + 1, cat: 'wake', name: 'wake' });
        }
        break;
      }
      case 'wake': {
        wakeBySeq.set(e.seq, e);
        const from = e.by || (e.cause === 'timer' ? TIMERS : e.cause === 'host' || e.cause === 'fetch' ? HOST : e.task);
        const ts = us(e.t);
        out.push({ ph: 'X', pid, tid: from, ts, dur: 0, name: `wake ${e.cause}`, cat: 'wake', args: { seq: e.seq, task: e.task, cause: e.cause, source: e.source } });
        out.push({ ph: 's', pid, tid: from, ts, id: e.seq + 1, cat: 'wake', name: 'wake' });
        break;
      }
      case 'timer':
        timerArmed.set(e.timer, e);
        out.push({ ph: 'b', pid, tid: TIMERS, ts: us(e.t), id: `timer${e.timer}`, cat: 'timer', name: `timer ${e.timer} (task ${e.task})` });
        out.push({ ph: 'e', pid, tid: TIMERS, ts: Math.max(us(e.t), us(e.deadline)), id: `timer${e.timer}`, cat: 'timer', name: `timer ${e.timer} (task ${e.task})` });
        break;
      case 'host':
        hostStarted.set(e.op, e);
        out.push({ ph: 'b', pid, tid: HOST, ts: us(e.t), id: `op${e.op}`, cat: 'host', name: `${e.name} (task ${e.task})` });
        break;
      case 'settle': {
        const s = hostStarted.get(e.op);
        if (s && !e.ignored) {
          out.push({ ph: 'e', pid, tid: HOST, ts: us(e.t), id: `op${e.op}`, cat: 'host', name: `${s.name} (task ${s.task})`, args: { ok: e.ok } });
          hostStarted.delete(e.op);
        }
        break;
      }
      case 'cancel':
        out.push({ ph: 'i', s: 't', pid, tid: e.task || HOST, ts: us(e.t), name: `cancel ${e.future}`, cat: 'task', args: { seq: e.seq, polled: !!e.polled, depth: e.depth } });
        break;
      case 'complete':
      case 'abort':
      case 'drop':
      case 'yield':
        out.push({ ph: 'i', s: e.kind === 'yield' ? 'p' : 't', pid, tid: e.task || HOST, ts: us(e.t), name: e.kind, cat: 'task', args: { seq: e.seq, ...(e.result ? { result: e.result } : {}) } });
        break;
      default:
        break;
    }
  }
  for (const s of hostStarted.values()) {
    out.push({ ph: 'e', pid, tid: HOST, ts: us(trace.at(-1)?.t ?? s.t), id: `op${s.op}`, cat: 'host', name: `${s.name} (task ${s.task})`, args: { unfinished: true } });
  }
  return { traceEvents: out, displayTimeUnit: 'ms' };
}
