/* test_channel_fairness.c: senders waiting on a full channel. Three senders queue on a channel of capacity 1 or 2;
 * the test checks, after every step, the order in which messages arrive, which senders are scheduled, which have
 * finished, and the wait list itself: each queued sender's waiter is linked to its neighbours in FIFO order, and a
 * sender that is not queued is not marked as linked (a waiter left marked after it was unlinked gets unlinked a
 * second time later, which empties the list and loses every wakeup behind it).
 *
 * The mutants named in the comments are from scripts/mutate.py (file, function, the change); each test fails on
 * its mutant. */
#include "test_util.h"

#define NS 6

static tu_log g_log;        /* sender i finished: 1000 + i */
static ws_send *g_tx[NS];   /* each sender's send future, inside its task (kept alive by its join handle) */
static ws_task_handle g_h[NS];

/* A sender written out by hand rather than with WS_AWAIT, so that it can look at its send between the poll that
 * finished it and its drop (an owner may drop a ready future whenever it likes). The header is laid out like
 * ws_async's, so ws_async_drop drops the send if the task is aborted. */
typedef struct fair_sender {
    ws_future base;
    ws_future *awaiting;
    ws_channel *ch;
    int idx;
    int64_t msg;
    ws_send tx;
} fair_sender;

static ws_poll fair_sender_poll(ws_future *f, ws_context *cx)
{
    fair_sender *self = (fair_sender *)f;
    if (self->base.resume == 0) {
        self->base.resume = 1;
        ws_send_init(&self->tx, self->ch, self->msg);
        g_tx[self->idx] = &self->tx; /* the task does not move, so neither does its send */
        self->awaiting = &self->tx.base;
    }
    if (ws_future_poll(&self->tx.base, cx) == WS_PENDING)
        return WS_PENDING;
    assert_int_equal(WS_ERR(&self->tx), WS_OK);
    assert_int_equal(WS_OUT(&self->tx), 0); /* delivered: nothing handed back (channel.c:186 send_poll `f->out = 0`) */
    /* ready and not yet dropped: a send that went through has already left the wait list */
    assert_int_not_equal(self->tx.waiter.state, WS_WAITER_LINKED);
    ws_future_drop(cx->rt, &self->tx.base);
    self->awaiting = NULL;
    tu_log_add(&g_log, 1000 + self->idx);
    f->out = self->idx;
    return WS_READY;
}

static const ws_future_type fair_sender_type = { "fair_sender", fair_sender_poll, ws_async_drop, NULL };

static ws_id spawn_sender(ws_runtime *rt, ws_channel *ch, int idx, int64_t msg)
{
    fair_sender f;
    memset(&f, 0, sizeof f);
    ws_future_init(&f.base, &fair_sender_type);
    f.ch = ch;
    f.idx = idx;
    f.msg = msg;
    assert_int_equal(ws_spawn(rt, &f.base, sizeof f, "sender", &g_h[idx]), WS_OK);
    return g_h[idx].task;
}

/* Drops the handles (which frees the finished tasks and the sends in them), the channel, and the runtime. */
static void finish(ws_runtime *rt, ws_channel *ch)
{
    for (int i = 0; i < NS; i++)
        if (g_h[i].base.type)
            ws_future_drop(rt, &g_h[i].base);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    tu_rt_free(rt);
}

/* The wait list is exactly `queued` (sender indexes, head first, -1 terminated): linked in this order, with the
 * head's prev and the tail's next NULL; every other sender that still has a send is not marked linked. */
static void check_queue(const int *queued)
{
    int n = 0;
    while (queued[n] >= 0)
        n++;
    for (int k = 0; k < n; k++) {
        ws_send *s = g_tx[queued[k]];
        assert_non_null(s);
        assert_int_equal(s->waiter.state, WS_WAITER_LINKED);
        assert_ptr_equal(s->waiter.prev, k ? &g_tx[queued[k - 1]]->waiter : NULL);
        assert_ptr_equal(s->waiter.next, k + 1 < n ? &g_tx[queued[k + 1]]->waiter : NULL);
    }
    for (int i = 0; i < NS; i++) {
        int in = 0;
        for (int k = 0; k < n; k++)
            in |= queued[k] == i;
        if (!in && g_tx[i])
            assert_int_not_equal(g_tx[i]->waiter.state, WS_WAITER_LINKED);
    }
}
#define QUEUE(...) check_queue((const int[]){ __VA_ARGS__, -1 })
#define QUEUE_EMPTY() check_queue((const int[]){ -1 })

static void check_log(const int64_t *want, int n)
{
    assert_int_equal(g_log.n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(g_log.v[i], want[i]);
}
#define LOG(...)                                                                                                  \
    do {                                                                                                          \
        const int64_t want_[] = { __VA_ARGS__ };                                                                  \
        check_log(want_, (int)(sizeof want_ / sizeof want_[0]));                                                  \
    } while (0)

static int64_t recv_one(ws_channel *ch)
{
    int64_t m = -1;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    return m;
}

static void reset(void)
{
    memset(&g_log, 0, sizeof g_log);
    memset(g_tx, 0, sizeof g_tx);
    memset(g_h, 0, sizeof g_h);
}

/* Capacity 1: three queued senders, a spurious re-poll, newcomers.
 * Motivating mutants:
 *   sync_internal.h:39 ws__waitlist_unlink: `w->state = WS_WAITER_IDLE;` deleted. In step 4 sender 2 sends from the
 *     head of the list and stays marked linked; its drop unlinks it again, which empties the list: sender 3 is never
 *     woken (the lost wakeup, which neither the tests nor the fuzzer noticed).
 *   channel.c:176 send_poll: `turn = notified || !ch->send_waiters.head || ch->send_waiters.head == &s->waiter`, with
 *     `==` -> `!=` in the last term, or `||` -> `&&`: the wrong waiter takes the room (the order checks).
 *   channel.c:185 send_poll: the unlink before `push(ch, s->msg)` deleted: a sender that sent stays in the list. */
static void test_three_senders_capacity_1(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 100), WS_OK); /* full */
    ws_id s[NS];
    for (int i = 0; i < 3; i++)
        s[i] = spawn_sender(rt, ch, i, 101 + i);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    QUEUE(0, 1, 2);
    LOG();

    /* 1. room for one: the head (sender 0) is woken, unlinked and marked notified; nobody else is woken */
    assert_int_equal(recv_one(ch), 100);
    assert_int_equal(g_tx[0]->waiter.state, WS_WAITER_NOTIFIED);
    QUEUE(1, 2);
    assert_int_equal(ws_task_state_of(rt, s[0]), WS_TASK_SCHEDULED);
    assert_int_equal(ws_task_state_of(rt, s[1]), WS_TASK_IDLE);
    tu_run(rt);
    LOG(1000);
    QUEUE(1, 2);

    /* 2. a spurious re-poll of a queued sender while the channel is full: it stays where it is */
    assert_int_equal(ws_task_wake(rt, s[2], WS_CAUSE_TASK, 0), WS_OK);
    tu_run(rt);
    QUEUE(1, 2);
    LOG(1000);

    /* 3. a newcomer while the channel is full queues at the back */
    s[3] = spawn_sender(rt, ch, 3, 104);
    tu_run(rt);
    QUEUE(1, 2, 3);

    /* 4. room, and the new head (sender 2) is polled spuriously before the woken sender 1 runs: nobody is queued
     *    ahead of sender 2, so it sends; sender 1 then finds the channel full and queues again, at the back */
    assert_int_equal(ws_task_wake(rt, s[2], WS_CAUSE_TASK, 0), WS_OK);
    assert_int_equal(recv_one(ch), 101);
    assert_int_equal(g_tx[1]->waiter.state, WS_WAITER_NOTIFIED);
    QUEUE(2, 3);
    tu_run(rt);
    LOG(1000, 1002);
    QUEUE(3, 1);
    assert_int_equal(ws_channel_len(ch), 1);

    /* 5. a newcomer polled while there is room but others are queued does not overtake them */
    s[4] = spawn_sender(rt, ch, 4, 105);
    assert_int_equal(recv_one(ch), 103); /* wakes sender 3, queued to run after the newcomer's first poll */
    QUEUE(1);
    tu_run(rt);
    LOG(1000, 1002, 1003);
    QUEUE(1, 4);

    /* 6. the rest drain in queue order, each wake going to the head */
    assert_int_equal(recv_one(ch), 104);
    QUEUE(4);
    tu_run(rt);
    LOG(1000, 1002, 1003, 1001);
    assert_int_equal(recv_one(ch), 102);
    QUEUE_EMPTY();
    tu_run(rt);
    LOG(1000, 1002, 1003, 1001, 1004);
    assert_int_equal(recv_one(ch), 105);
    assert_int_equal(ws_channel_len(ch), 0);
    assert_int_equal(tu_stats(rt).completed, 5);
    finish(rt, ch);
}

/* Room for two, four senders: one receive wakes one sender (not two), two receives wake the first two, and the
 * two that send do not disturb the two still queued.
 * Motivating mutants:
 *   channel.c:116 pop: `ws__waitlist_wake_one(...)` deleted (room appears and nobody is woken);
 *   sync_internal.h:49 ws__waitlist_wake_one: `w->state = WS_WAITER_NOTIFIED` deleted (the woken sender is treated as
 *     a newcomer: with others still queued it does not take the room meant for it);
 *   channel.c:205 send_drop: `s->waiter.state == WS_WAITER_NOTIFIED && ch->len < ch->cap` -> `||` (a sender that sent
 *     wakes the next one for room that the other woken sender takes: that one loses its place behind sender 3). */
static void test_senders_capacity_2(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 2, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 200), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 201), WS_OK);
    ws_id s[NS];
    for (int i = 0; i < 4; i++)
        s[i] = spawn_sender(rt, ch, i, 210 + i);
    tu_run(rt);
    QUEUE(0, 1, 2, 3);

    assert_int_equal(recv_one(ch), 200);
    assert_int_equal(g_tx[0]->waiter.state, WS_WAITER_NOTIFIED);
    assert_int_equal(ws_task_state_of(rt, s[1]), WS_TASK_IDLE); /* one message of room wakes one sender */
    assert_int_equal(recv_one(ch), 201);
    assert_int_equal(g_tx[1]->waiter.state, WS_WAITER_NOTIFIED);
    QUEUE(2, 3);
    tu_run(rt);
    LOG(1000, 1001);
    QUEUE(2, 3);
    assert_int_equal(recv_one(ch), 210);
    assert_int_equal(recv_one(ch), 211);
    tu_run(rt);
    LOG(1000, 1001, 1002, 1003);
    assert_int_equal(recv_one(ch), 212);
    assert_int_equal(recv_one(ch), 213);
    assert_int_equal(tu_stats(rt).completed, 4);
    finish(rt, ch);
}

/* A woken sender whose cooperative budget is used up before it can take the room keeps its claim: on its next poll
 * it sends, ahead of the sender queued behind it. Here the budget is 1 and a join polls a child that takes it
 * just before the send.
 * Motivating mutants (channel.c:180 send_poll, the budget branch): `s->waiter.state = WS_WAITER_NOTIFIED` deleted (the
 * claim is lost: the sender queues behind sender 1, and nobody wakes sender 1 for the room: both wait forever),
 * `return WS_PENDING` -> `return WS_READY` (the message is dropped as if sent). */
typedef struct eat_budget {
    ws_future base;
    int pend;
} eat_budget;
static ws_poll eat_budget_poll(ws_future *f, ws_context *cx)
{
    eat_budget *e = (eat_budget *)f;
    if (e->pend) {
        e->pend = 0;
        return WS_PENDING; /* woken with the send, by the same receive */
    }
    if (!ws_budget_take(cx))
        return WS_PENDING;
    return WS_READY;
}
static const ws_future_type eat_budget_type = { "eat_budget", eat_budget_poll, NULL, NULL };

WS_ASYNC(join_sender, { ws_channel *ch; eat_budget eat; ws_send tx; ws_join j; })
{
    WS_BEGIN();
    ws_future_init(&self->eat.base, &eat_budget_type);
    self->eat.pend = 1;
    ws_send_init(&self->tx, self->ch, 501);
    g_tx[0] = &self->tx;
    ws_join2_init(&self->j, &self->eat.base, &self->tx.base);
    WS_AWAIT(&self->j);
    assert_int_equal(WS_ERR(&self->tx), WS_OK);
    tu_log_add(&g_log, 1000);
    WS_RETURN(0);
    WS_END();
}

static void test_budget_keeps_claim(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(1, 0, 0);
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 500), WS_OK);
    join_sender f;
    WS_ASYNC_INIT(join_sender, &f);
    f.ch = ch;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "join_sender", &g_h[0]), WS_OK);
    tu_run(rt);
    spawn_sender(rt, ch, 1, 502);
    tu_run(rt);
    QUEUE(0, 1);
    assert_int_equal(recv_one(ch), 500); /* wakes sender 0, whose next poll runs out of budget at the send */
    tu_run(rt);
    LOG(1000);
    QUEUE(1);
    assert_int_equal(recv_one(ch), 501);
    tu_run(rt);
    LOG(1000, 1001);
    assert_int_equal(recv_one(ch), 502);
    finish(rt, ch);
}

/* Queued senders are aborted in the middle and at the tail; a woken sender is aborted after its room was taken
 * (nobody else may be woken) and before (its wake passes to the next sender).
 * Motivating mutants:
 *   channel.c:206 send_drop: the pass-on `ws__waitlist_wake_one(...)` deleted (step 4: the room is left unused while
 *     others wait), or its condition `ch->len < ch->cap` -> `<=` (step 3: the next sender is woken for room that is
 *     not there and loses its place in the queue).
 *   sync_internal.h:35 ws__waitlist_unlink: `w->next->prev = w->prev` deleted (step 1), or `l->tail = w->prev` deleted
 *     (step 2: the newcomer is linked after the aborted tail instead of after sender 3).
 *   channel.c:185 send_poll: the unlink before `push(ch, s->msg)` deleted: the send is ready but still in the wait
 *     list until its owner drops it (the sender checks that in between), so a receive meanwhile would wake it
 *     instead of the next sender. */
static void test_abort_queued_and_woken(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 300), WS_OK);
    ws_id s[NS];
    for (int i = 0; i < 5; i++)
        s[i] = spawn_sender(rt, ch, i, 301 + i);
    tu_run(rt);
    QUEUE(0, 1, 2, 3, 4);

    /* 1. abort the one in the middle: its neighbours are linked to each other */
    assert_int_equal(ws_task_abort(rt, s[1]), WS_OK);
    tu_run(rt);
    QUEUE(0, 2, 3, 4);
    /* 2. abort the tail, then a newcomer queues behind the new tail */
    assert_int_equal(ws_task_abort(rt, s[4]), WS_OK);
    tu_run(rt);
    QUEUE(0, 2, 3);
    s[5] = spawn_sender(rt, ch, 5, 306);
    tu_run(rt);
    QUEUE(0, 2, 3, 5);

    /* 3. room: sender 0 is woken, but the room is taken before it runs, and it is aborted: nobody else is woken */
    assert_int_equal(recv_one(ch), 300);
    assert_int_equal(g_tx[0]->waiter.state, WS_WAITER_NOTIFIED);
    assert_int_equal(ws_channel_try_send(ch, 399), WS_OK);
    assert_int_equal(ws_task_abort(rt, s[0]), WS_OK);
    tu_run(rt);
    QUEUE(2, 3, 5);
    LOG();

    /* 4. room again: sender 2 is woken and aborted before it runs: its wake passes on to sender 3 */
    assert_int_equal(recv_one(ch), 399);
    assert_int_equal(ws_task_abort(rt, s[2]), WS_OK);
    tu_run(rt);
    QUEUE(5);
    LOG(1003);
    assert_int_equal(recv_one(ch), 304);
    tu_run(rt);
    LOG(1003, 1005);
    assert_int_equal(recv_one(ch), 306);
    QUEUE_EMPTY();
    assert_int_equal(tu_stats(rt).aborted, 4);
    finish(rt, ch);
}

/* The receiver goes away while three senders wait: every one of them is woken, unlinked, and gets its message
 * back with WS_ECLOSED.
 * Motivating mutant: channel.c:91 ws_channel_receiver_drop: the `while` that wakes every sender turned into a single
 * wake (`while` -> `if`) or deleted. */
WS_ASYNC(closed_sender, { ws_channel *ch; int idx; ws_send tx; })
{
    WS_BEGIN();
    ws_send_init(&self->tx, self->ch, 400 + self->idx);
    g_tx[self->idx] = &self->tx;
    WS_AWAIT(&self->tx);
    g_tx[self->idx] = NULL;
    assert_int_equal(WS_ERR(&self->tx), WS_ECLOSED);
    assert_int_equal(WS_OUT(&self->tx), 400 + self->idx); /* the message came back */
    tu_log_add(&g_log, 1000 + self->idx);
    WS_RETURN(0);
    WS_END();
}

static void test_receiver_drop_wakes_every_sender(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 399), WS_OK);
    for (int i = 0; i < 3; i++) {
        closed_sender f;
        WS_ASYNC_INIT(closed_sender, &f);
        f.ch = ch;
        f.idx = i;
        assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "closed_sender", NULL), WS_OK);
    }
    tu_run(rt);
    QUEUE(0, 1, 2);
    ws_channel_receiver_drop(ch);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g_tx[i]->waiter.state, WS_WAITER_NOTIFIED);
    tu_run(rt);
    LOG(1000, 1001, 1002);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    ws_channel_sender_drop(ch);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_three_senders_capacity_1),
        TU_TEST(test_senders_capacity_2),
        TU_TEST(test_budget_keeps_claim),
        TU_TEST(test_abort_queued_and_woken),
        TU_TEST(test_receiver_drop_wakes_every_sender),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
