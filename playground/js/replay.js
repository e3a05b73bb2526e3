// Replay: task states at a given point of the trace, for the step-through cursor and the task console.
import { esc, fmtMs } from './format.js';

// State of every task after the event at index `idx` has happened. A task is running from its top-level poll to
// the last event recorded inside that poll (its nested polls, the wakes and timers it caused).
export function tasksAt(model, idx) {
  const st = new Map();
  const trace = model.trace;
  const cur = trace[idx];
  const inside = cur ? runningPollAt(model, idx) : null;
  for (let i = 0; i <= idx && i < trace.length; i++) {
    const e = trace[i];
    if (!e.task) continue;
    let s = st.get(e.task);
    if (!s) { s = { state: 'scheduled', polls: 0, wakes: 0, busy: 0 }; st.set(e.task, s); }
    switch (e.kind) {
      case 'spawn': s.state = 'scheduled'; break;
      case 'wake': s.wakes++; if (s.state !== 'done' && s.state !== 'running') s.state = 'scheduled'; break;
      case 'poll':
        if ((e.depth || 0) !== 0) break;
        s.polls++;
        s.busy += e.dur || 0;
        s.state = e === inside ? 'running' : e.result === 'ready' ? 'done' : 'idle';
        // A wake that arrived during the poll (e.g. yield_now) leaves the task scheduled afterwards.
        if (e !== inside && e.result === 'pending' && wokenDuring(trace, i, idx, e.task)) s.state = 'scheduled';
        break;
      case 'complete': case 'drop': s.state = 'done'; break;
      default: break;
    }
  }
  return st;
}

// The top-level poll open at trace index idx (the one whose [seq, last] holds that event), or null.
export function runningPollAt(model, idx) {
  const trace = model.trace;
  for (let i = idx; i >= 0; i--) {
    const e = trace[i];
    if (e.kind !== 'poll' || (e.depth || 0) !== 0) continue;
    return (e.last ?? e.seq) >= trace[idx].seq ? e : null;
  }
  return null;
}

function wokenDuring(trace, from, to, task) {
  for (let j = from + 1; j <= to; j++) {
    const e = trace[j];
    if (e.task !== task) continue;
    if (e.kind === 'poll' && (e.depth || 0) === 0) return false;
    if (e.kind === 'wake') return true;
  }
  return false;
}

export function renderTaskConsole(tbody, model, idx) {
  const st = tasksAt(model, idx);
  tbody.innerHTML = model.taskList.map((t) => {
    const s = st.get(t.id);
    const state = s ? s.state : 'not spawned';
    return `<tr data-task="${t.id}" data-state="${esc(state)}">
      <td>${t.id}</td><td>${esc(t.name)}</td>
      <td><span class="state ${esc(state.replace(' ', '-'))}">${esc(state)}</span></td>
      <td class="num">${s ? s.polls : 0}</td><td class="num">${s ? s.wakes : 0}</td><td class="num">${fmtMs(s ? s.busy : 0)}</td></tr>`;
  }).join('');
}
