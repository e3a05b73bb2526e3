/* test_select.c: the WS_SELECT macro (which branch won, its output, losers dropped, the trace) and
 * ws_timeout_at, on the virtual clock. */
#include "test_util.h"

static tu_log g_log;

/* select over a channel recv, a token and a 100 ms tick, in a loop: logs what won and when. */
WS_ASYNC(loop_fn, { ws_channel *ch; ws_token *stop; int ticks; ws_recv rx; ws_cancelled c; ws_sleep tick;
                    ws_selector sel; })
{
    WS_BEGIN();
    for (;;) {
        ws_cancelled_init(&self->c, self->stop);
        ws_recv_init(&self->rx, self->ch);
        ws_sleep_init(&self->tick, 100);
        WS_SELECT(&self->sel, WS_SELECT_BIASED,
                  WS_BRANCH(&self->c),     /* 0 */
                  WS_BRANCH(&self->rx),    /* 1 */
                  WS_BRANCH(&self->tick)); /* 2 */
        int64_t now = (int64_t)(ws_clock_now(cx->rt) / WS_MS(1));
        switch (WS_SELECTED(&self->sel)) {
        case 0:
            tu_log_add(&g_log, now);
            WS_RETURN(self->ticks);
        case 1:
            assert_int_equal(WS_SELECTED_ERR(&self->sel), WS_OK);
            tu_log_add(&g_log, 10000 * WS_SELECTED_OUT(&self->sel) + now);
            break;
        case 2:
            self->ticks++;
            break;
        default:
            fail();
        }
    }
    WS_END();
}

WS_ASYNC(feeder_fn, { ws_channel *ch; ws_token *stop; int i; ws_sleep nap; ws_send tx; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= 3; self->i++) {
        ws_sleep_init(&self->nap, 150);
        WS_AWAIT(&self->nap);
        ws_send_init(&self->tx, self->ch, self->i);
        WS_AWAIT(&self->tx);
    }
    ws_sleep_init(&self->nap, 120);
    WS_AWAIT(&self->nap);
    ws_token_cancel(self->stop);
    WS_RETURN(0);
    WS_END();
}

static void test_select_loop(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    ws_token *stop;
    assert_int_equal(ws_channel_new(rt, 4, &ch), WS_OK);
    assert_int_equal(ws_token_new(rt, &stop), WS_OK);
    loop_fn l;
    WS_ASYNC_INIT(loop_fn, &l);
    l.ch = ch;
    l.stop = stop;
    l.ticks = 0;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &l.ws_base, sizeof l, "loop", &h), WS_OK);
    feeder_fn f;
    WS_ASYNC_INIT(feeder_fn, &f);
    f.ch = ch;
    f.stop = stop;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "feeder", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    /* messages at 150, 300, 450; stop at 570. The tick restarts with every select: it fires at 100 (then
     * restarted), lost at 150 to the message, 250, lost at 300, 400, lost at 450, 550: four ticks. */
    int64_t want[] = { 10150, 20300, 30450, 570 };
    assert_int_equal(g_log.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(g_log.v[i], want[i]);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 4);
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).timers_armed, 0); /* the losing ticks were disarmed */
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    ws_token_drop(stop);
    tu_rt_free(rt);
}

/* Three probes: the winner's index and output, every loser dropped once, the trace's winner/loser events. */
WS_ASYNC(probe_sel_fn, { tu_probe a, b, c; ws_select_mode mode; ws_selector sel; })
{
    WS_BEGIN();
    WS_SELECT(&self->sel, self->mode,
              WS_BRANCH(&self->a),
              WS_BRANCH(&self->b),
              WS_BRANCH(&self->c));
    WS_RETURN(WS_SELECTED(&self->sel) * 1000 + WS_SELECTED_OUT(&self->sel));
    WS_END();
}

static void test_select_winner_losers_trace(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 256, 1);
    int polls[3] = { 0 }, drops[3] = { 0 };
    probe_sel_fn p;
    WS_ASYNC_INIT(probe_sel_fn, &p);
    tu_probe_init(&p.a, &polls[0], &drops[0], -1, 1);
    tu_probe_init(&p.b, &polls[1], &drops[1], 0, 42); /* ready at once */
    tu_probe_init(&p.c, &polls[2], &drops[2], -1, 3);
    p.mode = WS_SELECT_BIASED;
    int64_t out;
    int err;
    assert_int_equal(ws_block_on(rt, &p.ws_base, sizeof p, "sel", &out, &err), WS_OK);
    assert_int_equal(out, 1042); /* branch 1 won with 42 */
    assert_int_equal(polls[0], 1);
    assert_int_equal(polls[1], 1);
    assert_int_equal(polls[2], 0); /* biased: never reached */
    for (int i = 0; i < 3; i++)
        assert_int_equal(drops[i], 1);
    ws_trace_event e[256];
    uint32_t n = ws_trace_read(rt, 0, e, 256), sel = 0;
    uint8_t details[3] = { 9, 9, 9 };
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind != WS_EV_SELECT)
            continue;
        assert_int_equal(e[i].b, 3);
        assert_true(e[i].a < 3);
        details[e[i].a] = e[i].detail;
        assert_int_equal(e[i].task, 1);
        sel++;
    }
    assert_int_equal(sel, 3);
    assert_int_equal(details[1], 0); /* the winner */
    assert_int_equal(details[0], 1); /* polled and pending: cancelled */
    assert_int_equal(details[2], 2); /* never polled */
    tu_rt_free(rt);
}

/* Cancellation at the select's await point: aborting the task drops every branch once. */
static void test_select_aborted(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls[3] = { 0 }, drops[3] = { 0 };
    probe_sel_fn p;
    WS_ASYNC_INIT(probe_sel_fn, &p);
    for (int i = 0; i < 3; i++)
        tu_probe_init(i == 0 ? &p.a : i == 1 ? &p.b : &p.c, &polls[i], &drops[i], -1, i);
    p.mode = WS_SELECT_FAIR;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.ws_base, sizeof p, "sel", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    for (int i = 0; i < 3; i++)
        assert_int_equal(polls[i], 1);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    for (int i = 0; i < 3; i++)
        assert_int_equal(drops[i], 1);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ECANCELED);
    ws_future_drop(rt, &h.base);
    tu_rt_free(rt);
}

/* A NULL branch: ready at once with WS_EINVAL, WS_SELECTED is WS_SELECT_NONE. */
WS_ASYNC(null_sel_fn, { ws_sleep nap; ws_selector sel; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 10);
    WS_SELECT(&self->sel, WS_SELECT_FAIR, WS_BRANCH(&self->nap), WS_BRANCH(NULL));
    assert_int_equal(WS_SELECTED(&self->sel), WS_SELECT_NONE);
    assert_int_equal(WS_SELECTED_ERR(&self->sel), WS_EINVAL);
    assert_int_equal(WS_SELECTED_OUT(&self->sel), 0);
    ws_future_drop(cx->rt, &self->nap.base);
    WS_RETURN_ERR(WS_ERR(&self->sel.sel));
    WS_END();
}

static void test_select_null_branch(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    null_sel_fn f;
    WS_ASYNC_INIT(null_sel_fn, &f);
    int64_t out;
    int err;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "null", &out, &err), WS_OK);
    assert_int_equal(err, WS_EINVAL);
    assert_int_equal(ws_clock_now(rt), 0);
    tu_rt_free(rt);
}

/* timeout_at: three steps share one deadline computed once. */
WS_ASYNC(steps_fn, { ws_time deadline; int i; int done; ws_sleep step; ws_timeout to; })
{
    WS_BEGIN();
    self->deadline = ws_clock_now(cx->rt) + WS_MS(250);
    for (self->i = 0; self->i < 3; self->i++) {
        ws_sleep_init(&self->step, 100);
        ws_timeout_at_init(&self->to, &self->step.base, self->deadline);
        WS_AWAIT(&self->to);
        if (WS_ERR(&self->to) == WS_ETIMEDOUT)
            WS_RETURN_ERR(WS_ETIMEDOUT);
        self->done++;
    }
    WS_RETURN(self->done);
    WS_END();
}

static void test_timeout_at(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    steps_fn f;
    WS_ASYNC_INIT(steps_fn, &f);
    f.done = 0;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "steps", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_clock_now(rt), WS_MS(250)); /* two steps done at 200, the third cut at 250 */
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ETIMEDOUT);
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    /* a deadline already passed: an inner that is ready at once still wins; a pending one times out at once */
    ws_ready r;
    ws_ready_init(&r, 5);
    ws_timeout to;
    ws_timeout_at_init(&to, &r.base, 0);
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_READY);
    assert_int_equal(to.base.err, WS_OK);
    assert_int_equal(to.base.out, 5);
    ws_future_drop(rt, &to.base);
    ws_never nv;
    ws_never_init(&nv);
    ws_timeout_at_init(&to, &nv.base, ws_clock_now(rt));
    assert_int_equal(ws_future_poll(&to.base, &cx), WS_READY);
    assert_int_equal(to.base.err, WS_ETIMEDOUT);
    ws_future_drop(rt, &to.base);
    tu_rt_free(rt);
}

/* ---- from mutation run 4 (seed 20261202) ---- */

/* WS_SELECT takes up to WS_SELECT_MAX branches: a selector of exactly 8 works (the first ready branch wins), one of
 * 9 is invalid (ready at once with WS_EINVAL, nothing selected). Motivating mutant: combinators.c:183
 * ws_selector_init `count <= WS_SELECT_MAX` -> `<` (a select of 8 branches is refused). */
static void test_selector_of_max_branches(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_ready r[WS_SELECT_MAX + 1];
    ws_future *br[WS_SELECT_MAX + 1];
    for (int i = 0; i <= WS_SELECT_MAX; i++) {
        ws_ready_init(&r[i], 100 + i);
        br[i] = &r[i].base;
    }
    ws_selector s;
    ws_selector_init(&s, WS_SELECT_BIASED, br, WS_SELECT_MAX);
    assert_int_equal(ws_future_poll(&s.sel.base, &cx), WS_READY);
    assert_int_equal(WS_SELECTED(&s), 0);
    assert_int_equal(WS_SELECTED_OUT(&s), 100);
    assert_int_equal(WS_SELECTED_ERR(&s), WS_OK);
    ws_future_drop(rt, &s.sel.base);

    for (int i = 0; i <= WS_SELECT_MAX; i++)
        ws_ready_init(&r[i], 100 + i);
    ws_selector_init(&s, WS_SELECT_BIASED, br, WS_SELECT_MAX + 1);
    assert_int_equal(ws_future_poll(&s.sel.base, &cx), WS_READY);
    assert_int_equal(WS_SELECTED(&s), WS_SELECT_NONE);
    assert_int_equal(WS_SELECTED_ERR(&s), WS_EINVAL);
    ws_future_drop(rt, &s.sel.base);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_select_loop),
        TU_TEST(test_select_winner_losers_trace),
        TU_TEST(test_select_aborted),
        TU_TEST(test_select_null_branch),
        TU_TEST(test_timeout_at),
        TU_TEST(test_selector_of_max_branches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
