// SVG timeline: one lane per task, nested rows for futures polled inside it, timers and host operations on the
// row of the future that started them, wake markers with arrows from their cause, a time axis, zoom/pan, tooltip and a replay cursor.
// Rendering rebuilds one SVG string from what is in view only (spatial.js finds it by binary search); when much is
// in view, shapes of one kind are batched into one path per row (see BATCH_*), so the DOM stays small whatever
// the trace size, and pointing at a batched shape is answered from the render's hit boxes.
import { esc, fmtMs } from './format.js';
import { baseName, rowKey, wakeCause } from './model.js';
import { timeAxis, orderAxis, GAP } from './axis.js';
import { spanIndex, inRange, RectBatch } from './spatial.js';
import { toolboxMarks } from './toolbox-marks.js';

// The cost of a render is mostly the browser's, per SVG node (parsing, style, layout, paint), so above these
// counts in view the shapes are drawn as one path per row and class instead of one element each.
const BATCH_POLLS = 300;
const BATCH_WAKES = 40;
const BATCH_BARS = 60;
const BATCH_MARKS = 60;        // clock gaps, yield ticks
const MAX_WAKE_NODES = 200;    // above this many wakes in view their markers and arrows are hidden (clutter)
const AXIS_H = 26;
const LANE_PAD_TOP = 12;
const MAIN_H = 18;
const SUB_H = 12;
const ROW_GAP = 3;
const OP_H = 6;
const LANE_PAD_BOTTOM = 8;
const MIN_W = 3;

export const WAKE_STYLE = {
  timer: { label: 'timer', shape: 'circle' },
  channel: { label: 'channel', shape: 'diamond' },
  task: { label: 'task', shape: 'square' },
  self: { label: 'self', shape: 'ring' },
  host: { label: 'host op', shape: 'triangle' },
  fetch: { label: 'fetch', shape: 'down' },
  other: { label: 'spawn/notify/abort', shape: 'cross' },
};
const causeClass = (c) => (WAKE_STYLE[c] && c !== 'other' ? c : 'other');

export function markerPath(shape, x, y, r = 4.5) {
  switch (shape) {
    case 'circle': return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    case 'diamond': return `M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${x - r - 1},${y}Z`;
    case 'square': return `M${x - r + 0.5},${y - r + 0.5}h${2 * r - 1}v${2 * r - 1}h${-(2 * r - 1)}Z`;
    case 'ring': return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0M${x - 2},${y}a2,2 0 1,1 4,0a2,2 0 1,1 -4,0`;
    case 'triangle': return `M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z`;
    case 'down': return `M${x - r - 1},${y - r}L${x + r + 1},${y - r}L${x},${y + r + 1}Z`;
    default: return `M${x - r},${y - 1.5}h${2 * r}v3h${-2 * r}ZM${x - 1.5},${y - r}h3v${2 * r}h-3Z`;
  }
}

export class Timeline {
  constructor(root, opts = {}) {
    this.root = root;
    this.opts = { onSelect: () => {}, onStep: () => {}, onRange: () => {}, idPrefix: 'tl', ...opts };
    this.model = null;
    this.lints = [];
    this.threshold = 10;
    this.cursorSeq = null;
    this.t0 = 0;
    this.t1 = 1;
    this.fullEnd = 1;
    this.note = '';
    this.siteLine = null;

    root.classList.add('timeline-wrap');
    root.innerHTML = '';
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('class', 'timeline');
    this.svg.setAttribute('data-testid', opts.testid || 'timeline');
    this.svg.setAttribute('tabindex', '0');
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-roledescription', 'timeline');
    this.tip = document.createElement('div');
    this.tip.className = 'tooltip';
    this.tip.hidden = true;
    this.tip.setAttribute('role', 'tooltip');
    root.append(this.svg, this.tip);
    this.bind();
    new ResizeObserver(() => { if (this.model) this.render(); }).observe(root);
  }

  // axis: 'time' or 'order' (axis.js). end: the time axis's end, shared by compare's two timelines.
  setData(model, { lints = [], threshold = 10, end = null, axis = 'time' } = {}) {
    this.model = model;
    this.lints = lints;
    this.threshold = threshold;
    this.endT = end;
    this.setAxis(axis);
  }

  // Switches the x axis and shows the whole run on it.
  setAxis(kind) {
    if (!this.model) { this.axisKind = kind; return; }
    this.axisKind = kind;
    this.A = kind === 'order' ? orderAxis(this.model) : timeAxis(this.model, this.endT ?? this.model.end);
    this.fullEnd = this.A.end * (kind === 'order' ? 1 : 1.03);
    this.t0 = 0;
    this.t1 = this.fullEnd;
    this.render();
  }

  setCursor(seq) { this.cursorSeq = seq; this.render(); }

  // Runs a range change now but renders at the next frame, once for everything that happened before it.
  // replace: only the last of these changes counts (a drag gives absolute ranges).
  deferred(fn, replace = false) {
    if (replace) this.pendingFns = [fn]; else (this.pendingFns ||= []).push(fn);
    if (this.frameReq) return;
    this.frameReq = requestAnimationFrame(() => {
      this.frameReq = 0;
      const fns = this.pendingFns;
      this.pendingFns = [];
      this.holdRender = true;
      try { for (const f of fns) f(); } finally { this.holdRender = false; }
      this.render();
    });
  }
  setThreshold(thr, lints) { this.threshold = thr; this.lints = lints; this.render(); }

  setRange(t0, t1, silent = false) {
    // Zooming out stops at the whole run (Fit), and panning stops at its ends.
    const span = Math.min(this.fullEnd, Math.max(t1 - t0, this.fullEnd / 5000, 1e-4));
    t0 = Math.max(0, Math.min(t0, this.fullEnd - span));
    this.t0 = t0;
    this.t1 = t0 + span;
    this.render();
    if (!silent) this.opts.onRange(this.t0, this.t1);
  }

  zoom(factor, atT = (this.t0 + this.t1) / 2) {
    const span = (this.t1 - this.t0) / factor;
    const frac = (atT - this.t0) / (this.t1 - this.t0);
    this.setRange(atT - frac * span, atT - frac * span + span);
  }
  pan(fraction) { const d = (this.t1 - this.t0) * fraction; this.setRange(this.t0 + d, this.t1 + d); }
  fit() { this.setRange(0, this.fullEnd); }

  // ---------- layout ----------
  layout(width) {
    const m = this.model;
    const A = this.A;
    const labelW = width < 600 ? 96 : 180;
    const plotX = labelW + 8;
    const plotW = Math.max(40, width - plotX - 10);
    const lanes = [];
    let y = AXIS_H;
    for (const t of m.taskList) {
      const lane = { task: t, top: y, rows: new Map(), opTracks: [] };
      let ry = y + LANE_PAD_TOP;
      for (const row of t.rowList) {
        const h = row.depth === 0 ? MAIN_H : SUB_H;
        lane.rows.set(row.key, { y: ry, h, row });
        ry += h + ROW_GAP;
      }
      const items = [
        ...t.timers.map((tm) => { const c = A.timer(tm); return { kind: 'timer', obj: tm, c, s: c.s, e: Math.max(c.e, c.fire ?? 0) }; }),
        ...t.ops.map((op) => { const c = A.op(op); return { kind: 'op', obj: op, c, s: c.s, e: c.e }; }),
      ].sort((a, b) => a.s - b.s);
      // A timer or host op is drawn on the row of the future that started it (the sleep that armed the timer);
      // only one whose row is unknown (its poll was lost from the ring) goes to a track under the rows.
      const trackEnds = [];
      for (const it of items) {
        const r = it.obj.row != null ? lane.rows.get(it.obj.row) : null;
        if (r) { it.y = r.y + (r.h - OP_H) / 2; continue; }
        let k = trackEnds.findIndex((e) => e <= it.s);
        if (k < 0) { k = trackEnds.length; trackEnds.push(0); }
        trackEnds[k] = it.e + 1e-9;
        it.track = k;
      }
      lane.items = items;
      lane.itemIx = spanIndex(items, (it) => it.s, (it) => it.e);
      lane.itemOf = new Map(items.map((it) => [it.obj, it]));
      for (const r of lane.rows.values()) r.ix = spanIndex(r.row.polls, (p) => A.at(p), (p) => A.pollEnd(p));
      lane.opY = ry + 1;
      for (const it of items) if (it.y == null) it.y = lane.opY + it.track * (OP_H + 2);
      ry += trackEnds.length ? trackEnds.length * (OP_H + 2) + 2 : 0;
      lane.bottom = ry + LANE_PAD_BOTTOM;
      y = lane.bottom;
      lanes.push(lane);
    }
    // The blocking pool's workers (spawn_blocking): a lane each under the tasks, one row of job bars.
    const workerLanes = [];
    for (const w of m.workers ?? []) {
      const top = y;
      workerLanes.push({ worker: w, top, barY: top + LANE_PAD_TOP, bottom: top + LANE_PAD_TOP + MAIN_H + LANE_PAD_BOTTOM });
      y = workerLanes.at(-1).bottom;
    }
    // Wakes in trace order (their markers' x never decreases), each spanning to the poll it led to.
    const wakeIx = spanIndex(m.wakes, (w) => A.mid(w), (w) => { const p = m.pollForWake.get(w.seq); return Math.max(A.mid(w), p ? A.at(p) : 0); });
    const yieldIx = spanIndex(m.yields, (e) => A.mid(e), (e) => A.mid(e));
    return { labelW, plotX, plotW, lanes, workerLanes, wakeIx, yieldIx, height: Math.max(y + 4, AXIS_H + 40), width };
  }

  // ---------- render ----------
  render() {
    const m = this.model;
    if (!m || this.holdRender) return;
    const width = Math.max(280, this.root.clientWidth || 800);
    // The layout depends only on the width and the axis: kept between renders (zoom and pan reuse it).
    const lkey = `${width}|${this.axisKind}`;
    if (!this.Lcache || this.Lcache.key !== lkey || this.Lcache.model !== m || this.Lcache.A !== this.A) {
      this.Lcache = { key: lkey, model: m, A: this.A, L: this.layout(width) };
    }
    const L = this.Lcache.L;
    this.L = L;
    const { plotX, plotW, lanes, height } = L;
    const A = this.A;
    const t0 = this.t0;
    const span = this.t1 - this.t0;
    const X = (t) => plotX + ((t - t0) / span) * plotW;
    this.X = X;
    const lo = t0 - span * 0.01;
    const hi = this.t1 + span * 0.01;
    const inView = (a, b) => b >= lo && a <= hi;
    const hits = [];               // hit boxes of batched shapes, in drawing order: [x1, x2, y1, y2, attr, id]
    this.hits = hits;
    const laneById = new Map(lanes.map((l) => [l.task.id, l]));
    const out = [];
    const P = this.opts.idPrefix;

    out.push(`<defs><clipPath id="${P}-clip"><rect x="${plotX}" y="0" width="${plotW + 6}" height="${height}"/></clipPath>`,
      `<marker id="${P}-ah" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path class="arrowhead" d="M0,0L6,3L0,6Z"/></marker>`,
      `<marker id="${P}-ahh" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto"><path class="arrowhead-hl" d="M0,0L6,3L0,6Z"/></marker></defs>`);

    // Lane backgrounds.
    lanes.forEach((lane, i) => {
      out.push(`<rect class="lane-bg${i % 2 ? ' alt' : ''}" x="0" y="${lane.top}" width="${width}" height="${lane.bottom - lane.top}"/>`,
        `<line class="lane-sep" x1="0" x2="${width}" y1="${lane.bottom}" y2="${lane.bottom}"/>`);
    });

    // Axis and grid. On the order axis, shaded gaps mark where the clock moved, labelled with the new time.
    out.push(`<g class="axis" data-axis="${A.kind}">`);
    const gaps = A.gaps(t0, this.t1);
    const gapBatch = gaps.length > BATCH_MARKS ? new RectBatch() : null;
    for (const g of gaps) {
      const x1 = Math.max(plotX, X(g.v));
      const x2 = Math.min(plotX + plotW, X(g.v + GAP));
      if (x2 <= x1) continue;
      if (gapBatch) gapBatch.add('gap', x1, AXIS_H, x2 - x1, height - AXIS_H, ' data-testid="clock-gaps"');
      else out.push(`<rect class="gap" data-testid="clock-gap" x="${x1}" y="${AXIS_H}" width="${x2 - x1}" height="${height - AXIS_H}"/>`);
    }
    if (gapBatch) out.push(...gapBatch.svg());
    for (const { v, label } of A.ticks(t0, this.t1, plotW)) {
      const x = X(v);
      out.push(`<line x1="${x}" x2="${x}" y1="${AXIS_H - 5}" y2="${height}"/>`);
      if (x < width - 44) out.push(`<text x="${x + 3}" y="${AXIS_H - 9}">${esc(label)}</text>`);
    }
    out.push(`<line class="base" x1="${plotX}" x2="${plotX + plotW}" y1="${AXIS_H - 1}" y2="${AXIS_H - 1}"/></g>`);

    // Selection context: the cursor event, its wake, the wake's cause.
    const cur = this.cursorSeq != null ? m.bySeq.get(this.cursorSeq) : null;
    const hl = { polls: new Set(), wakes: new Set(), timers: new Set(), ops: new Set() };
    if (cur) {
      let wake = null;
      if (cur.kind === 'poll') { hl.polls.add(cur.seq); if (cur.wake != null) wake = m.bySeq.get(cur.wake); }
      if (cur.kind === 'wake') { wake = cur; const p = m.pollForWake.get(cur.seq); if (p) hl.polls.add(p.seq); }
      if (cur.kind === 'timer') hl.timers.add(cur.timer);
      if (cur.kind === 'host' || cur.kind === 'settle') hl.ops.add(cur.op);
      if (wake) {
        hl.wakes.add(wake.seq);
        const c = wakeCause(m, wake);
        if (c.kind === 'timer' && c.timer) hl.timers.add(c.timer.id);
        if (c.kind === 'op' && c.op) hl.ops.add(c.op.id);
      }
    }
    this.hl = hl;

    const body = [`<g clip-path="url(#${P}-clip)">`];

    // Timer and host-op bars: one rect each, or, when many are in view, one path per class and row.
    const barRuns = [];
    let visibleBars = 0;
    for (const lane of lanes) {
      const [i0, i1] = inRange(lane.itemIx, lo, hi);
      for (let i = i0; i < i1; i++) if (lane.items[i].e >= lo) { barRuns.push(lane.items[i]); visibleBars++; }
    }
    const barBatch = visibleBars > BATCH_BARS ? new RectBatch() : null;
    const late = [];
    for (const it of barRuns) {
      const y = it.y;
      const x1 = X(it.c.s);
      const x2 = X(it.c.e);
      const w = Math.max(2, x2 - x1);
      const attr = it.kind === 'timer' ? 'timer' : 'op';
      const isHl = it.kind === 'timer' ? hl.timers.has(it.obj.id) : hl.ops.has(it.obj.id);
      const cls = it.kind === 'timer'
        ? `tbar${it.obj.cancelled ? ' cancelled' : ''}`
        : `obar ${it.obj.name === 'fetch' ? 'fetch' : 'host'}${it.obj.endT == null ? ' open' : ''}`;
      if (barBatch && !isHl) {
        const hit = [x1, x1 + w, y, y + OP_H, attr, it.obj.id];
        if (barBatch.add(`${cls} batch`, x1, y, w, OP_H, ' data-testid="bar-batch"', hit)) hits.push(hit);
      } else {
        body.push(`<rect class="${cls}${isHl ? ' hl' : ''}" data-${attr}="${it.obj.id}" x="${x1}" y="${y}" width="${w}" height="${OP_H}" rx="2"/>`);
      }
      if (it.kind === 'timer' && it.c.fire != null && it.c.fire > it.c.e + span / plotW) {
        const ly = y + OP_H / 2;
        if (barBatch) late.push(`M${x2},${ly}H${X(it.c.fire)}`);
        else body.push(`<line class="tbar-late" data-timer="${it.obj.id}" x1="${x2}" x2="${X(it.c.fire)}" y1="${ly}" y2="${ly}"/>`);
      }
    }
    if (barBatch) body.push(...barBatch.svg());
    if (late.length) body.push(`<path class="tbar-late batch" d="${late.join('')}"/>`);

    // Polls: one rect each, or, when many are in view, one path per row and kind (those closer than a pixel
    // merged). Long polls, the selected one and those at the hovered source line stay single rects on top.
    const pollRuns = [];
    let visiblePolls = 0;
    for (const lane of lanes) {
      for (const r of lane.rows.values()) {
        const [i0, i1] = inRange(r.ix, lo, hi);
        if (i1 > i0) { pollRuns.push([r, i0, i1]); visiblePolls += i1 - i0; }
      }
    }
    const batched = visiblePolls > BATCH_POLLS;
    this.batched = batched;
    const pollBatch = new RectBatch();
    const solo = [];
    const site = this.siteLine;
    const inset = this.pollInset(X);
    for (const [r, i0, i1] of pollRuns) {
      const { y, h } = r;
      const pendingH = Math.max(4, Math.round(h * 0.6));
      for (let i = i0; i < i1; i++) {
        const p = r.ix.items[i];
        const long = p.depth === 0 && p.dur > this.threshold;
        if (!batched || long || hl.polls.has(p.seq) || (site && p.site && p.site.line === Number(site.line) && baseName(p.site.file) === site.file)) {
          (long || hl.polls.has(p.seq) ? solo : body).push(this.pollRect(p, X, y, h, hl));
          continue;
        }
        // As pollGeom, inline: this loop sees every poll in view.
        const x = X(r.ix.start[i] + inset);
        const w = Math.max(MIN_W, X(r.ix.end[i] - inset) - x);
        const ready = p.result === 'ready';
        const ph = ready ? h : pendingH;
        const hit = [x, x + w, y, y + h, 'seq', p.seq];
        if (pollBatch.add(ready ? 'poll ready batch' : 'poll pending batch', x, y + (h - ph) / 2, w, ph, ' data-testid="poll-batch"', hit)) hits.push(hit);
      }
    }
    body.push(...pollBatch.svg(), ...solo);

    // Wakes: marker on the woken lane, arrow from the cause to the poll the wake led to; when many are in view,
    // markers are one path per cause and the arrows one path (arrowheads drawn, not markers), the selected one apart.
    const wakeIdx = [];
    {
      const [i0, i1] = inRange(L.wakeIx, lo, hi);
      for (let i = i0; i < i1; i++) {
        const poll = m.pollForWake.get(m.wakes[i].seq);
        if (Math.max(L.wakeIx.start[i], poll ? A.at(poll) : -Infinity) >= lo) wakeIdx.push(i);
      }
    }
    const visibleWakes = wakeIdx.length;
    const drawWakes = visibleWakes <= MAX_WAKE_NODES;
    if (drawWakes) {
      const batch = visibleWakes > BATCH_WAKES;
      const arrows = [];
      const hlArrows = [];
      const marks = [];
      const markBatch = new Map();
      const heads = [];
      for (const i of wakeIdx) {
        const w = m.wakes[i];
        const lane = laneById.get(w.task);
        if (!lane) continue;
        const poll = m.pollForWake.get(w.seq);
        const cc = causeClass(w.cause);
        const mx = X(A.mid(w));
        const my = lane.top + LANE_PAD_TOP - 6;
        const isHl = hl.wakes.has(w.seq);
        const mark = markerPath(WAKE_STYLE[cc].shape, mx, my);
        if (batch && !isHl) {
          if (!markBatch.has(cc)) markBatch.set(cc, []);
          markBatch.get(cc).push(mark);
          hits.push([mx - 5, mx + 5, my - 5, my + 5, 'seq', w.seq]);
        } else marks.push(`<path class="wm w-${cc}${isHl ? ' hl' : ''}" data-seq="${w.seq}" data-testid="wake" data-cause="${esc(w.cause)}" d="${mark}"/>`);
        const src = this.causePoint(w, laneById, X);
        const pts = [];
        if (src) pts.push(src);
        pts.push([mx, my]);
        if (poll) {
          const r = lane.rows.get(rowKey(poll, m));
          pts.push([X(A.at(poll)) + 1, r ? r.y : my + 8]);
        }
        if (pts.length < 2) continue;
        const d = pts.map((p, k) => (k === 0 ? `M${p[0]},${p[1]}` : curve(pts[k - 1], p))).join('');
        if (isHl) hlArrows.push(`<path class="arrow hl" data-wake="${w.seq}" d="${d}" marker-end="url(#${P}-ahh)"/>`);
        else if (batch) { arrows.push(d); heads.push(arrowHead(pts[pts.length - 2], pts[pts.length - 1])); }
        else arrows.push(`<path class="arrow" data-wake="${w.seq}" d="${d}" marker-end="url(#${P}-ah)"/>`);
      }
      if (batch) {
        if (arrows.length) body.push(`<path class="arrow batch" d="${arrows.join('')}"/>`, `<path class="arrowhead batch" d="${heads.join('')}"/>`);
        for (const [cc, ds] of markBatch) body.push(`<path class="wm w-${cc} batch" data-testid="wake-batch" d="${ds.join('')}"/>`);
      } else body.push(...arrows);
      // Highlighted arrows last so they sit on top.
      body.push(...hlArrows, ...marks);
    }

    body.push(...this.jobNodes(L, laneById, X, inView, hl));

    // Drops: a future dropped before it was ready (✕ on its row: a select's loser, a future never polled), a task
    // aborted (⊘) or its future dropped unfinished (✕ on the task's row).
    const marks = [];
    for (const c of m.cancels) marks.push([c, 'cancel', laneById.get(c.task)?.rows.get(c.row)]);
    for (const t of m.taskList) {
      if (t.abortSeq != null) marks.push([{ seq: t.abortSeq, t: t.abortT }, 'abort', laneById.get(t.id)?.rows.get('0')]);
      if (t.dropSeq != null) marks.push([{ seq: t.dropSeq, t: t.dropT }, 'task-drop', laneById.get(t.id)?.rows.get('0')]);
    }
    for (const [e, kind, r] of marks) {
      const x = A.mid(e);
      if (!r || !inView(x, x)) continue;
      const cx = X(x);
      const cy = r.y + r.h / 2;
      const d = kind === 'abort'
        ? `M${cx - 5},${cy}a5,5 0 1,0 10,0a5,5 0 1,0 -10,0M${cx - 3.5},${cy + 3.5}L${cx + 3.5},${cy - 3.5}`
        : `M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx + 4},${cy - 4}L${cx - 4},${cy + 4}`;
      body.push(`<path class="drop-mark ${kind}${cur && cur.seq === e.seq ? ' hl' : ''}" data-testid="${kind}" data-seq="${e.seq}" d="${d}"/>`);
    }

    // The toolbox's events (toolbox-marks.js): select winners, semaphore waits/grants/releases, token cancels.
    if (this.tbxModel !== m) { this.tbx = toolboxMarks(m); this.tbxModel = m; }
    const tb = [];
    const rowOf = (task, key) => { const lane = laneById.get(task); return lane ? lane.rows.get(key) || lane.rows.get('0') : null; };
    const isCur = (e) => (cur && cur.seq === e.seq ? ' hl' : '');
    for (const { e, row, branch } of this.tbx.selects) {
      const x = A.mid(e);
      if (!inView(x, x) || e.outcome !== 'won') continue;
      const r = rowOf(e.task, row);
      if (!r) continue;
      const cx = X(x);
      // A connector from the select's row down through its branches, and a check on the winner's row.
      const lane = laneById.get(e.task);
      const kids = [...lane.rows.values()].filter((k) => k.row.parent === row);
      const bottom = kids.length ? Math.max(...kids.map((k) => k.y + k.h / 2)) : r.y + r.h;
      const w = branch ? lane.rows.get(branch) : r;
      const wy = w.y + w.h / 2;
      tb.push(`<path class="select-link" d="M${cx},${r.y + r.h / 2}V${bottom}${kids.map((k) => `M${cx - 2},${k.y + k.h / 2}h4`).join('')}"/>`,
        `<path class="select-win${isCur(e)}" data-testid="select-win" data-seq="${e.seq}" d="M${cx - 4},${wy}l3,3.5l5.5,-7"/>`);
    }
    for (const { e, wait } of this.tbx.sems) {
      const x = A.mid(e);
      const r = rowOf(e.task, '0');
      if (!r || !inView(wait ? A.mid(wait) : x, x)) continue;
      const cx = X(x);
      const cy = r.y + r.h / 2;
      if (wait) tb.push(`<path class="sem-wait-line" d="M${X(A.mid(wait))},${cy}H${cx}"/>`);
      const d = e.action === 'granted' ? `M${cx - 4},${cy - 4}h8v8h-8z` : e.action === 'released' ? `M${cx - 4},${cy - 4}h8v8h-8zM${cx - 4},${cy + 4}L${cx + 4},${cy - 4}` : `M${cx - 4},${cy - 4}h8v8h-8z`;
      tb.push(`<path class="sem-mark ${esc(e.action)}${isCur(e)}" data-testid="semaphore-mark" data-action="${esc(e.action)}" data-seq="${e.seq}" d="${d}"/>`);
    }
    for (const { e, woke, at } of this.tbx.tokens) {
      const lane = laneById.get(e.task) || lanes[0];
      if (!lane) continue;
      const x = A.at(at);
      const last = woke.length ? A.mid(woke[woke.length - 1]) : x;
      if (!inView(x, last)) continue;
      const cx = X(x);
      const cy = lane.top + LANE_PAD_TOP - 6;
      for (const w of woke) {
        const wl = laneById.get(w.task);
        if (!wl) continue;
        const pts = [[cx, cy], [X(A.mid(w)), wl.top + LANE_PAD_TOP - 6]];
        tb.push(`<path class="token-arrow" data-testid="token-arrow" data-token="${e.token}" data-wake="${w.seq}" d="M${pts[0][0]},${pts[0][1]}${curve(pts[0], pts[1])}"/>`,
          `<path class="token-head" d="${arrowHead(pts[0], pts[1])}"/>`);
      }
      // A star-like cross: cancelled.
      tb.push(`<path class="token-mark${e.byParent ? ' by-parent' : ''}${isCur(e)}" data-testid="token-mark" data-token="${e.token}" data-seq="${e.seq}" d="M${cx - 5},${cy}h10M${cx},${cy - 5}v10M${cx - 3.5},${cy - 3.5}l7,7M${cx + 3.5},${cy - 3.5}l-7,7"/>`);
    }
    body.push(...tb);

    // Executor yields to the host: small ticks under the axis.
    {
      const [i0, i1] = inRange(L.yieldIx, lo, hi);
      const ticks = [];
      for (let i = i0; i < i1; i++) {
        const yx = X(L.yieldIx.start[i]);
        if (i1 - i0 > BATCH_MARKS) ticks.push(`M${yx},${AXIS_H - 6}V${AXIS_H}`);
        else body.push(`<line class="yield-tick" data-seq="${m.yields[i].seq}" x1="${yx}" x2="${yx}" y1="${AXIS_H - 6}" y2="${AXIS_H}"/>`);
      }
      if (ticks.length) body.push(`<path class="yield-tick batch" d="${ticks.join('')}"/>`);
    }

    // End of run and the replay cursor.
    const endX = X(A.kind === 'order' ? A.end : m.end);
    body.push(`<line class="end-line" x1="${endX}" x2="${endX}" y1="${AXIS_H}" y2="${height}"/>`);
    if (cur) {
      const cx = X(A.mid(cur));
      body.push(`<line class="cursor" data-testid="cursor" x1="${cx}" x2="${cx}" y1="${AXIS_H - 4}" y2="${height}"/>`,
        `<path class="cursor-cap" d="M${cx - 5},${AXIS_H - 9}h10l-5,6z"/>`);
    }
    body.push('</g>');
    out.push(...body);

    // Lane labels, drawn over a solid column so panned content slides under them.
    out.push(`<rect class="label-bg" x="0" y="${AXIS_H}" width="${plotX - 2}" height="${height - AXIS_H}"/>`);
    lanes.forEach((lane, i) => {
      const t = lane.task;
      const lints = this.lints.filter((l) => l.task === t.id);
      out.push(`<g data-testid="lane" data-task="${t.id}" aria-label="${esc(`task ${t.id} ${t.name}`)}">`,
        `<rect class="lane-bg${i % 2 ? ' alt' : ''}" x="0" y="${lane.top}" width="${plotX - 2}" height="${lane.bottom - lane.top}"/>`,
        `<text class="label" x="8" y="${lane.top + LANE_PAD_TOP + 13}">${esc(clip(t.name, L.labelW < 120 ? 9 : 18))} <tspan class="sublabel">#${t.id}</tspan></text>`);
      for (const { y, h, row } of lane.rows.values()) {
        if (row.depth === 0) continue;
        const name = [...row.names].join('|');
        out.push(`<text class="sublabel" data-testid="subrow" data-row="${esc(row.key)}" x="${8 + Math.min(row.depth, 4) * 8}" y="${y + h - 2}">↳ ${esc(clip(name, L.labelW < 120 ? 8 : 16))}${row.index >= 0 ? `[${row.index}]` : ''}${row.unpolled ? ' ✕' : ''}</text>`);
      }
      if (lints.length) {
        const names = [...new Set(lints.map((l) => l.kind))];
        const short = L.labelW < 120 ? `${lints.length} lint${lints.length > 1 ? 's' : ''}` : names.join(', ');
        out.push(`<text class="badge" data-testid="lane-lint" x="8" y="${lane.bottom - 4}">⚠ ${esc(short)}<title>${esc(lints.map((l) => l.message).join('\n'))}</title></text>`);
      }
      out.push('</g>');
    });
    L.workerLanes.forEach((wl, i) => {
      const busy = wl.worker.jobs.length;
      out.push(`<g data-testid="worker-lane" data-worker="${wl.worker.id}" aria-label="${esc(`worker ${wl.worker.id}: ${busy} job${busy === 1 ? '' : 's'}`)}">`,
        `<rect class="lane-bg worker${(lanes.length + i) % 2 ? ' alt' : ''}" x="0" y="${wl.top}" width="${plotX - 2}" height="${wl.bottom - wl.top}"/>`,
        `<text class="label" x="8" y="${wl.top + LANE_PAD_TOP + 13}">worker ${wl.worker.id} <tspan class="sublabel">pool</tspan></text></g>`);
    });
    out.push(`<line class="lane-sep" x1="${plotX - 2}" x2="${plotX - 2}" y1="${AXIS_H}" y2="${height}"/>`);

    if (this.svg.getAttribute('viewBox') !== `0 0 ${width} ${height}`) {
      this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      this.svg.setAttribute('height', height);
    }
    this.svg.setAttribute('aria-label', `Timeline of ${m.taskList.length} task${m.taskList.length === 1 ? '' : 's'}, ${m.polls.length} polls, ${m.wakes.length} wakes. Arrow keys step through events; plus and minus zoom.`);
    this.svg.innerHTML = out.join('');
    this.note = [pollBatch.merged ? `${visiblePolls} polls in view: those closer than a pixel are drawn merged; zoom in to see single polls.` : '',
      barBatch?.merged ? `${visibleBars} timers/ops in view, some merged.` : '',
      drawWakes ? '' : `${visibleWakes} wakes in view: markers hidden; zoom in to see them.`].filter(Boolean).join(' ');
    this.opts.onRendered?.(this);
    this.applySiteHighlight();
  }

  // The worker lanes' content: a bar per job from its start to its finish (dashed when its result was discarded,
  // red when it failed or trapped), and an arrow from each finished job to the wake of the task awaiting it.
  jobNodes(L, laneById, X, inView, hl) {
    const m = this.model;
    const A = this.A;
    const out = [];
    const P = this.opts.idPrefix;
    const width = L.width;
    for (const wl of L.workerLanes) {
      out.push(`<rect class="lane-bg worker" x="0" y="${wl.top}" width="${width}" height="${wl.bottom - wl.top}"/>`,
        `<line class="lane-sep" x1="0" x2="${width}" y1="${wl.bottom}" y2="${wl.bottom}"/>`);
      for (const job of wl.worker.jobs) {
        const s = A.mid(m.bySeq.get(job.startSeq) ?? { seq: job.startSeq, t: job.startT });
        const e = job.endSeq != null ? A.mid(m.bySeq.get(job.endSeq)) : (A.kind === 'order' ? A.end : m.end);
        if (!inView(s, e)) continue;
        const x1 = X(s);
        const x2 = X(e);
        const outcome = ['ok', 'error', 'panic', 'discarded'][job.outcome] ?? 'open';
        const sel = hl.ops.has(job.op) && job.task ? ' hl' : '';
        out.push(`<rect class="jbar ${outcome}${sel}" data-testid="job" data-op="${job.op}" data-worker="${job.worker}" data-task="${job.task}" x="${x1}" y="${wl.barY + 3}" width="${Math.max(2, x2 - x1)}" height="${MAIN_H - 6}" rx="2"><title>${esc(`${job.name || 'job'} on worker ${job.worker}: ${outcome}`)}</title></rect>`);
        const w = job.wakeSeq != null ? m.bySeq.get(job.wakeSeq) : null;
        const lane = w ? laneById.get(w.task) : null;
        if (w && lane) {
          const a = [x2, wl.barY + MAIN_H / 2];
          const b = [X(A.mid(w)), lane.top + LANE_PAD_TOP - 6];
          out.push(`<path class="arrow job-arrow" data-testid="job-arrow" data-wake="${w.seq}" d="M${a[0]},${a[1]}${curve(a, b)}" marker-end="url(#${P}-ah)"/>`);
        }
      }
    }
    return out;
  }

  // Where a poll is drawn. Pending is drawn thinner than Ready, so the two differ by shape as well as by colour.
  // On the order axis a poll is inset a little inside its steps, so neighbouring polls stay apart.
  pollInset(X) { return this.A.kind === 'order' ? Math.min(0.12, 2 / Math.max(1e-9, X(1) - X(0))) : 0; }

  // s, e: where it starts and ends on the axis (from the row's index, else asked of the axis).
  pollGeom(p, X, y, h, s = this.A.at(p), e = this.A.pollEnd(p)) {
    const inset = this.pollInset(X);
    const x = X(s + inset);
    const w = Math.max(MIN_W, X(e - inset) - x);
    const ph = p.result === 'ready' ? h : Math.max(4, Math.round(h * 0.6));
    return { x, w, y: y + (h - ph) / 2, h: ph };
  }

  pollRect(p, X, y, h, hl) {
    const g = this.pollGeom(p, X, y, h);
    const x1 = g.x;
    const w = g.w;
    const long = p.depth === 0 && p.dur > this.threshold;
    const cls = `poll ${p.result === 'ready' ? 'ready' : 'pending'}${long ? ' long' : ''}${hl.polls.has(p.seq) ? ' sel' : ''}`;
    // Every poll that suspended at an await carries its site (nested ones too: fake_fetch suspends in its header),
    // and a task's poll the site it resumed from, so hovering a source line can find them.
    const site = p.site ? ` data-file="${esc(baseName(p.site.file))}" data-line="${p.site.line}"` : '';
    const res = p.depth ? null : this.model.resumedFrom.get(p.seq);
    const resume = res ? ` data-resume-file="${esc(baseName(res.file))}" data-resume="${res.line}"` : '';
    const ph = long ? h : g.h;
    let s = `<rect class="${cls}" data-testid="poll" data-seq="${p.seq}" data-result="${esc(p.result)}" data-task="${p.task}" data-depth="${p.depth || 0}"${site}${resume} x="${x1}" y="${y + (h - ph) / 2}" width="${w}" height="${ph}" rx="2"/>`;
    if (long) {
      const cx = x1 + Math.min(w / 2, 12);
      s += `<rect class="long-outline" x="${x1 - 2}" y="${y - 2}" width="${w + 4}" height="${h + 4}" rx="3"/>`
        + `<g class="lpw" data-testid="long-poll-warning" data-seq="${p.seq}"><path d="M${cx},${y - 11}l6,10h-12z"/><text x="${cx - 1.5}" y="${y - 2.5}">!</text></g>`;
    }
    return s;
  }

  causePoint(w, laneById, X) {
    if (this.model.jobOfWake?.has(w.seq)) return null; // a blocking job's wake: its arrow starts at the job (jobNodes)
    const c = wakeCause(this.model, w);
    if (c.kind === 'timer' && c.timer) {
      const lane = laneById.get(c.timer.task);
      const it = lane?.itemOf.get(c.timer);
      if (it) return [X(it.c.fire ?? it.c.e), it.y + OP_H / 2];
    }
    if (c.kind === 'op' && c.op) {
      const lane = laneById.get(c.op.task);
      const it = lane?.itemOf.get(c.op);
      if (it) return [X(it.c.e), it.y + OP_H / 2];
    }
    if (c.kind === 'task' && c.task && c.task !== w.task) {
      const lane = laneById.get(c.task);
      if (lane) { const r = lane.rows.get('0'); return [X(this.A.mid(w)), r.y + r.h / 2]; }
    }
    return null;
  }

  // Hovering a source line marks every poll that suspended at that line of that file (site-hl) and every task
  // poll that resumed from it (site-resume).
  // When polls are batched, those at the line are drawn on their own for it: that takes a render.
  setSiteLine(file, line) {
    const next = line == null ? null : { file, line };
    if (next?.file === this.siteLine?.file && next?.line === this.siteLine?.line) return;
    this.siteLine = next;
    if (this.batched) this.render(); else this.applySiteHighlight();
  }
  applySiteHighlight() {
    for (const el of this.svg.querySelectorAll('.poll.site-hl, .poll.site-resume')) el.classList.remove('site-hl', 'site-resume');
    this.siteCount = 0;
    if (this.siteLine == null) return;
    const f = CSS.escape(this.siteLine.file);
    const n = Number(this.siteLine.line);
    for (const el of this.svg.querySelectorAll(`.poll[data-file="${f}"][data-line="${n}"]`)) { el.classList.add('site-hl'); this.siteCount++; }
    for (const el of this.svg.querySelectorAll(`.poll[data-resume-file="${f}"][data-resume="${n}"]`)) el.classList.add('site-resume');
  }

  // ---------- interaction ----------
  tAt(clientX) {
    const r = this.svg.getBoundingClientRect();
    const x = ((clientX - r.left) / r.width) * this.L.width;
    return this.t0 + ((x - this.L.plotX) / this.L.plotW) * (this.t1 - this.t0);
  }

  bind() {
    const svg = this.svg;
    let drag = null;
    svg.addEventListener('wheel', (e) => {
      if (!this.model) return;
      if (!(e.ctrlKey || e.metaKey || document.activeElement === svg)) return; // let the page scroll
      e.preventDefault();
      const f = Math.exp(-e.deltaY * 0.0025);
      // Wheel events come faster than frames: accumulate them and draw once per frame.
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.deferred(() => this.pan(e.deltaX / 600));
      else { const at = this.tAt(e.clientX); this.deferred(() => this.zoom(f, at)); }
    }, { passive: false });
    svg.addEventListener('pointerdown', (e) => {
      if (!this.model || e.button !== 0) return;
      drag = { x: e.clientX, t0: this.t0, t1: this.t1, moved: false, id: e.pointerId };
    });
    svg.addEventListener('pointermove', (e) => {
      if (drag && e.pointerId === drag.id) {
        const dx = e.clientX - drag.x;
        if (Math.abs(dx) > 3 && !drag.moved) { drag.moved = true; svg.setPointerCapture(e.pointerId); svg.classList.add('dragging'); }
        if (drag.moved) {
          const r = svg.getBoundingClientRect();
          const dt = (dx / r.width) * this.L.width / this.L.plotW * (drag.t1 - drag.t0);
          this.deferred(() => this.setRange(drag.t0 - dt, drag.t1 - dt), true);
          this.tip.hidden = true;
          return;
        }
      }
      this.hover(e);
    });
    const endDrag = (e) => {
      if (!drag) return;
      const wasMoved = drag.moved;
      drag = null;
      svg.classList.remove('dragging');
      if (!wasMoved && e.type === 'pointerup') {
        const el = e.target.closest?.('[data-seq]');
        if (el) this.opts.onSelect(Number(el.getAttribute('data-seq')));
        else {
          const hit = this.hitAt(e.clientX, e.clientY);
          if (hit && hit[4] === 'seq') this.opts.onSelect(hit[5]);
        }
      }
    };
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    svg.addEventListener('pointerleave', () => { this.tip.hidden = true; });
    svg.addEventListener('blur', () => { this.tip.hidden = true; });
    svg.addEventListener('keydown', (e) => this.key(e));
  }

  key(e) {
    if (!this.model) return;
    const k = e.key;
    let handled = true;
    if (k === '+' || k === '=') this.zoom(1.5);
    else if (k === '-' || k === '_') this.zoom(1 / 1.5);
    else if (k === '0') this.fit();
    else if ((k === 'ArrowLeft' || k === 'ArrowRight') && e.shiftKey) this.pan(k === 'ArrowLeft' ? -0.2 : 0.2);
    else if (k === 'ArrowLeft' || k === '[') this.opts.onStep(-1);
    else if (k === 'ArrowRight' || k === ']') this.opts.onStep(1);
    else if (k === 'Home') this.opts.onStep('home');
    else if (k === 'End') this.opts.onStep('end');
    else handled = false;
    if (handled) { e.preventDefault(); this.showTipForCursor(); }
  }

  hover(e) {
    const el = e.target.closest?.('[data-seq],[data-timer],[data-op]');
    const hit = el ? null : this.hitAt(e.clientX, e.clientY);
    if (!el && !hit) { this.tip.hidden = true; return; }
    const html = el ? this.describe(el) : this.describeKey(hit[4], hit[5]);
    if (!html) { this.tip.hidden = true; return; }
    this.showTip(html, e.clientX, e.clientY);
  }

  showTip(html, clientX, clientY) {
    const r = this.root.getBoundingClientRect();
    this.tip.innerHTML = html;
    this.tip.hidden = false;
    const tw = this.tip.offsetWidth;
    const th = this.tip.offsetHeight;
    let x = clientX - r.left + 12;
    let y = clientY - r.top + 14;
    if (x + tw > r.width - 4) x = Math.max(4, clientX - r.left - tw - 12);
    if (y + th > r.height - 4) y = Math.max(4, clientY - r.top - th - 10);
    this.tip.style.left = `${x}px`;
    this.tip.style.top = `${y}px`;
  }

  // Keyboard users get the tooltip for the cursor event, anchored at the cursor.
  showTipForCursor() {
    if (this.cursorSeq == null || document.activeElement !== this.svg) return;
    const e = this.model.bySeq.get(this.cursorSeq);
    if (!e) return;
    const r = this.svg.getBoundingClientRect();
    const x = r.left + (Math.min(Math.max(this.X(this.A.mid(e)), this.L.plotX), this.L.plotX + this.L.plotW) / this.L.width) * r.width;
    this.showTip(describeEvent(this.model, e), x, r.top + 30);
  }

  // The batched shape under a point, from the last render's hit boxes: the last drawn (topmost) box that holds
  // the point, else the nearest within 3 px.
  hitAt(clientX, clientY) {
    if (!this.hits?.length) return null;
    const r = this.svg.getBoundingClientRect();
    const k = this.L.width / r.width;
    const x = (clientX - r.left) * k;
    const y = (clientY - r.top) * k;
    let best = null;
    let bestD = 3;
    for (let i = this.hits.length - 1; i >= 0; i--) {
      const b = this.hits[i];
      if (y < b[2] - 1 || y > b[3] + 1) continue;
      const d = x < b[0] ? b[0] - x : x > b[1] ? x - b[1] : 0;
      if (d === 0) return b;
      if (d < bestD) { best = b; bestD = d; }
    }
    return best;
  }

  describe(el) {
    for (const attr of ['seq', 'timer', 'op']) if (el.hasAttribute(`data-${attr}`)) return this.describeKey(attr, Number(el.getAttribute(`data-${attr}`)));
    return '';
  }

  describeKey(attr, id) {
    const m = this.model;
    if (attr === 'seq') {
      const e = m.bySeq.get(id);
      return e ? describeEvent(m, e, this.threshold) : '';
    }
    if (attr === 'timer') {
      const tm = m.timers.get(id);
      if (!tm) return '';
      const late = tm.fireT != null ? tm.fireT - tm.deadline : null;
      return `<b>timer #${tm.id}</b> (task ${tm.task})<br>armed at ${fmtMs(tm.armT)}, deadline ${fmtMs(tm.deadline)}<br>`
        + (tm.cancelled ? `cancelled: its task finished at ${fmtMs(tm.endT)} and dropped it before the deadline` : tm.fireT == null ? 'never fired (dropped or run ended)' : `fired at ${fmtMs(tm.fireT)}${late > 0.05 ? `, <b>${fmtMs(late)} late</b>` : ''}`);
    }
    const op = m.ops.get(id);
    if (!op) return '';
    return `<b>${esc(op.name)} op #${op.id}</b> (task ${op.task})<br>started ${fmtMs(op.startT)}, `
      + (op.endT == null ? 'still in flight at the end' : `settled ${fmtMs(op.endT)} (${op.ok ? 'ok' : 'failed'}), took ${fmtMs(op.endT - op.startT)}`);
  }
}

export function describeEvent(m, e, threshold = Infinity) {
  const task = m.tasks.get(e.task);
  const who = e.task ? `task ${e.task}${task ? ` (${esc(task.name)})` : ''}` : 'executor';
  const head = `<b>#${e.seq} ${esc(e.kind)}</b> · ${fmtMs(e.t)} · ${who}`;
  switch (e.kind) {
    case 'poll': {
      const lines = [`${esc(e.future)}${e.depth ? ` (depth ${e.depth}${e.index >= 0 ? `, child ${e.index}` : ''})` : ''} → <b>${esc(e.result)}</b> in ${fmtMs(e.dur)}`];
      if (e.depth === 0 && e.dur > threshold) lines.push(`<b>long poll</b>: over the ${threshold} ms threshold`);
      if (e.site) lines.push(`suspended at ${esc(e.site.file)}:${e.site.line}`);
      if (e.wake != null) { const w = m.bySeq.get(e.wake); if (w) lines.push(`woken by #${w.seq} (${esc(w.cause)}) at ${fmtMs(w.t)}`); }
      else if (e.depth === 0) lines.push('first poll');
      return `${head}<br>${lines.join('<br>')}`;
    }
    case 'wake': return `${head}<br>cause <b>${esc(e.cause)}</b>${e.by ? ` by task ${e.by}` : ''}, source ${esc(e.source)}`;
    case 'spawn': return `${head}<br>spawned${e.parent ? ` by task ${e.parent}` : ''}`;
    case 'timer': return `${head}<br>timer #${e.timer} armed, deadline ${fmtMs(e.deadline)}`;
    case 'host': return `${head}<br>${esc(e.name)} op #${e.op} started`;
    case 'settle': return `${head}<br>op #${e.op} settled ${e.ok ? 'ok' : 'with an error'}`;
    case 'complete': return `${head}<br>finished: ${esc(e.result)}`;
    case 'yield': return `${head}<br>time slice used up: yielded to the host`;
    case 'cancel': return e.future === 'join_handle' ? `${head}<br><b>join handle</b> dropped: that detaches its task, which is not cancelled and runs on` : `${head}<br><b>${esc(e.future)}</b> dropped ${e.polled ? 'before it was ready: cancelled, it will not be polled again' : 'without ever being polled: its body never ran'}`;
    case 'abort': return `${head}<br>abort requested: the task's future will be dropped`;
    case 'drop': return `${head}<br>the task's future was dropped unfinished`;
    case 'select': return `${head}<br>select: branch ${e.branch} of ${e.branches} ${e.outcome === 'won' ? '<b>won</b>; the others are dropped' : e.outcome === 'lost' ? 'lost: dropped (cancelled)' : 'dropped without being polled'}`;
    case 'semaphore': return `${head}<br>semaphore #${e.semaphore}: ${e.action === 'wait' ? `waits for ${e.permits} permit(s)` : e.action === 'granted' ? `granted ${e.permits} permit(s) after waiting` : `released ${e.permits} permit(s)`}; ${e.held} held now`;
    case 'token': return `${head}<br>token #${e.token} cancelled${e.byParent ? ' through its parent' : ''}: ${e.woken} waiter(s) woken`;
    default: return head;
  }
}

// A filled arrowhead at b, pointing along the last leg of a curve() from a (horizontal unless the leg is vertical).
function arrowHead(a, b) {
  const [x, y] = b;
  if (Math.abs(a[0] - b[0]) < 2) { const d = b[1] >= a[1] ? 1 : -1; return `M${x - 3},${y - 5 * d}L${x},${y}L${x + 3},${y - 5 * d}z`; }
  const d = b[0] >= a[0] ? 1 : -1;
  return `M${x - 5 * d},${y - 3}L${x},${y}L${x - 5 * d},${y + 3}z`;
}

function curve(a, b) {
  if (Math.abs(a[0] - b[0]) < 2) return `L${b[0]},${b[1]}`;
  const mx = (a[0] + b[0]) / 2;
  return `C${mx},${a[1]} ${mx},${b[1]} ${b[0]},${b[1]}`;
}

const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
