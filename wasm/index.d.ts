// Types for the wasync package. The meaning of every field is in docs/js-api.md.

export type Clock = 'virtual' | 'real';

export interface RuntimeOptions {
  /** 'virtual' (default): deterministic time that jumps to the next timer; 'real': performance.now(). */
  clock?: Clock;
  /** Record poll-trace events (default true). */
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
   * standard entry points only; EXAMPLES_WASM adds the nine examples). */
  wasm?: ArrayBuffer | ArrayBufferView | string | URL | WebAssembly.Module;
  /** Base for relative fetch URLs (default: location.href in a browser; required in Node for relative URLs). */
  baseUrl?: string;
  /** Wall-clock limit of one runExample, in ms (default 600000); the run is aborted and reported truncated. */
  runLimitMs?: number;
}

export type ParamKind = 'ms' | 'int' | 'url' | 'text';

export interface ParamInfo {
  name: string;
  label: string;
  kind: ParamKind;
  default: number | string;
  min?: number;
  max?: number;
}

export interface ExampleInfo {
  name: string;
  title: string;
  description: string;
  params: readonly ParamInfo[];
}

export type WakeCause = 'spawn' | 'timer' | 'channel' | 'task' | 'self' | 'host' | 'fetch' | 'notify' | 'abort';

interface EventBase {
  /** Record number in the runtime's ring, increasing (a poll's end record is folded into its poll event). */
  seq: number;
  /** Milliseconds on the runtime's clock since the run started. */
  t: number;
  /** Task number in spawn order (1, 2, ...), 0 for none. */
  task: number;
}

export interface SpawnEvent extends EventBase { kind: 'spawn'; name: string; parent: number }
export interface PollEvent extends EventBase {
  kind: 'poll';
  /** Duration in ms; null if the trace ended inside the poll. */
  dur: number | null;
  result: 'pending' | 'ready' | null;
  /** 0: the task's own poll; 1+: a future polled inside it. */
  depth: number;
  /** The type name of the future polled. */
  future: string;
  /** Child index inside a join/select/timeout, or -1. */
  index: number;
  /** Where the async function suspended, for a pending poll. */
  site: { file: string; line: number } | null;
  /** seq of the wake event that caused this poll (depth 0 only). */
  wake: number | null;
}
export interface WakeEvent extends EventBase { kind: 'wake'; cause: WakeCause; by: number; source: number }
export interface TimerEvent extends EventBase { kind: 'timer'; timer: number; deadline: number }
export interface HostEvent extends EventBase { kind: 'host'; op: number; name: string; cause: WakeCause }
/** `cancelled`: the operation's future was dropped in flight (the host aborts it); a settlement after that is
 * `ignored`. */
export interface SettleEvent extends EventBase { kind: 'settle'; op: number; ok: boolean; ignored: boolean; cancelled: boolean }
export interface CompleteEvent extends EventBase { kind: 'complete'; result: 'ok' | 'error' | 'cancelled' }
export interface AbortEvent extends EventBase { kind: 'abort' }
export interface DropEvent extends EventBase { kind: 'drop' }
export interface YieldEvent extends EventBase { kind: 'yield' }
/** A task starts waiting for semaphore permits, is granted them, or permits are released; `held` is after. */
export interface SemaphoreEvent extends EventBase {
  kind: 'semaphore'; action: 'wait' | 'granted' | 'released'; semaphore: number; permits: number; held: number;
}
/** A cancellation token was cancelled, directly or through its parent; `woken` waiters were woken. */
export interface TokenEvent extends EventBase { kind: 'token'; token: number; byParent: boolean; woken: number }
/** A select's winner, and each loser it dropped (`lost`: polled and pending; `unpolled`: never reached). */
export interface SelectEvent extends EventBase {
  kind: 'select'; outcome: 'won' | 'lost' | 'unpolled'; branch: number; branches: number;
}

export type TraceEvent =
  | SpawnEvent | PollEvent | WakeEvent | TimerEvent | HostEvent | SettleEvent
  | CompleteEvent | AbortEvent | DropEvent | YieldEvent | SemaphoreEvent | TokenEvent | SelectEvent;

export interface ExampleRun {
  value: number | string | null;
  elapsedMs: number;
  trace: TraceEvent[];
  /** Why the trace or the run was cut short, or null. */
  truncated: string | null;
}

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

export type HostFunction = (arg: string) => Promise<string | number | boolean | Uint8Array | ArrayBuffer | object | null | void>;

export declare class Runtime {
  /** The examples compiled into the module: none in the default module, nine in EXAMPLES_WASM. */
  readonly examples: readonly ExampleInfo[];
  /** Every entry point's name (the examples, if any, and the others, such as host_echo, fetch_text, sleep, never). */
  readonly entries: readonly string[];
  readonly clock: Clock;
  readonly closed: boolean;
  defineHost(name: string, fn: HostFunction): this;
  start<T = number | string>(name: string, args?: Record<string, number | string>, options?: { signal?: AbortSignal }): Job<T>;
  runExample(name: string, params?: Record<string, number | string>): Promise<ExampleRun>;
  readTrace(options?: { clear?: boolean }): TraceEvent[];
  configure(options: { budget?: number; sliceMs?: number }): void;
  abortTask(id: number): boolean;
  stats(): RuntimeStats;
  close(): void;
}

export type ErrorCode =
  | 'EINVAL' | 'ENOMEM' | 'ECANCELED' | 'ECLOSED' | 'ETIMEDOUT' | 'ESTALE' | 'EHOST' | 'EBUSY'
  | 'EFULL' | 'EEMPTY' | 'ENOENT' | 'ESTALL' | 'ELAGGED' | 'ENOTHELD' | 'ETRAP' | 'EUSER' | 'EUNKNOWN';

export declare class WasyncError extends Error {
  readonly code: ErrorCode;
  /** On a failed runExample: the trace up to the failure. */
  trace?: TraceEvent[];
  elapsedMs?: number;
}

export declare function createRuntime(options?: RuntimeOptions): Promise<Runtime>;
/** The default module, dist/wasync.wasm: the core, the bridge and the standard entry points. */
export declare const DEFAULT_WASM: URL;
/** dist/wasync-examples.wasm: the default module plus the nine built-in examples (createRuntime({ wasm: EXAMPLES_WASM })). */
export declare const EXAMPLES_WASM: URL;
export declare function traceToText(trace: readonly TraceEvent[]): string;
export interface ChromeTrace { traceEvents: object[]; displayTimeUnit: 'ms' }
export declare function traceToChrome(trace: readonly TraceEvent[], options?: { title?: string }): ChromeTrace;
export declare const CAUSES: readonly WakeCause[];
