// args.js: an entry point's arguments, checked against its parameters and encoded as the "key=value" lines C
// parses (wasm/src/entries.c).
import { WasyncError, describe, named } from './errors.js';

/** Returns the lines for `args` (an object) or throws a WasyncError EINVAL that names the bad parameter. */
export function encodeArgs(entry, args, baseUrl) {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new TypeError(`${entry.name}: arguments must be an object, not ${describe(args)}`);
  let lines = '';
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    const p = entry.params.find((q) => q.name === k);
    if (!p) throw new WasyncError('EINVAL', `${entry.name}: unknown parameter ${named(k)} (expected ${entry.params.map((q) => q.name).join(', ') || 'none'})`);
    let s;
    if (p.kind === 'ms' || p.kind === 'int') {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be an integer, not ${describe(v)}`);
      if (v < p.min || v > p.max) throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be from ${p.min} to ${p.max}, not ${describe(v)}`);
      s = String(v);
    } else if (p.kind === 'url') {
      if (typeof v !== 'string' || v === '') throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be a URL string, not ${describe(v)}`);
      try {
        s = new URL(v, baseUrl).href;
      } catch {
        throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' is not a valid URL: ${describe(v)}`);
      }
    } else {
      if (typeof v !== 'string') throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be a string, not ${describe(v)}`);
      s = v;
    }
    lines += `${k}=${s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
  }
  // URL parameters left at their default are resolved here too, so C never sees a relative URL.
  for (const p of entry.params) {
    if (p.kind === 'url' && args[p.name] === undefined && p.default) {
      try {
        lines += `${p.name}=${new URL(p.default, baseUrl).href}\n`;
      } catch {
        // no base URL (Node without baseUrl): leave the default to C, and the fetch reports the problem
      }
    }
  }
  return lines;
}
