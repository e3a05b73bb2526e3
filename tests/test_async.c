/* test_async.c: the rules of ws_async.h, checked in both lowerings. This file is built twice: as test_async (labels
 * as values: GCC and clang) and as test_async_switch (-DWS_ASYNC_SWITCH: the protothreads lowering that wasm and
 * other compilers get). Where the two differ, each build checks what the header documents for it. The compile-time
 * rule (no await inside a switch of your own, with the switch lowering) is checked by tests/compile_fail/. */

/* Count the state assertion instead of aborting, to check that it fires (ws_async.h lets a program choose). */
static int state_asserts;
#define WS_ASYNC_ASSERT(cond) ((void)((cond) ? 0 : state_asserts++))

#include "test_util.h"

/* Polls `f` by hand on the virtual clock, advancing to the next deadline between polls, until it is ready. */
static int64_t drive(ws_runtime *rt, ws_future *f, int *err, int *polls)
{
    ws_context cx = tu_cx(rt);
    *polls = 0;
    for (;;) {
        ++*polls;
        if (ws_future_poll(f, &cx) == WS_READY)
            break;
        ws_time next = ws_runtime_next_deadline(rt);
        assert_true(next != WS_TIME_NEVER);
        ws_clock_advance(rt, next - ws_clock_now(rt));
    }
    *err = f->err;
    return f->out;
}

/* ---- WS_AWAIT inside a switch of one's own ---- */

/* With labels as values it works, whatever the condition's type. With the switch lowering, a switch of one's own on
 * an int (or any type narrower than 128 bits) around an await does not compile (tests/compile_fail/); the one hole
 * left is a switch on a 128-bit integer, which compiles and must then fail at run time with WS_ESTATE. */
#if WS_ASYNC_LABELS
typedef int user_switch_on;
#else
typedef __int128_t user_switch_on;
#endif

WS_ASYNC(user_switch, { int mode, i; int64_t sum; int after; ws_sleep nap; })
{
    WS_BEGIN();
    switch ((user_switch_on)self->mode) {
    case 0:
        ws_sleep_init(&self->nap, 10);
        WS_AWAIT(&self->nap);
        self->sum += 10;
        break;
    case 1:
        for (self->i = 0; self->i < 2; self->i++) { /* the counter lives across an await: a field */
            ws_sleep_init(&self->nap, 20);
            WS_AWAIT(&self->nap);
            self->sum += 20;
        }
        /* falls through */
    default:
        ws_sleep_init(&self->nap, 5);
        WS_AWAIT(&self->nap);
        self->sum += 5;
    }
    self->after = 1;
    WS_RETURN(self->sum);
    WS_END();
}

static void check_user_switch(int mode, int64_t want, ws_time want_ms)
{
    ws_runtime *rt = tu_rt();
    user_switch f;
    WS_ASYNC_INIT(user_switch, &f);
    f.mode = mode;
    f.sum = 0;
    f.after = 0;
    int err = -100, polls = 0;
    state_asserts = 0;
    int64_t out = drive(rt, &f.ws_base, &err, &polls);
#if WS_ASYNC_LABELS
    /* documented: it works */
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, want);
    assert_int_equal(f.after, 1);
    assert_int_equal(ws_clock_now(rt), WS_MS(want_ms));
    assert_int_equal(state_asserts, 0);
#else
    /* documented: the first resume inside the user's switch is an unknown state: WS_ESTATE, the assert fires,
     * and the body after the switch never runs (no silent completion with a wrong value) */
    (void)want;
    (void)want_ms;
    assert_int_equal(err, WS_ESTATE);
    assert_int_equal(out, 0);
    assert_int_equal(f.after, 0);
    assert_int_equal(polls, 2);
    assert_int_equal(state_asserts, 1);
#endif
    ws_future_drop(rt, &f.ws_base); /* the owner's drop: releases a child the failed resume left behind */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    tu_rt_free(rt);
}

static void test_await_in_user_switch(void **state)
{
    (void)state;
    check_user_switch(0, 10, 10);
    check_user_switch(1, 45, 45);
    check_user_switch(7, 5, 5);
}

/* Dropping it while suspended inside the user's switch cancels the child. */
static void test_drop_inside_user_switch(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    user_switch f;
    WS_ASYNC_INIT(user_switch, &f);
    f.mode = 1;
    f.sum = 0;
    f.after = 0;
    assert_int_equal(ws_future_poll(&f.ws_base, &cx), WS_PENDING);
    assert_ptr_equal(f.ws_awaiting, &f.nap.base);
    assert_int_equal(tu_stats(rt).timers_armed, 1);
    ws_future_drop(rt, &f.ws_base);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_null(f.ws_awaiting);
    tu_rt_free(rt);
}

/* ---- two awaits on one line (both lowerings: the switch lowering numbers await points with __COUNTER__) ---- */

WS_ASYNC(two_per_line, { int64_t trail; ws_sleep a, b; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 10); ws_sleep_init(&self->b, 20);
    WS_AWAIT(&self->a); self->trail = self->trail * 10 + 1; WS_AWAIT(&self->b); self->trail = self->trail * 10 + 2;
    WS_YIELD(); self->trail = self->trail * 10 + 3; WS_YIELD(); self->trail = self->trail * 10 + 4;
    WS_RETURN(self->trail);
    WS_END();
}

static void test_two_awaits_on_one_line(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    two_per_line f;
    WS_ASYNC_INIT(two_per_line, &f);
    f.trail = 0;
    int64_t out = 0;
    int err = -100;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "two_per_line", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 1234); /* every step once, in order: each await resumed where it suspended */
    assert_int_equal(ws_clock_now(rt), WS_MS(30)); /* a relative sleep starts at its first poll: 10, then 20 */
    tu_rt_free(rt);
}

/* ---- WS_TRY ---- */

/* Sleeps, then finishes with err (and, on error, `msg` as its output: what a host operation's failure carries). */
WS_ASYNC(maybe_fail, { int err; int64_t msg; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 10);
    WS_AWAIT(&self->nap);
    if (self->err != WS_OK) {
        self->ws_base.out = self->msg;
        self->ws_base.err = (int8_t)self->err;
        return WS_READY;
    }
    WS_RETURN(7);
    WS_END();
}

WS_ASYNC(try_twice, { int first_err, second_err; int steps; maybe_fail a, b; })
{
    WS_BEGIN();
    WS_ASYNC_INIT(maybe_fail, &self->a);
    self->a.err = self->first_err;
    self->a.msg = 111;
    WS_TRY(&self->a);
    self->steps++;
    WS_ASYNC_INIT(maybe_fail, &self->b);
    self->b.err = self->second_err;
    self->b.msg = 222;
    WS_TRY(&self->b);
    self->steps++;
    WS_RETURN(WS_OUT(&self->a) + WS_OUT(&self->b));
    WS_END();
}

static void check_try(int e1, int e2, int want_err, int64_t want_out, int want_steps, ws_time want_ms)
{
    ws_runtime *rt = tu_rt();
    try_twice f;
    WS_ASYNC_INIT(try_twice, &f);
    f.first_err = e1;
    f.second_err = e2;
    f.steps = 0;
    int err = -100, polls = 0;
    int64_t out = drive(rt, &f.ws_base, &err, &polls);
    assert_int_equal(err, want_err);
    assert_int_equal(out, want_out);
    assert_int_equal(f.steps, want_steps);
    assert_int_equal(ws_clock_now(rt), WS_MS(want_ms));
    assert_int_equal(f.ws_base.resume, WS_ASYNC_DONE);
    tu_rt_free(rt);
}

static void test_try(void **state)
{
    (void)state;
    check_try(WS_OK, WS_OK, WS_OK, 14, 2, 20);             /* both succeed: their outputs */
    check_try(WS_EUSER - 1, WS_OK, WS_EUSER - 1, 111, 0, 10); /* the first fails: its error and output, b never built */
    check_try(WS_OK, WS_ETIMEDOUT, WS_ETIMEDOUT, 222, 1, 20);
}

/* ---- unknown states are errors, never completions ---- */

static void test_poll_after_finish_is_estate(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    maybe_fail f;
    WS_ASYNC_INIT(maybe_fail, &f);
    f.err = WS_OK;
    int err = -100, polls = 0;
    assert_int_equal(drive(rt, &f.ws_base, &err, &polls), 7);
    assert_int_equal(err, WS_OK);
    /* a stray second poll (the type's poll called directly: ws_future_poll asserts on a ready future first) */
    state_asserts = 0;
    assert_int_equal(f.ws_base.type->poll(&f.ws_base, &cx), WS_READY);
    assert_int_equal(f.ws_base.err, WS_ESTATE);
    assert_int_equal(f.ws_base.out, 0);
    assert_int_equal(state_asserts, 1);
    assert_int_equal(tu_stats(rt).timers_armed, 0); /* it did not replay the sleep */

    /* a state it never set (memory overwritten) */
    WS_ASYNC_INIT(maybe_fail, &f);
    f.err = WS_OK;
    f.ws_base.resume = 4242;
    assert_int_equal(ws_future_poll(&f.ws_base, &cx), WS_READY);
    assert_int_equal(f.ws_base.err, WS_ESTATE);
    assert_int_equal(state_asserts, 2);
    assert_int_equal(tu_stats(rt).timers_armed, 0);

    /* WS_ASYNC_INIT re-arms a finished future: it runs again from the top */
    WS_ASYNC_INIT(maybe_fail, &f);
    f.err = WS_OK;
    assert_int_equal(drive(rt, &f.ws_base, &err, &polls), 7);
    assert_int_equal(err, WS_OK);
    assert_int_equal(state_asserts, 2);
    tu_rt_free(rt);
}

/* ---- the header's names cannot clash with a program's ---- */

/* The names a program is likely to pick, `base` and `awaiting` first: the header's own are ws_base, ws_awaiting and
 * ws_resume_at. Built in both lowerings (this file is test_async and test_async_switch). */
WS_ASYNC(common_names, { int base, awaiting, resume, resume_at, state, out, err; ws_sleep nap; })
{
    WS_BEGIN();
    self->base = 100;
    self->awaiting = 1;
    ws_sleep_init(&self->nap, 1);
    WS_AWAIT(&self->nap);
    self->resume = 20;
    WS_RETURN(self->base + self->awaiting + self->resume);
    WS_END();
}

static void test_common_field_names(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    common_names f;
    WS_ASYNC_INIT(common_names, &f);
    int64_t out = 0;
    int err = -100;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "names", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 121); /* the program's base, awaiting and resume, untouched by the header's */
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_await_in_user_switch),
        TU_TEST(test_drop_inside_user_switch),
        TU_TEST(test_two_awaits_on_one_line),
        TU_TEST(test_try),
        TU_TEST(test_poll_after_finish_is_estate),
        TU_TEST(test_common_field_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
