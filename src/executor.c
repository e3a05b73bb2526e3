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

/* What a poll left of its task (the low bits), and whether the task was marked slow before it (POLLED_SLOW). */
enum { POLLED_DONE = 0, POLLED_IDLE = 1, POLLED_AGAIN = 2, POLLED_STATE = 3, POLLED_SLOW = TASK_SLOW };

/* Polls one task. Returns POLLED_DONE when it finished (the task may be freed), POLLED_AGAIN when it is runnable
 * again at once (it yielded, spent its budget, or was woken while it ran), POLLED_IDLE otherwise; or-ed with
 * POLLED_SLOW if the task was marked slow (read here, where its flags are at hand anyway). */
static int poll_task(ws_runtime *rt, ws_task *t)
{
    ws_future *f = TASK_FUTURE(t);
    assert(t->state == WS_TASK_SCHEDULED);
    if (t->flags & TASK_ABORTED) {
        /* The scheduling point after an abort: drop instead of polling. */
        ws__task_complete(rt, t, WS_ECANCELED, 1);
        return POLLED_DONE;
    }
    t->state = WS_TASK_RUNNING;
    const int slow = t->flags & TASK_SLOW;
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
        return POLLED_DONE | slow;
    }
    if (t->flags & TASK_WOKEN) {
        t->state = WS_TASK_SCHEDULED; /* woken during its own poll (yield, budget, abort): to the back */
        ws__enqueue(rt, t);
        return POLLED_AGAIN | slow;
    }
    t->state = WS_TASK_IDLE;
    return POLLED_IDLE | slow;
}

/* On the virtual clock, time does not pass while tasks run, so the slice also ends after this many polls: a run
 * always returns to the host in bounded time, even for a program that would loop on timers forever. */
#define VIRTUAL_SLICE_POLLS 16384
/* Reading a real clock is a call to the host (in wasm, a crossing into JS), so a run reads it only once per batch
 * of polls: the batch doubles while batches are quick against the slice, up to this, and drops to 1 after a slow
 * one. The virtual clock costs nothing to read: its batch is always 1, so timers fire on time.
 * Sampling alone would let a slow task run again inside a batch grown by quick ones (a worker's 20 ms item after
 * a ticker's quick poll), so a task whose last poll, timed alone, was slow is marked (TASK_SLOW) and the clock is
 * read right after each of its polls. What sampling still costs: a task that turns slow after a quick stretch
 * runs up to one batch before it is timed alone and marked. Reading after every poll instead would cost a host
 * call per yield_now. */
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
     * the first poll of such a run does not count against the slice. Two limits keep that price to the runs it
     * pays for: a run that continues a busy one (the last returned WS_RUN_MORE) reads the clock at its start, and
     * an unread run whose first poll yields ends right there (clock_after_poll). */
    c->unread = rt->host.now && !rt->heap_len && !WS_TRACING(rt) && !rt->run_more;
    c->now = c->start = c->unread ? 0 : ws__now(rt);
    c->max_batch = rt->host.now ? MAX_CLOCK_BATCH : 1;
    /* The first reading comes after the first poll: a run of polls that each take longer than the slice (a worker
     * that yields after every 20 ms item) then stops after one of them, and a timer that came due during it fires
     * before the next. The batch grows from there while polls stay quick. */
    c->batch = 1;
    c->until_read = 1;
    c->polls = 0;
    c->quick = rt->slice ? rt->slice / 16 : WS_MS(1);
    rt->trace_now = c->now;
}

/* What clock_after_poll did. */
enum { CLOCK_NOT_READ, CLOCK_READ, CLOCK_UNTIMED_YIELD };

/* Counts the poll of `t` (`polled`: what poll_task returned); once per batch, and after each poll of a task marked
 * slow, reads the clock, marks or unmarks `t`, and sizes the next batch. Returns CLOCK_READ if it read the clock,
 * CLOCK_UNTIMED_YIELD if the run's first poll, not timed, yielded (the run should hand back now). */
static int clock_after_poll(ws_runtime *rt, run_clock *c, ws_task *t, int polled)
{
    c->polls++;
    if (WS_UNLIKELY(polled & POLLED_SLOW))
        c->until_read = 1;
    if (--c->until_read != 0)
        return CLOCK_NOT_READ;
    const int left = polled & POLLED_STATE;
    if (WS_UNLIKELY(c->unread)) {
        if (!rt->run_head) {
            c->until_read = 1; /* nothing else to poll: the run may end without a reading */
            return CLOCK_NOT_READ;
        }
        if (left == POLLED_AGAIN && rt->slice) {
            /* The first poll was not timed and its task wants to go on (it yielded): the slice cannot be measured,
             * so hand back now rather than let a worker run a second item unmeasured. The next run continues a
             * busy one and is timed from its start. */
            c->until_read = 1;
            return CLOCK_UNTIMED_YIELD;
        }
        c->unread = 0;
        rt->trace_now = c->now = c->start = ws__now(rt); /* the slice starts here */
        c->until_read = c->batch;
        return 1;
    }
    ws_time before = c->now;
    c->now = ws__now(rt);
    if (left != POLLED_DONE && rt->host.now) {
        /* Remember whether `t` is a task to time after every poll. A slow stretch of several polls marks the last
         * one, which may be innocent: its next poll is then timed alone, and a quick one clears the mark. */
        if (c->now - before > c->quick)
            t->flags |= TASK_SLOW;
        else
            t->flags &= (uint8_t)~TASK_SLOW;
    }
    c->batch = c->now - before <= c->quick ? (c->batch < c->max_batch ? c->batch * 2 : c->batch) : 1;
    c->until_read = c->batch;
    return CLOCK_READ;
}

/* Step 1: fires the timers due by the last reading; their tasks go to the front of the queue. */
static void fire_due_timers(ws_runtime *rt, const run_clock *c)
{
    if (rt->heap_len && rt->heap[0]->deadline <= c->now) {
        rt->trace_now = c->now;
        ws__timers_fire(rt, c->now);
    }
}

/* Step 2: polls queued tasks, in order, until the clock has been read (returns CLOCK_READ), the run's untimed
 * first poll yielded (CLOCK_UNTIMED_YIELD), or the queue is empty (CLOCK_NOT_READ).
 * Between two readings no timer can come due: deadlines are compared with the last reading, and a timer armed
 * since then has a deadline later than a fresh reading (the clock never goes back). */
static int poll_batch(ws_runtime *rt, run_clock *c)
{
    ws_task *t;
    while ((t = dequeue(rt)) != NULL) {
        int read = clock_after_poll(rt, c, t, poll_task(rt, t));
        if (read != CLOCK_NOT_READ)
            return read;
    }
    return CLOCK_NOT_READ;
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
        int read = poll_batch(rt, &clock);
        if (read == CLOCK_UNTIMED_YIELD || (read == CLOCK_READ && slice_used_up(rt, &clock))) {
            rt->trace_now = clock.now;
            WS_TRACE(rt, WS_EV_YIELD, 0, 0, 0, 0, 0, 0);
            status = WS_RUN_MORE;
            break;
        }
    }
    rt->running = 0;
    rt->run_more = status == WS_RUN_MORE;
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
