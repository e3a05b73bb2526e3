/* test_slice.c: the time slice on a host clock (the real-clock path of ws_runtime_run, which reads the clock only
 * every few polls). The clock here is a variable the test moves: a worker's poll advances it by its item's
 * length, as CPU work moves a real clock, so every figure is exact. What is pinned: a worker that yields after
 * each item hands control back to the host within the slice plus one item, and a timer that came due during an
 * item fires right after it; the one exception is the first stretch after the worker turns slow, before the run
 * loop has timed it (at most one run). */
#include "test_util.h"

static ws_time g_now;
static unsigned g_readings;
static ws_time host_now(void *ud)
{
    (void)ud;
    g_readings++;
    return g_now;
}

static ws_runtime *host_clock_rt(ws_time slice, uint32_t trace)
{
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.now = host_now;
    o.slice = slice;
    o.trace_capacity = trace;
    g_now = WS_MS(1000);
    g_readings = 0;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    return rt;
}

/* The cooperative example's worker: `items` items of `item` ns of CPU work, yielding after each. */
static int g_items_done;
WS_ASYNC(cruncher, { int64_t items, i; ws_time item; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->items; self->i++) {
        g_now += self->item;
        g_items_done++;
        WS_YIELD();
    }
    WS_RETURN(self->items);
    WS_END();
}

static void spawn_cruncher(ws_runtime *rt, int64_t items, ws_time item)
{
    cruncher c;
    WS_ASYNC_INIT(cruncher, &c);
    c.items = items;
    c.item = item;
    assert_int_equal(ws_spawn(rt, &c.ws_base, sizeof c, "cruncher", NULL), WS_OK);
}

/* Runs until done, and counts the runs that lasted longer than `max_run` on the host clock, and the items done
 * by the others. Returns the runs. */
static int g_runs_over, g_items_per_run_max;
static int run_bounded(ws_runtime *rt, ws_time max_run)
{
    int runs = 0, st;
    g_runs_over = g_items_per_run_max = 0;
    do {
        ws_time before = g_now;
        int items_before = g_items_done;
        st = ws_runtime_run(rt);
        runs++;
        if (g_now - before > max_run)
            g_runs_over++;
        else if (g_items_done - items_before > g_items_per_run_max)
            g_items_per_run_max = g_items_done - items_before;
    } while (st == WS_RUN_MORE);
    assert_int_equal(st, WS_RUN_IDLE);
    return runs;
}

/* Items longer than the slice: one item per run. (The loop used to read the clock first after two polls, so each
 * run did two items: 40 ms against a 4 ms slice.) */
static void test_long_items_one_per_run(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(4), 0);
    g_items_done = 0;
    spawn_cruncher(rt, 10, WS_MS(20));
    int runs = run_bounded(rt, WS_MS(20));
    assert_int_equal(g_items_done, 10);
    assert_int_equal(g_runs_over, 0);
    assert_int_equal(g_items_per_run_max, 1);
    assert_int_equal(runs, 11); /* ten items, then the run that finds it done */
    tu_rt_free(rt);
}

/* Items shorter than the slice: a run lasts until the slice is used, and never more than one item past it. */
static void test_short_items_fill_the_slice(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(4), 0);
    g_items_done = 0;
    spawn_cruncher(rt, 400, WS_MS(2) - 1);
    run_bounded(rt, WS_MS(4) + WS_MS(2));
    assert_int_equal(g_items_done, 400);
    assert_int_equal(g_runs_over, 0);
    assert_int_equal(g_items_per_run_max, 3); /* 3 x (2 ms - 1 ns) is the first total at or past 4 ms */
    tu_rt_free(rt);
}

/* A task that finishes in one poll and takes no time: many of them grow the run loop's clock batch. */
WS_ASYNC(quick, { int64_t unused; })
{
    WS_BEGIN();
    WS_RETURN(0);
    WS_END();
}

/* After many quick polls the loop reads the clock only every 128 polls. A worker that starts then runs up to one
 * such batch before it is timed (the price of sampling); from then on it is timed after every item. */
static void test_worker_after_quick_polls(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(4), 0);
    g_items_done = 0;
    for (int i = 0; i < 1000; i++) {
        quick q;
        WS_ASYNC_INIT(quick, &q);
        assert_int_equal(ws_spawn(rt, &q.ws_base, sizeof q, "quick", NULL), WS_OK);
    }
    spawn_cruncher(rt, 400, WS_MS(2));
    run_bounded(rt, WS_MS(4) + WS_MS(2));
    assert_int_equal(g_items_done, 400);
    assert_true(g_runs_over <= 1);
    assert_true(g_items_per_run_max <= 3);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

/* The cooperative example: a ticker every 30 ms beside a worker of 20 ms items. A tick that comes due during an
 * item runs right after that item: no tick is later than one item. */
static int64_t g_worst_late;
static int g_ticks;
WS_ASYNC(ticker, { int64_t ticks; ws_interval every; ws_tick tick; })
{
    WS_BEGIN();
    ws_interval_init(&self->every, 30);
    while (self->ticks-- > 0) {
        ws_interval_tick(&self->every, &self->tick);
        WS_AWAIT(&self->tick);
        {
            ws_time due = self->every.due, now = ws_clock_now(cx->rt);
            if (now > due && (int64_t)(now - due) > g_worst_late)
                g_worst_late = (int64_t)(now - due);
            g_ticks++;
        }
    }
    WS_RETURN(0);
    WS_END();
}

static void test_due_tick_waits_one_item_at_most(void **state)
{
    (void)state;
    for (int traced = 0; traced < 2; traced++) {
        ws_runtime *rt = host_clock_rt(WS_MS(4), traced ? 4096 : 0);
        g_items_done = 0;
        g_worst_late = 0;
        g_ticks = 0;
        ticker t;
        WS_ASYNC_INIT(ticker, &t);
        t.ticks = 10;
        assert_int_equal(ws_spawn(rt, &t.ws_base, sizeof t, "ticker", NULL), WS_OK);
        spawn_cruncher(rt, 20, WS_MS(20));
        int st, over = 0;
        /* The host's part: run, and when the executor waits for a timer, move the clock to it. */
        do {
            do {
                ws_time before = g_now;
                st = ws_runtime_run(rt);
                over += g_now - before > WS_MS(20); /* more than one item */
            } while (st == WS_RUN_MORE);
            if (st == WS_RUN_WAIT) {
                ws_time next = ws_runtime_next_deadline(rt);
                assert_true(next != WS_TIME_NEVER);
                if (next > g_now)
                    g_now = next;
            }
        } while (st != WS_RUN_IDLE);
        assert_int_equal(g_items_done, 20);
        assert_int_equal(g_ticks, 10);
        /* Before the worker is timed, its first poll can follow the ticker's quick one in a batch of two: that
         * run does two items; every later run, one. */
        assert_true(over <= 1);
        assert_true(g_worst_late <= (int64_t)WS_MS(20));
        tu_rt_free(rt);
    }
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* A run that starts without reading the clock reads it after its first poll (here a task that finishes), and from
 * then on is an ordinary timed run: a worker of quick items that yields after each goes on in the same run until
 * it is done, far inside the slice. Motivating mutant: executor.c:162 clock_after_poll `c->unread = 0` deleted
 * (the run still counts as unread after its first reading, so the worker's first yield ends it as if no poll had
 * been timed: a second run for nothing). */
static void test_first_reading_times_the_run(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(10), 0);
    ws_ready r;
    ws_ready_init(&r, 0);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "quick", NULL), WS_OK);
    g_items_done = 0;
    spawn_cruncher(rt, 5, 10000); /* 10 us each */
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* one run did everything */
    assert_int_equal(g_items_done, 5);
    assert_int_equal(tu_stats(rt).completed, 2);
    tu_rt_free(rt);
}

/* ---- from mutation run 4 (seed 20261202) ---- */

/* A slow task is timed after each of its polls, also when the poll leaves it waiting (not only when it yields).
 * W's polls each take 20 ms (the slice is 10): the first two yield, the later ones wait for Q, a quick task that
 * wakes W and yields on every poll. Once W has been timed alone (its third poll, which waits), it is marked slow,
 * so every later run that polls W reads the clock right after it and ends there: Q, then W, then the run returns.
 * Motivating mutant: executor.c:88 poll_task `return POLLED_IDLE | slow` -> `return 0` (a poll that left its task
 * waiting reads as finished: the task is never marked slow by it, and a marked one is not timed, so a run goes on
 * polling Q after W's 20 ms). */
static char g_seq[512];
static int g_nseq;
WS_ASYNC(slow_waiter, { ws_notify *n; int k; int i; ws_notified nf; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->k; self->i++) {
        g_now += WS_MS(20);
        g_seq[g_nseq++] = 'W';
        if (self->i < 2) {
            WS_YIELD();
        } else {
            ws_notified_init(&self->nf, self->n);
            WS_AWAIT(&self->nf);
        }
    }
    WS_RETURN(0);
    WS_END();
}
WS_ASYNC(quick_waker, { ws_notify *n; int k; int i; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->k; self->i++) {
        ws_notify_waiters(self->n);
        g_seq[g_nseq++] = 'Q';
        WS_YIELD();
    }
    WS_RETURN(0);
    WS_END();
}

static void test_slow_waiting_task_is_timed(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(10), 0);
    ws_notify *n;
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);
    slow_waiter w;
    WS_ASYNC_INIT(slow_waiter, &w);
    w.n = n;
    w.k = 8;
    quick_waker q;
    WS_ASYNC_INIT(quick_waker, &q);
    q.n = n;
    q.k = 12;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "w", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &q.ws_base, sizeof q, "q", NULL), WS_OK);
    g_nseq = 0;
    int st;
    do {
        st = ws_runtime_run(rt);
        assert_true(g_nseq < (int)sizeof g_seq - 1);
        g_seq[g_nseq++] = '|';
    } while (st == WS_RUN_MORE && g_nseq < 400);
    g_seq[g_nseq] = 0;
    assert_int_equal(st, WS_RUN_IDLE);
    /* runs, separated by '|'; here (fake clock, exact): W|QWQ|W|QW|QW|QW|QW|QW|QQQQQ| */
    int ws = 0, qs = 0, timed_alone = 0, checked = 0;
    for (const char *run = g_seq; *run; ) {
        const char *end = strchr(run, '|');
        assert_non_null(end);
        for (const char *c = run; c < end; c++)
            *c == 'W' ? ws++ : qs++;
        int has_w = memchr(run, 'W', (size_t)(end - run)) != NULL;
        if (timed_alone && has_w) {
            if (end[-1] != 'W')
                fail_msg("a run went on after W's slow poll: %.*s (all: %s)", (int)(end - run), run, g_seq);
            checked++;
        }
        if (run != g_seq && end - run == 1 && *run == 'W')
            timed_alone = 1; /* W polled alone in a run (not the first, unread one): timed, and marked slow */
        run = end + 1;
    }
    assert_true(timed_alone);
    assert_true(checked >= 4);
    assert_int_equal(ws, 8);
    assert_int_equal(qs, 12);
    ws_notify_close(n);
    tu_run(rt);
    tu_rt_free(rt);
}


/* ---- from mutation run 5 (seed 20261203) ---- */

/* Switching tracing on or off outside a run reads no clock (the next run reads it); only inside a run does
 * switching it on read the clock, to stamp what follows. Motivating mutant: trace.c:226 ws_trace_enable
 * `rt->trace_on && rt->running` -> `||` (a host call to read the clock on every switch outside a run). */
static void test_trace_switch_outside_a_run_reads_no_clock(void **state)
{
    (void)state;
    ws_runtime *rt = host_clock_rt(WS_MS(10), 64);
    unsigned before = g_readings;
    ws_trace_enable(rt, 0);
    ws_trace_enable(rt, 1);
    assert_int_equal(g_readings, before);
    assert_true(ws_trace_enabled(rt));
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_long_items_one_per_run),
        TU_TEST(test_short_items_fill_the_slice),
        TU_TEST(test_worker_after_quick_polls),
        TU_TEST(test_due_tick_waits_one_item_at_most),
        TU_TEST(test_first_reading_times_the_run),
        TU_TEST(test_slow_waiting_task_is_timed),
        TU_TEST(test_trace_switch_outside_a_run_reads_no_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
