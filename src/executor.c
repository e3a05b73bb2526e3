/* executor.c: the run loop and the poll of one task.
 *
 * ws_runtime_run is the whole scheduler, in four steps, as libuv's uv_run: fire the timers that are due, poll a
 * batch of queued tasks in FIFO order, check the time slice, and when nothing is runnable or the slice is used
 * up, arm the host's timer for the earliest deadline and return. It never blocks and never runs re-entrantly; the
 * host decides when to call it again from what it returns (see ws_runtime.h). ws_block_on wraps it for native
 * programs. How a future is polled and dropped (the protocol every future follows) is future.c's; how a task is
 * woken, task.c's.
 */
#include "time_internal.h"

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
     * pop. One reading per poll, at its end: on a real clock a reading is a host call (see bench/README.md). */
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
/* Reading a real clock is a call to the host (in wasm, a crossing into JS), so a run reads it only once per batch
 * of polls: the batch doubles while batches are quick against the slice, up to this, and drops to 1 after a slow
 * one. The virtual clock costs nothing to read: its batch is always 1, so timers fire on time. */
#define MAX_CLOCK_BATCH 128

/* What a run knows of the clock: its last reading, when the slice started, and when to read next. */
typedef struct run_clock {
    ws_time now;          /* the last reading: timers due by it fire */
    ws_time start;        /* when the slice started */
    ws_time quick;        /* a batch that took at most this long was quick */
    uint32_t batch;       /* polls per reading */
    uint32_t max_batch;
    uint32_t until_read;  /* polls left before the next reading */
    uint32_t polls;       /* polls in this run (the virtual clock's slice counts them) */
    int unread;           /* no reading yet, see clock_start */
} run_clock;

static void clock_start(ws_runtime *rt, run_clock *c)
{
    /* The usual run on a real clock (after a promise settled) polls one task. With no timer armed and no trace to
     * stamp, the first reading waits until a second poll is due, so such a run reads no clock at all. The price:
     * the first poll of such a run does not count against the slice, so a run can last one poll longer. */
    c->unread = rt->host.now && !rt->heap_len && !WS_TRACING(rt);
    c->now = c->start = c->unread ? 0 : ws__now(rt);
    c->max_batch = rt->host.now ? MAX_CLOCK_BATCH : 1;
    c->batch = c->max_batch > 1 ? 2 : 1;
    c->until_read = c->unread ? 1 : c->batch;
    c->polls = 0;
    c->quick = rt->slice ? rt->slice / 16 : WS_MS(1);
    rt->trace_now = c->now;
}

/* Counts a poll; once per batch reads the clock and sizes the next batch. Returns 1 if it read the clock. */
static int clock_after_poll(ws_runtime *rt, run_clock *c)
{
    c->polls++;
    if (--c->until_read != 0)
        return 0;
    if (WS_UNLIKELY(c->unread)) {
        if (!rt->run_head) {
            c->until_read = 1; /* nothing else to poll: the run may end without a reading */
            return 0;
        }
        c->unread = 0;
        rt->trace_now = c->now = c->start = ws__now(rt); /* the slice starts here */
        c->until_read = c->batch;
        return 1;
    }
    ws_time before = c->now;
    c->now = ws__now(rt);
    c->batch = c->now - before <= c->quick ? (c->batch < c->max_batch ? c->batch * 2 : c->batch) : 1;
    c->until_read = c->batch;
    return 1;
}

/* Step 1: fires the timers due by the last reading; their tasks go to the front of the queue. */
static void fire_due_timers(ws_runtime *rt, const run_clock *c)
{
    if (rt->heap_len && rt->heap[0]->deadline <= c->now) {
        rt->trace_now = c->now;
        ws__timers_fire(rt, c->now);
    }
}

/* Step 2: polls queued tasks, in order, until the clock has been read (returns 1) or the queue is empty (0).
 * Between two readings no timer can come due: deadlines are compared with the last reading, and a timer armed
 * since then has a deadline later than a fresh reading (the clock never goes back). */
static int poll_batch(ws_runtime *rt, run_clock *c)
{
    ws_task *t;
    while ((t = dequeue(rt)) != NULL) {
        poll_task(rt, t);
        if (clock_after_poll(rt, c))
            return 1;
    }
    return 0;
}

/* Step 3: after a reading, whether the run has used up its slice and should return WS_RUN_MORE. */
static int slice_used_up(const ws_runtime *rt, const run_clock *c)
{
    return rt->run_head && rt->slice &&
           (c->now - c->start >= rt->slice || (!rt->host.now && c->polls >= VIRTUAL_SLICE_POLLS));
}

/* With the queue empty: returns 1 if there is more to do at once, because a timer came due while the last batch
 * ran, or because the clock is virtual, nothing but timers can make progress, and it jumps to the next deadline. */
static int idle_advance(ws_runtime *rt, run_clock *c)
{
    ws_time before = c->now;
    if (rt->heap_len) {
        c->now = ws__now(rt);
        if (rt->heap[0]->deadline <= c->now)
            return 1;
    }
    if (!rt->host.now && rt->heap_len && rt->stats.ops_in_flight == 0) {
        rt->vnow = c->now = rt->heap[0]->deadline;
        c->start = c->now - (before - c->start); /* a jump is not work: it does not use up the slice */
        return 1;
    }
    return 0;
}

int ws_runtime_run(ws_runtime *rt)
{
    if (!rt)
        return WS_EINVAL;
    if (rt->running)
        return WS_EBUSY;
    rt->running = 1;
    rt->run_requested = 0;
    run_clock clock;
    clock_start(rt, &clock);
    int status;
    for (;;) {
        fire_due_timers(rt, &clock);
        if (!rt->run_head) {
            if (idle_advance(rt, &clock))
                continue;
            status = (rt->heap_len || rt->stats.ops_in_flight) ? WS_RUN_WAIT : WS_RUN_IDLE;
            break;
        }
        if (poll_batch(rt, &clock) && slice_used_up(rt, &clock)) {
            rt->trace_now = clock.now;
            WS_TRACE(rt, WS_EV_YIELD, 0, 0, 0, 0, 0, 0);
            status = WS_RUN_MORE;
            break;
        }
    }
    rt->running = 0;
    ws__host_arm(rt); /* step 4: one host timer, at the earliest deadline */
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
