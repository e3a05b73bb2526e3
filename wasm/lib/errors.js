// errors.js: the runtime's error codes (the WS_ERRORS table in ws_base.h, via contract.js) as JS errors with a
// stable `code`.
import { ERRORS, ERROR_TEXT, EUSER } from './contract.js';

const CODES = new Map(Object.entries(ERRORS).map(([name, value]) => [value, name]));

// Codes that exist only on the JS side: a trap of the module, and codes <= EUSER from application C code.
const MESSAGES = { ...ERROR_TEXT, ETRAP: 'the WebAssembly module trapped', EUSER: 'application error' };

export class WasyncError extends Error {
  constructor(code, message, options) {
    super(message || MESSAGES[code] || code, options);
    this.name = code === 'ECANCELED' ? 'AbortError' : 'WasyncError';
    this.code = code;
  }
}
// Its own name even when minified: Node prints an uncaught error as "<constructor name> [<name>]: message".
Object.defineProperty(WasyncError, 'name', { value: 'WasyncError' });

/** The code name of a negative C error number. */
export function codeOf(err) {
  return CODES.get(err) ?? (err <= EUSER ? 'EUSER' : 'EUNKNOWN');
}

export function errorFrom(err, message) {
  const code = codeOf(err);
  return new WasyncError(code, message || MESSAGES[code]);
}

/** The message of a rejection value, or `fallback`. */
export function messageOf(e, fallback) {
  try {
    if (e instanceof Error) return String(e.message) || fallback;
  } catch {
    return fallback; // a message getter that throws
  }
  if (typeof e === 'string') return e;
  return fallback;
}

// Longest quoted name or value in a message: a 1 MB name is cut, not echoed whole.
const SHOWN = 60;

/** A name (an entry, a host function, a parameter) as a message quotes it: one line, cut past SHOWN characters. */
export function named(name) {
  const full = String(name);
  const s = oneLine(full.slice(0, SHOWN + 1));
  return s.length > SHOWN ? `'${s.slice(0, SHOWN)}…' (${full.length} characters)` : `'${s}'`;
}

/** Any value as a message shows it (`42`, `null`, `10n`, `{"a":1}`, `a function`): one line, cut, never throwing. */
export function describe(v) {
  let s;
  try {
    if (typeof v === 'string') s = JSON.stringify(v);
    else if (typeof v === 'bigint') s = `${v}n`;
    else if (typeof v === 'symbol') s = v.toString();
    else if (typeof v === 'function') s = 'a function';
    else if (typeof v === 'number') s = Object.is(v, -0) ? '-0' : String(v);
    else if (v === undefined) s = 'undefined';
    else if (v instanceof Error) s = `${v.name}: ${v.message}`;
    else s = JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? Object.prototype.toString.call(v);
  } catch {
    s = Object.prototype.toString.call(v); // circular, a throwing toJSON or getter, a revoked proxy
  }
  s = oneLine(s);
  return s.length > SHOWN ? `${s.slice(0, SHOWN)}… (${s.length} characters)` : s;
}

/** Text from outside (a host function's rejection) as one line of a message: control characters escaped, cut at
 * `max` characters. */
export function oneLine(s, max = Infinity) {
  const t = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return t.length > max ? `${t.slice(0, max)}… (${t.length} characters)` : t;
}

/** The message of a host function's rejection (or throw) value `e`: an Error's message, a string, an object's
 * string `message`, or else a description of the value itself, so 42 or { code: 7 } is not lost. */
export function rejectionMessage(e, who) {
  let m;
  try {
    if (e instanceof Error) m = String(e.message) || `${who} failed with ${e.name || 'an Error'}`;
    else if (typeof e === 'string') m = e || `${who} rejected with an empty string`;
    else if (e !== null && typeof e === 'object' && typeof e.message === 'string' && e.message) m = e.message;
  } catch {
    // a getter that throws: describe the value instead
  }
  return oneLine(m ?? `${who} rejected with ${describe(e)}`, 1000);
}
