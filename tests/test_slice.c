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

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_long_items_one_per_run),
        TU_TEST(test_short_items_fill_the_slice),
        TU_TEST(test_worker_after_quick_polls),
        TU_TEST(test_due_tick_waits_one_item_at_most),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
