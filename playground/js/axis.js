// The timeline's two x axes. Every drawn thing asks the axis for its coordinates, so lanes, rows, bars, arrows,
// selection, stepping and compare work the same on both.
//  - time: x is ms on the runtime's clock. Faithful to durations, but on the virtual clock every poll, wake and
//    nested poll of an instant collapses to one x.
//  - order: x is the sequence of events, each event one step wide; where the clock moved between two events a gap
//    opens, labelled with the new time. A poll spans its own step to its last event's (its nested polls, the
//    wakes and timers it caused), so nesting and causality read left to right.
import { fmtMs } from './format.js';
import { lowerBound, upperBound } from './spatial.js';

export const GAP = 1.5; // width of a clock gap on the order axis, in steps

// True when no poll of the run took any time (the virtual clock without simulated CPU work): the order axis then
// shows everything the time axis would, and more.
export function pollsTakeNoTime(model) {
  return model.polls.length > 0 && model.polls.every((p) => !p.dur);
}

export function timeAxis(model, end = model.end) {
  return {
    kind: 'time',
    end: Math.max(end, 1e-3),
    at: (e) => e.t,                 // where an event starts
    mid: (e) => e.t,                // where its marker goes
    pollEnd: (p) => p.t + (p.dur || 0),
    time: (t) => t,                 // where an instant of the clock is
    timer: (tm) => ({ s: tm.armT, e: tm.cancelled ? tm.endT : tm.deadline ?? tm.armT, fire: tm.fireT }),
    op: (op) => ({ s: op.startT, e: op.endT ?? model.end }),
    ticks(v0, v1, plotW) {
      const step = niceStep((v1 - v0) / Math.max(2, plotW / 90));
      const out = [];
      for (let v = Math.ceil(v0 / step) * step; v <= v1; v += step) out.push({ v, label: fmtMs(+v.toPrecision(6)) });
      return out;
    },
    gaps: () => [],
  };
}

export function orderAxis(model) {
  const trace = model.trace;
  const n = trace.length;
  const pos = new Float64Array(n + 1);
  const idx = new Map();
  const gaps = []; // { v: start of the gap, t: the clock after it }
  let x = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && trace[i].t !== trace[i - 1].t) { gaps.push({ v: x, t: trace[i].t }); x += GAP; }
    pos[i] = x;
    idx.set(trace[i].seq, i);
    x += 1;
  }
  pos[n] = x;
  const P = (seq) => { const i = idx.get(seq); return i == null ? x : pos[i]; };
  // The first event at or after time t (a deadline): the gap that opens there, or the step of that event.
  const time = (t) => {
    let lo = 0; let hi = n;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (trace[mid].t < t) lo = mid + 1; else hi = mid; }
    if (lo >= n) return x;
    return lo > 0 && trace[lo - 1].t !== trace[lo].t ? pos[lo] - GAP / 2 : pos[lo];
  };
  // The gaps that start in [a, b] (gaps are in order of v).
  const gapV = Float64Array.from(gaps, (g) => g.v);
  const gapRange = (a, b) => [lowerBound(gapV, a), upperBound(gapV, b)];
  return {
    kind: 'order',
    end: Math.max(x, 1),
    at: (e) => P(e.seq),
    mid: (e) => P(e.seq) + 0.5,
    pollEnd: (p) => P(p.last ?? p.seq) + 1,
    time,
    timer: (tm) => ({
      s: P(tm.armSeq),
      e: tm.fireSeq != null ? P(tm.fireSeq) + 0.5 : tm.cancelled && tm.endSeq != null ? P(tm.endSeq) : time(tm.deadline),
      fire: null, // lateness is a time; this axis has none to show it with
    }),
    op: (op) => ({ s: P(op.startSeq), e: op.endSeq != null ? P(op.endSeq) + 0.5 : x }),
    // Labels where the clock moved (and at 0), thinned to one per ~70 px.
    ticks(v0, v1, plotW) {
      const per = plotW / Math.max(v1 - v0, 1e-9);
      const out = [];
      let last = -Infinity;
      const [i0, i1] = gapRange(v0 - GAP, v1);
      const all = [{ v: 0, t: n ? trace[0].t : 0 }, ...gaps.slice(i0, i1).map((g) => ({ v: g.v + GAP / 2, t: g.t }))];
      for (const g of all) {
        if (g.v < v0 || g.v > v1) continue;
        if ((g.v - last) * per < 70) continue;
        out.push({ v: g.v, label: fmtMs(g.t) });
        last = g.v;
      }
      return out;
    },
    gaps: (v0, v1) => { const [i0, i1] = gapRange(v0 - GAP, v1); return gaps.slice(i0, i1); },
  };
}

export function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
