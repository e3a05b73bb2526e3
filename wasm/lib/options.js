// options.js: createRuntime's options, checked and filled with their defaults; configure's and readTrace's.
import { describe, named } from './errors.js';
import { isPackageModule } from './load.js';

const KNOWN = new Set(['clock', 'trace', 'traceCapacity', 'traceKeep', 'budget', 'sliceMs', 'wasm', 'baseUrl', 'runLimitMs', 'stdout', 'stderr', 'blockingWorkers', 'blockingKeepAliveMs']);

// An options object of `fn` with only the `known` keys, or a TypeError naming what is wrong with it.
function checkKeys(fn, o, known) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new TypeError(`${fn}: options must be an object, not ${describe(o)}`);
  for (const k of Object.keys(o)) {
    if (!known.has(k)) throw new TypeError(`${fn}: unknown option ${named(k)} (known: ${[...known].join(', ')})`);
  }
}

const int = (fn, name, v, def, min, max) => {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`${fn}: ${name} must be an integer from ${min} to ${max}, not ${describe(v)}`);
  return v;
};

const sliceOf = (fn, v) => {
  if (v === undefined) return 4;
  if (typeof v !== 'number' || !(v >= 0 && v <= 60000)) throw new TypeError(`${fn}: sliceMs must be a number from 0 to 60000, not ${describe(v)}`);
  return v;
};

// The module: bytes, a URL or URL string, a compiled module, or one of the package's modules (DEFAULT_WASM,
// EXAMPLES_WASM: load.js). Checked here so that { wasm: null } is a TypeError naming the option, not a missing file
// called 'null'.
function wasmOf(v) {
  if (v === undefined || isPackageModule(v) || v instanceof URL || v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof WebAssembly.Module) return v;
  if (typeof v === 'string' && v !== '') {
    try {
      new URL(v, 'file:///'); // relative paths resolve later, against the page (load.js)
      return v;
    } catch {
      throw new TypeError(`createRuntime: wasm ${describe(v)} is not a valid URL`);
    }
  }
  throw new TypeError(`createRuntime: wasm must be bytes (an ArrayBuffer or a typed array), a URL, a URL string, a WebAssembly.Module or one of the package's modules, not ${describe(v)}`);
}

// The base for relative fetch URLs: an absolute URL (a string or a URL), kept as its href.
function baseUrlOf(v) {
  if (v === undefined) return globalThis.location?.href;
  if (typeof v !== 'string' && !(v instanceof URL)) throw new TypeError(`createRuntime: baseUrl must be an absolute URL string or a URL, not ${describe(v)}`);
  try {
    return new URL(v).href;
  } catch {
    throw new TypeError(`createRuntime: baseUrl must be an absolute URL, not ${describe(String(v))}`);
  }
}

// Where a module's printf output goes (wasi.js): a function given the text, or undefined for the console.
function sinkOf(name, v) {
  if (v === undefined || typeof v === 'function') return v;
  throw new TypeError(`createRuntime: ${name} must be a function (text) => void, not ${describe(v)}`);
}

// The blocking pool's default size (tokio's is far larger, but its threads mostly wait on I/O; these compute):
// one worker per core but the one the event loop runs on, at least one.
function defaultWorkers() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? globalThis.process?.getBuiltinModule?.('node:os')?.availableParallelism?.() ?? 2;
  return Math.min(256, Math.max(1, cores - 1));
}

/** Returns the options with defaults, or throws a TypeError that names the bad option. */
export function checkOptions(o) {
  const fn = 'createRuntime';
  checkKeys(fn, o, KNOWN);
  // What an application gets unless it asks (as tokio's runtime): the real clock and no trace. The playground, the
  // CLI and the tests ask for the virtual clock and the trace explicitly.
  const clock = o.clock ?? 'real';
  if (clock !== 'virtual' && clock !== 'real') throw new TypeError(`createRuntime: clock must be 'virtual' or 'real', not ${describe(clock)}`);
  if (o.trace !== undefined && typeof o.trace !== 'boolean') throw new TypeError(`createRuntime: trace must be a boolean, not ${describe(o.trace)}`);
  const traceKeep = o.traceKeep ?? 'first';
  if (traceKeep !== 'first' && traceKeep !== 'last') throw new TypeError(`createRuntime: traceKeep must be 'first' or 'last', not ${describe(traceKeep)}`);
  return {
    clock,
    trace: o.trace ?? false,
    traceCapacity: int(fn, 'traceCapacity', o.traceCapacity, 65536, 16, 1 << 22),
    traceKeep,
    budget: int(fn, 'budget', o.budget, 128, 0, 0xffffffff),
    sliceMs: sliceOf(fn, o.sliceMs),
    wasm: wasmOf(o.wasm),
    baseUrl: baseUrlOf(o.baseUrl),
    runLimitMs: int(fn, 'runLimitMs', o.runLimitMs, 600000, 1, 1e9),
    stdout: sinkOf('stdout', o.stdout),
    stderr: sinkOf('stderr', o.stderr),
    blockingWorkers: int(fn, 'blockingWorkers', o.blockingWorkers, defaultWorkers(), 1, 256),
    blockingKeepAliveMs: int(fn, 'blockingKeepAliveMs', o.blockingKeepAliveMs, 10000, 0, 3600000),
  };
}

const CONFIGURE = new Set(['budget', 'sliceMs']);

/** configure's options: { budget, sliceMs }, each defaulting to `current`'s; a TypeError names a bad one. */
export function checkConfigure(o, current) {
  checkKeys('configure', o, CONFIGURE);
  return {
    budget: int('configure', 'budget', o.budget, current.budget, 0, 0xffffffff),
    sliceMs: o.sliceMs === undefined ? current.sliceMs : sliceOf('configure', o.sliceMs),
  };
}

const READ_TRACE = new Set(['clear']);

/** readTrace's options: { clear }. */
export function checkReadTrace(o) {
  checkKeys('readTrace', o, READ_TRACE);
  if (o.clear !== undefined && typeof o.clear !== 'boolean') throw new TypeError(`readTrace: clear must be a boolean, not ${describe(o.clear)}`);
  return { clear: o.clear ?? false };
}
