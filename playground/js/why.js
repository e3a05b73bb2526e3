// "Why was this polled?": the story of the event at the cursor, told from the trace: the wake that scheduled the
// task, what caused that wake, how long the task waited in the run queue, and where it suspended or what it
// returned.
import { esc, fmtMs } from './format.js';
import { wakeCause } from './model.js';

export function causeText(m, w) {
  const c = wakeCause(m, w);
  if (c.kind === 'timer' && c.timer) {
    const late = (c.timer.fireT ?? w.t) - c.timer.deadline;
    return `timer #${c.timer.id}, armed at ${fmtMs(c.timer.armT)} by task ${c.timer.task} for ${fmtMs(c.timer.deadline)}${late > 0.05 ? `; it fired <b>${fmtMs(late)} late</b> because a poll was still running` : ''}`;
  }
  if (c.kind === 'op' && c.op) return `${esc(c.op.name)} op #${c.op.id} started at ${fmtMs(c.op.startT)}, settled ${c.op.ok ? 'ok' : 'with an error'} at ${fmtMs(c.op.endT ?? w.t)}`;
  if (c.kind === 'self') return 'the task woke itself (for example yield_now): it asked to be polled again after the others';
  if (c.kind === 'task' && c.task) {
    const t = m.tasks.get(c.task);
    const what = w.cause === 'channel' ? ' sent or received on a channel' : w.cause === 'task' ? ' finished' : w.cause === 'spawn' ? ' spawned it' : ` (${esc(w.cause)})`;
    return `task ${c.task} (${esc(t?.name || '?')})${what}`;
  }
  if (w.cause === 'spawn') return 'spawned from outside the runtime (the run started it)';
  return esc(w.cause);
}

const seqLink = (seq, label) => `<button type="button" class="linkish" data-seq="${seq}">${label}</button>`;
const siteText = (s) => `${esc(s.file)}:${s.line}`;

// Fills `el` with the explanation of event `e`; links to other events call onSelect(seq).
export function renderWhy(el, m, e, { thr = Infinity, onSelect = () => {} } = {}) {
  if (e.kind === 'wake') {
    const p = m.pollForWake.get(e.seq);
    el.innerHTML = `<p><b>Wake #${e.seq}</b> of task ${e.task} at ${fmtMs(e.t)}, cause <b>${esc(e.cause)}</b>.</p><p>${causeText(m, e)}.</p>`
      + (p ? `<p>It led to ${seqLink(p.seq, `poll #${p.seq}`)} at ${fmtMs(p.t)}${p.t - e.t > 0.05 ? `, ${fmtMs(p.t - e.t)} later` : ''}.</p>` : '<p>No poll followed this wake (the task was already scheduled, finished or the run ended).</p>');
  } else if (e.kind === 'cancel') {
    const c = m.cancels.find((x) => x.seq === e.seq);
    el.innerHTML = `<p><b>${esc(e.future)}</b> was dropped at ${fmtMs(e.t)} in task ${e.task}, before it was ready.</p>`
      + (e.polled
        ? '<p>Dropping a future cancels it: it is never polled again, its drop hook releases what it held (a timer is disarmed, a waker let go). A select drops the side that lost the race this way.</p>'
        : '<p>It was built and dropped without ever being polled, so none of its body ran: futures are lazy, and dropping one is all it takes to not run it.</p>')
      + (c ? `<p class="muted">Drawn as ✕ on its row (${esc(c.row.split('/').slice(1).join(' › ').replace(/~\d+$/, ''))}).</p>` : '');
  } else if (e.kind !== 'poll') {
    el.innerHTML = `<p>Event #${e.seq} is a <b>${esc(e.kind)}</b>${e.task ? ` of task ${e.task}` : ''} at ${fmtMs(e.t)}. Select a poll to see why it ran.</p>`;
  } else {
    const top = m.topOf.get(e.seq) || e;
    const task = m.tasks.get(e.task);
    const parts = [`<p><b>Poll #${e.seq}</b> of <b>${esc(e.future)}</b>${e.depth ? ` (nested at depth ${e.depth} inside ${seqLink(top.seq, `poll #${top.seq}`)})` : ''} in task ${e.task} (${esc(task?.name || '')}) at ${fmtMs(e.t)}: <b>${esc(e.result)}</b> after ${fmtMs(e.dur)}.</p>`];
    if (e.depth) parts.push('<p class="muted">Nested futures are polled by their parent, so this poll ran because the task was polled:</p>');
    const w = top.wake != null ? m.bySeq.get(top.wake) : null;
    const dl = [];
    if (!w) {
      dl.push(['Why', `First poll of the task${task?.parent ? `, spawned by task ${task.parent}` : ''} at ${fmtMs(task?.spawnT ?? 0)}. Nothing in it ran before this: futures are lazy.`]);
    } else {
      dl.push(['Woken by', `${seqLink(w.seq, `wake #${w.seq}`)} at ${fmtMs(w.t)}, cause <b>${esc(w.cause)}</b>`]);
      dl.push(['Cause', causeText(m, w)]);
      const wait = top.t - w.t;
      dl.push(['Queued for', `${fmtMs(wait)}${wait > 1 ? ' — the executor was busy with other polls in between' : ''}`]);
    }
    const res = m.resumedFrom.get(top.seq);
    if (res) dl.push(['Resumed at', siteText(res)]);
    dl.push(['Then', thenText(e, top)]);
    if (!e.depth && e.dur > thr) dl.push(['Warning', `<b>long poll</b>: ${fmtMs(e.dur)} without yielding; nothing else could run meanwhile.`]);
    parts.push(`<dl>${dl.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`);
    el.innerHTML = parts.join('');
  }
  for (const b of el.querySelectorAll('button[data-seq]')) b.onclick = () => onSelect(Number(b.dataset.seq));
}

// What the selected poll did: a nested future reports to its parent, the task's own poll to the executor.
function thenText(e, top) {
  if (e.depth) {
    if (e.result === 'ready') return `this future returned <b>ready</b> to its parent, which went on running`;
    return `this future returned <b>pending</b>${e.site ? ` (suspended at ${siteText(e.site)})` : ''}; its task's poll ${top.result === 'pending' ? `suspended at ${top.site ? siteText(top.site) : 'an await'}` : 'still finished ready'}`;
  }
  if (e.result === 'pending') return `suspended at ${e.site ? siteText(e.site) : 'an await'}`;
  return 'returned ready (the task finished)';
}
