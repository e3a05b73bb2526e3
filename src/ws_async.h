/* ws_async.h: async functions in C, lowered the way a compiler lowers `async fn`.
 *
 * An async function is a struct (the future) plus a poll function that jumps back to where it last suspended.
 * Locals that must live across an await are fields of the struct; the futures it awaits are fields too, so an
 * await costs no allocation and no stack switch. Calling the function's init only fills in the struct: nothing
 * runs until the future is polled (lazy, as in Rust).
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
 * What that expands to with GCC and clang on native targets, written by hand (this compiles too, and is what
 * tests/test_future.c checks side by side). The resume point is the address of a label (GCC's labels as values):
 *
 *     typedef struct two_naps {
 *         ws_future ws_base; ws_future *ws_awaiting; void *ws_resume_at;  // the header: WS_ASYNC's own fields
 *         int64_t total; ws_sleep nap;                                      // yours
 *     } two_naps;
 *
 *     static ws_poll two_naps_poll(ws_future *f, ws_context *cx)
 *     {
 *         two_naps *self = (two_naps *)f;
 *         if (self->ws_resume_at)                           // suspended: jump back into the await
 *             goto *self->ws_resume_at;
 *         if (self->ws_base.resume != WS_ASYNC_START)          // finished already, or a state it never set
 *             return ws_async_unknown_state(&self->ws_base);   // WS_ESTATE (asserts in a debug build)
 *         ws_sleep_init(&self->nap, 100);
 *         self->ws_awaiting = &self->nap.base;              // so dropping us drops the sleep too
 *         self->ws_resume_at = &&await_1;
 *     await_1:                                              // every later poll resumes here
 *         if (ws_await_poll(self->ws_awaiting, cx) == WS_PENDING)
 *             return WS_PENDING;                            // the sleep registered our waker with the timer
 *         self->ws_awaiting = NULL;                         // ready, and already dropped (released)
 *         self->total = 100;
 *         ...                                               // the second await, the same way (await_2)
 *         self->ws_base.out = self->total + 200;               // WS_RETURN
 *         self->ws_base.err = WS_OK;
 *         self->ws_resume_at = NULL;
 *         self->ws_base.resume = WS_ASYNC_DONE;                // polling it again is an error, never a replay
 *         return WS_READY;
 *     }
 *     static const ws_future_type two_naps_type = { "two_naps", two_naps_poll, ws_async_drop, NULL };
 *
 * WebAssembly (emscripten), compilers without labels as values, and any compiler given -DWS_ASYNC_SWITCH for the
 * whole program get the protothreads lowering: a `switch` on ws_base.resume with a `case` at every await, the await's
 * number (unique per await: __COUNTER__) stored in ws_base.resume, and `default:` going to ws_async_unknown_state. The
 * struct then has no ws_resume_at. Code meant to run in wasm must follow the switch lowering's rule 2.
 *
 * The rules:
 *   1. State that must survive an await lives in `self`, never in a C local: locals are not saved across a
 *      suspension (on resume they hold garbage). Block-scoped temporaries between two awaits are fine.
 *   2. Loops and ifs around WS_AWAIT are fine. A `switch` of your own around WS_AWAIT (or WS_YIELD, WS_TRY) works
 *      with labels as values only. With the switch lowering (so in wasm) the await's `case` would bind to your
 *      switch, so it does not compile: with clang (and emcc) "error: overflow converting case value to switch
 *      condition type", with GCC "error: [overflow in] conversion from '__int128 unsigned' to '<your type>'
 *      changes value [-Werror=overflow]", each with the macro backtrace or source line that names
 *      `ws_rule_no_await_inside_your_own_switch`. This holds for a switch on any integer or enum narrower than
 *      128 bits (without a 128-bit type in the compiler: on anything but unsigned 64-bit), and unless warnings are
 *      switched off altogether (-w). A switch on a 128-bit integer is not caught at compile time: its first resume
 *      finds a state the function does not know, which fails with WS_ESTATE (after an assert, in builds without
 *      NDEBUG). Use if/else chains around awaits.
 *   3. Any number of awaits may share a source line, in both lowerings. (A compiler without __COUNTER__ is the
 *      exception: the switch lowering then numbers awaits by line, and a second await on a line fails to compile
 *      with "duplicate label 'ws_rule_one_await_per_line_<line>'".)
 *   4. Every body is WS_BEGIN(); ... WS_END(); with nothing before WS_BEGIN. Finish with WS_RETURN,
 *      WS_RETURN_ERR, WS_TRY's error path or by reaching WS_END (out 0, err WS_OK); a plain `return WS_READY`
 *      finishes too but leaves the state open, so a stray later poll would not be caught.
 *   5. The header's fields are `ws_base`, `ws_awaiting` and `ws_resume_at`: names in the library's ws_ prefix, so
 *      fields of your own (`base`, `awaiting`, `state`, ...) never clash with them. Read the future's output with
 *      WS_OUT/WS_ERR, build it with WS_ASYNC_INIT, pass `&f.ws_base` where a ws_future * is expected (ws_spawn,
 *      ws_join2_init, ...). (The core's own futures, ws_sleep and the rest, keep `base`: `&self->nap.base`.)
 *   6. A child is dropped by WS_AWAIT as soon as it is ready; its output stays readable (WS_OUT, WS_ERR). To await
 *      the same child field again, init it again first. Polling a finished async function is WS_ESTATE.
 *
 * Cancel safety: dropping an async function at any await drops (cancels) the child it is suspended on through
 * ws_async_drop; what the function itself holds beyond its children needs WS_ASYNC_WITH_DROP. Its own fields are
 * not touched by the drop: anything half-done between two awaits stays as the last poll left it.
 */
#ifndef WS_ASYNC_H
#define WS_ASYNC_H

#include <assert.h>

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which lowering: labels as values where the compiler has them for the target (GCC and clang, native), the switch
 * otherwise. WebAssembly has no indirect branch, and LLVM's wasm backend (emscripten's, up to at least LLVM 14)
 * rejects computed gotos, so wasm builds use the switch lowering and its rule 2 above. */
#if !defined(WS_ASYNC_SWITCH) && (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__)
#define WS_ASYNC_LABELS 1
#else
#define WS_ASYNC_LABELS 0
#endif

/* ws_base.resume of an async function: WS_ASYNC_START before its first poll, WS_ASYNC_DONE once it has finished. In
 * between: with labels as values it stays WS_ASYNC_START (the resume point is ws_resume_at); with the switch
 * lowering it is the number of the await it is suspended at. */
enum { WS_ASYNC_START = 0, WS_ASYNC_DONE = 0xffff };

/* The header every async function starts with: the future, the child it is suspended on (if any), and with labels
 * as values the address it resumes at. The names carry a ws_ prefix so that they cannot clash with your fields. */
typedef struct ws_async {
    ws_future ws_base;
    ws_future *ws_awaiting;
#if WS_ASYNC_LABELS
    void *ws_resume_at;
#endif
} ws_async;

/* The drop hook of every async function: drops the child it was suspended on, which cancels it. */
void ws_async_drop(ws_runtime *rt, ws_future *f);

/* Declares the future struct `name` (header first, then `fields`), its type `name##_type`, and opens the
 * definition of its poll function. The body that follows is the async function: inside it, `self` is the future
 * (a `name *`) and `cx` the poll's ws_context. `fields` is a braced list of member declarations. */
#define WS_ASYNC(name, ...) WS_ASYNC_WITH_DROP(name, ws_async_drop, __VA_ARGS__)

/* The same, with a drop hook of your own for what the function holds besides its children (a channel end, a
 * buffer). The hook must call ws_async_drop(rt, f) itself, and must cope with every state: never polled, suspended at
 * any await, finished.
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
#if WS_ASYNC_LABELS
#define WS__ASYNC_HEADER_FIELDS ws_future ws_base; ws_future *ws_awaiting; void *ws_resume_at;
#else
#define WS__ASYNC_HEADER_FIELDS ws_future ws_base; ws_future *ws_awaiting;
#endif
#define WS_ASYNC_WITH_DROP(name, dropfn, ...)                                                                       \
    typedef struct name {                                                                                           \
        WS__ASYNC_HEADER_FIELDS                                                                                     \
        struct __VA_ARGS__;                                                                                         \
    } name;                                                                                                         \
    static ws_poll name##_body(name *self, ws_context *cx);                                                         \
    static ws_poll name##_poll(ws_future *f, ws_context *cx) { return name##_body((name *)f, cx); }                 \
    static const ws_future_type name##_type = { #name, name##_poll, dropfn, NULL };                                 \
    static ws_poll name##_body(name *self, ws_context *cx)

/* Builds (does not run) an async function's future in place: the header is reset, your fields are untouched (set
 * them after). Building again re-arms a finished future for another run. */
#if WS_ASYNC_LABELS
#define WS_ASYNC_INIT(name, ptr)                                                                                    \
    (ws_future_init(&(ptr)->ws_base, &name##_type), (ptr)->ws_awaiting = NULL, (ptr)->ws_resume_at = NULL)
#else
#define WS_ASYNC_INIT(name, ptr) (ws_future_init(&(ptr)->ws_base, &name##_type), (ptr)->ws_awaiting = NULL)
#endif

/* The child's output and error once WS_AWAIT(child) has returned (any pointer to a future). */
#define WS_OUT(child) (((ws_future *)(child))->out)
#define WS_ERR(child) (((ws_future *)(child))->err)

/* What a poll of an async function does when its state is not one it set: polled after it finished, memory
 * overwritten, or (switch lowering) an await inside a switch of your own on a 128-bit integer (rule 2). It
 * finishes with WS_ESTATE; a debug build (no NDEBUG) stops at the assert first. Never a silent completion. Define
 * WS_ASYNC_ASSERT(cond) before including wasync.h to report it another way (tests/test_async.c counts it). */
#ifndef WS_ASYNC_ASSERT
#define WS_ASYNC_ASSERT(cond) assert(cond)
#endif
static inline ws_poll ws_async_unknown_state(ws_future *f)
{
    WS_ASYNC_ASSERT(0 && "wasync: an async function was polled at a state it does not know (polled after it finished, "
                          "or WS_AWAIT inside a switch of your own on a 128-bit integer, with the switch lowering)");
    f->out = 0;
    f->err = WS_ESTATE;
    f->resume = WS_ASYNC_DONE;
    return WS_READY;
}

/* ---- the two lowerings ------------------------------------------------------------------------------------ */

#define WS__CAT2(a, b) a##b
#define WS__CAT(a, b) WS__CAT2(a, b)

/* Await points are numbered with __COUNTER__, which clang 22 and later report under -Wpedantic as a C2y extension:
 * silence that around the macros that use it (older compilers do not know the warning, hence __has_warning). */
#define WS__COUNTER_BEGIN
#define WS__COUNTER_END
#if defined(__clang__) && defined(__has_warning)
#if __has_warning("-Wc2y-extensions")
#undef WS__COUNTER_BEGIN
#undef WS__COUNTER_END
#define WS__COUNTER_BEGIN _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wc2y-extensions\"")
#define WS__COUNTER_END _Pragma("clang diagnostic pop")
#endif
#endif

#if WS_ASYNC_LABELS

/* Labels as values are a GNU extension: silence -Wpedantic about them, and GCC 12's -Wdangling-pointer, which
 * takes a label's address stored in the future for the address of a local. */
#if defined(__clang__)
#define WS__EXT_BEGIN                                                                                               \
    _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wpedantic\"")                             \
        _Pragma("clang diagnostic ignored \"-Wgnu-label-as-value\"")
#define WS__EXT_END _Pragma("clang diagnostic pop")
#else
#define WS__EXT_BEGIN                                                                                               \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpragmas\"")                                  \
        _Pragma("GCC diagnostic ignored \"-Wpedantic\"") _Pragma("GCC diagnostic ignored \"-Wdangling-pointer\"")
#define WS__EXT_END _Pragma("GCC diagnostic pop")
#endif

#define WS__SUSPEND_AT(label) WS__EXT_BEGIN self->ws_resume_at = &&label; WS__EXT_END
#define WS__FINISHED() (self->ws_resume_at = NULL, self->ws_base.resume = WS_ASYNC_DONE)
/* clang refuses `goto *` in a function that takes no label's address (a body without awaits): take one. */
#define WS__ANY_LABEL_ADDRESS() WS__EXT_BEGIN (void)&&ws__unknown_state; WS__EXT_END

/* Opens the body: the first poll starts at the top, later polls jump back to the await they suspended at. */
#define WS_BEGIN()                                                                                                  \
    (void)cx;                                                                                                       \
    if (self->ws_resume_at) {                                                                                       \
        WS__EXT_BEGIN goto *self->ws_resume_at; WS__EXT_END                                                         \
    }                                                                                                               \
    if (self->ws_base.resume != WS_ASYNC_START)                                                                        \
        goto ws__unknown_state;                                                                                     \
    {

/* Awaits a child future (any pointer to a struct whose first member is a ws_future; evaluated once). On Pending,
 * records the await point for the trace and returns; the next poll jumps back here and polls the child again.
 * Once the child is ready it has been dropped, its output kept: read it with WS_OUT / WS_ERR. */
#define WS_AWAIT(child) WS__COUNTER_BEGIN WS__AWAIT(child, WS__CAT(ws__resume_, __COUNTER__)) WS__COUNTER_END
#define WS__AWAIT(child, label)                                                                                     \
    do {                                                                                                            \
        self->ws_awaiting = (ws_future *)(child);                                                                   \
        WS__SUSPEND_AT(label)                                                                                       \
    label:                                                                                                          \
        if (ws_await_poll(self->ws_awaiting, cx) == WS_PENDING) {                                                   \
            if (cx->tracing) /* the await point only matters to the trace */                                        \
                ws_context_suspend_at(cx, __FILE__, __LINE__);                                                      \
            return WS_PENDING;                                                                                      \
        }                                                                                                           \
        self->ws_awaiting = NULL; /* ready: it was dropped, its output stays */                                     \
    } while (0)

/* Gives the other tasks a turn: wakes itself (cause SELF) and suspends once. Needs no field. */
#define WS_YIELD() WS__COUNTER_BEGIN WS__YIELD(WS__CAT(ws__resume_, __COUNTER__)) WS__COUNTER_END
#define WS__YIELD(label)                                                                                            \
    do {                                                                                                            \
        WS__SUSPEND_AT(label)                                                                                       \
        ws_yield_wake(cx);                                                                                          \
        if (cx->tracing)                                                                                            \
            ws_context_suspend_at(cx, __FILE__, __LINE__);                                                          \
        return WS_PENDING;                                                                                          \
    label:;                                                                                                         \
    } while (0)

#else /* the switch lowering */

/* Every await point gets its own number, stored in ws_base.resume while suspended there and used as its `case`. With
 * __COUNTER__ (GCC, clang, MSVC) the number is unique per use, so any number of awaits may share a line; without
 * it the line is the number, and a second await on a line fails to compile with "duplicate label
 * 'ws_rule_one_await_per_line_<line>'". The number never is 0 (WS_ASYNC_START) and is stored as a uint16_t. */
#ifdef __COUNTER__
#define WS__POINT() WS__POINT_FROM(__COUNTER__)
#define WS__POINT_FROM(n) ((uint16_t)((n) % 0xfffe + 1))
#define WS__ONE_PER_LINE()
#else
#define WS__POINT() __LINE__
#define WS__ONE_PER_LINE()                                                                                          \
    if (0)                                                                                                          \
        goto WS__CAT(ws_rule_one_await_per_line_, __LINE__);                                                        \
    WS__CAT(ws_rule_one_await_per_line_, __LINE__):
#endif

/* Rule 2 at compile time. The dispatch switch is on `case_base + ws_base.resume`, where case_base is 2^64 (2^63
 * without a 128-bit type), and every await's case label carries it too. Inside a switch of your own, the label
 * belongs to your switch instead, whose condition (an int, an enum, a char, a 64-bit integer: anything narrower than
 * 128 bits) cannot hold the value: clang reports "overflow converting case value to switch condition type"
 * (-Wswitch), GCC "[overflow in] conversion ... changes value" (-Woverflow), both made errors here by a diagnostic
 * pragma around the label, and the compiler's message shows this macro's name, which states the rule. A switch of
 * your own on a 128-bit integer (or, without a 128-bit type, on an unsigned 64-bit one) is not caught: it fails at
 * run time with WS_ESTATE. Our own switch costs nothing at run time: the compiler folds the constant offset and the
 * widening away (the guide's module is byte for byte the same size as with a plain switch on the line). */
#if defined(__SIZEOF_INT128__)
#define ws_rule_no_await_inside_your_own_switch(point) (((__uint128_t)1 << 64) + (uint16_t)(point))
#else
#define ws_rule_no_await_inside_your_own_switch(point) ((1ULL << 63) + (uint16_t)(point))
#endif
#if defined(__clang__)
#define WS__CASE(point)                                                                                             \
    _Pragma("clang diagnostic push") _Pragma("clang diagnostic error \"-Wswitch\"")                                 \
    case ws_rule_no_await_inside_your_own_switch(point):;                                                           \
        _Pragma("clang diagnostic pop")
#elif defined(__GNUC__)
#define WS__CASE(point)                                                                                             \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic error \"-Woverflow\"")                                   \
    case ws_rule_no_await_inside_your_own_switch(point):;                                                           \
        _Pragma("GCC diagnostic pop")
#else
#define WS__CASE(point) case ws_rule_no_await_inside_your_own_switch(point):;
#endif

#define WS__FINISHED() (self->ws_base.resume = WS_ASYNC_DONE)
#define WS__ANY_LABEL_ADDRESS()

#define WS_BEGIN()                                                                                                  \
    (void)cx;                                                                                                       \
    switch (ws_rule_no_await_inside_your_own_switch(self->ws_base.resume)) {                                           \
    default:                                                                                                        \
        goto ws__unknown_state;                                                                                     \
    case ws_rule_no_await_inside_your_own_switch(WS_ASYNC_START):

#define WS_AWAIT(child) WS__COUNTER_BEGIN WS__AWAIT(child, WS__POINT()) WS__COUNTER_END
#define WS__AWAIT(child, point)                                                                                     \
    do {                                                                                                            \
        self->ws_awaiting = (ws_future *)(child);                                                                   \
        self->ws_base.resume = point;                                                                                  \
        WS__ONE_PER_LINE()                                                                                          \
        WS__CASE(point)                                                                                             \
        if (ws_await_poll(self->ws_awaiting, cx) == WS_PENDING) {                                                   \
            if (cx->tracing)                                                                                        \
                ws_context_suspend_at(cx, __FILE__, __LINE__);                                                      \
            return WS_PENDING;                                                                                      \
        }                                                                                                           \
        self->ws_awaiting = NULL;                                                                                   \
    } while (0)

#define WS_YIELD() WS__COUNTER_BEGIN WS__YIELD(WS__POINT()) WS__COUNTER_END
#define WS__YIELD(point)                                                                                            \
    do {                                                                                                            \
        self->ws_base.resume = point;                                                                                  \
        ws_yield_wake(cx);                                                                                          \
        if (cx->tracing)                                                                                            \
            ws_context_suspend_at(cx, __FILE__, __LINE__);                                                          \
        return WS_PENDING;                                                                                          \
        WS__ONE_PER_LINE()                                                                                          \
        WS__CASE(point)                                                                                             \
    } while (0)

#endif

/* ---- finishing ------------------------------------------------------------------------------------------- */

/* Finishes with an output (any integer or pointer-sized value, stored as int64) and err WS_OK. */
#define WS_RETURN(value)                                                                                            \
    do {                                                                                                            \
        self->ws_base.out = (int64_t)(value);                                                                          \
        self->ws_base.err = WS_OK;                                                                                     \
        WS__FINISHED();                                                                                             \
        return WS_READY;                                                                                            \
    } while (0)

/* Finishes with an error code (WS_E*, or an application's own <= WS_EUSER) and output 0. */
#define WS_RETURN_ERR(code)                                                                                         \
    do {                                                                                                            \
        self->ws_base.out = 0;                                                                                         \
        self->ws_base.err = (int8_t)(code);                                                                            \
        WS__FINISHED();                                                                                             \
        return WS_READY;                                                                                            \
    } while (0)

/* Awaits `child`; if it failed, finishes at once with its error and its output (for host operations the output of
 * a failure is a ws_bytes message, which then becomes ours to hand on; for core futures it is 0). Otherwise goes
 * on, with the child's output in WS_OUT(child). Rust's `child.await?`. `child` is evaluated more than once. */
#define WS_TRY(child)                                                                                               \
    do {                                                                                                            \
        WS_AWAIT(child);                                                                                            \
        if (WS_ERR(child) != WS_OK) {                                                                               \
            self->ws_base.out = WS_OUT(child);                                                                         \
            self->ws_base.err = WS_ERR(child);                                                                         \
            WS__FINISHED();                                                                                         \
            return WS_READY;                                                                                        \
        }                                                                                                           \
    } while (0)

/* Closes the body. Reaching it finishes with output 0 and err WS_OK. */
#define WS_END()                                                                                                    \
    }                                                                                                               \
    self->ws_base.out = 0;                                                                                             \
    self->ws_base.err = WS_OK;                                                                                         \
    WS__FINISHED();                                                                                                 \
    return WS_READY;                                                                                                \
    ws__unknown_state:                                                                                              \
    WS__ANY_LABEL_ADDRESS()                                                                                         \
    return ws_async_unknown_state(&self->ws_base)

/* Used by WS_YIELD: wake the current task with cause SELF. */
void ws_yield_wake(ws_context *cx);

#ifdef __cplusplus
}
#endif
#endif
