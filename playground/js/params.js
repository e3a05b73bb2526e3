// Example parameters: form fields generated from rt.examples (kind 'ms' | 'int' | 'url', min, max, default),
// validated here against the same metadata before a run, so a bad value is reported in the page by name.

// A URL default is relative (e.g. /api/delay?ms=150); the field shows it resolved against this page, which is
// also what the package does with baseUrl.
export function defaultValue(param) {
  if (param.kind === 'url') {
    try { return new URL(String(param.default ?? ''), location.href).href; } catch { return String(param.default ?? ''); }
  }
  return param.default;
}

export function defaultsFor(ex) {
  const out = {};
  for (const p of ex.params) out[p.name] = String(defaultValue(p) ?? '');
  return out;
}

const isNum = (p) => p.kind === 'ms' || p.kind === 'int';

export function renderParams(container, ex, values) {
  container.innerHTML = '';
  if (!ex.params.length) {
    const span = document.createElement('span');
    span.className = 'muted no-params';
    span.textContent = 'This example has no parameters.';
    container.append(span);
  }
  for (const p of ex.params) {
    const label = document.createElement('label');
    if (p.kind === 'url') label.className = 'url';
    const input = document.createElement('input');
    // type=text for URLs too: the page validates (relative URLs are fine) and reports errors itself.
    input.type = 'text';
    input.inputMode = isNum(p) ? 'numeric' : 'url';
    if (isNum(p)) input.size = 7;
    input.name = p.name;
    input.id = `param-${p.name}`;
    input.dataset.testid = `param-${p.name}`;
    input.value = values[p.name] ?? '';
    input.spellcheck = false;
    if (isNum(p)) input.title = `${p.kind === 'ms' ? 'milliseconds' : 'a whole number'} from ${p.min} to ${p.max} (default ${p.default})`;
    else input.title = `a URL, absolute or relative to this page (default ${p.default})`;
    const unit = p.kind === 'ms' && !/ms\)?$/.test(p.label || '') ? ' (ms)' : '';
    label.append(`${p.label || p.name}${unit}`, input);
    container.append(label);
  }
}

// Returns { values, errors: [{ name, message }] }. Numbers must be whole and within [min, max]; URLs http(s),
// absolute or relative to this page.
export function validateParams(ex, raw) {
  const values = {};
  const errors = [];
  for (const p of ex.params) {
    const s = String(raw[p.name] ?? '').trim();
    const label = p.label || p.name;
    if (p.kind === 'url') {
      let u = null;
      try { u = s ? new URL(s, location.href) : null; } catch { /* reported below */ }
      if (!u || !/^https?:$/.test(u.protocol)) errors.push({ name: p.name, message: `${label}: "${s}" is not an http(s) URL.` });
      else values[p.name] = u.href;
    } else if (isNum(p)) {
      const min = p.min ?? 0;
      const max = p.max ?? Number.MAX_SAFE_INTEGER;
      if (!/^-?\d+$/.test(s)) {
        errors.push({ name: p.name, message: `${label}: "${s}" is not a whole number${p.kind === 'ms' ? ' of milliseconds' : ''} (from ${min} to ${max}).` });
      } else if (Number(s) < min || Number(s) > max) {
        errors.push({ name: p.name, message: `${label}: ${s} is out of range: from ${min} to ${max}.` });
      } else values[p.name] = Number(s);
    } else {
      values[p.name] = s;
    }
  }
  return { values, errors };
}
