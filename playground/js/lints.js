// Lints computed from the trace alone, in the spirit of tokio-console's, tuned to avoid false positives
// (its users complained about noisy lints, so each rule below requires clear evidence).

// The exact rules, as shown in the page ("How the lints decide"). Checked against the real examples: blocking
// fires long-poll and never-yielded; lazy, sequential, join, spawn, cooperative, timeout and channel fire none
// (cooperative has ~40 self-wakes from yield_now, but each of its polls does 2 ms of work, so it is not spinning).
export const LINT_RULES = {
  'long-poll': (thr) => `A task's own poll (not a nested future) lasted more than the long-poll threshold, ${thr} ms. While a poll runs, the single-threaded executor can run nothing else: timers fire late and other tasks wait.`,
  'never-yielded': (thr) => `The task was polled exactly once and that poll returned Ready after more than ${thr} ms, while another task had something due during it (a wake, a timer deadline, a settled host operation, or a first poll still waiting).`,
  'lost-waker': () => 'At the end of a complete (not truncated) run, the task\'s last poll returned Pending, the task neither completed nor was dropped, and no wake for it came after that poll: nothing can ever poll it again.',
  'self-wake': () => `At least ${SELF_WAKE_MIN} wakes, more than half of them by the task itself (cause 'self'), and every one of its polls shorter than ${TINY_MS} ms: it asks to be polled again without doing work (spinning). yield_now between real work, as in the cooperative example, does not count.`,
};

const TINY_MS = 0.5;
const SELF_WAKE_MIN = 17;

export function computeLints(model, { thresholdMs = 10, truncated = null } = {}) {
  const out = [];
  const thr = thresholdMs;
  for (const t of model.taskList) {
    const top = t.topPolls;
    const name = `${t.name} #${t.id}`;

    // long-poll: any top-level poll over the threshold.
    const longPolls = top.filter((p) => (p.dur || 0) > thr);
    if (longPolls.length) {
      const worst = longPolls.reduce((a, b) => (b.dur > a.dur ? b : a));
      out.push({ kind: 'long-poll', task: t.id, seqs: longPolls.map((p) => p.seq), focus: worst.seq,
        message: `${name}: ${longPolls.length} poll${longPolls.length > 1 ? 's' : ''} over ${thr} ms (longest ${round(worst.dur)} ms at ${round(worst.t)} ms)`,
        rule: LINT_RULES['long-poll'](thr) });
    }

    // never-yielded: one poll, ready, long, and some other task had something due during it.
    if (top.length === 1 && top[0].result === 'ready' && top[0].dur > thr) {
      const p = top[0];
      const pEnd = p.t + p.dur;
      if (othersWaiting(model, t.id, p.t, pEnd)) {
        out.push({ kind: 'never-yielded', task: t.id, seqs: [p.seq], focus: p.seq,
          message: `${name} ran to completion in one ${round(p.dur)} ms poll while other tasks waited`,
          rule: LINT_RULES['never-yielded'](thr) });
      }
    }

    // lost-waker: only when the run really ended (a truncated trace just stops early).
    const last = top[top.length - 1];
    if (!truncated && last && last.result === 'pending' && t.completeT == null && t.dropT == null) {
      const wokenAfter = t.wakes.some((w) => w.seq > last.seq);
      if (!wokenAfter) {
        const where = last.site ? ` at ${last.site.file}:${last.site.line}` : '';
        out.push({ kind: 'lost-waker', task: t.id, seqs: [last.seq], focus: last.seq,
          message: `${name} is still pending${where} and was never woken again`, rule: LINT_RULES['lost-waker']() });
      }
    }

    // self-wake: many wakes, mostly self, and the polls never do real work.
    const selfN = t.wakes.filter((w) => w.cause === 'self').length;
    if (t.wakes.length >= SELF_WAKE_MIN && selfN / t.wakes.length > 0.5 && top.every((p) => (p.dur || 0) < TINY_MS)) {
      out.push({ kind: 'self-wake', task: t.id, seqs: [], focus: t.wakes[0].seq,
        message: `${name}: ${selfN} of ${t.wakes.length} wakes were self-wakes and every poll was tiny`, rule: LINT_RULES['self-wake']() });
    }
  }
  return out;
}

// Did another live task have a wake, a timer deadline or a host settle fall inside [t0, t1]?
function othersWaiting(model, taskId, t0, t1) {
  for (const o of model.taskList) {
    if (o.id === taskId) continue;
    if (o.completeT != null && o.completeT <= t0) continue;
    if (o.wakes.some((w) => w.t >= t0 && w.t <= t1)) return true;
    if (o.timers.some((tm) => tm.deadline >= t0 && tm.deadline < t1)) return true;
    if (o.ops.some((op) => op.endT != null && op.endT >= t0 && op.endT < t1)) return true;
    const first = o.topPolls[0];
    if (first && o.spawnT <= t1 && first.t >= t1) return true; // spawned but not yet polled
  }
  return false;
}

const round = (x) => Math.round(x * 100) / 100;

export const LINT_LABEL = { 'long-poll': 'long poll', 'never-yielded': 'never yielded', 'lost-waker': 'lost waker', 'self-wake': 'self-wakes' };
