// The page state lives in the query string so a link reproduces a run:
// ?example=join&p.a=100&p.b=200&clock=virtual&budget=128&slice=4&cap=65536&thr=10&sel=12&compare=seq-join&embed=1
const KNOBS = ['clock', 'budget', 'slice', 'cap', 'thr', 'sel', 'compare', 'embed', 'theme', 'ca', 'cb', 'axis'];

export function readUrlState(loc = location) {
  const q = new URLSearchParams(loc.search);
  // Accept the same keys in the hash too (older links, docs that can only set a fragment).
  const h = new URLSearchParams(loc.hash.replace(/^#/, ''));
  for (const [k, v] of h) if (!q.has(k)) q.set(k, v);
  const params = {};
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
  if (s.clock && s.clock !== 'virtual') q.set('clock', s.clock);
  if (s.budget != null && s.budget !== 128) q.set('budget', s.budget);
  if (s.slice != null && s.slice !== 4) q.set('slice', s.slice);
  if (s.cap != null && s.cap !== 65536) q.set('cap', s.cap);
  if (s.thr != null && s.thr !== 10) q.set('thr', s.thr);
  if (s.compare) q.set('compare', s.compare);
  if (s.ca) q.set('ca', s.ca); // compare=custom: the two variants (compare.js)
  if (s.cb) q.set('cb', s.cb);
  if (s.axis) q.set('axis', s.axis); // the x axis the user chose (absent: chosen per run)
  if (s.sel != null) q.set('sel', s.sel);
  const url = `${location.pathname}?${q}`;
  if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  return new URL(url, location.href).href;
}
