// Types for wasync/trace: the trace exporters alone, for traces saved from a run (they need no runtime).
// The events are what Runtime.readTrace() and runExample() return; docs/js-api.md describes each field.

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
  /** Seq of the last event recorded while this poll ran (its own seq if none); null if its end was not recorded. */
  last: number | null;
  /** seq of the wake event that caused this poll (depth 0 only). */
  wake: number | null;
}
export interface WakeEvent extends EventBase { kind: 'wake'; cause: WakeCause; by: number; source: number }
export interface TimerEvent extends EventBase { kind: 'timer'; timer: number; deadline: number }
export interface HostEvent extends EventBase { kind: 'host'; op: number; name: string; cause: WakeCause }
export interface SettleEvent extends EventBase { kind: 'settle'; op: number; ok: boolean; ignored: boolean }
export interface CompleteEvent extends EventBase { kind: 'complete'; result: 'ok' | 'error' | 'cancelled' }
export interface AbortEvent extends EventBase { kind: 'abort' }
export interface DropEvent extends EventBase { kind: 'drop' }
export interface YieldEvent extends EventBase { kind: 'yield' }
/** A future dropped before it was ready inside `task`'s poll: a select's loser, a future never polled (polled 0). */
export interface CancelEvent extends EventBase { kind: 'cancel'; future: string; polled: number; depth: number }

export type TraceEvent =
  | SpawnEvent | PollEvent | WakeEvent | TimerEvent | HostEvent | SettleEvent
  | CompleteEvent | AbortEvent | DropEvent | YieldEvent | CancelEvent;

export declare function traceToText(trace: readonly TraceEvent[]): string;
export interface ChromeTrace { traceEvents: object[]; displayTimeUnit: 'ms' }
export declare function traceToChrome(trace: readonly TraceEvent[], options?: { title?: string }): ChromeTrace;
export declare const CAUSES: readonly WakeCause[];
