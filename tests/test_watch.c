/* test_watch.c: the watch and broadcast channels, on the virtual clock. */
#include "test_util.h"

static tu_log g_log;

/* Sends values 1..n, one every `ms`, then drops the sender. */
WS_ASYNC(wsend_fn, { ws_watch *w; int n; int ms; int i; ws_sleep nap; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= self->n; self->i++) {
        ws_sleep_init(&self->nap, (uint64_t)self->ms);
        WS_AWAIT(&self->nap);
        assert_int_equal(ws_watch_send(self->w, self->i), WS_OK);
    }
    ws_watch_sender_drop(self->w);
    WS_RETURN(0);
    WS_END();
}

/* Waits for changes, logs value * 1000 + time (ms); every `work` ms of busy time between looks. */
WS_ASYNC(wrecv_fn, { ws_watch_rx rx; int work; ws_changed ch; ws_sleep nap; })
{
    WS_BEGIN();
    for (;;) {
        ws_changed_init(&self->ch, &self->rx);
        WS_AWAIT(&self->ch);
        if (WS_ERR(&self->ch) == WS_ECLOSED)
            break;
        tu_log_add(&g_log, WS_OUT(&self->ch) * 1000 + (int64_t)(ws_clock_now(cx->rt) / WS_MS(1)));
        if (self->work) {
            ws_sleep_init(&self->nap, (uint64_t)self->work);
            WS_AWAIT(&self->nap);
        }
    }
    ws_watch_rx_drop(&self->rx);
    WS_RETURN(0);
    WS_END();
}

/* A fast receiver sees every value; a slow one (busy 25 ms after each) sees only the latest when it looks. */
static void test_watch_latest_value(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_watch *w;
    assert_int_equal(ws_watch_new(rt, 0, &w), WS_OK);
    wrecv_fn slow;
    WS_ASYNC_INIT(wrecv_fn, &slow);
    assert_int_equal(ws_watch_subscribe(w, &slow.rx), WS_OK);
    slow.work = 25;
    assert_int_equal(ws_spawn(rt, &slow.ws_base, sizeof slow, "slow", NULL), WS_OK);
    wsend_fn s;
    WS_ASYNC_INIT(wsend_fn, &s);
    s.w = w;
    s.n = 4;
    s.ms = 10;
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "sender", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    /* sends at 10, 20, 30, 40; the slow one looks at 10, then at 35 (sees 3), then at 60 (sees 4) */
    int64_t want[] = { 1010, 3035, 4060 };
    assert_int_equal(g_log.n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

static void test_watch_borrow_codes_and_cancel(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_watch *w;
    assert_int_equal(ws_watch_new(NULL, 0, &w), WS_EINVAL);
    assert_int_equal(ws_watch_new(rt, 5, &w), WS_OK);
    ws_watch_rx rx;
    assert_int_equal(ws_watch_subscribe(w, &rx), WS_OK);
    assert_int_equal(ws_watch_subscribe(NULL, &rx), WS_EINVAL);
    assert_false(ws_watch_has_changed(&rx));
    assert_int_equal(ws_watch_borrow(&rx), 5);
    ws_context cx = tu_cx(rt);
    ws_changed c;
    ws_changed_init(&c, &rx);
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_PENDING);
    ws_future_drop(rt, &c.base); /* cancelled while waiting: leaves the wait list */
    assert_int_equal(ws_watch_send(w, 6), WS_OK);
    assert_true(ws_watch_has_changed(&rx));
    ws_changed_init(&c, &rx); /* nothing was lost by the dropped one: the change is still unseen */
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_READY);
    assert_int_equal(c.base.out, 6);
    ws_future_drop(rt, &c.base);
    assert_false(ws_watch_has_changed(&rx));
    ws_watch_sender_drop(w);
    assert_int_equal(ws_watch_send(w, 7), WS_ECLOSED); /* the receiver still holds w */
    ws_changed_init(&c, &rx);
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_READY);
    assert_int_equal(c.base.err, WS_ECLOSED);
    ws_future_drop(rt, &c.base);
    ws_watch_rx_drop(&rx);
    ws_watch_rx_drop(&rx); /* idempotent */
    ws_changed_init(&c, &rx);
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_READY);
    assert_int_equal(c.base.err, WS_EINVAL);
    ws_future_drop(rt, &c.base);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* ---- broadcast ---- */

WS_ASYNC(bsend_fn, { ws_broadcast *b; int n; int ms; int i; ws_sleep nap; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= self->n; self->i++) {
        ws_sleep_init(&self->nap, (uint64_t)self->ms);
        WS_AWAIT(&self->nap);
        assert_int_equal(ws_broadcast_send(self->b, self->i), WS_OK);
    }
    ws_broadcast_sender_drop(self->b);
    WS_RETURN(0);
    WS_END();
}

/* Logs k * 100000 + value * 100 + time/10 (ms) for messages, k * 100000 + 99000 + missed for a lag. */
WS_ASYNC(brecv_fn, { ws_broadcast_rx rx; int k; int work; ws_broadcast_recv r; ws_sleep nap; })
{
    WS_BEGIN();
    for (;;) {
        ws_broadcast_recv_init(&self->r, &self->rx);
        WS_AWAIT(&self->r);
        if (WS_ERR(&self->r) == WS_ECLOSED)
            break;
        if (WS_ERR(&self->r) == WS_ELAGGED) {
            tu_log_add(&g_log, self->k * 100000 + 99000 + WS_OUT(&self->r));
            continue;
        }
        tu_log_add(&g_log, self->k * 100000 + WS_OUT(&self->r) * 100 + (int64_t)(ws_clock_now(cx->rt) / WS_MS(10)));
        if (self->work) {
            ws_sleep_init(&self->nap, (uint64_t)self->work);
            WS_AWAIT(&self->nap);
        }
    }
    ws_broadcast_rx_drop(&self->rx);
    WS_RETURN(0);
    WS_END();
}

/* Capacity 2, six messages 10 ms apart. A fast receiver gets all six; a slow one (busy 45 ms after each) falls
 * behind, gets WS_ELAGGED with the exact count missed, then continues from the oldest kept. */
static void test_broadcast_lagged(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_broadcast *b;
    assert_int_equal(ws_broadcast_new(rt, 2, &b), WS_OK);
    brecv_fn fast, slow;
    WS_ASYNC_INIT(brecv_fn, &fast);
    WS_ASYNC_INIT(brecv_fn, &slow);
    assert_int_equal(ws_broadcast_subscribe(b, &fast.rx), WS_OK);
    assert_int_equal(ws_broadcast_subscribe(b, &slow.rx), WS_OK);
    fast.k = 1;
    fast.work = 0;
    slow.k = 2;
    slow.work = 45;
    assert_int_equal(ws_spawn(rt, &fast.ws_base, sizeof fast, "fast", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &slow.ws_base, sizeof slow, "slow", NULL), WS_OK);
    bsend_fn s;
    WS_ASYNC_INIT(bsend_fn, &s);
    s.b = b;
    s.n = 6;
    s.ms = 10;
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "sender", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    /* fast: 1..6 at 10..60. slow: 1 at 10; looks again at 55: 2..5 were sent, 4 and 5 kept: lagged by 2, then
     * 4 and 5 (at 55, busy to 100, to 145 ...), 6 after that. */
    int64_t fast_want[] = { 100101, 100202, 100303, 100404, 100505, 100606 };
    int64_t slow_want[] = { 200101, 299002, 200405, 200510, 200614 };
    int fi = 0, si = 0;
    for (int i = 0; i < g_log.n; i++) {
        if (g_log.v[i] < 200000) {
            assert_true(fi < 6);
            assert_int_equal(g_log.v[i], fast_want[fi++]);
        } else {
            assert_true(si < 5);
            assert_int_equal(g_log.v[i], slow_want[si++]);
        }
    }
    assert_int_equal(fi, 6);
    assert_int_equal(si, 5);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

static void test_broadcast_codes_and_cancel(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_broadcast *b;
    assert_int_equal(ws_broadcast_new(rt, 0, &b), WS_EINVAL);
    assert_int_equal(ws_broadcast_new(NULL, 1, &b), WS_EINVAL);
    assert_int_equal(ws_broadcast_new(rt, 3, &b), WS_OK);
    assert_int_equal(ws_broadcast_send(b, 1), WS_ECLOSED); /* nobody to receive it */
    ws_broadcast_rx rx;
    assert_int_equal(ws_broadcast_subscribe(b, &rx), WS_OK);
    int64_t m;
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_EEMPTY);
    ws_context cx = tu_cx(rt);
    ws_broadcast_recv r;
    ws_broadcast_recv_init(&r, &rx);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_PENDING);
    ws_future_drop(rt, &r.base); /* cancelled while waiting: nothing consumed */
    for (int i = 1; i <= 5; i++)
        assert_int_equal(ws_broadcast_send(b, i), WS_OK);
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_ELAGGED);
    assert_int_equal(m, 2);
    assert_string_equal(ws_strerror(WS_ELAGGED), "lagged: the receiver missed messages");
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_OK);
    assert_int_equal(m, 3);
    assert_int_equal(ws_broadcast_sender_clone(b), WS_OK);
    ws_broadcast_sender_drop(b);
    ws_broadcast_recv_init(&r, &rx);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.out, 4);
    ws_future_drop(rt, &r.base);
    ws_broadcast_sender_drop(b); /* closed: 5 is still delivered, then WS_ECLOSED */
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_OK);
    assert_int_equal(m, 5);
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_ECLOSED);
    assert_int_equal(ws_broadcast_try_recv(&rx, NULL), WS_EINVAL);
    ws_broadcast_rx_drop(&rx);
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_EINVAL);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_mem.fail_at = tu_mem.calls + 2; /* the ring after the object: the object goes back, nothing leaks */
    assert_int_equal(ws_broadcast_new(rt, 3, &b), WS_ENOMEM);
    tu_mem.fail_at = 0;
    tu_rt_free(rt);
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* A broadcast recv waiting in a task is woken when the last sender goes, not when one of two does, and then sees
 * Closed. Motivating mutants: broadcast.c:86 ws_broadcast_sender_drop `if (--b->senders == 0)` -> `!= 0` (wakes
 * when a sender is left, not when the last goes) and -> `== 1` (the last sender going wakes nobody). */
static void test_broadcast_last_sender_wakes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe p;
    ws_task_handle h = tu_idle_task(rt, &p);
    ws_context tcx = tu_cx(rt);
    tcx.task = h.task;
    ws_broadcast *b;
    assert_int_equal(ws_broadcast_new(rt, 2, &b), WS_OK);
    assert_int_equal(ws_broadcast_sender_clone(b), WS_OK); /* two senders */
    ws_broadcast_rx rx;
    assert_int_equal(ws_broadcast_subscribe(b, &rx), WS_OK);
    ws_broadcast_recv r;
    ws_broadcast_recv_init(&r, &rx);
    assert_int_equal(ws_future_poll(&r.base, &tcx), WS_PENDING);
    ws_broadcast_sender_drop(b); /* one left: nothing to see yet */
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    ws_broadcast_sender_drop(b); /* the last: the receiver sees Closed */
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_future_poll(&r.base, &tcx), WS_READY);
    assert_int_equal(r.base.err, WS_ECLOSED);
    ws_future_drop(rt, &r.base);
    ws_broadcast_rx_drop(&rx);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free_released(rt);
}

/* A broadcast recv or a watch changed that finds something when the poll's budget is used up waits for the next
 * poll rather than finishing without it. Motivating mutants: broadcast.c:155 brecv_poll and watch.c:126
 * changed_poll, `return WS_PENDING` after `!ws_budget_take(cx)` -> `return WS_READY` (ready with out 0, the
 * message or the change left unseen). */
static void test_recv_and_changed_out_of_budget(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_broadcast *b;
    assert_int_equal(ws_broadcast_new(rt, 2, &b), WS_OK);
    ws_broadcast_rx rx;
    assert_int_equal(ws_broadcast_subscribe(b, &rx), WS_OK);
    assert_int_equal(ws_broadcast_send(b, 77), WS_OK);
    ws_broadcast_recv r;
    ws_broadcast_recv_init(&r, &rx);
    cx.budget = 0;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_PENDING);
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_OK);
    assert_int_equal(r.base.out, 77);
    ws_future_drop(rt, &r.base);
    ws_broadcast_rx_drop(&rx);
    ws_broadcast_sender_drop(b);

    ws_watch *w;
    assert_int_equal(ws_watch_new(rt, 1, &w), WS_OK);
    ws_watch_rx wrx;
    assert_int_equal(ws_watch_subscribe(w, &wrx), WS_OK);
    assert_int_equal(ws_watch_send(w, 2), WS_OK);
    ws_changed c;
    ws_changed_init(&c, &wrx);
    cx.budget = 0;
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_PENDING);
    assert_true(ws_watch_has_changed(&wrx)); /* still unseen */
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_READY);
    assert_int_equal(c.base.err, WS_OK);
    assert_int_equal(c.base.out, 2);
    assert_false(ws_watch_has_changed(&wrx));
    ws_future_drop(rt, &c.base);
    ws_watch_rx_drop(&wrx);
    ws_watch_sender_drop(w);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_watch_latest_value),
        TU_TEST(test_watch_borrow_codes_and_cancel),
        TU_TEST(test_broadcast_lagged),
        TU_TEST(test_broadcast_codes_and_cancel),
        TU_TEST(test_broadcast_last_sender_wakes),
        TU_TEST(test_recv_and_changed_out_of_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
