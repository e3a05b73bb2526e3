// The executor's state at the cursor, rebuilt from the trace alone by replaying its events up to the cursor:
//  - the run queue: tasks woken and waiting to be polled, in the order the executor will poll them (FIFO: a spawn
//    appends the new task at once, as ws_spawn does, before the spawn wake it records; a wake of an idle task
//    appends it; a wake of the running task appends it when its poll ends; a wake of a queued task
//    changes nothing; but the tasks woken by timers, which fire between polls, go to the front in deadline order);
//  - the poll stack: the task's poll and the nested futures being polled at the cursor (each poll's [seq, last]);
//  - the registered wakers: each leaf future that returned Pending holds its task's waker until what it waits for
//    wakes the task (its timer fires, a channel, a finished task, a settled host op), it returns Ready, or its task
//    ends;
//  - the timer heap: timers armed and neither fired nor dropped, by deadline.
import { esc, fmtMs } from './format.js';

const CHANNEL_FUTURES = new Set(['recv', 'send']);
const TASK_FUTURES = new Set(['join_handle']);

export function executorAt(model, idx) {
  const trace = model.trace;
  const queue = [];              // task ids, head first
  const running = [];            // the open polls, outermost first
  const woken = new Set();       // tasks woken while running: appended when their poll ends
  const wakers = new Map();      // "task:row" -> { task, row, future, kind, timer, op, seq }
  const timers = new Map();      // id -> timer of the model, while armed
  const leafSeen = new Set();    // polls known to have nested polls (not leaves)
  const timerOfPoll = new Map(); // poll seq -> the timer armed inside it
  const opOfPoll = new Map();
  const endPoll = (p) => {
    if ((p.depth || 0) === 0 && woken.has(p.task)) {
      woken.delete(p.task);
      if (p.result === 'pending' && !queue.includes(p.task)) queue.push(p.task);
    }
    // A leaf that returned Pending now holds its task's waker; a Ready one lets go of it.
    if (!leafSeen.has(p.seq) && p.depth) {
      const key = `${p.task}:${model.rowOf.get(p.seq)}`;
      if (p.result === 'pending') {
        const tm = timerOfPoll.get(p.seq) ?? wakers.get(key)?.timer ?? null;
        const op = opOfPoll.get(p.seq) ?? null;
        const kind = tm ? 'timer' : op ? op.name === 'fetch' ? 'fetch' : 'host' : CHANNEL_FUTURES.has(p.future) ? 'channel' : TASK_FUTURES.has(p.future) ? 'task' : 'other';
        wakers.set(key, { task: p.task, row: model.rowOf.get(p.seq), future: p.future, kind, timer: tm, op, seq: p.seq });
      } else wakers.delete(key);
    }
  };
  const dropWakers = (task, pred) => { for (const [k, w] of wakers) if (w.task === task && pred(w)) wakers.delete(k); };

  let timerFront = 0;            // how many tasks the current batch of fired timers put at the front
  for (let i = 0; i <= idx && i < trace.length; i++) {
    const e = trace[i];
    if (!(e.kind === 'wake' && e.cause === 'timer' && !running.length)) timerFront = 0;
    while (running.length && (running[running.length - 1].last ?? running[running.length - 1].seq) < e.seq) endPoll(running.pop());
    switch (e.kind) {
      case 'spawn':
        // ws_spawn queues the new task itself (its wake with cause 'spawn' follows and finds it queued).
        if (!queue.includes(e.task)) queue.push(e.task);
        break;
      case 'poll': {
        const parent = running[running.length - 1];
        if (parent && parent.task === e.task) leafSeen.add(parent.seq);
        if ((e.depth || 0) === 0) {
          const q = queue.indexOf(e.task);
          if (q >= 0) queue.splice(q, 1);
        }
        running.push(e);
        break;
      }
      case 'wake': {
        const isRunning = running.length && running[0].task === e.task;
        if (isRunning) woken.add(e.task);
        else if (!queue.includes(e.task)) {
          // Timers fire between polls, and the tasks they wake go to the front, in deadline order (ws__timers_fire).
          if (e.cause === 'timer' && !running.length) queue.splice(timerFront++, 0, e.task);
          else queue.push(e.task);
        }
        if (e.cause === 'timer') { timers.delete(e.source); dropWakers(e.task, (w) => w.timer && w.timer.id === e.source); }
        else if (e.cause === 'channel') dropWakers(e.task, (w) => w.kind === 'channel');
        else if (e.cause === 'task') dropWakers(e.task, (w) => w.kind === 'task');
        else if (e.cause === 'fetch' || e.cause === 'host') dropWakers(e.task, (w) => w.op && w.op.id === e.source);
        break;
      }
      case 'timer': {
        const tm = model.timers.get(e.timer);
        if (tm) timers.set(e.timer, tm);
        const inner = running[running.length - 1];
        if (inner && tm) {
          // Arming the timer is what registers the waker: it holds it from here, before the poll returns.
          timerOfPoll.set(inner.seq, tm);
          const row = model.rowOf.get(inner.seq);
          wakers.set(`${inner.task}:${row}`, { task: inner.task, row, future: inner.future, kind: 'timer', timer: tm, op: null, seq: inner.seq });
        }
        break;
      }
      case 'host': {
        const inner = running[running.length - 1];
        if (inner) opOfPoll.set(inner.seq, model.ops.get(e.op));
        break;
      }
      case 'cancel': {
        // A future dropped before it was ready lets go of its waker, and of its timer (and those under it).
        const c = model.cancels.find((x) => x.seq === e.seq);
        if (c) dropWakers(e.task, (w) => w.row === c.row || String(w.row).startsWith(`${c.row}/`));
        for (const [id, tm] of timers) if (tm.cancelSeq === e.seq) timers.delete(id);
        break;
      }
      case 'complete': case 'drop': {
        const q = queue.indexOf(e.task);
        if (q >= 0) queue.splice(q, 1);
        dropWakers(e.task, () => true);
        // The task's future is gone, and with it any timer it still had armed (a select's loser).
        for (const [id, tm] of timers) if (tm.task === e.task) timers.delete(id);
        break;
      }
      default: break;
    }
  }
  return {
    queue,
    stack: running.slice(),
    wakers: [...wakers.values()],
    timers: [...timers.values()].sort((a, b) => a.deadline - b.deadline || a.id - b.id),
  };
}

const taskName = (m, id) => `#${id} ${m.tasks.get(id)?.name ?? ''}`.trim();
const WAITS = { timer: 'its timer', channel: 'the channel', task: 'the task it joins', fetch: 'the fetch', host: 'the host op', other: 'its source' };

// Renders the four boxes into `el`. Items that were not there at the previous cursor position get class "new"
// (a short highlight; none with reduced motion).
export function renderExecutor(el, m, idx, prev = null) {
  const s = executorAt(m, idx);
  const had = prev || { keys: new Set() };
  const keys = new Set();
  const item = (key, html, extra = '') => {
    keys.add(key);
    return `<li class="ex-item${had.keys.has(key) ? '' : ' new'}"${extra} data-key="${esc(key)}">${html}</li>`;
  };
  const list = (items, empty) => (items.length ? items.join('') : `<li class="ex-empty">${empty}</li>`);
  const q = s.queue.map((t, i) => item(`q${t}`, `<span class="ex-pos">${i + 1}</span>task ${esc(taskName(m, t))}`, ` data-task="${t}"`));
  const st = s.stack.map((p) => item(`s${p.seq}`, `${p.depth ? `${'&nbsp;'.repeat(2 * p.depth)}↳ ` : ''}<b>${esc(p.depth ? p.future : taskName(m, p.task))}</b>${p.depth ? '' : ` <span class="muted">${esc(p.future)}</span>`} <span class="muted">poll #${p.seq}</span>`, ` data-depth="${p.depth || 0}"`)).reverse();
  const path = (row) => String(row).split('/').slice(1, -1).map((k) => k.replace(/^#(\d+)$/, '[$1]')).join(' › ');
  const wk = s.wakers.map((w) => item(`w${w.task}:${w.row}`, `<b>${esc(w.future)}</b>${path(w.row) ? ` <span class="muted">in ${esc(path(w.row))}</span>` : ''} holds task ${esc(taskName(m, w.task))}'s waker <span class="muted">until ${WAITS[w.kind]}${w.timer ? ` (timer #${w.timer.id}, ${fmtMs(w.timer.deadline)})` : ''}${w.op ? ` (op #${w.op.id})` : ''} wakes it</span>`, ` data-kind="${w.kind}" data-task="${w.task}"`));
  const th = s.timers.map((tm) => item(`t${tm.id}`, `<span class="ex-pos">${fmtMs(tm.deadline)}</span>timer #${tm.id} <span class="muted">task ${esc(taskName(m, tm.task))}</span>`, ` data-timer="${tm.id}"`));
  el.innerHTML = `
    <div class="ex-box"><h3 id="ex-q">Run queue</h3><ol aria-labelledby="ex-q" data-testid="run-queue">${list(q, 'empty: nothing to poll')}</ol></div>
    <div class="ex-box"><h3 id="ex-s">Poll stack</h3><ul aria-labelledby="ex-s" data-testid="poll-stack">${list(st, 'no poll running')}</ul></div>
    <div class="ex-box"><h3 id="ex-w">Registered wakers</h3><ul aria-labelledby="ex-w" data-testid="wakers">${list(wk, 'none')}</ul></div>
    <div class="ex-box"><h3 id="ex-t">Timer heap</h3><ol aria-labelledby="ex-t" data-testid="timer-heap">${list(th, 'empty')}</ol></div>`;
  return { keys, state: s };
}
