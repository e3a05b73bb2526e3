// Where the toolbox's trace events (src/ws_trace.h: select, semaphore, token) go on the timeline, worked out once
// per run from the model:
//  - select: on the row of the select's own poll; the winner's branch row gets a check, every branch row a tick
//    on one connector, so the race reads as "these raced, this one won" (the losers' ✕ are the cancel events);
//  - semaphore: on the task's own row: a wait, the grant (with a dashed line back to the wait: how long the task
//    waited for a permit), and a release;
//  - token: the cancel, on the lane of the task that cancelled (or the first lane, from outside), with an arrow to
//    each wake it caused. The core records a token's event after the wakes it made (cause notify, source = the
//    token's id), so those are the `woken` notify wakes of that token just before it.

export function toolboxMarks(model) {
  const selects = [];
  const sems = [];
  const tokens = [];
  const trace = model.trace;
  const waits = new Map(); // "task:semaphore" -> the wait event not granted yet
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    if (e.kind === 'select') {
      const row = openRow(model, e.task, e.seq);
      const branchRow = (b) => {
        const key = `${row}/#${b}`;
        return model.tasks.get(e.task)?.rows.has(key) ? key : null;
      };
      selects.push({ e, row, branch: branchRow(e.branch) });
    } else if (e.kind === 'semaphore') {
      const key = `${e.task}:${e.semaphore}`;
      const m = { e, row: '0', wait: null };
      if (e.action === 'wait') waits.set(key, e);
      else if (e.action === 'granted') { m.wait = waits.get(key) || null; waits.delete(key); }
      sems.push(m);
    } else if (e.kind === 'token') {
      const woke = [];
      for (let j = i - 1; j >= 0 && woke.length < (e.woken || 0); j--) {
        const w = trace[j];
        if (w.kind === 'wake' && w.cause === 'notify' && w.source === e.token) woke.unshift(w);
        else if (w.kind !== 'wake' && w.kind !== 'token') break; // a cancel's wakes and tokens are back to back
      }
      tokens.push({ e, woke, at: woke[0] || e });
    }
  }
  return { selects, sems, tokens };
}

// The row of the innermost poll of `task` open at seq: the select's own future, as the core records a select's
// events inside its poll (the JS decoder gives them no depth).
function openRow(model, task, seq) {
  const t = model.tasks.get(task);
  if (!t) return '0';
  for (let k = t.polls.length - 1; k >= 0; k--) {
    const p = t.polls[k];
    if (p.seq > seq) continue;
    if ((p.last ?? p.seq) >= seq) return model.rowOf.get(p.seq) ?? '0';
    if ((p.depth || 0) === 0) break; // the task's poll ended before seq: no poll open
  }
  return '0';
}
