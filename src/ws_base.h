/* ws_base.h: types shared by every part of wasync.
 *
 * Conventions used throughout (modelled on libuv):
 *   - names are ws_<noun>_<verb>; types are ws_<noun>.
 *   - functions that can fail return an int: WS_OK (0) or a negative WS_E* code. They check their arguments and
 *     never crash on bad ones; allocation failure is reported as WS_ENOMEM and leaves everything as it was.
 *   - argument order: the runtime comes first, then the object acted on, then the rest: ws_future_drop(rt, f),
 *     ws_spawn(rt, future, ...), and so do hooks a future type supplies: drop(rt, f), free_output(rt, f). The one
 *     exception is polling, which takes the future and the poll's context, poll(f, cx): the context carries the
 *     runtime (cx->rt) along with the task being polled.
 *   - struct fields are marked as libuv marks its handles' fields: public (yours to read and write), read-only
 *     (read it; only wasync writes it), private (wasync's own, or the future type's: neither read nor write it,
 *     it may change). Structs of plain values you fill in (options, hooks, stats, trace events) are public.
 *     A future's header (ws_future) is read-only to everyone but its type: read `out` and `err` once it is ready.
 *   - the runtime is single-threaded: nothing here may be called from another thread.
 */
#ifndef WS_BASE_H
#define WS_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_runtime ws_runtime;

/* Task and host-operation ids: slot index in the low 32 bits, the slot's generation in the next 21 bits. A slot's
 * generation changes every time it is reused, so an id that outlived its task is recognised as stale. 53 bits in
 * all, so a task id crosses to JavaScript exactly as a number; an operation id crosses as its two halves (two small
 * integers: it crosses on every await of a host operation). 0 is never a valid id. */
typedef uint64_t ws_id;
#define WS_ID_NONE ((ws_id)0)

/* Times are nanoseconds on the runtime's clock (virtual or real, see ws_time.h). */
typedef uint64_t ws_time;
#define WS_TIME_NEVER UINT64_MAX
#define WS_MS(ms) ((ws_time)(ms) * 1000000u)

/* Error codes: X(NAME, value, description). This table is the one definition: the enum below, ws_strerror() and
 * the JS package's codes and messages (wasm/lib/contract.js, generated from this table by
 * scripts/gen-contract.mjs; a test fails when they differ) all come from it. A new code is one line at the end,
 * with the next value; WS_EUSER moves down by itself. */
#define WS_ERRORS(X)                                                                                               \
    X(EINVAL, -1, "invalid argument")                      /* a bad argument */                                     \
    X(ENOMEM, -2, "out of memory")                         /* allocation failed; nothing was changed */             \
    X(ECANCELED, -3, "cancelled")                          /* the task or future was aborted or dropped */          \
    X(ECLOSED, -4, "closed")                               /* the other side of a channel (or the runtime) is gone */ \
    X(ETIMEDOUT, -5, "timed out")                          /* a ws_timeout expired first */                         \
    X(ESTALE, -6, "stale id: no such task or operation")   /* the id names something that no longer exists */       \
    X(EHOST, -7, "host operation failed")                  /* a JS promise rejected, a fetch had a network error */ \
    X(EBUSY, -8, "not allowed from inside a poll")         /* called re-entrantly, where that is not allowed */     \
    X(EFULL, -9, "channel full")                           /* try_send on a full channel */                         \
    X(EEMPTY, -10, "channel empty")                        /* try_recv on an empty channel */                       \
    X(ENOENT, -11, "no such name")                         /* no such example, host function or entry point */      \
    X(ESTALL, -12, "stalled: nothing can wake the future") /* block_on: nothing is runnable or can wake it */ \
    X(ESTATE, -13, "polled at a state it does not know")   /* an async function's unknown state (ws_async.h) */  \
    X(ELAGGED, -14, "lagged: the receiver missed messages") /* a broadcast receiver fell behind: out = missed */  \
    X(ENOTHELD, -15, "released more permits than are held") /* semaphore release past what is held */        \
    X(EPANIC, -16, "the blocking job trapped or its worker crashed") /* spawn_blocking (ws_blocking.h) */

enum ws__error_index {
#define WS__ERROR_INDEX(name, value, text) WS__ERRIX_##name,
    WS_ERRORS(WS__ERROR_INDEX)
#undef WS__ERROR_INDEX
    WS__ERROR_COUNT
};

enum {
    WS_OK = 0,
#define WS__ERROR_ENUM(name, value, text) WS_##name = value,
    WS_ERRORS(WS__ERROR_ENUM)
#undef WS__ERROR_ENUM
    /* the first code free for applications: values <= WS_EUSER are passed through untouched */
    WS_EUSER = -WS__ERROR_COUNT - 1
};

/* A short, static description of an error code. */
const char *ws_strerror(int err);

/* Allocation hooks. All memory wasync allocates goes through these (tests inject failures here). */
typedef struct ws_allocator { /* public */
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} ws_allocator;

#if defined(__GNUC__) || defined(__clang__)
#define WS_LIKELY(x) __builtin_expect(!!(x), 1)
#define WS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define WS_LIKELY(x) (x)
#define WS_UNLIKELY(x) (x)
#endif

#ifdef __cplusplus
}
#endif
#endif
