/* ws_blocking.h: spawn_blocking, CPU-bound C run on a pool of workers while the executor keeps polling.
 *
 * The executor is single-threaded and cooperative: a poll that computes for 80 ms holds every other task for 80 ms.
 * Yielding now and then (the `cooperative` example) is one fix; this is the other, tokio's spawn_blocking: the
 * work runs on a worker (a Web Worker in browsers, a worker_threads thread in Node), each worker being its own
 * instance of the same compiled module, and the task awaits its result like any host operation.
 *
 * A blocking function is plain synchronous C, bytes in and bytes out, registered by name in the module:
 *
 *     static int count_primes(const uint8_t *in, uint32_t len, wsx_buf *out)
 *     {
 *         ... parse `in`, compute, wsx_buf_int(out, count) ...
 *         return WS_OK;                          // or an error code, with a message written to `out`
 *     }
 *     WS_BLOCKING_FN(count_primes);              // declares count_primes_blocking
 *     WS_MODULE_BLOCKING(&count_primes_blocking); // once per module: what ws_spawn_blocking_init can name
 *
 * and an async function awaits it:
 *
 *     ws_spawn_blocking_init(&self->job, "count_primes", text, len);
 *     WS_TRY(&self->job);                         // the executor polls other tasks meanwhile
 *     ws_bytes *result = ws_bytes_of(WS_OUT(&self->job));   // ours: free it with ws_bytes_free
 *
 * Contracts:
 *   - Where it runs: in a worker's instance, never in the runtime's. It shares no memory with the runtime (no
 *     SharedArrayBuffer: no cross-origin isolation is needed): the input is copied to the worker, the output back.
 *     It must not use the runtime's API (tasks, timers, host calls): in a worker there is no executor. Globals it
 *     writes stay in that worker's instance, which serves later jobs too (or is replaced, see faults).
 *   - The function's `out` is an empty wsx_buf (ws_module.h) of the worker's instance: it appends the result and
 *     returns WS_OK, or returns an error code (< 0) and may append a message. The bridge copies what was
 *     appended and frees it; the function never finishes the buffer itself.
 *   - Output: ready with err WS_OK and out = a ws_bytes block of the function's result (possibly empty), owned by
 *     the poller (ws_bytes_free). Errors, as err with out = a ws_bytes message (or 0): the function's own code
 *     and message; WS_ENOENT for a name no module registration has; WS_EPANIC when the function trapped (or its
 *     worker crashed: out of memory, killed; or no worker could be started): the worker is then replaced and the
 *     other jobs go on. The input is copied when the job is queued: the caller's buffer may go at once.
 *   - Pool: jobs start in FIFO order on up to `blockingWorkers` workers (createRuntime option; JS, wasm/lib/pool.js)
 *     started on first use; an idle worker exits after a keep-alive time. rt.close() terminates every worker.
 *   - Cancel safety (tokio's): dropping the future before its job started removes the job from the queue: it never
 *     runs. Once started, a job runs to its end (a synchronous function cannot be interrupted); its result is
 *     then discarded. So the future is not cancel safe: a dropped job's result is lost.
 *   - Trace: the job's host operation ("host" event, named after the function), then job_queue, job_start (with the
 *     worker's number) and job_finish events (ws_trace.h); the awaiting task's wake follows the finish.
 */
#ifndef WS_BLOCKING_H
#define WS_BLOCKING_H

#include "ws_module.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A blocking function: `in` is the job's input (len bytes; NUL-terminated after them, so text can be used in
 * place), `out` an empty builder. Returns WS_OK or an error code (< 0). */
typedef int (*ws_blocking_fn)(const uint8_t *in, uint32_t len, wsx_buf *out);

typedef struct ws_blocking_def {
    const char *name;       /* what ws_spawn_blocking_init names */
    ws_blocking_fn fn;
} ws_blocking_def;

/* Declares `fn##_blocking`, the registration of function `fn` under its own name. */
#define WS_BLOCKING_FN(fn) const ws_blocking_def fn##_blocking = { #fn, fn }

/* The module's blocking functions, listed once per module (in any one source): it defines the registry function
 * below. `npx wasync build` writes it by itself from the WS_BLOCKING_FN declarations when no source has it. A module
 * without one has none (a weak default in blocking.c): every job fails with WS_ENOENT. */
const ws_blocking_def *const *wsx_blocking_registry(uint32_t *count);
#define WS_MODULE_BLOCKING(...)                                                                                     \
    static const ws_blocking_def *const wsx_blocking_fns_[] = { __VA_ARGS__ };                                      \
    const ws_blocking_def *const *wsx_blocking_registry(uint32_t *count)                                           \
    {                                                                                                               \
        *count = sizeof wsx_blocking_fns_ / sizeof wsx_blocking_fns_[0];                                            \
        return wsx_blocking_fns_;                                                                                   \
    }                                                                                                               \
    typedef int ws_blocking_registry_defined_ /* so that the macro ends with a declaration and takes a ';' */

/* The standard blocking functions (entry_points.c), which the package's modules register: a module of one's own
 * may list them too: WS_MODULE_BLOCKING(&mine_blocking, WSX_STANDARD_BLOCKING).
 *   count_primes  input: a decimal n (0..100000000); output: the number of primes below n, in decimal
 *   echo          output: the input
 *   fail          fails with WS_EINVAL and the message "fail: <input>"
 *   trap          traps (the worker is replaced; the job fails with WS_EPANIC) */
extern const ws_blocking_def count_primes_blocking, echo_blocking, fail_blocking, trap_blocking;
#define WSX_STANDARD_BLOCKING &count_primes_blocking, &echo_blocking, &fail_blocking, &trap_blocking

/* The future: await it for the job's output (above). */
typedef struct ws_spawn_blocking {
    ws_op op;
    /* private: set by ws_spawn_blocking_init */
    const char *name;
    const uint8_t *in;
    uint32_t in_len;
} ws_spawn_blocking;

/* Builds the future for a job of the function `name` with `len` bytes of input `in`. Nothing runs before the first
 * poll, which queues the job (copying the input). `name` must stay valid until the future is ready or dropped;
 * `in` until its first poll. */
void ws_spawn_blocking_init(ws_spawn_blocking *f, const char *name, const void *in, uint32_t len);

#ifdef __cplusplus
}
#endif
#endif
