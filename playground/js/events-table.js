// Text alternative of the timeline: a table of events. Only a window around the cursor is rendered so
// a 20k-event trace stays cheap; the note says how much is shown.
import { esc, fmtMs } from './format.js';

const WINDOW = 300;

export function eventDetails(e) {
  switch (e.kind) {
    case 'spawn': return `${e.name}${e.parent ? ` (parent ${e.parent})` : ''}`;
    case 'poll': return `${e.future} depth ${e.depth}${e.index >= 0 ? ` [${e.index}]` : ''} → ${e.result}, ${fmtMs(e.dur)}${e.site ? ` @ ${e.site.file}:${e.site.line}` : ''}${e.wake != null ? `, wake #${e.wake}` : ''}`;
    case 'wake': return `cause ${e.cause}${e.by ? ` by task ${e.by}` : ''}, source ${e.source}`;
    case 'timer': return `timer #${e.timer}, deadline ${fmtMs(e.deadline)}`;
    case 'host': return `${e.name} op #${e.op}`;
    case 'settle': return `op #${e.op} ${e.cancelled ? 'cancelled' : e.ignored ? 'ignored (late)' : e.ok ? 'ok' : 'failed'}`;
    case 'complete': return e.result;
    case 'semaphore': return `semaphore #${e.semaphore}: ${e.action === 'wait' ? 'waits for' : e.action} ${e.permits}, ${e.held} held`;
    case 'token': return `token #${e.token} cancelled${e.byParent ? ' by its parent' : ''}, ${e.woken} woken`;
    case 'select': return `branch ${e.branch} of ${e.branches} ${e.outcome === 'won' ? 'won' : e.outcome === 'lost' ? 'lost (dropped)' : 'dropped unpolled'}`;
    case 'cancel': return e.future === 'join_handle' ? 'join handle dropped: its task is detached, not cancelled' : `${e.future} dropped ${e.polled ? 'before it was ready (cancelled)' : 'unpolled (its body never ran)'}, depth ${e.depth}`;
    case 'abort': return 'abort requested';
    case 'drop': return "the task's future dropped unfinished";
    default: return '';
  }
}

export function renderEventTable(tbody, note, trace, cursorIdx, onSelect) {
  const n = trace.length;
  const from = Math.max(0, Math.min(cursorIdx - WINDOW / 2, n - WINDOW));
  const to = Math.min(n, from + WINDOW);
  const rows = [];
  for (let i = from; i < to; i++) {
    const e = trace[i];
    const cur = i === cursorIdx;
    rows.push(`<tr class="event-row${cur ? ' current' : ''}"${cur ? ' aria-current="true"' : ''} data-seq="${e.seq}">`
      + `<td class="num"><button type="button" data-seq="${e.seq}" aria-label="Go to event ${e.seq}">${e.seq}</button></td>`
      + `<td class="num">${fmtMs(e.t)}</td><td class="num">${e.task || '–'}</td><td>${esc(e.kind)}</td><td>${esc(eventDetails(e))}</td></tr>`);
  }
  tbody.innerHTML = rows.join('');
  note.textContent = n > WINDOW ? `Showing events ${from}–${to - 1} of ${n} around the cursor.` : `${n} events.`;
  tbody.onclick = (ev) => {
    const b = ev.target.closest('button[data-seq]');
    if (b) onSelect(Number(b.dataset.seq));
  };
}
