/* test_combinators.c: join, join_all, try_join, select (biased and fair). */
#include "test_util.h"

static uint32_t armed(ws_runtime *rt) { return tu_stats(rt).timers_armed; }

WS_ASYNC(join_all_fn, { ws_sleep s[6]; ws_future *c[6]; ws_join j; uint32_t n; })
{
    WS_BEGIN();
    for (uint32_t i = 0; i < self->n; i++) {
        ws_sleep_init(&self->s[i], (uint64_t)((i * 37) % 100 + 10));
        self->c[i] = &self->s[i].base;
    }
    if (ws_join_all_init(&self->j, self->c, self->n) != WS_OK)
        WS_RETURN_ERR(WS_EINVAL);
    WS_AWAIT(&self->j);
    WS_RETURN(WS_OUT(&self->j));
    WS_END();
}

static void test_join_all(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    join_all_fn f;
    WS_ASYNC_INIT(join_all_fn, &f);
    f.n = 6;
    int64_t out = 0;
    int err = -1;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "join_all", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 6);
    uint64_t max = 0;
    for (uint32_t i = 0; i < 6; i++)
        if ((i * 37) % 100 + 10 > max)
            max = (i * 37) % 100 + 10;
    assert_int_equal(ws_clock_now(rt), WS_MS(max));
    assert_int_equal(armed(rt), 0);

    /* zero children: ready at once with out 0 */
    WS_ASYNC_INIT(join_all_fn, &f);
    f.n = 0;
    ws_time t = ws_clock_now(rt);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "join0", &out, &err), WS_OK);
    assert_int_equal(out, 0);
    assert_int_equal(ws_clock_now(rt), t);

    /* argument checks */
    ws_join j;
    ws_future *bad[2] = { NULL, NULL };
    assert_int_equal(ws_join_all_init(&j, NULL, 2), WS_EINVAL);
    assert_int_equal(ws_join_all_init(&j, bad, 2), WS_EINVAL);
    assert_int_equal(ws_try_join_all_init(NULL, bad, 0), WS_EINVAL);
    tu_rt_free(rt);
}

/* join of two children with outputs, polled within one task, and dropped mid-way */
static void test_join2_outputs_and_drop(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    tu_probe a, b;
    int pa = 0, pb = 0, da = 0, db = 0;
    tu_probe_init(&a, &pa, &da, 0, 11);
    tu_probe_init(&b, &pb, &db, 1, 22);
    ws_join j;
    ws_join2_init(&j, &a.base, &b.base);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_PENDING);
    assert_int_equal(da, 1); /* the finished child is dropped at once */
    assert_int_equal(db, 0);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_READY);
    assert_int_equal(pa, 1); /* a finished child is not polled again */
    assert_int_equal(pb, 2);
    assert_int_equal(j.base.out, 2);
    assert_int_equal(WS_OUT(&a), 11);
    assert_int_equal(WS_OUT(&b), 22);
    ws_future_drop(rt, &j.base);
    assert_int_equal(da, 1);
    assert_int_equal(db, 1);

    /* dropping a pending join drops (cancels) every child once */
    ws_sleep s1, s2;
    ws_sleep_init(&s1, 10);
    ws_sleep_init(&s2, 20);
    ws_join2_init(&j, &s1.base, &s2.base);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_PENDING);
    assert_int_equal(armed(rt), 2);
    ws_future_drop(rt, &j.base);
    assert_int_equal(armed(rt), 0);
    tu_rt_free(rt);
}

/* ---- try_join ---- */

WS_ASYNC(fail_after, { uint64_t ms; int err; ws_sleep s; })
{
    WS_BEGIN();
    ws_sleep_init(&self->s, self->ms);
    WS_AWAIT(&self->s);
    if (self->err)
        WS_RETURN_ERR(self->err);
    WS_RETURN(self->ms);
    WS_END();
}

WS_ASYNC(try_join_fn, { ws_sleep a; fail_after b; ws_sleep c; ws_future *kids[3]; ws_join j; uint32_t armed_after;
                        int dropped_a, dropped_c; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 100);
    ws_sleep_init(&self->c, 300);
    self->kids[0] = &self->a.base;
    self->kids[1] = &self->b.ws_base;
    self->kids[2] = &self->c.base;
    ws_try_join_all_init(&self->j, self->kids, 3);
    WS_AWAIT(&self->j);
    self->armed_after = tu_stats(cx->rt).timers_armed;
    self->dropped_a = (self->a.base.flags & WS_FUTURE_DROPPED) != 0;
    self->dropped_c = (self->c.base.flags & WS_FUTURE_DROPPED) != 0;
    if (WS_ERR(&self->j))
        WS_RETURN_ERR(WS_ERR(&self->j));
    WS_RETURN(WS_OUT(&self->j));
    WS_END();
}

static void test_try_join(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    try_join_fn f;
    WS_ASYNC_INIT(try_join_fn, &f);
    WS_ASYNC_INIT(fail_after, &f.b);
    f.b.ms = 50;
    f.b.err = WS_EUSER - 1;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "try_join", &h), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_clock_now(rt), WS_MS(50)); /* did not wait for the others */
    assert_int_equal(armed(rt), 0);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_EUSER - 1);
    ws_future_drop(rt, &h.base);

    /* the same with an error-free run: all finish, out = count */
    WS_ASYNC_INIT(try_join_fn, &f);
    WS_ASYNC_INIT(fail_after, &f.b);
    f.b.ms = 50;
    f.b.err = 0;
    int64_t out = 0;
    int err = -1;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "try_join_ok", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 3);
    assert_int_equal(ws_clock_now(rt), WS_MS(350));

    /* checked from inside the task: right after the failure the siblings are dropped and disarmed */
    ws_context cx2 = tu_cx(rt);
    WS_ASYNC_INIT(try_join_fn, &f);
    WS_ASYNC_INIT(fail_after, &f.b);
    f.b.ms = 10;
    f.b.err = WS_EUSER - 2;
    f.armed_after = 99;
    assert_int_equal(ws_future_poll(&f.ws_base, &cx2), WS_PENDING);
    assert_int_equal(armed(rt), 3);
    ws_clock_advance(rt, WS_MS(10));
    assert_int_equal(ws_future_poll(&f.ws_base, &cx2), WS_READY);
    assert_int_equal(f.ws_base.err, WS_EUSER - 2);
    assert_int_equal(f.armed_after, 0);
    assert_int_equal(f.dropped_a, 1);
    assert_int_equal(f.dropped_c, 1);
    assert_int_equal(f.j.base.out, 1); /* the failing child's index */
    ws_future_drop(rt, &f.ws_base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- select ---- */

static void test_select_biased_drops_loser(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_sleep a, b;
    ws_sleep_init(&a, 100);
    ws_sleep_init(&b, 50);
    ws_select s;
    ws_select2_init(&s, &a.base, &b.base, WS_SELECT_BIASED);
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_PENDING);
    assert_int_equal(armed(rt), 2);
    ws_clock_advance(rt, WS_MS(50));
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_READY);
    assert_int_equal(s.base.out, 1);
    assert_int_equal(s.base.err, WS_OK);
    assert_int_equal(armed(rt), 0); /* the loser's timer is gone */
    assert_true(a.base.flags & WS_FUTURE_DROPPED);
    ws_future_drop(rt, &s.base);

    /* biased: when both are ready the first wins, every time */
    for (int i = 0; i < 5; i++) {
        ws_ready r0, r1;
        ws_ready_init(&r0, 0);
        ws_ready_init(&r1, 1);
        ws_select2_init(&s, &r0.base, &r1.base, WS_SELECT_BIASED);
        assert_int_equal(ws_future_poll(&s.base, &cx), WS_READY);
        assert_int_equal(s.base.out, 0);
        ws_future_drop(rt, &s.base);
    }
    tu_rt_free(rt);
}

/* A select between a send on a full channel and a sleep: the sleep wins, and the send's waiter is unlinked. */
WS_ASYNC(select_send_fn, { ws_channel *ch; ws_send tx; ws_sleep s; ws_select sel; })
{
    WS_BEGIN();
    ws_send_init(&self->tx, self->ch, 77);
    ws_sleep_init(&self->s, 10);
    ws_select2_init(&self->sel, &self->tx.base, &self->s.base, WS_SELECT_FAIR);
    WS_AWAIT(&self->sel);
    WS_RETURN(WS_OUT(&self->sel));
    WS_END();
}

static void test_select_unlinks_send_waiter(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK); /* full */
    select_send_fn f;
    WS_ASYNC_INIT(select_send_fn, &f);
    f.ch = ch;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "select_send", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* the virtual clock jumped to 10 ms */
    assert_int_equal(ws_clock_now(rt), WS_MS(10));
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 1); /* the sleep won */
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    /* making room must not wake (or touch) the dropped sender, and its message never arrives */
    ws_runtime_stats s0 = tu_stats(rt);
    int64_t m = 0;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 1);
    ws_runtime_stats s1 = tu_stats(rt);
    assert_int_equal(s1.wakes, s0.wakes);
    assert_int_equal(s1.stale_wakes, s0.stale_wakes);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_EEMPTY);
    assert_int_equal(ws_channel_len(ch), 0);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    tu_rt_free(rt);
}

/* Fair select in a loop, with child 0 always ready: child 1 (also ready) must win too. */
WS_ASYNC(fair_loop_fn, { ws_ready r0, r1; ws_select sel; int i; int wins[2]; int mode; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < 100; self->i++) {
        ws_ready_init(&self->r0, 0);
        ws_ready_init(&self->r1, 1);
        ws_select2_init(&self->sel, &self->r0.base, &self->r1.base, (ws_select_mode)self->mode);
        WS_AWAIT(&self->sel);
        self->wins[WS_OUT(&self->sel)]++;
    }
    WS_RETURN(self->wins[1]);
    WS_END();
}

static void test_select_fair(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    fair_loop_fn f;
    WS_ASYNC_INIT(fair_loop_fn, &f);
    f.wins[0] = f.wins[1] = 0;
    f.mode = WS_SELECT_FAIR;
    int64_t out = -1;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "fair", &out, NULL), WS_OK);
    assert_true(out >= 40 && out <= 60); /* rotating, deterministic: about half each */
    WS_ASYNC_INIT(fair_loop_fn, &f);
    f.wins[0] = f.wins[1] = 0;
    f.mode = WS_SELECT_BIASED;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "biased", &out, NULL), WS_OK);
    assert_int_equal(out, 0);

    /* within one select: a child 0 that is pending-but-always-woken does not keep child 1 from being polled */
    ws_context cx = tu_cx(rt);
    tu_probe p0, p1;
    int c0 = 0, c1 = 0;
    tu_probe_init(&p0, &c0, NULL, -1, 0);
    tu_probe_init(&p1, &c1, NULL, 2, 1);
    ws_select s;
    ws_select2_init(&s, &p0.base, &p1.base, WS_SELECT_FAIR);
    int polls = 0;
    while (ws_future_poll(&s.base, &cx) == WS_PENDING)
        polls++;
    assert_int_equal(s.base.out, 1);
    assert_int_equal(c1, 3);
    ws_future_drop(rt, &s.base);

    ws_select bad;
    ws_future *none[1] = { NULL };
    assert_int_equal(ws_select_all_init(&bad, none, 1, WS_SELECT_FAIR), WS_EINVAL);
    assert_int_equal(ws_select_all_init(&bad, none, 0, WS_SELECT_FAIR), WS_EINVAL);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_join_all),
        TU_TEST(test_join2_outputs_and_drop),
        TU_TEST(test_try_join),
        TU_TEST(test_select_biased_drops_loser),
        TU_TEST(test_select_unlinks_send_waiter),
        TU_TEST(test_select_fair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
