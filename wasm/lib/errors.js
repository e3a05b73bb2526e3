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
