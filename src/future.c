/* future.c: the future protocol (ws_future.h): polling a child, dropping a future, and what WS_AWAIT does.
 *
 * Every future type, every combinator and the executor go through these to poll and drop one another. They keep
 * the header flags (polled, ready, dropped) that make "dropped exactly once" hold, and, when the runtime records
 * a trace, a begin and an end record around each nested poll. Waking lives with the tasks (task.c): a waker names
 * a task.
 */
#include "trace_internal.h"

/* A nested poll with its begin and end records. Only reached with cx->tracing set, which the executor sets
 * (contexts from outside any task never trace); the caller has done the flag bookkeeping of ws_future_poll. */
static ws_poll poll_traced(ws_future *f, ws_context *cx, int16_t index)
{
    ws_runtime *rt = cx->rt;
    uint32_t serial = cx->serial;
    uint16_t depth = ++cx->depth;
    uint16_t outer = rt->poll_depth;
    rt->poll_depth = depth; /* for a cancel recorded during this poll (drop_traced) */
    ws__trace_emit(rt, WS_EV_POLL_BEGIN, 0, depth, serial, 0, ws__intern_static(rt, f->type->name),
                   (uint32_t)(index + 1));
    rt->suspend_file = NULL;
    ws_poll r = f->type->poll(f, cx);
    /* The await point recorded during this poll is this future's own (children clear theirs on return). */
    uint32_t file = (!r && rt->suspend_file) ? ws__intern_static(rt, rt->suspend_file) : 0;
    /* No clock read for nested polls: on a real clock they are stamped with the task poll's reading (a reading is
     * a host call; see bench/README.md for what it costs); the task's own poll is timed exactly. */
    ws__trace_emit(rt, WS_EV_POLL_END, (uint8_t)r, depth, serial, 0, r ? 0 : rt->suspend_line, file);
    rt->suspend_file = NULL;
    rt->suspend_line = 0;
    rt->poll_depth = outer;
    cx->depth--;
    return r;
}

static inline ws_poll poll_child(ws_future *f, ws_context *cx)
{
    assert(f && f->type && cx);
    assert(!(f->flags & (WS_FUTURE_READY | WS_FUTURE_DROPPED)));
    int16_t index = cx->child_index;
    cx->child_index = -1;
    f->flags |= WS_FUTURE_POLLED;
    ws_poll r = WS_UNLIKELY(cx->tracing) ? poll_traced(f, cx, index) : f->type->poll(f, cx);
    if (r == WS_READY)
        f->flags |= WS_FUTURE_READY;
    return r;
}

ws_poll ws_future_poll(ws_future *f, ws_context *cx) { return poll_child(f, cx); }

ws_poll ws_await_poll_traced(ws_future *f, ws_context *cx)
{
    if (poll_child(f, cx) == WS_PENDING)
        return WS_PENDING;
    f->flags |= WS_FUTURE_DROPPED; /* ready, so not dropped before: what ws_future_drop would check */
    if (f->type->drop)
        f->type->drop(cx->rt, f);
    return WS_READY;
}

/* Dropping a future that is not ready cancels it. Inside a task's poll the trace records that (a `cancel`: a
 * select's loser, a future built and dropped unpolled), at one depth below the poll that drops it, and one more for
 * each future its drop hook drops in turn. A task's own future dropped is recorded by the task (`drop`). */
static void drop_traced(ws_runtime *rt, ws_future *f)
{
    uint16_t depth = (uint16_t)(rt->cancel_depth ? rt->cancel_depth + 1 : rt->poll_depth + 1);
    ws__trace_emit(rt, WS_EV_CANCEL, (uint8_t)((f->flags & WS_FUTURE_POLLED) != 0), depth,
                   ws__slot_trace(rt, rt->current->slot)->serial, 0, ws__intern_static(rt, f->type->name), 0);
    uint16_t outer = rt->cancel_depth;
    rt->cancel_depth = depth;
    if (f->type->drop)
        f->type->drop(rt, f);
    rt->cancel_depth = outer;
}

void ws_future_drop(ws_runtime *rt, ws_future *f)
{
    if (!f || !f->type || (f->flags & WS_FUTURE_DROPPED))
        return;
    f->flags |= WS_FUTURE_DROPPED;
    if (WS_UNLIKELY(WS_TRACING(rt) && rt->current && !(f->flags & WS_FUTURE_READY))) {
        drop_traced(rt, f);
        return;
    }
    if (f->type->drop)
        f->type->drop(rt, f);
}

void ws_async_drop(ws_runtime *rt, ws_future *f)
{
    ws_async *a = (ws_async *)f;
    if (a->ws_awaiting) {
        ws_future_drop(rt, a->ws_awaiting);
        a->ws_awaiting = NULL;
    }
}

void ws_context_suspend_at(ws_context *cx, const char *file, unsigned line)
{
    if (WS_TRACING(cx->rt)) {
        cx->rt->suspend_file = file;
        cx->rt->suspend_line = line;
    }
}
