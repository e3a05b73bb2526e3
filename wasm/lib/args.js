// args.js: an entry point's arguments, checked against its parameters and sent typed (one ws_value per parameter,
// wasm/src/entries.c wsx_args_take). Given by name (an object) or by position (an array).
import { VALUE_TYPES } from './contract.js';
import { WasyncError, describe, named } from './errors.js';
import { typeOfValue, checkBigInt } from './values.js';

const bad = (entry, why) => new WasyncError('EINVAL', `${entry.name}: ${why}`);

// "bytes or string" for a VALUE parameter's mask (0: any type).
function typesOf(mask) {
  return VALUE_TYPES.filter((_, i) => mask & (1 << i));
}

function listed(types) {
  return types.length <= 1 ? types.join('') : `${types.slice(0, -1).join(', ')} or ${types.at(-1)}`;
}

/** Checks `args` (an object by parameter name, or an array by position) against `entry`'s parameters and returns
 * one JS value per parameter (undefined: not given, C uses the default). Throws a WasyncError EINVAL, one line,
 * naming the parameter and what it takes. */
export function encodeArgs(entry, args, baseUrl) {
  const params = entry.params;
  const out = new Array(params.length).fill(undefined);
  if (Array.isArray(args)) {
    if (args.length > params.length) {
      const names = params.map((p) => p.name).join(', ');
      throw bad(entry, `takes ${params.length === 0 ? 'no arguments' : `at most ${params.length} argument${params.length === 1 ? '' : 's'} (${names})`}, not ${args.length}`);
    }
    args.forEach((v, i) => { out[i] = v; });
  } else if (args !== null && typeof args === 'object') {
    for (const [k, v] of Object.entries(args)) {
      const i = params.findIndex((q) => q.name === k);
      if (i < 0) throw bad(entry, `unknown parameter ${named(k)} (expected ${params.map((q) => q.name).join(', ') || 'none'})`);
      out[i] = v;
    }
  } else {
    throw new TypeError(`${entry.name}: arguments must be an object or an array, not ${describe(args)}`);
  }
  for (let i = 0; i < params.length; i++) out[i] = check(entry, params[i], out[i], baseUrl);
  return out;
}

function check(entry, p, v, baseUrl) {
  const k = p.name;
  switch (p.kind) {
    case 'ms':
    case 'int': {
      if (v === undefined) return undefined;
      const ok = (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
      if (!ok) throw bad(entry, `parameter '${k}' must be an integer, not ${describe(v)}`);
      if (v < p.min || v > p.max) throw bad(entry, `parameter '${k}' must be from ${p.min} to ${p.max}, not ${describe(v)}`);
      return Number(v);
    }
    case 'url':
      if (v === undefined) {
        // A default URL is resolved here too, so C never sees a relative URL.
        if (!p.default) return undefined;
        try {
          return new URL(p.default, baseUrl).href;
        } catch {
          return undefined; // no base URL (Node without baseUrl): C keeps the default, and the fetch reports it
        }
      }
      if (typeof v !== 'string' || v === '') throw bad(entry, `parameter '${k}' must be a URL string, not ${describe(v)}`);
      try {
        return new URL(v, baseUrl).href;
      } catch {
        throw bad(entry, `parameter '${k}' is not a valid URL: ${describe(v)}`);
      }
    case 'text':
      if (v !== undefined && typeof v !== 'string') throw bad(entry, `parameter '${k}' must be a string, not ${describe(v)}`);
      return v;
    default: { // 'value'
      const allowed = p.types ? typesOf(p.types) : null;
      const type = typeOfValue(v);
      if (type === 'function' || type === 'symbol') throw bad(entry, `parameter '${k}' cannot take a ${type}`);
      if (allowed && !allowed.includes(type)) {
        const want = listed(allowed.filter((t) => t !== 'undefined'));
        throw bad(entry, v === undefined ? `parameter '${k}' is required (${want})` : `parameter '${k}' must be ${want}, not ${describe(v)}`);
      }
      if (type === 'bigint') {
        try {
          checkBigInt(v);
        } catch (e) {
          throw bad(entry, `parameter '${k}': ${e.message}`);
        }
      }
      return v;
    }
  }
}
