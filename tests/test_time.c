/* test_time.c: the virtual clock, sleep, sleep_until, interval, timeout, the timer heap, and the host timer. */
#include "test_util.h"

WS_ASYNC(join_naps, { ws_sleep a, b; ws_join j; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 100);
    ws_sleep_init(&self->b, 200);
    ws_join2_init(&self->j, &self->a.base, &self->b.base);
    WS_AWAIT(&self->j);
    WS_RETURN(ws_clock_now(cx->rt));
    WS_END();
}

WS_ASYNC(seq_naps, { ws_sleep a; ws_time mid; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 100);
    WS_AWAIT(&self->a);
    self->mid = ws_clock_now(cx->rt);
    ws_sleep_init(&self->a, 200);
    WS_AWAIT(&self->a);
    WS_RETURN(ws_clock_now(cx->rt));
    WS_END();
}

static void test_join_vs_sequential(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    join_naps j;
    WS_ASYNC_INIT(join_naps, &j);
    int64_t out = 0;
    int err = -1;
    assert_int_equal(ws_block_on(rt, &j.ws_base, sizeof j, "join", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, WS_MS(200));
    assert_int_equal(ws_clock_now(rt), WS_MS(200));
    tu_rt_free(rt);

    rt = tu_rt();
    seq_naps s;
    WS_ASYNC_INIT(seq_naps, &s);
    assert_int_equal(ws_block_on(rt, &s.ws_base, sizeof s, "seq", &out, &err), WS_OK);
    assert_int_equal(out, WS_MS(300));
    assert_int_equal(ws_clock_now(rt), WS_MS(300));
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    tu_rt_free(rt);
}

WS_ASYNC(until_fn, { ws_sleep s; ws_time at; })
{
    WS_BEGIN();
    ws_sleep_until_init(&self->s, self->at);
    WS_AWAIT(&self->s);
    WS_RETURN(ws_clock_now(cx->rt));
    WS_END();
}

static void test_sleep_until(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_true(ws_clock_is_virtual(rt));
    assert_int_equal(ws_clock_advance(rt, WS_MS(20)), WS_OK);
    until_fn u;
    WS_ASYNC_INIT(until_fn, &u);
    u.at = WS_MS(150);
    int64_t out = 0;
    assert_int_equal(ws_block_on(rt, &u.ws_base, sizeof u, "until", &out, NULL), WS_OK);
    assert_int_equal(out, WS_MS(150));
    /* a deadline in the past is ready at once, without a timer and without moving the clock */
    WS_ASYNC_INIT(until_fn, &u);
    u.at = WS_MS(100);
    uint64_t polls = tu_stats(rt).polls;
    assert_int_equal(ws_block_on(rt, &u.ws_base, sizeof u, "past", &out, NULL), WS_OK);
    assert_int_equal(out, WS_MS(150));
    assert_int_equal(tu_stats(rt).polls, polls + 1);
    /* a zero sleep too */
    ws_sleep z;
    ws_sleep_init(&z, 0);
    assert_int_equal(ws_block_on(rt, &z.base, sizeof z, "zero", &out, NULL), WS_OK);
    assert_int_equal(ws_clock_now(rt), WS_MS(150));
    tu_rt_free(rt);
}

/* ---- interval ---- */

static ws_time g_ticks[16];
static int64_t g_tick_no[16];
static int g_nticks;

WS_ASYNC(interval_fn, { ws_interval iv; ws_tick tick; int n; int late_at; ws_time late_by; })
{
    WS_BEGIN();
    ws_interval_init(&self->iv, 100);
    for (self->n = 0; self->n < 5; self->n++) {
        ws_interval_tick(&self->iv, &self->tick); /* a fresh tick future for every await */
        WS_AWAIT(&self->tick);
        g_tick_no[g_nticks] = WS_OUT(&self->tick);
        g_ticks[g_nticks++] = ws_clock_now(cx->rt);
        if (self->n == self->late_at)
            ws_clock_busy(cx->rt, self->late_by); /* the work after this tick overruns the next one */
    }
    WS_RETURN(0);
    WS_END();
}

static void test_interval(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    g_nticks = 0;
    interval_fn f;
    WS_ASYNC_INIT(interval_fn, &f);
    f.late_at = -1;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "interval", NULL, NULL), WS_OK);
    assert_int_equal(g_nticks, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(g_ticks[i], WS_MS(100) * (ws_time)i);
        assert_int_equal(g_tick_no[i], i);
    }
    tu_rt_free(rt);

    /* late: after the tick at 100 the task is busy for 150 ms, so it sees the 200 tick at 250; the next ones
     * are 100 ms after that (delay), not a burst to catch up with 300 */
    rt = tu_rt();
    g_nticks = 0;
    WS_ASYNC_INIT(interval_fn, &f);
    f.late_at = 1;
    f.late_by = WS_MS(150);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "interval", NULL, NULL), WS_OK);
    static const int want[] = { 0, 100, 250, 350, 450 };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(g_ticks[i], WS_MS(want[i]));
        assert_int_equal(g_tick_no[i], i);
    }
    tu_rt_free(rt);
}

/* A tick is a future of its own: one dropped before it is ready disarms its timer and does not count, and the
 * next tick built is due when the dropped one would have been (cancel safe; nothing is revived). */
static void test_interval_tick_dropped_before_ready(void **state)
{
    (void)state;
    enum { PERIOD_MS = 100 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_interval iv;
    ws_tick tick;
    ws_interval_init(&iv, PERIOD_MS);

    ws_interval_tick(&iv, &tick);
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_READY); /* the first tick is immediate */
    assert_int_equal(WS_OUT(&tick), 0);
    ws_future_drop(rt, &tick.sleep.base);

    ws_interval_tick(&iv, &tick);
    assert_false(ws_future_was_polled(&tick.sleep.base)); /* a new future, not the old one revived */
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_PENDING);
    assert_int_equal(tu_stats(rt).timers_armed, 1);
    ws_future_drop(rt, &tick.sleep.base); /* cancelled before its deadline */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(iv.ticks, 1);

    assert_int_equal(ws_clock_advance(rt, WS_MS(PERIOD_MS)), WS_OK);
    ws_interval_tick(&iv, &tick);
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_READY);
    assert_int_equal(WS_OUT(&tick), 1);
    assert_int_equal(iv.due, WS_MS(PERIOD_MS));
    assert_int_equal(iv.ticks, 2);
    ws_future_drop(rt, &tick.sleep.base);
    tu_rt_free(rt);
}

static void test_timeout_without_inner_is_einval(void **state)
{
    (void)state;
    enum { LIMIT_MS = 5 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_timeout to;
    ws_timeout_init(&to, NULL, LIMIT_MS);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_READY);
    assert_int_equal(to.base.err, WS_EINVAL);
    ws_future_drop(rt, &to.base);
    tu_rt_free(rt);
}

/* A late tick while armed: another task keeps the executor busy across the deadline. */
WS_ASYNC(hog_fn, { ws_sleep s; })
{
    WS_BEGIN();
    ws_sleep_init(&self->s, 190);
    WS_AWAIT(&self->s);
    ws_clock_busy(cx->rt, WS_MS(40)); /* 190 -> 230: the interval's 200 deadline passes meanwhile */
    WS_RETURN(0);
    WS_END();
}

static void test_interval_late_while_armed(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    g_nticks = 0;
    interval_fn f;
    WS_ASYNC_INIT(interval_fn, &f);
    f.late_at = -1;
    hog_fn h;
    WS_ASYNC_INIT(hog_fn, &h);
    assert_int_equal(ws_spawn(rt, &h.ws_base, sizeof h, "hog", NULL), WS_OK);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "interval", NULL, NULL), WS_OK);
    static const int want[] = { 0, 100, 230, 330, 430 };
    for (int i = 0; i < 5; i++)
        assert_int_equal(g_ticks[i], WS_MS(want[i]));
    tu_rt_free(rt);
}

/* ---- timeout ---- */

WS_ASYNC(timeout_fn, { ws_sleep inner; tu_probe probe; int use_probe; ws_timeout to; uint64_t inner_ms, limit_ms;
                       uint32_t armed_after; })
{
    WS_BEGIN();
    if (self->use_probe)
        ws_timeout_init(&self->to, &self->probe.base, self->limit_ms);
    else {
        ws_sleep_init(&self->inner, self->inner_ms);
        ws_timeout_init(&self->to, &self->inner.base, self->limit_ms);
    }
    WS_AWAIT(&self->to);
    {
        ws_runtime_stats s;
        ws_runtime_get_stats(cx->rt, &s);
        self->armed_after = s.timers_armed;
    }
    if (WS_ERR(&self->to))
        WS_RETURN_ERR(WS_ERR(&self->to));
    WS_RETURN(ws_clock_now(cx->rt));
    WS_END();
}

static void test_timeout(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    /* the timer wins: WS_ETIMEDOUT at the limit, and the inner sleep was dropped (its timer disarmed) */
    timeout_fn f;
    WS_ASYNC_INIT(timeout_fn, &f);
    f.use_probe = 0;
    f.inner_ms = 1000;
    f.limit_ms = 100;
    f.armed_after = 99;
    int64_t out = 0;
    int err = 0;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "timeout", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_clock_now(rt), WS_MS(100));
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ETIMEDOUT);
    ws_future_drop(rt, &h.base);

    /* the inner future's drop hook runs exactly once (cancel), though the timeout and WS_AWAIT both drop */
    int polls = 0, drops = 0;
    WS_ASYNC_INIT(timeout_fn, &f);
    f.use_probe = 1;
    tu_probe_init(&f.probe, &polls, &drops, -1, 0);
    f.limit_ms = 50;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "timeout_probe", &out, &err), WS_OK);
    assert_int_equal(err, WS_ETIMEDOUT);
    assert_int_equal(polls, 2); /* first poll, and the poll when the timer woke the task */
    assert_int_equal(drops, 1);
    assert_int_equal(ws_clock_now(rt), WS_MS(150));

    /* the inner future wins */
    WS_ASYNC_INIT(timeout_fn, &f);
    f.use_probe = 0;
    f.inner_ms = 30;
    f.limit_ms = 100;
    f.armed_after = 99;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "timeout2", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_OK);
    assert_int_equal(h.base.out, WS_MS(180));
    assert_int_equal(ws_clock_now(rt), WS_MS(180)); /* the 100 ms timer did not hold the clock */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    ws_future_drop(rt, &h.base);

    /* an inner future that is ready at once */
    WS_ASYNC_INIT(timeout_fn, &f);
    f.use_probe = 1;
    tu_probe_init(&f.probe, &polls, &drops, 0, 5);
    f.limit_ms = 10;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "timeout3", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(ws_clock_now(rt), WS_MS(180));
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    tu_rt_free(rt);
}

static void test_drop_pending_sleep(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_sleep s[3];
    for (int i = 0; i < 3; i++) {
        ws_sleep_init(&s[i], 10 * (uint64_t)(i + 1));
        assert_int_equal(ws_future_poll(&s[i].base, &cx), WS_PENDING);
    }
    assert_int_equal(tu_stats(rt).timers_armed, 3);
    ws_future_drop(rt, &s[0].base); /* the earliest: the heap top */
    assert_int_equal(tu_stats(rt).timers_armed, 2);
    ws_future_drop(rt, &s[0].base);
    assert_int_equal(tu_stats(rt).timers_armed, 2);
    ws_clock_advance(rt, WS_MS(20));
    assert_int_equal(ws_future_poll(&s[1].base, &cx), WS_READY); /* due: ready even before the timer fires */
    assert_int_equal(tu_stats(rt).timers_armed, 1);
    ws_future_drop(rt, &s[1].base);
    ws_future_drop(rt, &s[2].base);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_clock_now(rt), WS_MS(20));
    tu_rt_free(rt);
}

/* ---- ordering ---- */

static tu_log g_order;

WS_ASYNC(order_fn, { int64_t id; uint64_t ms; ws_sleep s; })
{
    WS_BEGIN();
    ws_sleep_init(&self->s, self->ms);
    WS_AWAIT(&self->s);
    tu_log_add(&g_order, self->id);
    tu_log_add(&g_order, (int64_t)ws_clock_now(cx->rt));
    WS_RETURN(0);
    WS_END();
}

static void test_deadline_order(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_order, 0, sizeof g_order);
    enum { N = 200 };
    uint64_t ms[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        ms[i] = (x >> 16) % 23; /* many ties */
        order_fn f;
        WS_ASYNC_INIT(order_fn, &f);
        f.id = i;
        f.ms = ms[i];
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "order", NULL), WS_OK);
    }
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_order.n, 2 * N);
    for (int k = 1; k < N; k++) {
        int64_t prev = g_order.v[2 * (k - 1)], cur = g_order.v[2 * k];
        assert_true(ms[prev] < ms[cur] || (ms[prev] == ms[cur] && prev < cur));
        assert_int_equal(g_order.v[2 * k + 1], WS_MS(ms[cur]));
    }
    tu_rt_free(rt);
}

/* A timer that came due while the queue was long runs before that queue: here a task busy for 2 ms spawns five
 * tasks while a 1 ms sleep comes due; the sleeper is polled before any of the five. */
WS_ASYNC(logger_fn, { int64_t id; })
{
    WS_BEGIN();
    tu_log_add(&g_order, self->id);
    WS_RETURN(0);
    WS_END();
}

WS_ASYNC(burst_fn, { int i; })
{
    WS_BEGIN();
    ws_clock_busy(cx->rt, WS_MS(2)); /* virtual time moves, no timer fires during the poll */
    for (self->i = 0; self->i < 5; self->i++) {
        logger_fn f;
        WS_ASYNC_INIT(logger_fn, &f);
        f.id = self->i;
        if (ws_spawn(cx->rt, &f.ws_base, sizeof f, "logger", NULL) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    WS_RETURN(0);
    WS_END();
}

static void test_timer_wake_before_queue(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_order, 0, sizeof g_order);
    order_fn s;
    WS_ASYNC_INIT(order_fn, &s);
    s.id = 100;
    s.ms = 1;
    burst_fn b;
    WS_ASYNC_INIT(burst_fn, &b);
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "sleeper", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &b.ws_base, sizeof b, "burst", NULL), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    /* the sleeper logs its id and the time it woke (2 ms: it was due at 1 ms, during the busy poll) */
    assert_int_equal(g_order.n, 7);
    assert_int_equal(g_order.v[0], 100);
    assert_int_equal(g_order.v[1], WS_MS(2));
    for (int i = 0; i < 5; i++)
        assert_int_equal(g_order.v[2 + i], i);
    tu_rt_free(rt);
}

/* ---- a fake host: a manual clock, counting timer arms and run requests ---- */

static struct fake_host {
    ws_time now;
    int reads, arms, requests;
    ws_time armed;
} fh;

static ws_time fh_now(void *ud) { (void)ud; fh.reads++; return fh.now; }
static void fh_arm(void *ud, ws_time deadline) { (void)ud; fh.arms++; fh.armed = deadline; }
static void fh_request(void *ud) { (void)ud; fh.requests++; }

static ws_runtime *fh_runtime(void)
{
    memset(&fh, 0, sizeof fh);
    fh.now = WS_MS(1000);
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.now = fh_now;
    o.host.arm_timer = fh_arm;
    o.host.request_run = fh_request;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    assert_false(ws_clock_is_virtual(rt));
    assert_int_equal(ws_clock_advance(rt, 5), WS_EINVAL);
    return rt;
}

static void test_host_timer_arms(void **state)
{
    (void)state;
    ws_runtime *rt = fh_runtime();
    enum { N = 1000 };
    uint32_t x = 7;
    for (int i = 0; i < N; i++) {
        x = x * 1664525u + 1013904223u;
        ws_sleep s;
        ws_sleep_init_ns(&s, WS_MS(1) + (ws_time)(x % 1000000u) * 1000u); /* spread over 1..1001 ms */
        assert_int_equal(ws_spawn(rt, &s.base, sizeof s, "sleep", NULL), WS_OK);
    }
    assert_int_equal(fh.requests, 1); /* one idle -> ready transition, however many spawns */
    assert_int_equal(fh.arms, 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(fh.arms, 1); /* one host timer for 1000 sleeps */
    assert_int_equal(tu_stats(rt).timers_armed, N);
    assert_true(fh.armed > fh.now);
    int runs = 0, total_arms = fh.arms;
    while (tu_stats(rt).tasks_live) {
        ws_time prev = fh.armed;
        fh.now = fh.armed;
        int before = fh.arms;
        int st = ws_runtime_run(rt);
        runs++;
        assert_true(fh.arms - before <= 1);
        assert_true(fh.armed > prev);
        total_arms = fh.arms;
        if (tu_stats(rt).tasks_live)
            assert_int_equal(st, WS_RUN_WAIT);
        else
            assert_int_equal(st, WS_RUN_IDLE);
    }
    assert_int_equal(fh.armed, WS_TIME_NEVER); /* disarmed at the end */
    assert_true(total_arms <= runs + 1);
    assert_int_equal(fh.requests, 1); /* timers firing inside run never ask for another run */
    /* a run that changes nothing arms nothing */
    int before = fh.arms;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(fh.arms, before);
    tu_rt_free(rt);
}

static void test_host_request_run(void **state)
{
    (void)state;
    ws_runtime *rt = fh_runtime();
    int polls[3] = { 0, 0, 0 };
    ws_task_handle h[3];
    for (int i = 0; i < 3; i++) {
        tu_probe p;
        tu_probe_init(&p, &polls[i], NULL, -1, 0);
        assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "p", &h[i]), WS_OK);
    }
    assert_int_equal(fh.requests, 1);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(fh.requests, 1);
    /* idle -> ready: one request for several wakes */
    assert_int_equal(ws_task_wake(rt, h[0].task, WS_CAUSE_HOST, 0), WS_OK);
    assert_int_equal(fh.requests, 2);
    assert_int_equal(ws_task_wake(rt, h[1].task, WS_CAUSE_HOST, 0), WS_OK);
    assert_int_equal(ws_task_wake(rt, h[0].task, WS_CAUSE_HOST, 0), WS_OK);
    assert_int_equal(fh.requests, 2);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(polls[0], 2);
    assert_int_equal(polls[1], 2);
    assert_int_equal(polls[2], 1);
    /* a stale wake is not a transition */
    assert_int_equal(ws_task_wake(rt, WS_ID_NONE, WS_CAUSE_HOST, 0), WS_ESTALE);
    assert_int_equal(fh.requests, 2);
    assert_int_equal(ws_task_wake(rt, h[2].task, WS_CAUSE_HOST, 0), WS_OK);
    assert_int_equal(fh.requests, 3);
    ws_runtime_run(rt);
    for (int i = 0; i < 3; i++)
        ws_future_drop(rt, &h[i].base);
    tu_rt_free(rt);
}

/* A task that spends `ms` of the fake clock in each poll, `polls` times, yielding in between. */
WS_ASYNC(spender_fn, { int64_t ms, polls; })
{
    WS_BEGIN();
    while (self->polls-- > 0) {
        fh.now += WS_MS(self->ms);
        WS_YIELD();
    }
    WS_RETURN(0);
    WS_END();
}

static void test_run_reads_clock_lazily(void **state)
{
    (void)state;
    ws_runtime *rt = fh_runtime();
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(1)), WS_OK);
    /* one task, no timer, no trace: the run polls it and reads no clock */
    spender_fn f;
    WS_ASYNC_INIT(spender_fn, &f);
    f.ms = 0;
    f.polls = 0;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "one", NULL), WS_OK);
    fh.reads = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(fh.reads, 0);
    assert_int_equal(tu_stats(rt).completed, 1);

    /* two tasks spending 2 ms per poll against a 1 ms slice: the first poll is not timed (no reading before it) and
     * it yields, so the run hands back right after it rather than run on with a slice it cannot measure */
    for (int i = 0; i < 2; i++) {
        WS_ASYNC_INIT(spender_fn, &f);
        f.ms = 2;
        f.polls = 3;
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "spender", NULL), WS_OK);
    }
    uint64_t polls = tu_stats(rt).polls;
    fh.reads = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls - polls, 1);
    assert_int_equal(fh.reads, 0);
    /* the next run continues a busy one: it reads the clock at its start, and the yield after the first poll
     * (2 ms, past the 1 ms slice) ends it */
    polls = tu_stats(rt).polls;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls - polls, 1);
    assert_true(fh.reads >= 2);

    /* a timer armed: the run reads the clock up front, the slice counts from the first poll, and the clock is
     * checked after it yields: one poll */
    ws_runtime_free(rt);
    rt = fh_runtime();
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(1)), WS_OK);
    order_fn s;
    WS_ASYNC_INIT(order_fn, &s);
    s.id = 1;
    s.ms = 50;
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "sleeper", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT); /* arms the sleep */
    for (int i = 0; i < 2; i++) {
        WS_ASYNC_INIT(spender_fn, &f);
        f.ms = 2;
        f.polls = 3;
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "spender", NULL), WS_OK);
    }
    polls = tu_stats(rt).polls;
    fh.reads = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls - polls, 1);
    assert_true(fh.reads >= 2);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_join_vs_sequential),
        TU_TEST(test_sleep_until),
        TU_TEST(test_interval),
        TU_TEST(test_interval_late_while_armed),
        TU_TEST(test_interval_tick_dropped_before_ready),
        TU_TEST(test_timeout_without_inner_is_einval),
        TU_TEST(test_timeout),
        TU_TEST(test_drop_pending_sleep),
        TU_TEST(test_deadline_order),
        TU_TEST(test_timer_wake_before_queue),
        TU_TEST(test_host_timer_arms),
        TU_TEST(test_host_request_run),
        TU_TEST(test_run_reads_clock_lazily),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
