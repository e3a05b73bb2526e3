/* test_timing.c: the timer heap under many arms and cancels, the virtual clock's slices and jumps, the clamps of
 * far deadlines, an interval's ticks driven through ws_future_poll, and the POSIX host.
 *
 * Each test names the mutants of scripts/mutate.py that motivated it (file, function, the change); each fails on
 * them. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "test_util.h"
#include "ws_host_posix.h"

static tu_log g_log;

/* ---- the heap: 300 timers, pseudo-random deadlines (fixed seed), a third cancelled ---- */

WS_ASYNC(timed, { int idx; ws_time at; ws_sleep s; })
{
    WS_BEGIN();
    ws_sleep_until_init(&self->s, self->at);
    WS_AWAIT(&self->s);
    assert_int_equal(ws_clock_now(cx->rt), self->at); /* fired at its deadline exactly */
    tu_log_add(&g_log, self->idx);
    WS_RETURN(0);
    WS_END();
}

static int pin_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)rt;
    (void)id;
    (void)f;
    return WS_OK; /* never completed: dropped by the test */
}
static const ws_op_type pin_type = { "pin", WS_CAUSE_HOST, pin_start, NULL, NULL };

/* Every timer that is not cancelled fires once, in (deadline, arming order) order, however the heap was
 * reshuffled by removals from its middle.
 * Motivating mutants (time.c): sift_up `(i - 1) / 2` -> `(i + 1) / 2`, `i = parent` deleted (loops: killed by the
 * time limit); sift_down `child >= n` -> `>` (compares against a removed entry past the end), `child + 1 < n` ->
 * `<=`, `break` deleted, `heap_set(rt, i, rt->heap[child])` deleted; heap_remove_at `i < rt->heap_len` -> `<=`,
 * the `sift_up(rt, last->slot - 1)` after the sift_down deleted (a moved entry smaller than its new parent stays
 * below it); timer_before's tie-break `a->id < b->id` -> `>`. */
static void test_heap_order_with_cancels(void **state)
{
    (void)state;
    enum { N = 300 };
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    static ws_time at[N];
    static ws_task_handle h[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        at[i] = WS_MS(1 + (x >> 16) % 97); /* many ties: arming order breaks them */
        timed f;
        WS_ASYNC_INIT(timed, &f);
        f.idx = i;
        f.at = at[i];
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "timed", &h[i]), WS_OK);
    }
    /* a host operation in flight keeps the idle virtual clock from jumping: the first run arms every timer, in
     * index order, and returns with all of them pending */
    ws_op pin;
    ws_op_init(&pin, &pin_type, NULL);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&pin.base, &cx), WS_PENDING);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(tu_stats(rt).timers_armed, N);
    static int cancelled[N];
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        cancelled[i] = (x >> 16) % 3 == 0;
        if (cancelled[i])
            assert_int_equal(ws_task_abort(rt, h[i].task), WS_OK);
    }
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT); /* the aborted tasks are dropped, their timers cancelled */
    ws_future_drop(rt, &pin.base);
    tu_run(rt);
    /* expected: the survivors by (deadline, index) */
    static int want[N];
    int n = 0;
    for (int i = 0; i < N; i++)
        if (!cancelled[i])
            want[n++] = i;
    for (int a = 1; a < n; a++) /* insertion sort, stable: equal deadlines keep index order */
        for (int b = a; b > 0 && at[want[b]] < at[want[b - 1]]; b--) {
            int t = want[b];
            want[b] = want[b - 1];
            want[b - 1] = t;
        }
    assert_int_equal(g_log.n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    for (int i = 0; i < N; i++)
        ws_future_drop(rt, &h[i].base);
    tu_rt_free(rt);
}

/* A removal from the middle of the heap can move the last entry under a parent later than it: it must move up.
 * Armed in this order, the deadlines below (ms) form the heap in the same order (each is later than its parent);
 * cancelling 13 moves the last entry, 9, to its place, under 11 under 10. Motivating mutant: time.c
 * heap_remove_at, `sift_up(rt, last->slot - 1)` deleted (9 stays buried under 10 and fires after it, late). */
static void test_heap_remove_moves_up(void **state)
{
    (void)state;
    enum { N = 15 };
    static const int ms[N] = { 1, 10, 2, 11, 12, 3, 5, 13, 14, 15, 16, 6, 7, 8, 9 };
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    ws_task_handle h[N];
    for (int i = 0; i < N; i++) {
        timed f;
        WS_ASYNC_INIT(timed, &f);
        f.idx = ms[i];
        f.at = WS_MS(ms[i]);
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "timed", &h[i]), WS_OK);
    }
    ws_op pin;
    ws_op_init(&pin, &pin_type, NULL);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&pin.base, &cx), WS_PENDING);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT); /* armed in spawn order */
    assert_int_equal(ws_task_abort(rt, h[7].task), WS_OK); /* the 13 ms timer */
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    /* later timers behind it, so that 9 is not the last entry, which every pop would bring back to the top */
    for (int i = 0; i < 16; i++) {
        timed f;
        WS_ASYNC_INIT(timed, &f);
        f.idx = 20 + i;
        f.at = WS_MS(20 + i);
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "timed", NULL), WS_OK);
    }
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    ws_future_drop(rt, &pin.base);
    tu_run(rt);
    static const int want[N - 1] = { 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16 };
    assert_int_equal(g_log.n, N - 1 + 16);
    for (int i = 0; i < N - 1; i++)
        assert_int_equal(g_log.v[i], want[i]);
    for (int i = 0; i < 16; i++)
        assert_int_equal(g_log.v[N - 1 + i], 20 + i);
    for (int i = 0; i < N; i++)
        ws_future_drop(rt, &h[i].base);
    tu_rt_free(rt);
}

/* ---- the virtual clock: slices ---- */

WS_ASYNC(spinner, { int rounds; int i; ws_yield y; })
{
    WS_BEGIN();
    for (self->i = 0; self->rounds < 0 || self->i < self->rounds; self->i++) {
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
    }
    WS_RETURN(self->i);
    WS_END();
}

/* On the virtual clock (where polls take no time) a slice ends after 16384 polls, so that a run always returns.
 * Motivating mutants (executor.c): `#define VIRTUAL_SLICE_POLLS 16384` (line 83) -> 16383 / 16385; executor.c:166
 * slice_used_up `(!rt->host.now && c->polls >= VIRTUAL_SLICE_POLLS)` with `!` removed (the slice never ends) or
 * `>=` -> `>`. */
static void test_virtual_slice_polls(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(1)), WS_OK);
    spinner s;
    WS_ASYNC_INIT(spinner, &s);
    s.rounds = -1;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "spinner", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls, 16384);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls, 2 * 16384);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* A jump of the idle virtual clock to the next deadline is not work: it does not use up the slice.
 * Motivating mutant: executor.c:181 idle_advance `c->start = c->now - (before - c->start)` deleted or `-` -> `+`
 * (after a jump longer than the slice, the run returns WS_RUN_MORE with work it could have done). */
WS_ASYNC(nap_then_spin, { ws_sleep s; spinner sp; })
{
    WS_BEGIN();
    ws_sleep_init(&self->s, 50);
    WS_AWAIT(&self->s);
    WS_ASYNC_INIT(spinner, &self->sp);
    self->sp.rounds = 3;
    WS_AWAIT(&self->sp);
    WS_RETURN(1);
    WS_END();
}

static void test_jump_is_not_work(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(10)), WS_OK);
    assert_int_equal(ws_clock_advance(rt, WS_MS(100)), WS_OK); /* a run that starts at 100 ms, not at 0 */
    nap_then_spin f;
    WS_ASYNC_INIT(nap_then_spin, &f);
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "nap", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* all of it in one run */
    assert_int_equal(ws_clock_now(rt), WS_MS(150));
    assert_int_equal(tu_stats(rt).completed, 1);
    tu_rt_free(rt);
}

/* ---- advancing the virtual clock asks the host for a run when a timer comes due ---- */

static int g_requests;
static void count_request(void *ud)
{
    (void)ud;
    g_requests++;
}

/* Two timers, armed from outside any task (no jumps: nothing runs); the host hears of the first deadline when
 * the clock reaches it exactly, once until the next run.
 * Motivating mutants: time.c:20 ws_clock_advance `rt->heap[0]->deadline <= rt->vnow` -> `<` (a timer due exactly now
 * is not run) or `heap[0]` -> `heap[1]`, `ws__request_run(rt)` deleted; task_internal.h:43 ws__request_run
 * `!rt->run_requested` negated. */
static void test_advance_requests_run(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.request_run = count_request;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    ws_context cx = tu_cx(rt);
    ws_sleep a, b;
    ws_sleep_init(&a, 10);
    ws_sleep_init(&b, 20);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_PENDING);
    g_requests = 0;
    assert_int_equal(ws_clock_advance(rt, WS_MS(9)), WS_OK);
    assert_int_equal(g_requests, 0);
    assert_int_equal(ws_clock_advance(rt, WS_MS(1)), WS_OK); /* exactly the first deadline */
    assert_int_equal(g_requests, 1);
    assert_int_equal(ws_clock_advance(rt, WS_MS(1)), WS_OK); /* asked already, and no run since */
    assert_int_equal(g_requests, 1);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* fires both (the second by a jump) */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_READY);
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);
    tu_rt_free(rt);
}

/* ---- far deadlines are clamped below WS_TIME_NEVER (which means "no timer") ---- */

/* Seen through ws_runtime_next_deadline (the timer itself is private).
 * Motivating mutants (time.c): ws_sleep_init `ms > WS_TIME_NEVER / 1000000u` -> `>=`; sleep_poll_impl's clamp
 * `WS_TIME_NEVER - 1 - now` (`- 1` -> `- 0` / `+ 1`) and `now + deadline` -> `-`; ws_clock_advance's clamp
 * `delta > WS_TIME_NEVER - rt->vnow` -> `>=`. */
static ws_time armed_at(ws_runtime *rt, ws_sleep *s)
{
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&s->base, &cx), WS_PENDING);
    ws_time d = ws_runtime_next_deadline(rt);
    ws_future_drop(rt, &s->base);
    assert_int_equal(ws_runtime_next_deadline(rt), WS_TIME_NEVER);
    return d;
}

static void test_far_deadlines(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_sleep s;
    /* at time 0: the largest whole number of ms that fits is exact; more is clamped below "never" */
    ws_sleep_init(&s, WS_TIME_NEVER / 1000000u);
    assert_int_equal(armed_at(rt, &s), WS_MS(WS_TIME_NEVER / 1000000u));
    ws_sleep_init(&s, UINT64_MAX);
    assert_int_equal(armed_at(rt, &s), WS_TIME_NEVER - 1);

    /* at 5 ms: relative deadlines whose sum with now would reach or pass WS_TIME_NEVER stop just short of it */
    assert_int_equal(ws_clock_advance(rt, WS_MS(5)), WS_OK);
    ws_sleep_init_ns(&s, WS_TIME_NEVER - 3);
    assert_int_equal(armed_at(rt, &s), WS_TIME_NEVER - 1);
    ws_sleep_init_ns(&s, WS_TIME_NEVER - WS_MS(5)); /* exactly WS_TIME_NEVER */
    assert_int_equal(armed_at(rt, &s), WS_TIME_NEVER - 1);
    ws_sleep_init_ns(&s, WS_TIME_NEVER - WS_MS(5) - 1); /* exactly WS_TIME_NEVER - 1: fits */
    assert_int_equal(armed_at(rt, &s), WS_TIME_NEVER - 1);
    ws_sleep_init_ns(&s, WS_MS(2)); /* an ordinary one is now + 2 ms */
    assert_int_equal(armed_at(rt, &s), WS_MS(7));

    /* the clock moves by exactly delta while that fits, and stops short of WS_TIME_NEVER when it would not */
    assert_int_equal(ws_clock_advance(rt, WS_TIME_NEVER - WS_MS(6)), WS_OK);
    assert_int_equal(ws_clock_now(rt), WS_TIME_NEVER - WS_MS(1));
    assert_int_equal(ws_clock_advance(rt, WS_TIME_NEVER), WS_OK);
    assert_int_equal(ws_clock_now(rt), WS_TIME_NEVER - 1);
    tu_rt_free(rt);
}

/* ---- an interval driven by ws_future_poll: each tick is a new future ---- */

/* ws_future_poll asserts that its future is neither ready nor dropped; an interval's ticks are fresh futures
 * (ws_interval_tick), so an interval can be driven by ws_future_poll as well as by WS_AWAIT, and nothing that was
 * dropped is polled again. */
static void test_interval_repolled(void **state)
{
    (void)state;
    enum { PERIOD_MS = 5 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_interval iv;
    ws_tick tick;
    ws_interval_init(&iv, PERIOD_MS);
    assert_ptr_equal(ws_interval_tick(&iv, &tick), &tick); /* time.c:258 `return f` -> `return 0` */
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_READY);
    assert_int_equal(WS_OUT(&tick), 0);
    ws_future_drop(rt, &tick.sleep.base);
    ws_interval_tick(&iv, &tick);
    assert_false(ws_future_is_ready(&tick.sleep.base));
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_PENDING);
    assert_int_equal(ws_clock_advance(rt, WS_MS(PERIOD_MS)), WS_OK);
    assert_int_equal(ws_future_poll(&tick.sleep.base, &cx), WS_READY);
    assert_int_equal(WS_OUT(&tick), 1);
    ws_future_drop(rt, &tick.sleep.base);
    /* a period of 0 means the shortest one, 1 ms (time.c:244 ws_interval_init `period_ms ? period_ms : 1` -> `2`) */
    ws_interval_init(&iv, 0);
    assert_int_equal(iv.period, WS_MS(1));
    tu_rt_free(rt);
}

/* ---- the POSIX host ---- */

/* now() is monotonic and sleep_until(deadline) does not return before the deadline (how long after is the
 * scheduler's business: not checked). Motivating mutants (host_posix.c): posix_sleep_until `d % 1000000000u` ->
 * `/` (a sub-second sleep becomes no sleep), `deadline <= now` negated (returns at once), `clock_gettime(...)`
 * deleted (an uninitialised clock), `tv_sec * 1000000000u` -> `/` (seconds lost). */
static void test_posix_host(void **state)
{
    (void)state;
    ws_host h = ws_host_posix();
    assert_non_null(h.now);
    assert_non_null(h.sleep_until);
    ws_time t0 = h.now(h.ud);
    struct timespec ts;
    assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    ws_time mono = (ws_time)ts.tv_sec * 1000000000u + (ws_time)ts.tv_nsec;
    ws_time t1 = h.now(h.ud);
    assert_true(t0 <= mono && mono <= t1); /* it is CLOCK_MONOTONIC, in ns */
    h.sleep_until(h.ud, t1 + WS_MS(2));
    ws_time t2 = h.now(h.ud);
    assert_true(t2 >= t1 + WS_MS(2));
    h.sleep_until(h.ud, t0); /* in the past: returns */
    assert_true(h.now(h.ud) >= t2);

    /* a runtime on it: a 3 ms sleep through ws_block_on ends at or after its deadline */
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host = h;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    assert_false(ws_clock_is_virtual(rt));
    ws_sleep s;
    ws_sleep_init(&s, 3);
    ws_time start = ws_clock_now(rt);
    int err = -1;
    assert_int_equal(ws_block_on(rt, &s.base, sizeof s, "nap", NULL, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_true(ws_clock_now(rt) >= start + WS_MS(3));
    tu_rt_free(rt);
}

/* ---- a timeout lets go of its sleep and its inner future as soon as it is ready ---- */

/* Polled with ws_future_poll (its owner drops it whenever it likes), a timeout that is ready has already
 * cancelled its timer and dropped its inner future; one that timed out has out 0.
 * Motivating mutants (time.c timeout_poll): `timeout_drop(cx->rt, f)` after the inner future finished, deleted
 * (line 297: the timer stays armed until the owner drops the timeout); `f->out = 0` on the timeout path -> `1`
 * (line 302). */
static void test_timeout_lets_go(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    int drops = 0;
    tu_probe inner;
    tu_probe_init(&inner, NULL, &drops, 1, 8);
    ws_timeout to;
    ws_timeout_init(&to, &inner.base, 50);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_PENDING);
    assert_int_equal(tu_stats(rt).timers_armed, 1);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_READY);
    assert_int_equal(to.base.err, WS_OK);
    assert_int_equal(to.base.out, 8);
    assert_int_equal(tu_stats(rt).timers_armed, 0); /* before the timeout itself is dropped */
    assert_int_equal(drops, 1);
    ws_future_drop(rt, &to.base);
    assert_int_equal(drops, 1);

    tu_probe_init(&inner, NULL, &drops, -1, 8);
    drops = 0;
    ws_timeout_init(&to, &inner.base, 50);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_PENDING);
    assert_int_equal(ws_clock_advance(rt, WS_MS(50)), WS_OK);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_READY);
    assert_int_equal(to.base.err, WS_ETIMEDOUT);
    assert_int_equal(to.base.out, 0);
    assert_int_equal(drops, 1); /* the inner future was cancelled */
    ws_future_drop(rt, &to.base);
    tu_rt_free(rt);
}

/* ---- from mutation run 4 (seed 20261202) ---- */

/* sleep_until retries nanosleep only when it was interrupted, not when errno happens to hold EINTR from before:
 * a 1 ms sleep returns. Motivating mutant: host_posix.c:23 posix_sleep_until `nanosleep(&ts, &ts) != 0` -> `!= 1`
 * (a sleep that completed is taken for an interrupted one while errno is EINTR, and repeated forever). */
static void test_posix_sleep_with_stale_errno(void **state)
{
    (void)state;
    ws_host h = ws_host_posix();
    ws_time t0 = h.now(h.ud);
    errno = EINTR; /* left over from some earlier call of the program's */
    h.sleep_until(h.ud, t0 + WS_MS(1));
    assert_true(h.now(h.ud) >= t0 + WS_MS(1));
}


/* ---- from mutation run 5 (seed 20261203) ---- */

/* A sleep whose timer cannot be armed (the heap cannot grow) is ready at once with WS_ENOMEM; an interval starts
 * from nothing seen, whatever its memory held. Motivating mutants (time.c): sleep_poll_impl `s->base.err =
 * WS_ENOMEM` deleted (the failed sleep reads as done, on time); ws_interval_init `iv->last = 0` deleted (a fresh
 * interval reports a tick seen at a garbage time). */
static void test_sleep_without_memory_and_fresh_interval(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_sleep s;
    ws_sleep_init(&s, 5);
    tu_mem.fail_at = tu_mem.calls + 1; /* the timer heap's first allocation */
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_READY);
    tu_mem.fail_at = 0;
    assert_int_equal(s.base.err, WS_ENOMEM);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    ws_future_drop(rt, &s.base);

    ws_interval iv;
    memset(&iv, 0xa5, sizeof iv);
    ws_interval_init(&iv, 10);
    assert_int_equal(iv.ticks, 0);
    assert_int_equal(iv.due, 0);
    assert_int_equal(iv.last, 0);
    assert_int_equal(iv.period, WS_MS(10));
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_heap_order_with_cancels),
        TU_TEST(test_heap_remove_moves_up),
        TU_TEST(test_virtual_slice_polls),
        TU_TEST(test_jump_is_not_work),
        TU_TEST(test_advance_requests_run),
        TU_TEST(test_far_deadlines),
        TU_TEST(test_interval_repolled),
        TU_TEST(test_posix_host),
        TU_TEST(test_timeout_lets_go),
        TU_TEST(test_posix_sleep_with_stale_errno),
        TU_TEST(test_sleep_without_memory_and_fresh_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
