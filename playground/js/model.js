// Turns a flat trace (docs/js-api.md) into lookup tables the views share: tasks with their rows,
// polls, wakes, timers and host operations, and the links between them (wake -> poll, wake -> cause).

export function buildModel(trace) {
  const bySeq = new Map();
  const tasks = new Map();
  const polls = [];
  const wakes = [];
  const timers = new Map();
  const ops = new Map();
  const yields = [];
  const pollForWake = new Map(); // wake seq -> the poll it led to
  let end = 0;
  const rowOf = new Map();       // poll seq -> row key inside its task's lane
  const openPolls = new Map();   // task -> stack of the row keys of the polls open at each depth
  const running = [];            // the polls open at the current event, outermost first (from each poll's `last`)
  const topOf = new Map();       // poll seq -> the task's depth-0 poll it ran inside (itself at depth 0)
  // The row of the innermost poll of `task` open at this event: where a timer or host op it starts is drawn.
  const cancels = [];            // futures dropped before they were ready
  const cancelStack = new Map(); // task -> row keys of the cancels in progress, outermost first
  // spawn_blocking jobs (job_queue/job_start/job_finish): a job by its host operation while it is live, and by the
  // worker running it (a dropped job's finish names no task, and its operation's slot may be reused by then).
  const jobs = [];
  const jobOfOp = new Map();
  const jobOnWorker = new Map();
  const jobOfWake = new Map();   // wake seq -> the job whose finish caused it
  const opOfWake = new Map();    // wake seq -> the host operation that caused it (slots are reused: looked up then)
  // Depth of the innermost poll of `task` open now (-1: none), and the row of its open poll at depth d.
  const openDepth = (task) => { for (let i = running.length - 1; i >= 0; i--) if (running[i].task === task) return running[i].depth || 0; return -1; };
  const openRowAt = (task, d) => { for (let i = running.length - 1; i >= 0; i--) if (running[i].task === task && (running[i].depth || 0) === d) return rowOf.get(running[i].seq); return null; };
  const armingRow = (task) => {
    for (let i = running.length - 1; i >= 0; i--) if (running[i].task === task) return rowOf.get(running[i].seq);
    return null;
  };

  const task = (id) => {
    let t = tasks.get(id);
    if (!t) {
      t = { id, name: `task ${id}`, parent: 0, spawnT: 0, spawnSeq: -1, polls: [], wakes: [], rows: new Map(),
        completeT: null, result: null, dropT: null, timers: [], ops: [], cancels: [] };
      tasks.set(id, t);
    }
    return t;
  };

  for (const e of trace) {
    bySeq.set(e.seq, e);
    while (running.length && (running[running.length - 1].last ?? -1) < e.seq) running.pop();
    end = Math.max(end, e.t + (e.kind === 'poll' ? e.dur || 0 : 0));
    switch (e.kind) {
      case 'spawn': {
        const t = task(e.task);
        Object.assign(t, { name: e.name || t.name, parent: e.parent || 0, spawnT: e.t, spawnSeq: e.seq });
        break;
      }
      case 'poll': {
        if (!e.task) break;
        const t = task(e.task);
        t.polls.push(e);
        polls.push(e);
        // A nested poll's row is its path from the task's own poll: the parent's row, then the child index inside
        // a combinator (join/select) or else the future's name. So join's two fake_fetch children get a row each,
        // and the sleep inside each of them a row under it.
        const depth = e.depth || 0;
        let stack = openPolls.get(e.task);
        if (!stack) { stack = []; openPolls.set(e.task, stack); }
        stack.length = Math.min(stack.length, depth);
        const parentKey = depth === 0 ? null : (stack[depth - 1] ?? `${depth - 1}`);
        const key = depth === 0 ? '0' : `${parentKey}/${(e.index ?? -1) >= 0 ? `#${e.index}` : e.future || '?'}`;
        stack[depth] = key;
        rowOf.set(e.seq, key);
        let row = t.rows.get(key);
        if (!row) {
          row = { key, depth, index: e.index ?? -1, parent: parentKey, order: t.rows.size, names: new Set(), polls: [] };
          t.rows.set(key, row);
        }
        row.names.add(e.future || '?');
        row.polls.push(e);
        if (e.wake != null) pollForWake.set(e.wake, e);
        topOf.set(e.seq, depth === 0 ? e : (running.find((r) => r.task === e.task && !(r.depth || 0)) || e));
        if (e.last != null) running.push(e);
        break;
      }
      case 'wake':
        wakes.push(e);
        if (e.task) task(e.task).wakes.push(e);
        if ((e.cause === 'host' || e.cause === 'fetch') && ops.has(e.source)) opOfWake.set(e.seq, ops.get(e.source));
        if (e.cause === 'host' && jobOfOp.has(e.source)) {
          const job = jobOfOp.get(e.source);
          if (job.endSeq != null && job.wakeSeq == null && job.task === e.task) { job.wakeSeq = e.seq; jobOfWake.set(e.seq, job); }
        }
        if (e.cause === 'timer' && timers.has(e.source)) {
          const tm = timers.get(e.source);
          if (tm.fireSeq == null) { tm.fireT = e.t; tm.fireSeq = e.seq; }
        }
        break;
      case 'timer': {
        const tm = { id: e.timer, task: e.task, armT: e.t, armSeq: e.seq, deadline: e.deadline, fireT: null, fireSeq: null,
          row: armingRow(e.task) };
        timers.set(e.timer, tm);
        if (e.task) task(e.task).timers.push(tm);
        break;
      }
      case 'host': {
        const op = { id: e.op, task: e.task, name: e.name, startT: e.t, startSeq: e.seq, endT: null, endSeq: null, ok: null,
          row: armingRow(e.task) };
        ops.set(e.op, op);
        if (e.task) task(e.task).ops.push(op);
        break;
      }
      case 'settle': {
        // An ignored settle is a late answer to an operation that was already cancelled (its slot may even have
        // been reused by a newer operation): it ends nothing.
        const op = e.ignored ? null : ops.get(e.op);
        if (op) Object.assign(op, { endT: e.t, endSeq: e.seq, ok: e.ok, cancelled: !!e.cancelled });
        break;
      }
      case 'complete':
        if (e.task) Object.assign(task(e.task), { completeT: e.t, completeSeq: e.seq, result: e.result });
        break;
      case 'drop':
        if (e.task) Object.assign(task(e.task), { dropT: e.t, dropSeq: e.seq });
        break;
      case 'yield':
        yields.push(e);
        break;
      case 'job_queue': {
        const job = { op: e.op, task: e.task, name: ops.get(e.op)?.name ?? '', queueT: e.t, queueSeq: e.seq, worker: null,
          startT: null, startSeq: null, endT: null, endSeq: null, outcome: null, wakeSeq: null };
        jobs.push(job);
        jobOfOp.set(e.op, job);
        break;
      }
      case 'job_start': {
        const job = jobOfOp.get(e.op);
        if (job) { Object.assign(job, { worker: e.worker, startT: e.t, startSeq: e.seq }); jobOnWorker.set(e.worker, job); }
        break;
      }
      case 'job_finish': {
        const job = jobOnWorker.get(e.worker);
        if (job) { Object.assign(job, { endT: e.t, endSeq: e.seq, outcome: e.outcome }); jobOnWorker.delete(e.worker); }
        break;
      }
      case 'abort':
        if (e.task) Object.assign(task(e.task), { abortT: e.t, abortSeq: e.seq });
        break;
      case 'cancel': {
        // A future dropped before it was ready (the core's `cancel`): its row is a child of the poll or the
        // dropped future it sat in, found by name; one never polled gets a row of its own, holding only the drop.
        const t = task(e.task);
        const stack = cancelStack.get(e.task) || [];
        stack.length = Math.max(0, Math.min(stack.length, e.depth - 1 - openDepth(e.task)));
        const parentKey = stack.length ? stack[stack.length - 1] : openRowAt(e.task, e.depth - 1) ?? '0';
        // A row is free for this drop unless its last drop came after its last poll (a loop's select drops a new
        // loser on the same row each time round).
        const free = (r) => r.cancelSeq == null || (r.polls.length > 0 && r.polls[r.polls.length - 1].seq > r.cancelSeq);
        let row = [...t.rows.values()].find((r) => r.parent === parentKey && r.names.has(e.future) && free(r))
          || [...t.rows.values()].find((r) => r.parent?.startsWith(parentKey) && r.names.has(e.future) && free(r));
        if (!row) {
          const key = `${parentKey}/${e.future}~${e.seq}`;
          row = { key, depth: e.depth, index: -1, parent: parentKey, order: t.rows.size, names: new Set([e.future]), polls: [], unpolled: true };
          t.rows.set(key, row);
        }
        row.cancelSeq = e.seq;
        const c = { seq: e.seq, t: e.t, task: e.task, future: e.future, polled: !!e.polled, depth: e.depth, row: row.key };
        cancels.push(c);
        t.cancels.push(c);
        stack.push(row.key);
        cancelStack.set(e.task, stack);
        // The timers armed in that row or under it are disarmed with it.
        for (const tm of t.timers) {
          if (tm.fireSeq == null && tm.cancelSeq == null && tm.row != null && (tm.row === row.key || tm.row.startsWith(`${row.key}/`))) {
            Object.assign(tm, { cancelSeq: e.seq, cancelT: e.t });
          }
        }
        break;
      }
      default:
        break;
    }
  }
  // A timer that never fired while its task finished first was dropped with its future (a select's loser, an
  // aborted task): its bar ends there, marked cancelled, and does not stretch the run.
  for (const tm of timers.values()) {
    const owner = tasks.get(tm.task);
    const doneT = owner ? owner.completeT ?? owner.dropT : null;
    // The core records the drop (`cancel`) when it happens inside a poll; else the task's end is when it went.
    tm.cancelled = tm.fireT == null && (tm.cancelSeq != null || (doneT != null && doneT < (tm.deadline ?? 0)));
    tm.endT = tm.fireT ?? (tm.cancelled ? tm.cancelT ?? doneT : tm.deadline);
    tm.endSeq = tm.fireSeq ?? (tm.cancelled ? tm.cancelSeq ?? owner.completeSeq ?? owner.dropSeq : null);
    end = Math.max(end, tm.cancelled ? tm.endT : tm.deadline ?? 0);
  }

  // Row order inside a lane: a tree, the task's own poll first, each row followed by its children (by child
  // index inside a combinator, else in order of first appearance).
  for (const t of tasks.values()) {
    if (!t.rows.has('0')) t.rows.set('0', { key: '0', depth: 0, index: -1, parent: null, order: -1, names: new Set([t.name]), polls: [] });
    const kids = new Map();
    for (const r of t.rows.values()) {
      if (r.parent == null) continue;
      if (!kids.has(r.parent)) kids.set(r.parent, []);
      kids.get(r.parent).push(r);
    }
    const list = [];
    const seen = new Set();
    const walk = (r) => {
      if (seen.has(r.key)) return;
      seen.add(r.key);
      list.push(r);
      const ks = (kids.get(r.key) || []).sort((a, b) => (a.index >= 0 && b.index >= 0 ? a.index - b.index : 0) || a.order - b.order);
      for (const k of ks) walk(k);
    };
    walk(t.rows.get('0'));
    for (const r of [...t.rows.values()].sort((a, b) => a.order - b.order)) walk(r); // orphans (ring overwrote a parent)
    t.rowList = list;
    t.topPolls = t.polls.filter((p) => (p.depth || 0) === 0);
    t.busy = t.topPolls.reduce((s, p) => s + (p.dur || 0), 0);
  }

  // The poll that resumed after each pending top-level poll: lets the source view say "resumed from line N".
  const resumedFrom = new Map(); // poll seq -> site of the previous pending top-level poll
  for (const t of tasks.values()) {
    for (let i = 1; i < t.topPolls.length; i++) {
      const prev = t.topPolls[i - 1];
      if (prev.result === 'pending' && prev.site) resumedFrom.set(t.topPolls[i].seq, prev.site);
    }
  }

  // The pool's workers, by number, each with the jobs it ran (a lane of its own in the timeline).
  const workers = [...new Set(jobs.filter((j) => j.worker != null).map((j) => j.worker))].sort((a, b) => a - b)
    .map((id) => ({ id, jobs: jobs.filter((j) => j.worker === id) }));

  return { trace, bySeq, tasks, taskList: [...tasks.values()].sort((a, b) => a.id - b.id), polls, wakes, timers, ops,
    yields, cancels, pollForWake, resumedFrom, rowOf, topOf, end, jobs, workers, jobOfWake, opOfWake };
}

export function rowKey(p, model) { return (p.depth || 0) === 0 ? '0' : model?.rowOf.get(p.seq) ?? `${p.depth}:${p.index ?? -1}`; }

// What caused a wake, as something the views can point at.
export function wakeCause(model, w) {
  switch (w.cause) {
    case 'timer': return { kind: 'timer', timer: model.timers.get(w.source) || null };
    case 'host':
    case 'fetch': return { kind: 'op', op: model.opOfWake?.get(w.seq) || model.ops.get(w.source) || null };
    case 'self': return { kind: 'self', task: w.task };
    // A finishing task is the wake's source (its serial); for a channel or a spawn, the source is the channel or
    // the spawner and the task that woke is in `by`.
    case 'task': return { kind: 'task', task: w.source || w.by || 0 };
    default: return { kind: 'task', task: w.by || 0 };
  }
}

// Index of the last event at or before seq (events are ordered by seq).
export function indexOfSeq(trace, seq) {
  let lo = 0; let hi = trace.length - 1; let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (trace[mid].seq <= seq) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

export function baseName(file) { return String(file || '').split(/[\\/]/).pop(); }
