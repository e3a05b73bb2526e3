// options.js: createRuntime's options, checked and filled with their defaults.

const KNOWN = new Set(['clock', 'trace', 'traceCapacity', 'traceKeep', 'budget', 'sliceMs', 'wasm', 'baseUrl', 'runLimitMs']);

/** Returns the options with defaults, or throws a TypeError that names the bad option. */
export function checkOptions(o) {
  if (o === null || typeof o !== 'object') throw new TypeError('createRuntime: options must be an object');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new TypeError(`createRuntime: unknown option '${k}'`);
  const clock = o.clock ?? 'virtual';
  if (clock !== 'virtual' && clock !== 'real') throw new TypeError(`createRuntime: clock must be 'virtual' or 'real', not ${JSON.stringify(clock)}`);
  const int = (name, v, def, min, max) => {
    if (v === undefined) return def;
    if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`createRuntime: ${name} must be an integer from ${min} to ${max}`);
    return v;
  };
  const sliceMs = o.sliceMs ?? 4;
  if (typeof sliceMs !== 'number' || !(sliceMs >= 0 && sliceMs <= 60000)) throw new TypeError('createRuntime: sliceMs must be a number from 0 to 60000');
  if (o.trace !== undefined && typeof o.trace !== 'boolean') throw new TypeError('createRuntime: trace must be a boolean');
  const traceKeep = o.traceKeep ?? 'first';
  if (traceKeep !== 'first' && traceKeep !== 'last') throw new TypeError(`createRuntime: traceKeep must be 'first' or 'last', not ${JSON.stringify(traceKeep)}`);
  return {
    clock,
    trace: o.trace ?? true,
    traceCapacity: int('traceCapacity', o.traceCapacity, 65536, 16, 1 << 22),
    traceKeep,
    budget: int('budget', o.budget, 128, 0, 0xffffffff),
    sliceMs,
    wasm: o.wasm,
    baseUrl: o.baseUrl ?? globalThis.location?.href,
    runLimitMs: int('runLimitMs', o.runLimitMs, 600000, 1, 1e9),
  };
}
