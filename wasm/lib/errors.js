// errors.js: the runtime's error codes (ws_base.h) as JS errors with a stable `code`.

const CODES = new Map([
  [-1, 'EINVAL'], [-2, 'ENOMEM'], [-3, 'ECANCELED'], [-4, 'ECLOSED'], [-5, 'ETIMEDOUT'], [-6, 'ESTALE'],
  [-7, 'EHOST'], [-8, 'EBUSY'], [-9, 'EFULL'], [-10, 'EEMPTY'], [-11, 'ENOENT'], [-12, 'ESTALL'],
  [-13, 'ELAGGED'], [-14, 'ENOTHELD'],
]);

const MESSAGES = {
  EINVAL: 'invalid argument', ENOMEM: 'out of memory', ECANCELED: 'aborted', ECLOSED: 'the runtime is closed',
  ETIMEDOUT: 'timed out', ESTALE: 'stale id: no such task or job', EHOST: 'host operation failed',
  EBUSY: 'not allowed while the executor is polling', ENOENT: 'no such name', ESTALL: 'stalled',
  ELAGGED: 'lagged: the receiver missed messages', ENOTHELD: 'released more permits than are held',
  ETRAP: 'the WebAssembly module trapped', EUSER: 'application error',
};

export class WasyncError extends Error {
  constructor(code, message, options) {
    super(message || MESSAGES[code] || code, options);
    this.name = code === 'ECANCELED' ? 'AbortError' : 'WasyncError';
    this.code = code;
  }
}

/** The code name of a negative C error number. */
export function codeOf(err) {
  return CODES.get(err) ?? (err <= -15 ? 'EUSER' : 'EUNKNOWN');
}

export function errorFrom(err, message) {
  const code = codeOf(err);
  return new WasyncError(code, message || MESSAGES[code]);
}
