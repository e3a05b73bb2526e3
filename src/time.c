/* time.c: the clock, the timer heap, and the time futures (sleep, interval, timeout, yield, ready, never).
 *
 * Why a binary heap and not a timer wheel: a heap gives exact ordering (deadline, then arming order), which keeps
 * virtual-clock traces reproducible and timeouts exact to the nanosecond, with O(log n) arm and cancel and O(1)
 * "what is next" for the single host timer. At the 10^5 timers the benchmarks use, log n is about 17.
 */
#include "time_internal.h"

/* ---- clock ---- */

ws_time ws_clock_now(const ws_runtime *rt) { return rt ? ws__now(rt) : 0; }

int ws_clock_is_virtual(const ws_runtime *rt) { return rt && !rt->host.now; }

int ws_clock_advance(ws_runtime *rt, ws_time delta)
{
    if (!rt || rt->host.now)
        return WS_EINVAL;
    rt->vnow = delta > WS_TIME_NEVER - rt->vnow ? WS_TIME_NEVER - 1 : rt->vnow + delta;
    if (rt->heap_len && rt->heap[0]->deadline <= rt->vnow)
        ws__request_run(rt);
    return WS_OK;
}

void ws_clock_busy(ws_runtime *rt, ws_time ns)
{
    if (!rt)
        return;
    if (!rt->host.now) {
        rt->vnow += ns; /* busy, not idle: due timers wait until the executor gets control back */
        return;
    }
    ws_time end = ws__now(rt) + ns;
    while (ws__now(rt) < end) {
    }
}

/* ---- the heap ---- */

static int timer_before(const ws_timer *a, const ws_timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->id < b->id);
}

static void heap_set(ws_runtime *rt, uint32_t i, ws_timer *t)
{
    rt->heap[i] = t;
    t->slot = i + 1;
}

static void sift_up(ws_runtime *rt, uint32_t i)
{
    ws_timer *t = rt->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!timer_before(t, rt->heap[parent]))
            break;
        heap_set(rt, i, rt->heap[parent]);
        i = parent;
    }
    heap_set(rt, i, t);
}

static void sift_down(ws_runtime *rt, uint32_t i)
{
    ws_timer *t = rt->heap[i];
    uint32_t n = rt->heap_len;
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && timer_before(rt->heap[child + 1], rt->heap[child]))
            child++;
        if (!timer_before(rt->heap[child], t))
            break;
        heap_set(rt, i, rt->heap[child]);
        i = child;
    }
    heap_set(rt, i, t);
}

static void heap_remove_at(ws_runtime *rt, uint32_t i)
{
    ws_timer *t = rt->heap[i];
    ws_timer *last = rt->heap[--rt->heap_len];
    t->slot = 0;
    if (i < rt->heap_len) {
        heap_set(rt, i, last);
        sift_down(rt, i);
        sift_up(rt, last->slot - 1);
    }
    rt->stats.timers_armed--;
}

/* Returns WS_ENOMEM if the heap cannot grow. */
static int timer_arm(ws_runtime *rt, ws_timer *t, ws_id task)
{
    assert(t->slot == 0);
    if (rt->heap_len == rt->heap_cap) {
        /* 1.5x: the heap holds a pointer per pending timer, so its slack counts in the memory of every task */
        uint32_t cap = rt->heap_cap ? rt->heap_cap + rt->heap_cap / 2 : 64;
        ws_timer **h = ws__realloc(rt, rt->heap, rt->heap_cap * sizeof *h, cap * sizeof *h);
        if (!h)
            return WS_ENOMEM;
        rt->heap = h;
        rt->heap_cap = cap;
    }
    t->task = task;
    t->id = ++rt->timer_seq;
    rt->heap[rt->heap_len++] = t;
    sift_up(rt, rt->heap_len - 1);
    rt->stats.timers_armed++;
    if (WS_TRACING(rt)) {
        ws_time rel = t->deadline - rt->trace_t0; /* trace times are relative to the last ws_trace_clear */
        ws__trace_emit(rt, WS_EV_TIMER, 0, 0, ws__task_serial(rt, task), t->id, (uint32_t)rel, (uint32_t)(rel >> 32));
    }
    return WS_OK;
}

static void timer_cancel(ws_runtime *rt, ws_timer *t)
{
    if (t->slot) {
        assert(rt->heap[t->slot - 1] == t);
        heap_remove_at(rt, t->slot - 1);
    }
}

uint32_t ws__timers_fire(ws_runtime *rt, ws_time now)
{
    uint32_t fired = 0;
    ws_task *before_tail = rt->run_tail;
    while (rt->heap_len && rt->heap[0]->deadline <= now) {
        ws_timer *t = rt->heap[0];
        heap_remove_at(rt, 0);
        ws__wake(rt, t->task, WS_CAUSE_TIMER, t->id);
        fired++;
    }
    /* The tasks just queued (appended after before_tail, in deadline order) move to the front: a timer is a
     * deadline, and behind a burst of spawns or wakes it would be late by the whole queue's length. */
    if (before_tail && before_tail->next) {
        ws_task *first = before_tail->next;
        rt->run_tail->next = rt->run_head;
        rt->run_head = first;
        before_tail->next = NULL;
        rt->run_tail = before_tail;
    }
    return fired;
}

ws_time ws__timers_next(const ws_runtime *rt) { return rt->heap_len ? rt->heap[0]->deadline : WS_TIME_NEVER; }

void ws__timers_free(ws_runtime *rt)
{
    /* Every timer lives in a future, and every future was dropped before this: the heap must be empty. */
    assert(rt->heap_len == 0);
    ws__free(rt, rt->heap, rt->heap_cap * sizeof *rt->heap);
    rt->heap = NULL;
    rt->heap_len = rt->heap_cap = 0;
}

void ws__host_arm(ws_runtime *rt)
{
    if (!rt->host.now || !rt->host.arm_timer)
        return;
    ws_time next = ws__timers_next(rt);
    if (next != rt->armed_deadline) {
        rt->armed_deadline = next;
        rt->host.arm_timer(rt->host.ud, next);
    }
}

/* ---- sleep ---- */

enum { SLEEP_IDLE = 0, SLEEP_ARMED = 1, SLEEP_FIRED = 2, SLEEP_STATE = 3, SLEEP_ABSOLUTE = 4 };

static ws_poll sleep_poll(ws_future *f, ws_context *cx);
static void sleep_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type sleep_type = { "sleep", sleep_poll, sleep_drop, NULL };

void ws_sleep_init_ns(ws_sleep *f, ws_time ns)
{
    ws_future_init(&f->base, &sleep_type);
    memset(&f->timer, 0, sizeof f->timer);
    f->timer.deadline = ns;
}

void ws_sleep_init(ws_sleep *f, uint64_t ms)
{
    ws_sleep_init_ns(f, ms > WS_TIME_NEVER / 1000000u ? WS_TIME_NEVER - 1 : WS_MS(ms));
}

void ws_sleep_until_init(ws_sleep *f, ws_time deadline)
{
    ws_sleep_init_ns(f, deadline);
    f->base.resume = SLEEP_ABSOLUTE;
}

static ws_poll sleep_poll_impl(ws_sleep *s, ws_context *cx)
{
    ws_runtime *rt = cx->rt;
    ws_time now = ws__now(rt);
    switch (s->base.resume & SLEEP_STATE) {
    case SLEEP_IDLE:
        if (!(s->base.resume & SLEEP_ABSOLUTE))
            s->timer.deadline = s->timer.deadline > WS_TIME_NEVER - 1 - now ? WS_TIME_NEVER - 1 : now + s->timer.deadline;
        if (s->timer.deadline <= now)
            break;
        if (timer_arm(rt, &s->timer, cx->task) != WS_OK) {
            s->base.err = WS_ENOMEM;
            break;
        }
        s->base.resume = (uint16_t)((s->base.resume & SLEEP_ABSOLUTE) | SLEEP_ARMED);
        return WS_PENDING;
    case SLEEP_ARMED:
        if (s->timer.slot == 0)
            break; /* fired */
        if (s->timer.deadline <= now) {
            timer_cancel(rt, &s->timer); /* due, but the executor was busy: no need to wait for the fire */
            break;
        }
        s->timer.task = cx->task; /* the waker of the latest poll wins */
        return WS_PENDING;
    default:
        break;
    }
    s->base.resume = (uint16_t)((s->base.resume & SLEEP_ABSOLUTE) | SLEEP_FIRED);
    s->base.out = 0;
    return WS_READY;
}

static ws_poll sleep_poll(ws_future *f, ws_context *cx) { return sleep_poll_impl((ws_sleep *)f, cx); }

static void sleep_drop(ws_runtime *rt, ws_future *f) { timer_cancel(rt, &((ws_sleep *)f)->timer); }

/* ---- interval ---- */

/* A tick is a sleep until the interval's next deadline; only its readiness updates the interval, so a tick dropped
 * before it is ready changes nothing (the next tick built is due when this one would have been). */
static ws_poll tick_poll(ws_future *f, ws_context *cx);
static const ws_future_type tick_type = { "interval", tick_poll, sleep_drop, NULL };

void ws_interval_init(ws_interval *iv, uint64_t period_ms)
{
    iv->period = WS_MS(period_ms ? period_ms : 1);
    iv->ticks = 0;
    iv->due = 0;
    iv->last = 0;
}

ws_tick *ws_interval_tick(ws_interval *iv, ws_tick *f)
{
    if (iv->ticks == 0)
        ws_sleep_init_ns(&f->sleep, 0); /* the first tick is immediate: due at its first poll */
    else
        ws_sleep_until_init(&f->sleep, iv->last + iv->period);
    f->sleep.base.type = &tick_type;
    f->interval = iv;
    return f;
}

static ws_poll tick_poll(ws_future *f, ws_context *cx)
{
    ws_tick *tick = (ws_tick *)f;
    if (sleep_poll_impl(&tick->sleep, cx) == WS_PENDING)
        return WS_PENDING;
    ws_interval *iv = tick->interval;
    iv->due = tick->sleep.timer.deadline; /* absolute once polled */
    iv->last = ws__now(cx->rt);
    f->out = (int64_t)iv->ticks++;
    return WS_READY;
}

/* ---- timeout ---- */

static ws_poll timeout_poll(ws_future *f, ws_context *cx);
static void timeout_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type timeout_type = { "timeout", timeout_poll, timeout_drop, NULL };

void ws_timeout_init(ws_timeout *f, ws_future *inner, uint64_t ms)
{
    ws_future_init(&f->base, &timeout_type);
    f->inner = inner;
    ws_sleep_init(&f->sleep, ms);
}

static ws_poll timeout_poll(ws_future *f, ws_context *cx)
{
    ws_timeout *to = (ws_timeout *)f;
    if (!to->inner) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    cx->child_index = 0;
    if (ws_future_poll(to->inner, cx) == WS_READY) {
        f->out = to->inner->out;
        f->err = to->inner->err;
        timeout_drop(cx->rt, f);
        return WS_READY;
    }
    cx->child_index = 1;
    if (ws_future_poll(&to->sleep.base, cx) == WS_READY) {
        f->out = 0;
        f->err = to->sleep.base.err ? to->sleep.base.err : WS_ETIMEDOUT;
        timeout_drop(cx->rt, f);
        return WS_READY;
    }
    return WS_PENDING;
}

static void timeout_drop(ws_runtime *rt, ws_future *f)
{
    ws_timeout *to = (ws_timeout *)f;
    if (to->inner)
        ws_future_drop(rt, to->inner);
    ws_future_drop(rt, &to->sleep.base);
}

/* ---- yield, ready, never ---- */

static ws_poll yield_poll(ws_future *f, ws_context *cx)
{
    if (f->resume == 0) {
        f->resume = 1;
        ws__yield_wake(cx);
        return WS_PENDING;
    }
    return WS_READY;
}
static const ws_future_type yield_type = { "yield_now", yield_poll, NULL, NULL };
void ws_yield_init(ws_yield *f) { ws_future_init(&f->base, &yield_type); }

static ws_poll ready_poll(ws_future *f, ws_context *cx)
{
    if (!ws_budget_take(cx))
        return WS_PENDING;
    f->out = ((ws_ready *)f)->value;
    return WS_READY;
}
static const ws_future_type ready_type = { "ready", ready_poll, NULL, NULL };
void ws_ready_init(ws_ready *f, int64_t value)
{
    ws_future_init(&f->base, &ready_type);
    f->value = value;
}

static ws_poll never_poll(ws_future *f, ws_context *cx)
{
    (void)f;
    (void)cx;
    return WS_PENDING;
}
static const ws_future_type never_type = { "never", never_poll, NULL, NULL };
void ws_never_init(ws_never *f) { ws_future_init(&f->base, &never_type); }
