/* ws_async.h: async functions in C, lowered the way a compiler lowers `async fn`.
 *
 * An async function is a struct (the future) plus a poll function that is a `switch` over a resume point. Locals
 * that must live across an await are fields of the struct; the futures it awaits are fields too, so an await
 * costs no allocation and no stack switch. Calling the function's init only fills in the struct: nothing runs
 * until the future is polled (lazy, as in Rust).
 *
 * With the macros:
 *
 *     WS_ASYNC(two_naps, { int64_t total; ws_sleep nap; })
 *     {
 *         WS_BEGIN();
 *         ws_sleep_init(&self->nap, 100);
 *         WS_AWAIT(&self->nap);                  // suspends here until the timer fires
 *         self->total = 100;
 *         ws_sleep_init(&self->nap, 200);
 *         WS_AWAIT(&self->nap);
 *         WS_RETURN(self->total + 200);
 *         WS_END();
 *     }
 *     // build it (runs nothing):  two_naps f; WS_ASYNC_INIT(two_naps, &f);
 *
 * What that expands to, written by hand (this compiles too, and is what tests/test_future.c checks side by side):
 *
 *     typedef struct two_naps { ws_future base; ws_future *awaiting; int64_t total; ws_sleep nap; } two_naps;
 *
 *     static ws_poll two_naps_poll(ws_future *f, ws_context *cx)
 *     {
 *         two_naps *self = (two_naps *)f;
 *         switch (self->base.resume) {
 *         case 0:                                           // first poll: start of the body
 *             ws_sleep_init(&self->nap, 100);
 *             self->awaiting = &self->nap.base;             // so dropping us drops the sleep too
 *             self->base.resume = 12;                       // the await's line number
 *         case 12:                                          // every later poll resumes here
 *             if (ws_await_poll(&self->nap.base, cx) == WS_PENDING)
 *                 return WS_PENDING;                        // the sleep registered our waker with the timer
 *             self->awaiting = NULL;                        // ready, and already dropped (released)
 *             self->total = 100;
 *             ...                                           // the second await, the same way
 *             self->base.out = self->total + 200;
 *             return WS_READY;
 *         }
 *         return WS_READY;
 *     }
 *     static const ws_future_type two_naps_type = { "two_naps", two_naps_poll, ws_async_drop, NULL };
 *
 * Rules, as with protothreads: inside the body, use `self` for state, never rely on C locals across an await,
 * and do not put WS_AWAIT inside a `switch` of your own. Loops and ifs around WS_AWAIT are fine.
 * After WS_AWAIT(child), read the child's result with WS_OUT(child) and WS_ERR(child).
 */
#ifndef WS_ASYNC_H
#define WS_ASYNC_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The header every async function starts with: the future, then the child it is suspended on (if any). */
typedef struct ws_async {
    ws_future base;
    ws_future *awaiting;
} ws_async;

/* The drop hook of every async function: drops the child it was suspended on, which cancels it. */
void ws_async_drop(ws_runtime *rt, ws_future *f);

/* Declares the future struct `name` (header first, then `fields`), its type `name##_type`, and opens the
 * definition of its poll function. The body that follows is the async function. */
#define WS_ASYNC(name, ...) WS_ASYNC_WITH_DROP(name, ws_async_drop, __VA_ARGS__)

/* The same, with a drop hook of your own (it must call ws_async_drop(rt, f) itself).
 *
 * Cancel safety of an async function: dropping it (an abort, a select it lost, a timeout) drops the child it is
 * suspended on and then nothing else: whatever it holds across that await (memory, semaphore permits taken with
 * ws_acquire, channel messages it took) is lost unless its drop hook gives it back. The pattern, for memory held
 * across an await (tests/test_leak.c aborts it mid-await and checks nothing is lost):
 *
 *     static void fetcher_drop(ws_runtime *rt, ws_future *f);
 *     WS_ASYNC_WITH_DROP(fetcher, fetcher_drop, { char *buf; ws_sleep nap; })
 *     {
 *         WS_BEGIN();
 *         self->buf = ws_alloc(cx->rt, 46);
 *         ws_sleep_init(&self->nap, 1000);
 *         WS_AWAIT(&self->nap);                         // aborted here: fetcher_drop frees buf
 *         ws_free(cx->rt, self->buf, 46);
 *         self->buf = NULL;
 *         WS_RETURN(0);
 *         WS_END();
 *     }
 *     static void fetcher_drop(ws_runtime *rt, ws_future *f)
 *     {
 *         fetcher *self = (fetcher *)f;
 *         ws_async_drop(rt, f);                         // the awaited child first
 *         if ((f->flags & WS_FUTURE_POLLED) && self->buf) // never polled: its fields were never set
 *             ws_free(rt, self->buf, 46);
 *     }
 *
 * The drop hook runs exactly once, also after a normal finish (then buf is already NULL). Without it, the 46
 * bytes leak on abort, and ws_runtime_free reports them (see ws_runtime.h). For child tasks, a WS_ASYNC_SCOPE
 * (ws_joinset.h) does this for you; for permits, ws_with_permit (ws_semaphore.h). */
#define WS_ASYNC_WITH_DROP(name, dropfn, ...)                                                                       \
    typedef struct name {                                                                                           \
        ws_future base;                                                                                             \
        ws_future *awaiting;                                                                                        \
        struct __VA_ARGS__;                                                                                         \
    } name;                                                                                                         \
    static ws_poll name##_body(name *self, ws_context *cx);                                                         \
    static ws_poll name##_poll(ws_future *f, ws_context *cx) { return name##_body((name *)f, cx); }                 \
    static const ws_future_type name##_type = { #name, name##_poll, dropfn, NULL };                                 \
    static ws_poll name##_body(name *self, ws_context *cx)

/* Builds (does not run) an async function's future in place. */
#define WS_ASYNC_INIT(name, ptr) (ws_future_init(&(ptr)->base, &name##_type), (ptr)->awaiting = NULL)

#define WS_BEGIN()                                                                                                  \
    (void)cx;                                                                                                       \
    switch (self->base.resume) {                                                                                    \
    case 0:

/* Awaits a child future (any pointer to a struct whose first member is a ws_future). On Pending, records the
 * await point for the trace and returns; the next poll resumes on this line and polls the child again. */
#define WS_AWAIT(child)                                                                                             \
    do {                                                                                                            \
        self->awaiting = (ws_future *)(child);                                                                      \
        self->base.resume = __LINE__;                                                                               \
        /* fallthrough */                                                                                           \
    case __LINE__:                                                                                                  \
        if (ws_await_poll(self->awaiting, cx) == WS_PENDING) {                                                      \
            if (cx->tracing) /* the await point only matters to the trace */                                        \
                ws_context_suspend_at(cx, __FILE__, __LINE__);                                                      \
            return WS_PENDING;                                                                                      \
        }                                                                                                           \
        self->awaiting = NULL; /* ready: it was dropped, its output stays */                                        \
    } while (0)

/* Gives the other tasks a turn: wakes itself (cause SELF) and suspends once. Needs no field. */
#define WS_YIELD()                                                                                                  \
    do {                                                                                                            \
        self->base.resume = __LINE__;                                                                               \
        ws_yield_wake(cx);                                                                                          \
        if (cx->tracing)                                                                                            \
            ws_context_suspend_at(cx, __FILE__, __LINE__);                                                          \
        return WS_PENDING;                                                                                          \
    case __LINE__:;                                                                                                 \
    } while (0)

#define WS_OUT(child) (((ws_future *)(child))->out)
#define WS_ERR(child) (((ws_future *)(child))->err)

#define WS_RETURN(value)                                                                                            \
    do {                                                                                                            \
        self->base.out = (int64_t)(value);                                                                          \
        self->base.err = WS_OK;                                                                                     \
        return WS_READY;                                                                                            \
    } while (0)

#define WS_RETURN_ERR(code)                                                                                         \
    do {                                                                                                            \
        self->base.out = 0;                                                                                         \
        self->base.err = (int8_t)(code);                                                                            \
        return WS_READY;                                                                                            \
    } while (0)

#define WS_END()                                                                                                    \
    }                                                                                                               \
    self->base.out = 0;                                                                                             \
    return WS_READY

/* Used by WS_YIELD: wake the current task with cause SELF. */
void ws_yield_wake(ws_context *cx);

#ifdef __cplusplus
}
#endif
#endif
