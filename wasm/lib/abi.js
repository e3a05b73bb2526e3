// abi.js: the module's imports and the instantiation. The exports (wsx_*) are documented in wasm/src/bridge.c;
// the constants both sides share (codes, flags, layouts) are in contract.js, generated from the C headers.
//
// Imports, module "wasync" (declared in bridge.c and js_ops.c):
//   now_ms() -> ms                       the real clock (performance.now())
//   arm_timer(deadline_ms)               the single host timer: fire at deadline, -1 disarms       -> driver
//   request_run()                        a task became runnable while the executor was idle          -> driver
//   host_call(slot, gen, name, name_len, arg, arg_len) -> err                                      -> ops
//   fetch_start(slot, gen, method, len, url, len, headers, len, body, len, stream) -> err          -> ops
//   body_read(slot, gen, stream) -> err  the next chunk of a streamed body                           -> ops
//   body_close(stream)                   C is done with a streamed body                              -> ops
//   op_cancel(slot, gen)                 the future awaiting an operation was dropped               -> ops
//   host_call_v(slot, gen, name, name_len, values, count) -> err   a typed host call              -> ops
//   host_call_n(slot, gen, name, name_len, number) -> err   a typed host call of one number argument  -> ops
//   handle_release(handle)               C no longer needs a handle                                 -> ops
//   blocking_start(slot, gen, index, name, len, input, len) -> err   spawn_blocking queues a job   -> blocking
// and env.emscripten_notify_memory_growth(), which tells the memory view to renew itself (a module linked by
// wasync/cc grows memory without that call: memory.js notices the detached view), and wasi_snapshot_preview1
// (wasi.js: stdio to the stdout/stderr options, the clocks, random), which only a module that uses the C library's
// stdio, time or rand imports.
import { FLAGS } from './contract.js';
import { wasiImports } from './wasi.js';

/** Instantiates `module` wired to `driver` (schedule.js), `ops` (host.js), `mem` (memory.js), `blocking`
 * (blocking.js) and the stdout and stderr of `opts` (options.js). */
export async function instantiate(module, { driver, ops, mem, blocking, opts = {} }) {
  let ex = null;
  const imports = {
    wasync: {
      now_ms: () => performance.now(),
      arm_timer: (deadline) => driver.armTimer(deadline),
      request_run: () => driver.schedule(),
      host_call: (slot, gen, np, nl, ap, al) => ops.hostCall(slot, gen, np, nl, ap, al),
      fetch_start: (slot, gen, mp, ml, up, ul, hp, hl, bp, bl, stream) => ops.fetchStart(slot, gen, mp, ml, up, ul, hp, hl, bp, bl, stream),
      body_read: (slot, gen, stream) => ops.bodyRead(slot, gen, stream),
      body_close: (stream) => ops.streams.close(stream),
      op_cancel: (slot, gen) => ops.cancel(slot, gen),
      host_call_v: (slot, gen, np, nl, ap, n) => ops.hostCallV(slot, gen, np, nl, ap, n),
      host_call_n: (slot, gen, np, nl, x) => ops.hostCallN(slot, gen, np, nl, x),
      handle_release: (h) => ops.handles.release(h),
      blocking_start: (slot, gen, i, np, nl, ip, il) => blocking.start(slot, gen, i, np, nl, ip, il),
    },
    // Memory growth detaches every view of the old buffer.
    env: { emscripten_notify_memory_growth: () => mem.grew() },
    wasi_snapshot_preview1: wasiImports(() => ex.memory, opts),
  };
  const instance = await WebAssembly.instantiate(module, imports);
  ex = instance.exports;
  ex._initialize?.();
  return ex;
}

/** wsx_init's flags for the checked options. */
export function initFlags(opts) {
  return (opts.clock === 'real' ? FLAGS.REAL_CLOCK : 0) | (opts.traceKeep === 'first' ? FLAGS.TRACE_KEEP_FIRST : 0);
}
