// The page state lives in the query string so a link reproduces a run:
// ?example=join&p.a=100&p.b=200&clock=virtual&budget=128&slice=4&cap=65536&thr=10&sel=12&compare=seq-join&embed=1
const KNOBS = ['clock', 'budget', 'slice', 'cap', 'thr', 'sel', 'compare', 'embed', 'theme', 'ca', 'cb', 'cc', 'axis'];

// What a link leaves out: the page's executor settings when the link does not give them.
export const KNOB_DEFAULTS = Object.freeze({ clock: 'virtual', budget: 128, slice: 4, cap: 65536, thr: 10 });
const KNOB_NAMES = { clock: 'clock', budget: 'budget', slice: 'time slice', cap: 'trace capacity', thr: 'long-poll threshold' };

/** table[key] when the table has that key of its own: URL text such as __proto__ or toString must not reach
 * Object.prototype. */
export function own(table, key) {
  return key != null && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The executor settings a link asks for: { knobs: { clock, budget, slice, cap }, thr, notes }. A value of the
 * wrong form (not a whole number, a clock other than virtual or real, a negative threshold) is replaced by its
 * default, and `notes` says so, one line each. The ranges are createRuntime's to check: a value it refuses is
 * handled where the runtime is made. */
export function knobsFromUrl(url) {
  const notes = [];
  const pick = (key, ok) => {
    const v = url[key];
    if (v == null) return KNOB_DEFAULTS[key];
    if (ok(v)) return key === 'clock' ? v : Number(v);
    notes.push(`The link's ${KNOB_NAMES[key]} "${shorten(v)}" is not valid: using the default, ${KNOB_DEFAULTS[key]}.`);
    return KNOB_DEFAULTS[key];
  };
  const whole = (v) => /^\d{1,15}$/.test(v);
  const knobs = {
    clock: pick('clock', (v) => v === 'virtual' || v === 'real'),
    budget: pick('budget', whole),
    slice: pick('slice', whole),
    cap: pick('cap', whole),
  };
  const thr = pick('thr', (v) => v.trim() !== '' && Number(v) >= 0 && Number.isFinite(Number(v)));
  return { knobs, thr, notes };
}

/** URL text as a note quotes it: at most 40 characters. */
export function shorten(text) {
  const s = String(text);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function readUrlState(loc = location) {
  const q = new URLSearchParams(loc.search);
  // Accept the same keys in the hash too (older links, docs that can only set a fragment).
  const h = new URLSearchParams(loc.hash.replace(/^#/, ''));
  for (const [k, v] of h) if (!q.has(k)) q.set(k, v);
  const params = Object.create(null);
  for (const [k, v] of q) if (k.startsWith('p.')) params[k.slice(2)] = v;
  const out = { example: q.get('example'), params };
  for (const k of KNOBS) if (q.has(k)) out[k] = q.get(k);
  return out;
}

export function writeUrlState(s) {
  const q = new URLSearchParams();
  if (s.embed) q.set('embed', '1');
  if (s.example) q.set('example', s.example);
  for (const [k, v] of Object.entries(s.params || {})) q.set(`p.${k}`, String(v));
  const D = KNOB_DEFAULTS;
  if (s.clock && s.clock !== D.clock) q.set('clock', s.clock);
  if (s.budget != null && s.budget !== D.budget) q.set('budget', s.budget);
  if (s.slice != null && s.slice !== D.slice) q.set('slice', s.slice);
  if (s.cap != null && s.cap !== D.cap) q.set('cap', s.cap);
  if (s.thr != null && s.thr !== D.thr) q.set('thr', s.thr);
  if (s.compare) q.set('compare', s.compare);
  if (s.ca) q.set('ca', s.ca); // compare=custom: the variants (compare.js)
  if (s.cb) q.set('cb', s.cb);
  if (s.cc) q.set('cc', s.cc); // a third variant, when there is one
  if (s.axis) q.set('axis', s.axis); // the x axis the user chose (absent: chosen per run)
  if (s.sel != null) q.set('sel', s.sel);
  // An edited program in the hash (share-src.js) stays: the editor writes and clears it.
  const program = /(^#|&)src=/.test(location.hash) ? location.hash : '';
  const url = `${location.pathname}?${q}${program}`;
  if (url !== location.pathname + location.search + program) history.replaceState(null, '', url);
  return new URL(url, location.href).href;
}
