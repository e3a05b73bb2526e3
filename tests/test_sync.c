/* test_sync.c: the bounded channel, oneshot and notify. */
#include "test_util.h"

/* A channel of `capacity` with one sender and one receiver reference. */
static ws_channel *new_channel(ws_runtime *rt, uint32_t capacity)
{
    ws_channel *ch = NULL;
    assert_int_equal(ws_channel_new(rt, capacity, &ch), WS_OK);
    return ch;
}

static tu_log g_log;

WS_ASYNC(sender_fn, { ws_channel *ch; int64_t first; int n; int i; ws_send tx; int drop_sender; int64_t last_err;
                      int64_t returned; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        ws_send_init(&self->tx, self->ch, self->first + self->i);
        WS_AWAIT(&self->tx);
        self->last_err = WS_ERR(&self->tx);
        if (WS_ERR(&self->tx)) {
            self->returned = WS_OUT(&self->tx);
            tu_log_add(&g_log, -1000 - WS_OUT(&self->tx)); /* the message came back */
            break;
        }
        tu_log_add(&g_log, self->first + self->i); /* sent */
    }
    if (self->drop_sender)
        ws_channel_sender_drop(self->ch);
    WS_RETURN(self->i);
    WS_END();
}

WS_ASYNC(receiver_fn, { ws_channel *ch; ws_recv rx; int n; int64_t got[64]; int closed; })
{
    WS_BEGIN();
    for (;;) {
        ws_recv_init(&self->rx, self->ch);
        WS_AWAIT(&self->rx);
        if (WS_ERR(&self->rx) == WS_ECLOSED) {
            self->closed = 1;
            break;
        }
        assert_int_equal(WS_ERR(&self->rx), WS_OK);
        assert_true(self->n < 64);
        self->got[self->n++] = WS_OUT(&self->rx);
    }
    WS_RETURN(self->n);
    WS_END();
}

static void spawn_sender(ws_runtime *rt, ws_channel *ch, int64_t base, int n, int drop_sender, ws_task_handle *h)
{
    sender_fn s;
    WS_ASYNC_INIT(sender_fn, &s);
    s.ch = ch;
    s.first = base;
    s.n = n;
    s.drop_sender = drop_sender;
    s.last_err = 0;
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "sender", h), WS_OK);
}

static void test_backpressure(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    ws_channel *ch = new_channel(rt, 1);
    ws_task_handle h;
    spawn_sender(rt, ch, 10, 3, 1, &h);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    /* the first message went in; the second waits for room */
    assert_int_equal(g_log.n, 1);
    assert_int_equal(ws_channel_len(ch), 1);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE); /* still waiting: nothing changed */
    int64_t m = 0;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 10);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED); /* room woke the sender */
    tu_run(rt);
    assert_int_equal(g_log.n, 2);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 11);
    tu_run(rt);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 12);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_ECLOSED); /* the task dropped the only sender */
    ws_future_drop(rt, &h.base);
    ws_channel_receiver_drop(ch);
    tu_rt_free_released(rt);
}

static void test_fifo_multi_producer_close(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    ws_channel *ch = new_channel(rt, 3);
    assert_int_equal(ws_channel_sender_clone(ch), WS_OK);
    assert_int_equal(ws_channel_sender_clone(ch), WS_OK); /* three sender references, one per task */
    receiver_fn r;
    WS_ASYNC_INIT(receiver_fn, &r);
    r.ch = ch;
    r.n = 0;
    r.closed = 0;
    ws_task_handle rh;
    assert_int_equal(ws_spawn(rt, &r.ws_base, sizeof r, "receiver", &rh), WS_OK);
    for (int p = 0; p < 3; p++)
        spawn_sender(rt, ch, 100 * (p + 1), 8, 1, NULL);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&rh.base, &cx), WS_READY);
    assert_int_equal(rh.base.out, 24); /* drained everything, then saw Closed */
    ws_future_drop(rt, &rh.base);
    /* the receiver's copy is gone with its task; check the order through the senders' log instead: per
     * producer, messages were sent (and, the channel being FIFO, received) in order */
    int next[3] = { 0, 0, 0 };
    for (int i = 0; i < g_log.n; i++) {
        int64_t v = g_log.v[i];
        int p = (int)(v / 100) - 1;
        assert_int_equal(v % 100, next[p]++);
    }
    assert_int_equal(ws_channel_len(ch), 0);
    ws_channel_receiver_drop(ch);
    tu_rt_free_released(rt);
}

/* FIFO seen on the receiving side, with a receiver kept outside the runtime's tasks. */
static void test_fifo_order(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch = new_channel(rt, 4);
    receiver_fn r;
    WS_ASYNC_INIT(receiver_fn, &r);
    r.ch = ch;
    r.n = 0;
    r.closed = 0;
    spawn_sender(rt, ch, 0, 40, 1, NULL);
    ws_context cx = tu_cx(rt);
    while (ws_future_poll(&r.ws_base, &cx) == WS_PENDING)
        tu_run(rt);
    assert_int_equal(r.closed, 1);
    assert_int_equal(r.n, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal(r.got[i], i);
    ws_future_drop(rt, &r.ws_base);
    ws_channel_receiver_drop(ch);
    tu_rt_free(rt);
}

static void test_drain_then_closed(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch = new_channel(rt, 4);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 2), WS_OK);
    ws_channel_sender_drop(ch);
    assert_int_equal(ws_channel_try_send(ch, 3), WS_EINVAL); /* no sender left to send with */
    receiver_fn r;
    WS_ASYNC_INIT(receiver_fn, &r);
    r.ch = ch;
    r.n = 0;
    r.closed = 0;
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&r.ws_base, &cx), WS_READY);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.got[0], 1);
    assert_int_equal(r.got[1], 2);
    assert_int_equal(r.closed, 1);
    ws_future_drop(rt, &r.ws_base);
    int64_t m;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_ECLOSED);
    ws_channel_receiver_drop(ch);

    /* a receiver waiting when the last sender goes is woken to see Closed */
    ch = new_channel(rt, 1);
    WS_ASYNC_INIT(receiver_fn, &r);
    r.ch = ch;
    r.n = 0;
    r.closed = 0;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &r.ws_base, sizeof r, "rx", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    ws_channel_sender_drop(ch);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    tu_run(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 0);
    ws_future_drop(rt, &h.base);
    ws_channel_receiver_drop(ch);
    tu_rt_free_released(rt);
}

static void test_receiver_dropped(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    ws_channel *ch = new_channel(rt, 1);
    assert_int_equal(ws_channel_sender_clone(ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 5), WS_OK); /* full */
    ws_task_handle h1, h2;
    spawn_sender(rt, ch, 40, 1, 1, &h1);
    spawn_sender(rt, ch, 50, 1, 1, &h2);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h1.task), WS_TASK_IDLE);
    assert_int_equal(ws_task_state_of(rt, h2.task), WS_TASK_IDLE);
    ws_channel_receiver_drop(ch);
    assert_int_equal(ws_task_state_of(rt, h1.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_task_state_of(rt, h2.task), WS_TASK_SCHEDULED);
    tu_run(rt);
    assert_int_equal(g_log.n, 2);
    assert_int_equal(g_log.v[0], -1040); /* each got its own message back */
    assert_int_equal(g_log.v[1], -1050);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h1.base, &cx), WS_READY);
    assert_int_equal(h1.base.out, 0);
    ws_future_drop(rt, &h1.base);
    ws_future_drop(rt, &h2.base);
    /* both senders dropped by their tasks: the channel is gone */
    tu_rt_free_released(rt);
}

/* A sender woken for room but dropped before it sent passes the room on to the next waiting sender. */
static void test_send_wake_passed_on(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    ws_channel *ch = new_channel(rt, 1);
    assert_int_equal(ws_channel_sender_clone(ch), WS_OK);
    assert_int_equal(ws_channel_sender_clone(ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK); /* full */
    ws_task_handle ha, hb;
    spawn_sender(rt, ch, 20, 1, 1, &ha);
    spawn_sender(rt, ch, 30, 1, 1, &hb);
    tu_run(rt);
    int64_t m;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK); /* room: wakes A (first in line) only */
    assert_int_equal(ws_task_state_of(rt, ha.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_task_state_of(rt, hb.task), WS_TASK_IDLE);
    assert_int_equal(ws_task_abort(rt, ha.task), WS_OK); /* A goes away without sending */
    tu_run(rt);
    assert_int_equal(ws_channel_len(ch), 1);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 30); /* B got the room */
    assert_int_equal(g_log.n, 1);
    ws_future_drop(rt, &ha.base);
    ws_future_drop(rt, &hb.base);
    ws_channel_sender_drop(ch); /* the reference aborted A never released (its body drops it, not a hook) */
    ws_channel_sender_drop(ch); /* ours */
    ws_channel_receiver_drop(ch);
    tu_rt_free_released(rt);
}

static void test_try_codes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch = (ws_channel *)1;
    assert_int_equal(ws_channel_new(rt, 0, &ch), WS_EINVAL);
    assert_null(ch);
    assert_int_equal(ws_channel_new(NULL, 1, &ch), WS_EINVAL);
    assert_int_equal(ws_channel_new(rt, 1, NULL), WS_EINVAL);
    ch = new_channel(rt, 2);
    int64_t m = 0;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_EEMPTY);
    assert_int_equal(ws_channel_try_recv(ch, NULL), WS_EINVAL);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 2), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 3), WS_EFULL);
    assert_int_equal(ws_channel_len(ch), 2);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 1);
    assert_int_equal(ws_channel_try_send(NULL, 3), WS_EINVAL);
    assert_int_equal(ws_channel_sender_clone(NULL), WS_EINVAL);
    assert_true(ws_channel_id(ch) != 0);
    ws_channel_receiver_drop(ch);
    assert_int_equal(ws_channel_try_send(ch, 4), WS_ECLOSED);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_EINVAL); /* no receiver to receive with */
    ws_channel_sender_drop(ch);
    tu_rt_free_released(rt);
}

static int g_freed;
static int64_t g_freed_sum;
static ws_runtime *g_hook_rt;
static void *g_hook_ud;
static void free_msg(ws_runtime *rt, int64_t m, void *ud)
{
    g_hook_rt = rt;
    g_hook_ud = ud;
    g_freed++;
    g_freed_sum += m;
}

static void test_free_hook(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    g_freed = 0;
    g_freed_sum = 0;
    ws_channel *ch = new_channel(rt, 4);
    ws_channel_set_free_hook(ch, free_msg, &g_freed);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(ws_channel_try_send(ch, i), WS_OK);
    int64_t m;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK); /* taken: not the hook's */
    assert_int_equal(ws_channel_try_send(ch, 10), WS_OK); /* wraps around the ring */
    ws_channel_receiver_drop(ch);
    assert_int_equal(g_freed, 0);
    ws_channel_sender_drop(ch);
    assert_int_equal(g_freed, 4);
    assert_int_equal(g_freed_sum, 2 + 3 + 4 + 10);
    assert_ptr_equal(g_hook_rt, rt); /* the hook can free runtime-allocated messages */
    assert_ptr_equal(g_hook_ud, &g_freed);
    tu_rt_free(rt);
}

/* ---- oneshot ---- */

WS_ASYNC(os_recv_fn, { ws_oneshot *os; ws_oneshot_recv rx; })
{
    WS_BEGIN();
    ws_oneshot_recv_init(&self->rx, self->os);
    WS_AWAIT(&self->rx);
    if (WS_ERR(&self->rx))
        WS_RETURN_ERR(WS_ERR(&self->rx));
    WS_RETURN(WS_OUT(&self->rx));
    WS_END();
}

/* A oneshot with one sender and one receiver reference. */
static ws_oneshot *new_oneshot(ws_runtime *rt)
{
    ws_oneshot *os = NULL;
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    return os;
}

/* A receive future on `os`, not yet polled. */
static void os_recv_init(os_recv_fn *r, ws_oneshot *os)
{
    WS_ASYNC_INIT(os_recv_fn, r);
    r->os = os;
}

static void test_oneshot_send_wakes_waiting_receiver(void **state)
{
    (void)state;
    enum { VALUE = 123 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_oneshot *os = new_oneshot(rt);
    os_recv_fn r;
    os_recv_init(&r, os);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &r.ws_base, sizeof r, "os", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    assert_int_equal(ws_oneshot_send(os, VALUE), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    tu_run(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, VALUE);
    assert_int_equal(h.base.err, WS_OK);
    ws_future_drop(rt, &h.base);
    tu_rt_free_released(rt);
}

static void test_oneshot_sent_before_receive_is_ready_at_once(void **state)
{
    (void)state;
    enum { VALUE = 7 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_oneshot *os = new_oneshot(rt);
    assert_int_equal(ws_oneshot_send(os, VALUE), WS_OK);
    os_recv_fn r;
    os_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.ws_base, &cx), WS_READY);
    assert_int_equal(r.ws_base.out, VALUE);
    ws_future_drop(rt, &r.ws_base);
    tu_rt_free_released(rt);
}

static void test_oneshot_sender_dropped_closes_receiver(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_oneshot *os = new_oneshot(rt);
    os_recv_fn r;
    os_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.ws_base, &cx), WS_PENDING);
    ws_oneshot_sender_drop(os);
    assert_int_equal(ws_future_poll(&r.ws_base, &cx), WS_READY);
    assert_int_equal(r.ws_base.err, WS_ECLOSED);
    ws_future_drop(rt, &r.ws_base);
    tu_rt_free_released(rt);
}

static void test_oneshot_send_to_dropped_receiver_is_closed(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_oneshot *os = new_oneshot(rt);
    ws_oneshot_receiver_drop(os);
    assert_int_equal(ws_oneshot_send(os, 1), WS_ECLOSED);
    tu_rt_free_released(rt);
}

/* Dropping a pending receive future drops the receiver it took over. */
static void test_oneshot_dropped_receive_drops_receiver(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_oneshot *os = new_oneshot(rt);
    os_recv_fn r;
    os_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.ws_base, &cx), WS_PENDING);
    ws_future_drop(rt, &r.ws_base);
    assert_int_equal(ws_oneshot_send(os, 1), WS_ECLOSED);
    tu_rt_free_released(rt);
}

static void test_oneshot_bad_use(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_oneshot *os = new_oneshot(rt);
    assert_int_equal(ws_oneshot_send(os, 1), WS_OK);
    assert_int_equal(ws_oneshot_send(os, 2), WS_EINVAL); /* a oneshot sends once */
    ws_oneshot_receiver_drop(os);
    assert_int_equal(ws_oneshot_new(rt, NULL), WS_EINVAL);
    tu_rt_free_released(rt);
}

/* ---- notify ---- */

WS_ASYNC(waiter_fn, { ws_notify *n; ws_notified w; int64_t id; })
{
    WS_BEGIN();
    ws_notified_init(&self->w, self->n);
    WS_AWAIT(&self->w);
    tu_log_add(&g_log, WS_ERR(&self->w) ? -self->id : self->id);
    WS_RETURN(0);
    WS_END();
}

static void spawn_waiter(ws_runtime *rt, ws_notify *n, int64_t id, ws_task_handle *h)
{
    waiter_fn w;
    WS_ASYNC_INIT(waiter_fn, &w);
    w.n = n;
    w.id = id;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "waiter", h), WS_OK);
}

static void test_notify(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    memset(&g_log, 0, sizeof g_log);
    ws_notify *n;
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);

    /* a permit: notify_one with nobody waiting is kept (once, however many calls) */
    ws_notify_one(n);
    ws_notify_one(n);
    ws_notified a, b;
    ws_notified_init(&a, n);
    ws_notified_init(&b, n);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_PENDING);
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);

    /* notify_waiters stores nothing */
    ws_notify_waiters(n);
    ws_notified_init(&a, n);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING);
    ws_future_drop(rt, &a.base);

    /* notify_one wakes exactly one waiter, the first one */
    for (int i = 1; i <= 3; i++)
        spawn_waiter(rt, n, i, NULL);
    tu_run(rt);
    assert_int_equal(g_log.n, 0);
    ws_notify_one(n);
    tu_run(rt);
    assert_int_equal(g_log.n, 1);
    assert_int_equal(g_log.v[0], 1);
    /* notify_waiters wakes all the others */
    ws_notify_waiters(n);
    tu_run(rt);
    assert_int_equal(g_log.n, 3);
    ws_notified_init(&a, n);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING); /* and left no permit */
    ws_future_drop(rt, &a.base);

    /* a waiter picked by notify_one but dropped before it ran passes the notification on */
    ws_task_handle h4, h5;
    spawn_waiter(rt, n, 4, &h4);
    spawn_waiter(rt, n, 5, &h5);
    tu_run(rt);
    ws_notify_one(n);
    assert_int_equal(ws_task_abort(rt, h4.task), WS_OK);
    tu_run(rt);
    assert_int_equal(g_log.n, 4);
    assert_int_equal(g_log.v[3], 5);
    ws_future_drop(rt, &h4.base);
    ws_future_drop(rt, &h5.base);

    /* close: waiters see Closed */
    spawn_waiter(rt, n, 6, NULL);
    tu_run(rt);
    ws_notified_init(&a, n);
    ws_notify_close(n); /* drops our reference; `a` keeps the object alive */
    tu_run(rt);
    assert_int_equal(g_log.n, 5);
    assert_int_equal(g_log.v[4], -6);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(a.base.err, WS_ECLOSED);
    assert_int_equal(tu_stats(rt).objects_live, 1);
    ws_future_drop(rt, &a.base);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_backpressure),
        TU_TEST(test_fifo_multi_producer_close),
        TU_TEST(test_fifo_order),
        TU_TEST(test_drain_then_closed),
        TU_TEST(test_receiver_dropped),
        TU_TEST(test_send_wake_passed_on),
        TU_TEST(test_try_codes),
        TU_TEST(test_free_hook),
        TU_TEST(test_oneshot_send_wakes_waiting_receiver),
        TU_TEST(test_oneshot_sent_before_receive_is_ready_at_once),
        TU_TEST(test_oneshot_sender_dropped_closes_receiver),
        TU_TEST(test_oneshot_send_to_dropped_receiver_is_closed),
        TU_TEST(test_oneshot_dropped_receive_drops_receiver),
        TU_TEST(test_oneshot_bad_use),
        TU_TEST(test_notify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
