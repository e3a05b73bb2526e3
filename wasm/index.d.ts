// Types for the wasync package. The meaning of every field is in docs/js-api.md.
//
// They compile with and without the DOM lib: WebAssembly.Module, URL and AbortSignal are taken from the global
// scope where the DOM lib or @types/node declare them, and stand for their structural minimum where nothing does.

import type { TraceEvent } from './trace.js';
export type {
  WakeCause, SpawnEvent, PollEvent, WakeEvent, TimerEvent, HostEvent, SettleEvent, CompleteEvent, AbortEvent,
  DropEvent, YieldEvent, CancelEvent, SemaphoreEvent, TokenEvent, SelectEvent, TraceEvent, ChromeTrace,
} from './trace.js';
export { traceToText, traceToChrome, CAUSES } from './trace.js';

type Globals = typeof globalThis;
/** `WebAssembly.Module` where it is declared (DOM lib, @types/node); any object elsewhere. Never a primitive. */
export type WasmModule = Globals extends { WebAssembly: { Module: { prototype: infer M } } } ? M & object : object;
/** `URL` where it is declared; the part wasync reads elsewhere. */
export type URLLike = Globals extends { URL: { prototype: infer U } } ? U : { readonly href: string };
/** `AbortSignal` where it is declared; the part wasync reads elsewhere. */
export type AbortSignalLike = Globals extends { AbortSignal: { prototype: infer S } } ? S
  : { readonly aborted: boolean; addEventListener(type: 'abort', listener: () => void): void };

/** One of the package's modules, found by URL next to its code (`wasync`: DEFAULT_WASM, EXAMPLES_WASM). The URL
 * is computed on first use, not on import. */
declare class WasmAsset {
  #private;
  private constructor();
  /** Its file name in the package's dist/. */
  readonly file: string;
  /** Where it is loaded from (where a bundler copied it, if one did). Throws where import.meta.url is empty. */
  readonly url: URLLike;
  readonly href: string;
}
/** One of the package's modules embedded in the JS (`wasync/inline`: DEFAULT_WASM, EXAMPLES_WASM). */
declare class InlineWasm {
  #private;
  private constructor();
  readonly file: string;
}
export type { WasmAsset, InlineWasm };

/** What the `wasm` option takes. */
export type WasmSource = ArrayBuffer | ArrayBufferView | string | URLLike | WasmModule | WasmAsset | InlineWasm;

export type Clock = 'virtual' | 'real';

export interface RuntimeOptions {
  /** 'real' (default): performance.now(); 'virtual': deterministic time that jumps to the next timer. */
  clock?: Clock;
  /** Record poll-trace events (default false). */
  trace?: boolean;
  /** Events kept per run (default 65536); when full, the run reports `truncated`. */
  traceCapacity?: number;
  /** When the trace is full: keep the 'first' events and stop recording (default; a run's start survives), or
   * keep the 'last' ones, overwriting the oldest (a ring for long-running programs). */
  traceKeep?: 'first' | 'last';
  /** Cooperative budget: leaf operations per poll before a task must yield (default 128; 0 = unlimited). */
  budget?: number;
  /** Longest drain of the run queue before yielding to the host with a macrotask, in ms (default 4; 0 = no limit). */
  sliceMs?: number;
  /** The module: bytes, a URL, or a compiled WebAssembly.Module (default: the package's dist/wasync.wasm, the
   * standard entry points only; EXAMPLES_WASM adds the built-in examples). */
  wasm?: WasmSource;
  /** Base for relative fetch URLs (default: location.href in a browser; required in Node for relative URLs). */
  baseUrl?: string;
  /** Wall-clock limit of one runExample, in ms (default 600000); the run is aborted and reported truncated. */
  runLimitMs?: number;
  /** Where a module's C stdout goes (printf: only modules that use the C library's stdio write any): called with
   * the text as written (UTF-8 decoded; stdout is line-buffered by the C library). Default: console.log per line. */
  stdout?: (text: string) => void;
  /** The same for stderr. Default: console.error per line. */
  stderr?: (text: string) => void;
  /** spawn_blocking's pool: at most this many workers (Web Workers, worker_threads), an integer from 1 to 256
   * (default: hardware concurrency minus one, at least 1). Started on the first job. */
  blockingWorkers?: number;
  /** How long an idle pool worker stays before it exits, in ms (default 10000; 0 to 3600000). */
  blockingKeepAliveMs?: number;
}

/** The blocking pool's counters (Runtime.blockingStats). */
export interface BlockingStats {
  /** Workers alive, and those running a job now. */
  workers: number;
  busy: number;
  /** Jobs waiting for a worker. */
  queued: number;
  /** Since the runtime was created: jobs started on a worker, finished there (ok or failed), removed from the
   * queue by a drop before they started, discarded (dropped while running: run to the end, result thrown away),
   * panicked (trapped, or their worker crashed), and workers started (a trapped worker's replacement counts). */
  started: number;
  finished: number;
  removed: number;
  discarded: number;
  panicked: number;
  workersStarted: number;
}

/** ms, int: an integer in [min, max]; url, text: a string; value: a typed value (C's WSX_PARAM_VALUE). */
export type ParamKind = 'ms' | 'int' | 'url' | 'text' | 'value';

export interface ParamInfo {
  name: string;
  label: string;
  kind: ParamKind;
  /** null for a value parameter. */
  default: number | string | null;
  min?: number;
  max?: number;
  /** A value parameter: the types it takes, a mask with bit i for the i-th type of WSX_VALUE_TYPES (undefined,
   * number, string, bytes, json, handle, boolean, bigint, null); 0: any type. */
  types?: number;
}

/** An entry point argument, sent to C typed: number; BigInt (int64); string (NUL kept); Uint8Array, ArrayBuffer or
 * a view (bytes); boolean; null; undefined (not given: the parameter's default); rt.handle(object) (a handle C
 * owns and releases); any other object or array as JSON. ms/int parameters take an integer (or a BigInt),
 * url/text a string, value parameters the types they declare. */
export type ArgValue = number | bigint | string | boolean | null | undefined | Uint8Array | ArrayBuffer | ArrayBufferView | HostHandle | object;

export interface ExampleInfo {
  name: string;
  title: string;
  description: string;
  params: readonly ParamInfo[];
}

export interface ExampleRun {
  value: number | string | null;
  elapsedMs: number;
  trace: TraceEvent[];
  /** Why the trace or the run was cut short, or null. */
  truncated: string | null;
}

/** T: number or string, or for an entry whose output is "value" any HostValue. */
export interface Job<T = number | string> {
  /** The task's id (stale once it finished). */
  id: number;
  /** Resolves with the entry point's output; rejects with a WasyncError. */
  promise: Promise<T>;
  /** Aborts the task (the promise rejects with code 'ECANCELED'). False if it had already finished or been aborted. */
  abort(): boolean;
}

export interface RuntimeStats {
  spawned: number; completed: number; aborted: number; polls: number; wakes: number; staleWakes: number;
  tasksLive: number; timersArmed: number; opsInFlight: number; objectsLive: number;
  /** Bytes the runtime allocated and has not freed. */
  bytesLive: number;
  /** Size of the module's linear memory. */
  memoryBytes: number;
}

/** What a host function receives besides its argument. */
export interface HostCallContext {
  /** Aborts when the C future awaiting this call is dropped: it lost a select, a timeout expired, its task was
   * aborted (reason: a WasyncError 'ECANCELED'), or the runtime was closed or trapped ('ECLOSED', 'ETRAP'). A call
   * that settles never sees it abort. */
  readonly signal: AbortSignalLike;
  /** A typed call's values (C's ws_host_callv_init, up to 64); the first is also the function's first argument.
   * undefined for a text call (ws_host_call_init), whose argument is a string. */
  readonly args?: readonly HostValue[];
}

/** A value of a typed host call, as JS receives it: number; string (NUL kept); Uint8Array (bytes, a copy); parsed
 * JSON; the object of a handle; boolean; BigInt; null; undefined. */
export type HostValue = number | bigint | string | Uint8Array | object | boolean | null | undefined;

/** Made by rt.handle(object): resolving a typed call with it gives C a handle to `object`. */
export interface HostHandle {
  readonly object: unknown;
}

/** What a host function may resolve to. A typed call sends numbers as numbers, strings as strings, Uint8Array /
 * ArrayBuffer / views as bytes, booleans as booleans, BigInts in int64 range as bigints, null as null, undefined
 * as undefined, a HostHandle as a handle, anything else as JSON; a text call sends it as text (strings as UTF-8,
 * numbers as text, bytes as they are, objects as JSON). */
export type HostResult = string | number | bigint | boolean | Uint8Array | ArrayBuffer | ArrayBufferView | HostHandle | object | null | void;

/** A host function. It gets the call context (signal, args) as its second argument only if it declares two
 * parameters (fn.length >= 2) or is defined with { context: true }: the context is not made for the others. */
export type HostFunction = (arg: any, context: HostCallContext) => Promise<HostResult> | string;

export declare class Runtime {
  /** Runtimes are made by createRuntime(), never with `new`. */
  private constructor();
  /** The examples compiled into the module: none in the default module, every built-in example in EXAMPLES_WASM. */
  readonly examples: readonly ExampleInfo[];
  /** Every entry point's name (the examples, if any, and the others, such as host_echo, fetch_text, sleep, never). */
  readonly entries: readonly string[];
  readonly clock: Clock;
  readonly closed: boolean;
  /** Registers an async function C calls by name. options.context: pass it the call context (default: whether
   * fn declares a second parameter). */
  defineHost(name: string, fn: HostFunction, options?: { context?: boolean }): this;
  /** Wraps an object so that a typed host call resolving with it gives C a handle (ws_value HANDLE). */
  handle(object: unknown): HostHandle;
  /** How many objects C holds handles to (until it calls ws_handle_release). */
  readonly handlesLive: number;
  /** Starts entry `name` with its arguments by parameter name (an object) or by position (an array, at most one per
   * parameter); a wrong count, an unknown name or a value of the wrong type throws a WasyncError 'EINVAL' with one
   * line naming the parameter. */
  start<T = number | string>(name: string, args?: Record<string, ArgValue> | readonly ArgValue[], options?: { signal?: AbortSignalLike }): Job<T>;
  runExample(name: string, params?: Record<string, ArgValue> | readonly ArgValue[]): Promise<ExampleRun>;
  readTrace(options?: { clear?: boolean }): TraceEvent[];
  configure(options: { budget?: number; sliceMs?: number }): void;
  abortTask(id: number): boolean;
  stats(): RuntimeStats;
  /** The module's blocking functions (ws_blocking.h), which spawn_blocking can name. */
  readonly blockingFunctions: readonly string[];
  /** The blocking pool's counters (all 0 before the first job). */
  blockingStats(): BlockingStats;
  /** Drops every task (pending promises reject with ECLOSED) and terminates the blocking pool's workers. */
  close(): void;
}

export type ErrorCode =
  | 'EINVAL' | 'ENOMEM' | 'ECANCELED' | 'ECLOSED' | 'ETIMEDOUT' | 'ESTALE' | 'EHOST' | 'EBUSY'
  | 'EFULL' | 'EEMPTY' | 'ENOENT' | 'ESTALL' | 'ESTATE' | 'ELAGGED' | 'ENOTHELD' | 'EPANIC' | 'ETRAP' | 'EUSER' | 'EUNKNOWN';

export declare class WasyncError extends Error {
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown });
  /** 'AbortError' for ECANCELED (like a DOM abort), 'WasyncError' otherwise. */
  readonly name: 'WasyncError' | 'AbortError';
  readonly code: ErrorCode;
  /** On a failed runExample: the trace up to the failure. */
  trace?: TraceEvent[];
  elapsedMs?: number;
}

export declare function createRuntime(options?: RuntimeOptions): Promise<Runtime>;
/** The default module, dist/wasync.wasm: the core, the bridge and the standard entry points. */
export declare const DEFAULT_WASM: WasmAsset;
