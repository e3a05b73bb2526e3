/* ws_base.h: types shared by every part of wasync.
 *
 * Conventions used throughout (modelled on libuv):
 *   - names are ws_<noun>_<verb>; types are ws_<noun>.
 *   - functions that can fail return an int: WS_OK (0) or a negative WS_E* code. They check their arguments and
 *     never crash on bad ones; allocation failure is reported as WS_ENOMEM and leaves everything as it was.
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
 * all, so an id is exact as a JavaScript number. 0 is never a valid id. */
typedef uint64_t ws_id;
#define WS_ID_NONE ((ws_id)0)

/* Times are nanoseconds on the runtime's clock (virtual or real, see ws_time.h). */
typedef uint64_t ws_time;
#define WS_TIME_NEVER UINT64_MAX
#define WS_MS(ms) ((ws_time)(ms) * 1000000u)

enum {
    WS_OK = 0,
    WS_EINVAL = -1,    /* a bad argument */
    WS_ENOMEM = -2,    /* allocation failed; nothing was changed */
    WS_ECANCELED = -3, /* the task or future was aborted or dropped */
    WS_ECLOSED = -4,   /* the other side of a channel (or the runtime) is gone */
    WS_ETIMEDOUT = -5, /* a ws_timeout expired first */
    WS_ESTALE = -6,    /* the id names a task or operation that no longer exists */
    WS_EHOST = -7,     /* a host operation failed (a JS promise rejected, a fetch had a network error) */
    WS_EBUSY = -8,     /* called re-entrantly, from inside a poll, where that is not allowed */
    WS_EFULL = -9,     /* try_send on a full channel */
    WS_EEMPTY = -10,   /* try_recv on an empty channel */
    WS_ENOENT = -11,   /* no such name (example, host function, entry point) */
    WS_ESTALL = -12,   /* block_on: nothing is runnable and nothing can wake the future (a lost waker) */
    WS_ELAGGED = -13,  /* a broadcast receiver fell behind: out = the number of messages it missed */
    WS_ENOTHELD = -14, /* releasing more semaphore permits than are held */
    WS_EUSER = -15     /* first code free for applications: values <= WS_EUSER are passed through untouched */
};

/* A short, static description of an error code. */
const char *ws_strerror(int err);

/* Allocation hooks. All memory wasync allocates goes through these (tests inject failures here). */
typedef struct ws_allocator {
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
