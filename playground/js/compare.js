// Compare mode: two or three variants, one above the other on one shared time axis. A variant is an example with
// its own parameters and its own budget, so "the same example at budget 128 and at budget 4" is a comparison too.
// Presets fill the variants (A, B and, for a three-way preset, C); editing any turns the comparison into "your own".
// The variants round-trip through the link as ca=, cb= and cc= ("blocking;budget=4;items=40"); ?compare= also takes
// a list of two or three examples ("blocking,cooperative,offload").
import { buildModel } from './model.js';
import { computeLints } from './lints.js';
import { Timeline } from './timeline.js';
import { pollsTakeNoTime } from './axis.js';
import { esc, fmtElapsed } from './format.js';
import { defaultsFor, validateParams } from './params.js';

export const PAIRS = {
  'sequential-join': { label: 'sequential vs join', a: { example: 'sequential' }, b: { example: 'join' }, text: 'Same two sleeps. Awaited one after the other they add up; joined, the run takes as long as the longer one.' },
  'join-spawn': { label: 'join vs spawn', a: { example: 'join' }, b: { example: 'spawn' }, text: 'Same concurrency, different ownership: join keeps both futures inside one task (nested rows), spawn gives each its own task (lanes).' },
  'blocking-cooperative': { label: 'blocking vs cooperative', a: { example: 'blocking' }, b: { example: 'cooperative' }, text: 'Same CPU work. Done in one poll it delays the ticker; cut into chunks with yields, the ticker keeps its rhythm.' },
  'blocking-offload': { label: 'blocking vs offload', a: { example: 'blocking' }, b: { example: 'offload' }, text: 'CPU work in a poll against CPU work on a worker (spawn_blocking). The value is the ticker\'s worst lateness in ms: blocking\'s is the whole loop; offload\'s stays near 0, as the executor is free while a worker computes.' },
  'blocking-cooperative-offload': { label: 'blocking vs cooperative vs offload', a: { example: 'blocking' }, b: { example: 'cooperative' }, c: { example: 'offload' }, text: 'The same CPU work three ways; each value is the ticker\'s worst lateness in ms. Done in one poll (blocking), the ticker waits for the whole loop; cut into chunks with yields (cooperative), it is late by at most about one item; moved to a worker with spawn_blocking (offload), the executor is free while the items compute, so it is late only by how long the page takes to notice a due timer.' },
  'cooperative-offload': { label: 'cooperative vs offload', a: { example: 'cooperative' }, b: { example: 'offload' }, text: 'The two fixes for CPU-bound work side by side. Yielding keeps the ticker within one item of its rhythm on the one thread; spawn_blocking moves the items to a worker, so the ticker is never late for them, at the cost of a round trip per item.' },
  'budget': { label: 'blocking at budget 128 vs 4', a: { example: 'blocking', budget: 128 }, b: { example: 'blocking', budget: 4 }, text: 'The same blocking example twice. At the default budget the cruncher never runs out and holds the executor for its whole loop; at budget 4 every fourth await makes it yield, so the ticker runs between short polls.' },
  'timeout-win': { label: 'timeout: operation loses vs wins', a: { example: 'timeout' }, b: { example: 'timeout', params: { limit: '400' } }, text: 'The same race with two time limits: below the operation the timer wins and the operation is dropped; above it the operation wins and the timer is dropped.' },
};
export const CUSTOM = 'custom';
export const SIDES = ['a', 'b', 'c'];
const OWN = 'Your own comparison: each variant is an example with its own parameters and budget.';

// The preset whose variants are exactly these examples (no parameters, no budget), if any: ?compare=a,b[,c].
export function presetOf(variants) {
  const names = variants.map((v) => v.example);
  if (variants.some((v) => v.budget != null || Object.keys(v.params).length)) return null;
  return Object.keys(PAIRS).find((k) => {
    const p = PAIRS[k];
    const ex = [p.a, p.b, p.c].filter(Boolean);
    return ex.length === names.length && ex.every((v, i) => v.example === names[i] && v.budget == null && !v.params);
  }) || null;
}

// "blocking;budget=4;items=40" <-> { example, budget, params }.
export function encodeVariant(v) {
  const parts = [v.example];
  if (v.budget != null) parts.push(`budget=${v.budget}`);
  for (const [k, val] of Object.entries(v.params || {})) parts.push(`${k}=${val}`);
  return parts.join(';');
}
export function decodeVariant(s) {
  const [example, ...rest] = String(s || '').split(';');
  const v = { example, budget: null, params: Object.create(null) }; // link text never reaches Object.prototype
  for (const kv of rest) {
    const i = kv.indexOf('=');
    if (i <= 0) continue;
    const k = kv.slice(0, i);
    const val = kv.slice(i + 1);
    if (k === 'budget') v.budget = val; else v.params[k] = val;
  }
  return v;
}

export class CompareView {
  // els: { a: { pane, timeline, form, title, elapsed }, b: {...}, c: {...}, explain }. Pane C is hidden while the
  // comparison has two variants.
  constructor(els, { onEdit = () => {} } = {}) {
    this.els = els;
    this.onEdit = onEdit;
    this.sync = false;
    this.examples = [];
    this.variants = { a: null, b: null, c: null };
    this.tl = {};
    const onRange = (src) => (t0, t1) => {
      if (this.sync) return;
      this.sync = true;
      for (const side of this.sides()) if (side !== src) this.tl[side].setRange(t0, t1, true);
      this.sync = false;
    };
    for (const side of SIDES) this.tl[side] = new Timeline(els[side].timeline, { testid: `timeline-${side}`, idPrefix: `cmp${side}`, onRange: onRange(side) });
  }

  /** The variants in use: ['a', 'b'] or ['a', 'b', 'c']. */
  sides() { return this.variants.c ? SIDES : SIDES.slice(0, 2); }

  // Adds a third variant (a copy of B, to edit) or removes it; either makes the comparison "your own".
  setThird(on) {
    this.variants.c = on ? { ...this.variants.b, params: { ...this.variants.b.params } } : null;
    if (on) this.renderForm('c');
    this.els.c.pane.hidden = !on;
    this.els.third?.setAttribute('aria-pressed', String(on));
    this.onEdit();
  }

  setExamples(list) { this.examples = list; }

  // Fills both variant editors from a preset, or from decoded link variants for CUSTOM.
  load(key, { a = null, b = null, c = null, budget = 128 } = {}) {
    const p = Object.hasOwn(PAIRS, key) ? PAIRS[key] : null;
    if (!p && !a && !b && this.variants.a) { // "your own" picked in the menu: keep what the editors hold
      this.els.explain.textContent = OWN;
      return;
    }
    const fill = (v) => ({ example: v.example, budget: v.budget ?? budget, params: { ...(v.params || {}) } });
    this.variants.a = p ? fill(p.a) : fill(a || PAIRS['sequential-join'].a);
    this.variants.b = p ? fill(p.b) : fill(b || PAIRS['sequential-join'].b);
    this.variants.c = p ? (p.c ? fill(p.c) : null) : (c ? fill(c) : null);
    for (const side of this.sides()) {
      if (!this.examples.some((e) => e.name === this.variants[side].example)) this.variants[side].example = this.examples[0]?.name;
      this.renderForm(side);
    }
    this.els.c.pane.hidden = !this.variants.c;
    this.els.third?.setAttribute('aria-pressed', String(!!this.variants.c));
    this.els.explain.textContent = p ? p.text : OWN;
  }

  renderForm(side) {
    const v = this.variants[side];
    const ex = this.examples.find((e) => e.name === v.example);
    const vals = { ...defaultsFor(ex), ...v.params };
    const id = (n) => `cmp-${side}-${n}`;
    const form = this.els[side].form;
    form.innerHTML = `<label>Example<select id="${id('example')}" data-testid="${id('example')}">${this.examples.map((e) => `<option value="${esc(e.name)}"${e.name === ex.name ? ' selected' : ''}>${esc(e.name)}</option>`).join('')}</select></label>`
      + ex.params.map((p) => `<label>${esc(p.label || p.name)}<input type="text" size="7" name="${esc(p.name)}" id="${id(`p-${p.name}`)}" data-testid="${id(`param-${p.name}`)}" value="${esc(vals[p.name] ?? '')}" spellcheck="false"></label>`).join('')
      + `<label>Budget<input type="number" min="0" step="1" id="${id('budget')}" data-testid="${id('budget')}" value="${esc(v.budget)}"></label>`;
    this.els[side].title.textContent = `${side.toUpperCase()}: ${ex.title || ex.name}`;
    form.querySelector('select').onchange = (e) => {
      this.variants[side] = { example: e.target.value, budget: v.budget, params: {} };
      this.renderForm(side);
      this.onEdit();
    };
    for (const input of form.querySelectorAll('input')) {
      input.onchange = () => {
        if (input.id === id('budget')) v.budget = input.value.trim();
        else v.params[input.name] = input.value.trim();
        this.onEdit();
      };
    }
  }

  // The variant as run: example, validated params and budget. Throws a one-line error naming the bad field.
  resolved(side) {
    const v = this.variants[side];
    const ex = this.examples.find((e) => e.name === v.example);
    if (!ex) throw new Error(`${side.toUpperCase()}: unknown example "${v.example}"`);
    const { values, errors } = validateParams(ex, { ...defaultsFor(ex), ...v.params });
    if (errors.length) throw new Error(`${side.toUpperCase()}: ${errors[0].message}`);
    const b = String(v.budget ?? '').trim();
    if (!/^\d+$/.test(b)) throw new Error(`${side.toUpperCase()}: budget "${b}" is not a whole number ≥ 0`);
    return { ex, values, budget: Number(b) };
  }

  // Runs A then B on one runtime, each at its own budget, and restores the page's budget afterwards.
  // axis: 'order' / 'time', or null for order when neither run's polls take time.
  // Runs the variants in order (A, B, C) on one runtime, each at its own budget, and restores the page's budget
  // afterwards. Returns { sides: { a: { result, elapsed }, ... } }.
  async run(rt, { threshold, budget, slice, axis = null }) {
    const sides = this.sides();
    const vs = sides.map((side) => this.resolved(side));
    const results = [];
    try {
      for (const v of vs) {
        rt.configure({ budget: v.budget, sliceMs: slice });
        results.push(await rt.runExample(v.ex.name, v.values));
      }
    } finally {
      rt.configure({ budget, sliceMs: slice });
    }
    const models = results.map((r) => buildModel(r.trace));
    const end = Math.max(...models.map((m) => m.end), ...results.map((r) => r.elapsedMs || 0));
    const kind = axis || (models.every(pollsTakeNoTime) ? 'order' : 'time');
    const out = {};
    sides.forEach((side, i) => {
      const r = results[i];
      this.tl[side].setData(models[i], { lints: computeLints(models[i], { thresholdMs: threshold, truncated: r.truncated }), threshold, end, axis: kind });
      out[side] = { result: r, elapsed: fmtElapsed(r.elapsedMs) };
    });
    this.last = out;
    return { sides: out };
  }

  link() {
    const l = { ca: encodeVariant(this.variants.a), cb: encodeVariant(this.variants.b) };
    if (this.variants.c) l.cc = encodeVariant(this.variants.c);
    return l;
  }
}
