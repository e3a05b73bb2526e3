/* executor.c: the run loop and the poll of one task.
 *
 * ws_runtime_run is the whole scheduler: fire due timers, pop the next task in FIFO order, poll it, repeat, until
 * nothing is runnable or the time slice is used up. It never blocks and never runs re-entrantly; the host decides
 * when to call it again from what it returns (see ws_runtime.h). ws_block_on wraps it for native programs.
 */
#include "ws_internal.h"

static ws_task *dequeue(ws_runtime *rt)
{
    ws_task *t = rt->run_head;
    if (t) {
        rt->run_head = t->next;
        if (!rt->run_head)
            rt->run_tail = NULL;
        t->next = NULL;
    }
    return t;
}

/* A task's poll with its begin and end records (tracing on). */
static ws_poll poll_task_traced(ws_runtime *rt, ws_task *t, ws_future *f, ws_context *cx)
{
    ws_slot_trace *st = ws__slot_trace(rt, t->slot);
    uint32_t serial = cx->serial = st->serial;
    cx->tracing = 1; /* nested polls record too, even if tracing is switched during the poll */
    /* No clock read here: a poll begins when the previous one ended (the last reading), give or take the queue
     * pop. One reading per poll, at its end, halves what tracing costs on a real clock. */
    ws__trace_emit(rt, WS_EV_POLL_BEGIN, 0, 0, serial, st->wake_seq, ws__intern_static(rt, f->type->name), 0);
    st->wake_seq = 0;
    rt->suspend_file = NULL;
    rt->suspend_line = 0;
    ws_poll r = f->type->poll(f, cx);
    uint32_t file = rt->suspend_file ? ws__intern_static(rt, rt->suspend_file) : 0;
    ws__trace_tick(rt);
    ws__trace_emit(rt, WS_EV_POLL_END, (uint8_t)r, 0, serial, 0, r ? 0 : rt->suspend_line, r ? 0 : file);
    rt->suspend_file = NULL;
    return r;
}

static void poll_task(ws_runtime *rt, ws_task *t)
{
    ws_future *f = TASK_FUTURE(t);
    assert(t->state == WS_TASK_SCHEDULED);
    if (t->flags & TASK_ABORTED) {
        /* The scheduling point after an abort: drop instead of polling. */
        ws__task_complete(rt, t, WS_ECANCELED, 1);
        return;
    }
    t->state = WS_TASK_RUNNING;
    t->flags &= (uint8_t)~TASK_WOKEN;
    rt->current = t;
    rt->stats.polls++;

    ws_context cx;
    cx.rt = rt;
    cx.task = ws__task_id(rt, t);
    cx.budget = rt->poll_budget;
    cx.depth = 0;
    cx.child_index = -1;
    cx.tracing = 0;
    cx.serial = 0;
    f->flags |= WS_FUTURE_POLLED;
    /* One branch for tracing per task poll: the untraced path has no other. */
    ws_poll r = WS_TRACING(rt) ? poll_task_traced(rt, t, f, &cx) : f->type->poll(f, &cx);
    rt->current = NULL;
    if (r == WS_READY) {
        f->flags |= WS_FUTURE_READY;
        ws__task_complete(rt, t, WS_OK, 0);
    } else if (t->flags & TASK_WOKEN) {
        t->state = WS_TASK_SCHEDULED; /* woken during its own poll (yield, budget, abort): to the back */
        ws__enqueue(rt, t);
    } else {
        t->state = WS_TASK_IDLE;
    }
}

/* On the virtual clock, time does not pass while tasks run, so the slice also ends after this many polls: a run
 * always returns to the host in bounded time, even for a program that would loop on timers forever. */
#define VIRTUAL_SLICE_POLLS 16384
/* Reading a real clock is a call to the host (in wasm, a crossing into JS), so the loop reads it only every
 * `batch` polls: the batch doubles while polls are short against the slice and drops to 1 after a slow one. */
#define MAX_CLOCK_BATCH 128

int ws_runtime_run(ws_runtime *rt)
{
    if (!rt)
        return WS_EINVAL;
    if (rt->running)
        return WS_EBUSY;
    rt->running = 1;
    rt->run_requested = 0;
    int status;
    /* A real clock's reading is a host call, and the usual run (after a promise settled) polls one task. With no
     * timer armed and no trace to stamp, the first reading waits until a second poll is due, so such a run reads
     * no clock at all (12% of the one-at-a-time bridge benchmark). The price: the first poll of such a run does not
     * count against the slice, so a run can last one poll longer than before. */
    int unread = rt->host.now && !rt->heap_len && !WS_TRACING(rt);
    ws_time start = unread ? 0 : ws__now(rt), now = start;
    /* The virtual clock costs nothing to read: check it after every poll, so timers fire on time. */
    const uint32_t max_batch = rt->host.now ? MAX_CLOCK_BATCH : 1;
    uint32_t batch = max_batch > 1 ? 2 : 1, until_check = unread ? 1 : batch, polls = 0;
    const ws_time quick = rt->slice ? rt->slice / 16 : WS_MS(1);
    rt->trace_now = now;
    for (;;) {
        if (rt->heap_len && rt->heap[0]->deadline <= now) {
            rt->trace_now = now;
            ws__timers_fire(rt, now);
        }
        ws_task *t = dequeue(rt);
        if (!t) {
            ws_time before = now;
            if (rt->heap_len) {
                now = ws__now(rt);
                if (rt->heap[0]->deadline <= now)
                    continue; /* a timer came due while we ran: fire it */
            }
            if (!rt->host.now && rt->heap_len && rt->stats.ops_in_flight == 0) {
                /* Virtual clock, idle, and only timers can make progress: jump to the next deadline. */
                rt->vnow = now = rt->heap[0]->deadline;
                start = now - (before - start); /* a jump is not work: it does not use up the slice */
                continue;
            }
            status = (rt->heap_len || rt->stats.ops_in_flight) ? WS_RUN_WAIT : WS_RUN_IDLE;
            break;
        }
        poll_task(rt, t);
        polls++;
        if (--until_check == 0) {
            if (WS_UNLIKELY(unread)) {
                until_check = 1;
                if (!rt->run_head)
                    continue; /* nothing else to poll: the run may end without a reading */
                unread = 0;
                rt->trace_now = now = start = ws__now(rt); /* the slice starts here */
                until_check = batch;
                continue;
            }
            ws_time before = now;
            now = ws__now(rt);
            if (rt->run_head && rt->slice &&
                (now - start >= rt->slice || (!rt->host.now && polls >= VIRTUAL_SLICE_POLLS))) {
                rt->trace_now = now;
                WS_TRACE(rt, WS_EV_YIELD, 0, 0, 0, 0, 0, 0);
                status = WS_RUN_MORE;
                break;
            }
            batch = now - before <= quick ? (batch < max_batch ? batch * 2 : batch) : 1;
            until_check = batch;
        }
    }
    rt->running = 0;
    ws__host_arm(rt);
    return status;
}

int ws_block_on(ws_runtime *rt, const ws_future *future, size_t size, const char *name, int64_t *out, int *err)
{
    if (!rt || !future)
        return WS_EINVAL;
    if (rt->running)
        return WS_EBUSY;
    ws_task_handle h;
    int rc = ws_spawn(rt, future, size, name, &h);
    if (rc != WS_OK)
        return rc;
    for (;;) {
        int st = ws_runtime_run(rt);
        ws_task *t = ws__task_get(rt, h.task);
        assert(t);
        if (t->state == WS_TASK_DONE)
            break;
        if (st == WS_RUN_MORE)
            continue;
        ws_time next = ws__timers_next(rt);
        if (st == WS_RUN_IDLE || next == WS_TIME_NEVER) {
            /* Nothing runnable, no timer, and natively nobody else to complete a host operation. */
            ws_future_drop(rt, &h.base);
            return WS_ESTALL;
        }
        if (!rt->host.now)
            rt->vnow = next; /* virtual clock with host operations in flight: nobody else will move time */
        else if (rt->host.sleep_until)
            rt->host.sleep_until(rt->host.ud, next);
        else
            while (ws__now(rt) < next) { /* no way to sleep: spin */
            }
    }
    ws_context cx = ws_context_outside(rt);
    ws_poll r = ws_future_poll(&h.base, &cx);
    assert(r == WS_READY);
    (void)r;
    if (out)
        *out = h.base.out;
    if (err)
        *err = h.base.err;
    ws_future_drop(rt, &h.base);
    return WS_OK;
}

/* ---- polling and dropping futures ---- */

/* A nested poll with its begin and end records. Only reached with cx->tracing set, which poll_task sets (contexts
 * from outside any task never trace); the caller has done the flag bookkeeping of ws_future_poll. */
static ws_poll poll_traced(ws_future *f, ws_context *cx, int16_t index)
{
    ws_runtime *rt = cx->rt;
    uint32_t serial = cx->serial;
    uint16_t depth = ++cx->depth;
    ws__trace_emit(rt, WS_EV_POLL_BEGIN, 0, depth, serial, 0, ws__intern_static(rt, f->type->name),
                   (uint32_t)(index + 1));
    rt->suspend_file = NULL;
    ws_poll r = f->type->poll(f, cx);
    /* The await point recorded during this poll is this future's own (children clear theirs on return). */
    uint32_t file = (!r && rt->suspend_file) ? ws__intern_static(rt, rt->suspend_file) : 0;
    /* No clock read for nested polls: on a real clock they are stamped with the task poll's reading (a host
     * call each would double what tracing costs); the task's own poll is timed exactly. */
    ws__trace_emit(rt, WS_EV_POLL_END, (uint8_t)r, depth, serial, 0, r ? 0 : rt->suspend_line, file);
    rt->suspend_file = NULL;
    rt->suspend_line = 0;
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

void ws_future_drop(ws_runtime *rt, ws_future *f)
{
    if (!f || !f->type || (f->flags & WS_FUTURE_DROPPED))
        return;
    f->flags |= WS_FUTURE_DROPPED;
    if (f->type->drop)
        f->type->drop(rt, f);
}

void ws_async_drop(ws_runtime *rt, ws_future *f)
{
    ws_async *a = (ws_async *)f;
    if (a->awaiting) {
        ws_future_drop(rt, a->awaiting);
        a->awaiting = NULL;
    }
}

int ws_budget_exhausted(ws_context *cx)
{
    assert(cx->budget == 0);
    if (cx->task != WS_ID_NONE)
        ws__wake(cx->rt, cx->task, WS_CAUSE_SELF, 0);
    return 0;
}

void ws_context_suspend_at(ws_context *cx, const char *file, unsigned line)
{
    if (WS_TRACING(cx->rt)) {
        cx->rt->suspend_file = file;
        cx->rt->suspend_line = line;
    }
}

void ws_yield_wake(ws_context *cx) { ws__yield_wake(cx); }
