// What lets the timeline draw a 10 000-event trace at frame rate: an index that finds the things in view without
// looking at the others, and batches that draw many shapes of one kind as a single SVG path.
//  - spanIndex: spans sorted by start; with the running maximum of their ends, the spans that meet [a, b] are one
//    contiguous run found by two binary searches (spans may overlap: a long one keeps the maximum up).
//  - RectBatch: rects of one class on one row become subpaths of one <path>; a rect that starts within a pixel of
//    the previous one's end extends it, so at any zoom a row costs at most one subpath per pixel column.
// The browser's cost of a render is mostly per SVG node (parsing, style, layout, paint), so batching is what keeps
// it small; pointing at a batched shape is answered by the timeline from its own list of hit boxes.

// items: any objects, already sorted by start; s(item) and e(item) their start and end on the axis.
export function spanIndex(items, s, e) {
  const n = items.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const maxEnd = new Float64Array(n);
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    start[i] = s(items[i]);
    end[i] = e(items[i]);
    m = Math.max(m, end[i]);
    maxEnd[i] = m;
  }
  return { items, start, end, maxEnd };
}

// The index range [i0, i1) of the spans that end at or after a and start at or before b.
export function inRange(ix, a, b) {
  return [lowerBound(ix.maxEnd, a), upperBound(ix.start, b)];
}

// First index whose value is >= v (arr nondecreasing).
export function lowerBound(arr, v) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}

// First index whose value is > v.
export function upperBound(arr, v) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] <= v) lo = mid + 1; else hi = mid; }
  return lo;
}

const r1 = (x) => Math.round(x * 10) / 10;

export class RectBatch {
  constructor() { this.groups = new Map(); this.merged = 0; }

  // attrs: extra attributes of the group's path (data-testid, ...), taken from its first rect. hit: the caller's
  // hit box for this rect ([x1, x2, ...]); a rect merged into the previous one widens that one's box instead, and
  // add returns false (nothing new to point at).
  add(cls, x, y, w, h, attrs = '', hit = null) {
    const key = `${cls}|${y}|${h}`;
    let g = this.groups.get(key);
    if (!g) { g = { cls, y, h, attrs, d: [], x1: 0, x2: -Infinity, hit: null }; this.groups.set(key, g); }
    if (x <= g.x2 + 1) {
      this.merged++;
      g.x2 = Math.max(g.x2, x + w);
      if (g.hit) g.hit[1] = g.x2;
      return false;
    }
    flush(g);
    g.x1 = x;
    g.x2 = x + w;
    g.hit = hit;
    return true;
  }

  // One <path> per class and row.
  svg() {
    const out = [];
    for (const g of this.groups.values()) {
      flush(g);
      if (g.d.length) out.push(`<path class="${g.cls}"${g.attrs} d="${g.d.join('')}"/>`);
    }
    return out;
  }
}

function flush(g) {
  if (g.x2 === -Infinity) return;
  g.d.push(`M${r1(g.x1)},${r1(g.y)}h${r1(Math.max(2, g.x2 - g.x1))}v${g.h}h${-r1(Math.max(2, g.x2 - g.x1))}z`);
  g.x2 = -Infinity;
}
