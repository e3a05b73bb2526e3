/* ws_future.h: the poll protocol.
 *
 * A future is a struct whose first member is a ws_future header. Its type's poll function either finishes
 * (returns WS_READY with the output in header.out / header.err) or returns WS_PENDING, and it may only return
 * WS_PENDING after it has handed the context's waker to whatever will complete it (a timer, a channel, a host
 * operation, another task). Nothing runs until somebody polls: building a future only fills in a struct.
 *
 * Ownership and lifetime:
 *   - whoever built a future owns it and must drop it exactly once with ws_future_drop(), in any state (never
 *     polled, pending, or ready), on the runtime it was (or would be) polled on. Dropping an unfinished future
 *     cancels it: its type's drop hook deregisters its wakers and timers and frees what it holds. WS_AWAIT drops
 *     the awaited child as soon as it is ready. A dropped future is finished for good: to wait again, build a new
 *     one (the same struct may be initialised again).
 *   - after WS_READY the output belongs to the poller; drop never frees an output that has been delivered.
 *   - a future must not move in memory once it has been polled (wakers and timers point into it); spawning
 *     copies a future into its task before its first poll, which is allowed.
 *
 * Wakers are plain values: { runtime, task id }. The executor is single-threaded and task ids are
 * generation-checked, so cloning is a copy, dropping forgets the value, and waking a task that has finished is
 * detected and ignored. No reference counting, no allocation.
 */
#ifndef WS_FUTURE_H
#define WS_FUTURE_H

#include "ws_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_poll { WS_PENDING = 0, WS_READY = 1 } ws_poll;

typedef struct ws_future ws_future;
typedef struct ws_context ws_context;

/* Why a task was woken. Every wake has exactly one cause; the trace records it. */
typedef enum ws_cause {
    WS_CAUSE_SPAWN = 0, /* the first scheduling of a new task */
    WS_CAUSE_TIMER,     /* a sleep, interval or timeout deadline passed */
    WS_CAUSE_CHANNEL,   /* a channel or oneshot gained a message, space, or lost its other side */
    WS_CAUSE_TASK,      /* a task this one awaits finished */
    WS_CAUSE_SELF,      /* the task woke itself: yield_now or an exhausted cooperative budget */
    WS_CAUSE_HOST,      /* a host operation (a JS promise) settled */
    WS_CAUSE_FETCH,     /* a host fetch settled */
    WS_CAUSE_NOTIFY,    /* a ws_notify was signalled */
    WS_CAUSE_ABORT,     /* the task was aborted */
    WS_CAUSE_COUNT
} ws_cause;

const char *ws_cause_name(ws_cause cause);

typedef struct ws_future_type {
    const char *name;                               /* shown in traces */
    ws_poll (*poll)(ws_future *f, ws_context *cx);  /* required */
    void (*drop)(ws_runtime *rt, ws_future *f);        /* optional: release what f holds; called once */
    void (*free_output)(ws_runtime *rt, ws_future *f); /* optional: frees the output of a ready future that
                                                          nobody collected (a detached task's) */
} ws_future_type;

/* Header flags, kept by ws_future_poll / ws_future_drop. */
enum { WS_FUTURE_POLLED = 1, WS_FUTURE_READY = 2, WS_FUTURE_DROPPED = 4 };

/* 16 bytes on wasm32. Kept small on purpose: every pending task carries at least two of these. Read-only except to
 * its type's hooks, which write out, err and resume. */
struct ws_future {
    int64_t out;                /* read-only: the output, valid once ready */
    const ws_future_type *type; /* read-only: set by ws_future_init */
    uint16_t resume;            /* private to the type: async functions keep their resume line here, 0 at start */
    uint8_t flags;              /* private: WS_FUTURE_*, kept by ws_future_poll / ws_future_drop */
    int8_t err;                 /* read-only: WS_OK or a WS_E* code, valid once ready */
};

static inline void ws_future_init(ws_future *f, const ws_future_type *type)
{
    f->out = 0;
    f->type = type;
    f->resume = 0;
    f->flags = 0;
    f->err = WS_OK;
}


/* Drops f: runs its drop hook once. Safe in every state, and safe to call twice. The runtime is passed in rather
 * than stored in every leaf future, which keeps a pending sleep small. */
void ws_future_drop(ws_runtime *rt, ws_future *f);

static inline int ws_future_is_ready(const ws_future *f) { return (f->flags & WS_FUTURE_READY) != 0; }
static inline int ws_future_was_polled(const ws_future *f) { return (f->flags & WS_FUTURE_POLLED) != 0; }

/* ---- wakers ------------------------------------------------------------------------------------------------ */

typedef struct ws_waker { /* public: a plain value */
    ws_runtime *rt;
    ws_id task;     /* WS_ID_NONE: an empty waker, waking it does nothing */
} ws_waker;

#define WS_WAKER_NONE ((ws_waker){ NULL, WS_ID_NONE })

/* Wakes the task (queues it once, however many wakes arrive before it runs). `source` identifies what woke it
 * (a timer id, a channel id, a task number, a host operation id) for the trace. A stale task id is ignored. */
void ws_waker_wake_by_ref(const ws_waker *w, ws_cause cause, uint32_t source);
/* Wakes and then drops the waker. */
void ws_waker_wake(ws_waker *w, ws_cause cause, uint32_t source);
static inline ws_waker ws_waker_clone(const ws_waker *w) { return *w; }
static inline void ws_waker_drop(ws_waker *w) { w->rt = NULL; w->task = WS_ID_NONE; }
static inline int ws_waker_will_wake(const ws_waker *a, const ws_waker *b) { return a->rt == b->rt && a->task == b->task; }

/* ---- the poll context ------------------------------------------------------------------------------------ */

/* Handed to every poll. Valid only during that poll. */
struct ws_context {
    ws_runtime *rt;       /* read-only */
    ws_id task;           /* read-only: the task being polled */
    uint32_t budget;      /* private: cooperative budget left in this poll (ws_budget_take); UINT32_MAX: unlimited */
    uint16_t depth;       /* private: nesting of ws_future_poll calls, for the trace */
    int16_t child_index;  /* public to combinators: set just before polling a child, for the trace */
    uint8_t tracing;      /* read-only: the runtime records a trace (nested polls take the slow path) */
    uint32_t serial;      /* private: the task's number in the trace (tracing only) */
};

/* Polls a child future inside the current poll. Records a nested poll in the trace when tracing is on.
 * Polling a future that is already ready or dropped is a bug (asserted). */
ws_poll ws_future_poll(ws_future *f, ws_context *cx);

/* What WS_AWAIT does on each poll of its child: ws_future_poll, and once the child is ready, ws_future_drop at
 * once (its output stays readable) before returning WS_READY. Inline when not tracing: the poll of the child is
 * then the only call an await makes (the traced path, with the asserts, is ws_await_poll_traced). */
ws_poll ws_await_poll_traced(ws_future *f, ws_context *cx);
static inline ws_poll ws_await_poll(ws_future *f, ws_context *cx)
{
    if (WS_UNLIKELY(cx->tracing))
        return ws_await_poll_traced(f, cx);
    f->flags |= WS_FUTURE_POLLED;
    if (f->type->poll(f, cx) == WS_PENDING)
        return WS_PENDING;
    f->flags |= WS_FUTURE_READY | WS_FUTURE_DROPPED; /* ready, then dropped at once; its output stays */
    if (f->type->drop)
        f->type->drop(cx->rt, f);
    return WS_READY;
}

/* A context for polling from outside any task (to collect a finished join handle, in tests): no waker, no
 * budget limit, not traced. */
static inline ws_context ws_context_outside(ws_runtime *rt)
{
    ws_context cx = { rt, WS_ID_NONE, UINT32_MAX, 0, -1, 0, 0 };
    return cx;
}

static inline ws_waker ws_context_waker(const ws_context *cx)
{
    ws_waker w = { cx->rt, cx->task };
    return w;
}

/* Cooperative budget (tokio's idea). Leaf futures that can complete without waiting (a channel with room, a
 * finished join handle, an always-ready future) call this first. Returns 1 if the task may go on; when the budget
 * of this poll is used up it wakes the task (cause SELF) and returns 0, and the caller returns WS_PENDING, so a
 * task that is always ready still yields to the others after a bounded number of operations. */
int ws_budget_exhausted(ws_context *cx); /* the slow path: wakes the task, returns 0 */
static inline int ws_budget_take(ws_context *cx)
{
    if (WS_LIKELY(cx->budget != 0)) {
        if (cx->budget != UINT32_MAX) /* unlimited stays unlimited */
            cx->budget--;
        return 1;
    }
    return ws_budget_exhausted(cx);
}

/* Records the await point of a suspension (file, line) for the trace. Used by WS_AWAIT. */
void ws_context_suspend_at(ws_context *cx, const char *file, unsigned line);

#ifdef __cplusplus
}
#endif
#endif
