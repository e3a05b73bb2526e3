/* test_contracts.c: what the public functions promise about their arguments and about calls that no other test
 * makes: NULLs and used-up sides of channels, oneshots and notifies, the range of wake causes, the error codes an
 * operation's outcome may carry, the length limit of ws_bytes_new, select_all and try_join2 on their success
 * paths, and a pending sleep or host operation re-polled from another task.
 *
 * Each test names the mutants of scripts/mutate.py that motivated it (file, function, the change); each fails on
 * them. */
#include <stdio.h>

#include "test_util.h"

/* ---- channel ---- */

/* Motivating mutants (channel.c): in ws_channel_new, `!out` or `!rt` negated, `capacity == 0` -> `!=`, `capacity >
 * (1u << 24)` -> `>=`; in ws_channel_sender_clone, `ch->senders == 0` -> `!=` or deleted; in ws_channel_sender_drop,
 * the `ch->senders == 0` guard deleted (a second drop would underflow and free the channel under the receiver);
 * in ws_channel_try_send, `ch->senders == 0` -> `!=`; in ws_channel_try_recv, `!msg` or `!ch->receiver_alive`
 * removed; ws_channel_len and ws_channel_id returning a value for NULL. */
static void test_channel_arguments(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch = (ws_channel *)&ch; /* not NULL, so that a failed call visibly resets it */
    assert_int_equal(ws_channel_new(rt, 1, NULL), WS_EINVAL);
    assert_int_equal(ws_channel_new(NULL, 1, &ch), WS_EINVAL);
    assert_null(ch);
    ch = (ws_channel *)&ch;
    assert_int_equal(ws_channel_new(rt, 0, &ch), WS_EINVAL);
    assert_null(ch);
    assert_int_equal(ws_channel_new(rt, (1u << 24) + 1, &ch), WS_EINVAL);
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* the largest capacity is allowed (its buffer is only reserved, never touched here) */
    assert_int_equal(ws_channel_new(rt, 1u << 24, &ch), WS_OK);
    assert_int_equal(ws_channel_len(ch), 0);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* NULL is refused or ignored everywhere */
    ws_channel_set_free_hook(NULL, NULL, NULL);
    assert_int_equal(ws_channel_sender_clone(NULL), WS_EINVAL);
    ws_channel_sender_drop(NULL);
    ws_channel_receiver_drop(NULL);
    assert_int_equal(ws_channel_len(NULL), 0);
    assert_int_equal(ws_channel_id(NULL), 0);
    int64_t m = 0;
    assert_int_equal(ws_channel_try_send(NULL, 1), WS_EINVAL);
    assert_int_equal(ws_channel_try_recv(NULL, &m), WS_EINVAL);

    assert_int_equal(ws_channel_new(rt, 2, &ch), WS_OK);
    assert_int_not_equal(ws_channel_id(ch), 0);
    assert_int_equal(ws_channel_try_recv(ch, NULL), WS_EINVAL);
    assert_int_equal(ws_channel_try_send(ch, 5), WS_OK);
    assert_int_equal(ws_channel_len(ch), 1);
    /* every sender gone: the receiver drains what is buffered, then sees Closed; sending needs a sender */
    ws_channel_sender_drop(ch);
    ws_channel_sender_drop(ch); /* a second drop is a no-op: the receiver keeps the channel alive */
    assert_int_equal(tu_stats(rt).objects_live, 1);
    assert_int_equal(ws_channel_sender_clone(ch), WS_EINVAL); /* no sender left to clone */
    assert_int_equal(ws_channel_try_send(ch, 6), WS_EINVAL);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 5);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_ECLOSED);
    ws_channel_receiver_drop(ch);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* A send or recv future on no channel finishes with WS_EINVAL; a recv after the receiver was dropped too, and a
 * send to a channel whose receiver is gone gets its message back.
 * Motivating mutants (channel.c): recv_poll `!ch->receiver_alive` removed (it would read a channel nobody receives
 * from) or `f->err = WS_EINVAL` deleted; send_poll `f->err = WS_EINVAL` deleted; send_poll `f->out = s->msg`
 * deleted (the message is lost instead of handed back). */
static void test_send_recv_on_no_channel(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_send s;
    ws_send_init(&s, NULL, 1);
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_READY);
    assert_int_equal(s.base.err, WS_EINVAL);
    ws_future_drop(rt, &s.base);
    ws_recv r;
    ws_recv_init(&r, NULL);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_EINVAL);
    ws_future_drop(rt, &r.base);

    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 9), WS_OK);
    ws_channel_receiver_drop(ch);
    /* recv after the receiver was dropped: refused, even with a message still buffered */
    ws_recv_init(&r, ch);
    r.base.err = WS_OK;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_EINVAL);
    ws_future_drop(rt, &r.base);
    int64_t m;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_EINVAL);
    /* send to a channel without a receiver: Closed, and the message comes back */
    ws_send_init(&s, ch, 77);
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_READY);
    assert_int_equal(s.base.err, WS_ECLOSED);
    assert_int_equal(s.base.out, 77);
    ws_future_drop(rt, &s.base);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_ECLOSED);
    ws_channel_sender_drop(ch);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* ---- oneshot ---- */

/* Motivating mutants (oneshot.c): ws_oneshot_new `!out` / `!rt` negated or `*out = NULL` deleted; ws_oneshot_send
 * `!os->sender_alive` removed (a second send would overwrite the value) or `os->sender_alive = 0` deleted;
 * ws_oneshot_sender_drop and ws_oneshot_receiver_drop guards removed (NULL, or a second drop freeing the oneshot
 * under the other side); oneshot_recv_poll `!os->receiver_alive` removed; `os->has_value = 0` deleted. */
static void test_oneshot_arguments(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_oneshot *os = (ws_oneshot *)&os;
    assert_int_equal(ws_oneshot_new(rt, NULL), WS_EINVAL);
    assert_int_equal(ws_oneshot_new(NULL, &os), WS_EINVAL);
    assert_null(os);
    assert_int_equal(ws_oneshot_send(NULL, 1), WS_EINVAL);
    ws_oneshot_sender_drop(NULL);
    ws_oneshot_receiver_drop(NULL);
    ws_oneshot_recv r;
    ws_oneshot_recv_init(&r, NULL);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_EINVAL);
    ws_future_drop(rt, &r.base);

    /* one value, once */
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    assert_int_equal(ws_oneshot_send(os, 41), WS_OK);
    assert_int_equal(ws_oneshot_send(os, 42), WS_EINVAL); /* the sender is used up */
    ws_oneshot_sender_drop(os);                            /* and already gone: no-op */
    assert_int_equal(tu_stats(rt).objects_live, 1);
    ws_oneshot_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_OK);
    assert_int_equal(r.base.out, 41);
    ws_future_drop(rt, &r.base); /* drops the receiver: the oneshot is freed */
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* the receiver dropped first: a recv on it is refused, a second drop changes nothing, send gets Closed */
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    ws_oneshot_receiver_drop(os);
    ws_oneshot_receiver_drop(os);
    assert_int_equal(tu_stats(rt).objects_live, 1);
    assert_int_equal(ws_oneshot_send(os, 1), WS_ECLOSED); /* and frees it */
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* the sender dropped without sending: Closed, once the value (none) is known */
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    ws_oneshot_sender_drop(os);
    ws_oneshot_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_ECLOSED);
    ws_future_drop(rt, &r.base);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* ---- notify ---- */

/* Motivating mutants (notify.c): ws_notify_new guards negated or `*out = NULL` deleted; ws_notify_one,
 * ws_notify_waiters and ws_notify_close without their NULL check; ws_notified_init `if (n)` negated (the refcount
 * of NULL); notified_poll `f->err = WS_EINVAL` deleted; ws_notify_close `n->closed` check removed (a second
 * close would drop a reference it does not own). */
static void test_notify_arguments(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_notify *n = (ws_notify *)&n;
    assert_int_equal(ws_notify_new(rt, NULL), WS_EINVAL);
    assert_int_equal(ws_notify_new(NULL, &n), WS_EINVAL);
    assert_null(n);
    ws_notify_one(NULL);
    ws_notify_waiters(NULL);
    ws_notify_close(NULL);
    ws_notified nf;
    ws_notified_init(&nf, NULL);
    assert_int_equal(ws_future_poll(&nf.base, &cx), WS_READY);
    assert_int_equal(nf.base.err, WS_EINVAL);
    ws_future_drop(rt, &nf.base);

    /* a notified future keeps a closed notify alive; closing twice drops one reference, not two */
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);
    ws_notified_init(&nf, n);
    ws_notify_close(n);
    ws_notify_close(n);
    assert_int_equal(tu_stats(rt).objects_live, 1);
    ws_notify_one(n);     /* ignored once closed */
    ws_notify_waiters(n); /* ignored once closed */
    assert_int_equal(ws_future_poll(&nf.base, &cx), WS_READY);
    assert_int_equal(nf.base.err, WS_ECLOSED);
    ws_future_drop(rt, &nf.base);
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* a stored permit is taken by exactly one notified future */
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);
    ws_notify_one(n);
    ws_notify_one(n); /* one permit, not two */
    ws_notified a, b;
    ws_notified_init(&a, n);
    ws_notified_init(&b, n);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(a.base.err, WS_OK);
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_PENDING);
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);
    ws_notify_close(n);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* ---- wake causes ---- */

/* Motivating mutants: task.c:336 ws_task_wake `(unsigned)cause >= WS_CAUSE_COUNT` -> `>` (WS_CAUSE_COUNT accepted) or
 * `!rt` removed; runtime.c:28 ws_cause_name `<` -> `<=` (reads past the table). */
static void test_wake_cause_range(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe p;
    int polls = 0;
    tu_probe_init(&p, &polls, NULL, 1, 5);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "probe", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    assert_int_equal(ws_task_wake(NULL, h.task, WS_CAUSE_TASK, 0), WS_EINVAL);
    assert_int_equal(ws_task_wake(rt, h.task, WS_CAUSE_COUNT, 0), WS_EINVAL);
    assert_int_equal(ws_task_wake(rt, h.task, (ws_cause)-1, 0), WS_EINVAL);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE); /* refused wakes did nothing */
    assert_int_equal(ws_task_wake(rt, h.task, (ws_cause)(WS_CAUSE_COUNT - 1), 0), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    assert_int_equal(ws_task_wake(rt, h.task, WS_CAUSE_TASK, 0), WS_ESTALE); /* finished */
    ws_future_drop(rt, &h.base);

    assert_string_equal(ws_cause_name(WS_CAUSE_SPAWN), "spawn");
    assert_string_equal(ws_cause_name((ws_cause)(WS_CAUSE_COUNT - 1)), "abort");
    assert_string_equal(ws_cause_name(WS_CAUSE_COUNT), "unknown");
    assert_string_equal(ws_cause_name((ws_cause)-1), "unknown");
    tu_rt_free(rt);
}

/* ---- host operations: outcome codes, bytes ---- */

static ws_id g_op_id;
static int op_start_keep(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)rt;
    (void)f;
    g_op_id = id;
    return WS_OK;
}
static const ws_op_type keep_type = { "keep", WS_CAUSE_HOST, op_start_keep, NULL, NULL };

/* The err an op finishes with, when the host completes it with `err`. */
static int op_outcome(ws_runtime *rt, int err)
{
    ws_context cx = tu_cx(rt);
    ws_op op;
    ws_op_init(&op, &keep_type, NULL);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_PENDING);
    assert_int_equal(ws_op_complete(rt, g_op_id, err, NULL), WS_OK);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_READY);
    int got = op.base.err;
    ws_future_drop(rt, &op.base);
    return got;
}

/* An outcome code must fit the future's int8 err and must not look like success: positive codes and codes below
 * INT8_MIN become WS_EHOST, everything else (WS_OK, the WS_E* codes, application codes <= WS_EUSER) passes.
 * Motivating mutants: op.c:176 ws_op_complete `err > 0` -> `>=` (WS_OK turned into an error) or `<`, `err < INT8_MIN`
 * -> `<=` (INT8_MIN itself rejected), `||` -> `&&`; `!rt` removed. */
static void test_op_complete_codes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_int_equal(op_outcome(rt, WS_OK), WS_OK);
    assert_int_equal(op_outcome(rt, 1), WS_EHOST);
    assert_int_equal(op_outcome(rt, 1000), WS_EHOST);
    assert_int_equal(op_outcome(rt, WS_ECLOSED), WS_ECLOSED);
    assert_int_equal(op_outcome(rt, WS_EUSER - 20), WS_EUSER - 20);
    assert_int_equal(op_outcome(rt, INT8_MIN), INT8_MIN);
    assert_int_equal(op_outcome(rt, INT8_MIN - 1), WS_EHOST);
    assert_int_equal(op_outcome(rt, -100000), WS_EHOST);
    assert_int_equal(ws_op_complete(NULL, g_op_id, WS_OK, NULL), WS_EINVAL);
    assert_int_equal(ws_op_is_live(NULL, g_op_id), 0);
    tu_rt_free(rt);
}

/* ws_bytes_new refuses a length whose block size would not fit 32 bits, and allocates up to that limit.
 * The allocator is made to fail, so the test sees whether an allocation was tried without making it.
 * Motivating mutants: op.c:54 ws_bytes_new `len > UINT32_MAX - sizeof(ws_bytes) - 1` -> `>=`, `- 1` -> `+ 1`, `!rt`
 * removed; `b->data[len] = 0` deleted (the NUL after the bytes); `if (src && len)` -> `||` (copies from NULL). */
static void test_bytes_length_limit(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    const uint32_t max = (uint32_t)(UINT32_MAX - sizeof(ws_bytes) - 1);
    assert_null(ws_bytes_new(NULL, "x", 1));

    tu_mem.fail_from = tu_mem.calls + 1; /* every allocation from here fails */
    uint64_t calls = tu_mem.calls;
    assert_null(ws_bytes_new(rt, NULL, max + 1)); /* refused before allocating */
    assert_int_equal(tu_mem.calls, calls);
    assert_null(ws_bytes_new(rt, NULL, UINT32_MAX));
    assert_int_equal(tu_mem.calls, calls);
    assert_null(ws_bytes_new(rt, NULL, max)); /* allowed: the allocation is tried (and fails here) */
    assert_int_equal(tu_mem.calls, calls + 1);
    tu_mem.fail_from = 0;

    ws_bytes *b = ws_bytes_new(rt, "abcdef", 3);
    assert_non_null(b);
    assert_int_equal(b->len, 3);
    assert_memory_equal(b->data, "abc", 4); /* NUL-terminated after len bytes */
    ws_bytes_free(rt, b);
    b = ws_bytes_new(rt, NULL, 0);
    assert_non_null(b);
    assert_int_equal(b->len, 0);
    assert_int_equal(b->data[0], 0);
    ws_bytes_free(rt, b);
    b = ws_bytes_new(rt, NULL, 4); /* no source: zero-length copy skipped, the NUL is still written */
    assert_non_null(b);
    assert_int_equal(b->data[4], 0);
    ws_bytes_free(rt, b);
    ws_bytes_free(NULL, NULL);
    ws_bytes_free(rt, NULL);
    tu_rt_free(rt);
}

/* ---- select_all and try_join2 on their success paths ---- */

/* A future that logs its tag each time it is polled, pending `pend` times, then ready with `tag`. */
static tu_log g_polls;
typedef struct tagged {
    ws_future base;
    int tag;
    int pend;
} tagged;
static ws_poll tagged_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    tagged *t = (tagged *)f;
    tu_log_add(&g_polls, t->tag);
    if (t->pend > 0) {
        t->pend--;
        return WS_PENDING;
    }
    f->out = t->tag;
    return WS_READY;
}
static const ws_future_type tagged_type = { "tagged", tagged_poll, NULL, NULL };
static void tagged_init(tagged *t, int tag, int pend)
{
    ws_future_init(&t->base, &tagged_type);
    t->tag = tag;
    t->pend = pend;
}

/* Runs one select_all over three children, each pending `pend[i]` times, polling it until it is ready. Returns the
 * winner; checks that every child was dropped. */
static int64_t select3(ws_runtime *rt, ws_select_mode mode, const int pend[3], int *polls_out)
{
    ws_context cx = tu_cx(rt);
    tagged t[3];
    ws_future *kids[3];
    for (int i = 0; i < 3; i++) {
        tagged_init(&t[i], i, pend[i]);
        kids[i] = &t[i].base;
    }
    ws_select sel;
    assert_int_equal(ws_select_all_init(&sel, kids, 3, mode), WS_OK);
    int polls = 0;
    while (ws_future_poll(&sel.base, &cx) == WS_PENDING)
        assert_true(++polls < 10);
    *polls_out = polls;
    assert_int_equal(sel.base.err, WS_OK);
    for (int i = 0; i < 3; i++)
        assert_true(t[i].base.flags & WS_FUTURE_DROPPED); /* the winner and the losers alike */
    ws_future_drop(rt, &sel.base);
    return sel.base.out;
}

/* Motivating mutants (combinators.c): ws_select_all_init never succeeded in any test, so every statement of its
 * success path survived (`f->children = children`, `f->count = count`, `f->mode = (uint8_t)mode` deleted, the
 * mode check `&&` -> `||`); select_poll's fair start `cx->rt->select_seq++ % s->count` and the rotation
 * `(s->next_start + 1) % s->count` (`+ 1` -> `- 1` or deleted). */
static void test_select_all(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls;
    const int all_ready[3] = { 0, 0, 0 };
    const int later[3] = { 3, 1, 1 }; /* children 1 and 2 are ready on the second poll */

    /* biased: children in order, every time: the first ready child wins */
    memset(&g_polls, 0, sizeof g_polls);
    assert_int_equal(select3(rt, WS_SELECT_BIASED, all_ready, &polls), 0);
    assert_int_equal(select3(rt, WS_SELECT_BIASED, all_ready, &polls), 0);
    memset(&g_polls, 0, sizeof g_polls);
    assert_int_equal(select3(rt, WS_SELECT_BIASED, later, &polls), 1);
    assert_int_equal(polls, 1);
    assert_int_equal(g_polls.n, 5); /* 0 1 2, then 0 1 */
    assert_int_equal(g_polls.v[3], 0);

    /* fair: each new select starts one child further than the runtime's previous one (0, 1, 2, 0) */
    assert_int_equal(select3(rt, WS_SELECT_FAIR, all_ready, &polls), 0);
    assert_int_equal(select3(rt, WS_SELECT_FAIR, all_ready, &polls), 1);
    assert_int_equal(select3(rt, WS_SELECT_FAIR, all_ready, &polls), 2);
    assert_int_equal(select3(rt, WS_SELECT_FAIR, all_ready, &polls), 0);
    /* ...and each poll of one select starts one child further than its previous poll: this select starts at 1
     * (the fifth fair select), polls 1 2 0, then starts at 2, where child 2 is ready */
    memset(&g_polls, 0, sizeof g_polls);
    assert_int_equal(select3(rt, WS_SELECT_FAIR, later, &polls), 2);
    assert_int_equal(polls, 1);
    assert_int_equal(g_polls.n, 4);
    assert_int_equal(g_polls.v[0], 1);
    assert_int_equal(g_polls.v[1], 2);
    assert_int_equal(g_polls.v[2], 0);
    assert_int_equal(g_polls.v[3], 2);

    /* the arguments it refuses */
    tagged t;
    tagged_init(&t, 0, 0);
    ws_future *one[1] = { &t.base };
    ws_select sel;
    assert_int_equal(ws_select_all_init(NULL, one, 1, WS_SELECT_FAIR), WS_EINVAL);
    assert_int_equal(ws_select_all_init(&sel, NULL, 1, WS_SELECT_FAIR), WS_EINVAL);
    assert_int_equal(ws_select_all_init(&sel, one, 0, WS_SELECT_FAIR), WS_EINVAL);
    assert_int_equal(ws_select_all_init(&sel, one, 1, (ws_select_mode)2), WS_EINVAL);
    assert_int_equal(ws_select_all_init(&sel, one, 1, WS_SELECT_BIASED), WS_OK);
    tu_rt_free(rt);
}

/* try_join2: both children succeed (out = 2), or the first error ends it with that child's index and the other
 * child is dropped (cancelled) unfinished.
 * Motivating mutants (combinators.c): ws_try_join2_init was never called: `join_setup(f, &try_join_type, NULL, 2,
 * 1)` with the try flag `1` -> `0` or `2`, `f->inline_children[1] = b` deleted; join_poll `j->try_mode && ...` ->
 * `||`. */
static void test_try_join2(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    tagged a, b;
    ws_join j;

    tagged_init(&a, 10, 1);
    tagged_init(&b, 20, 0);
    ws_try_join2_init(&j, &a.base, &b.base);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_PENDING);
    assert_true(ws_future_is_ready(&b.base));
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_READY);
    assert_int_equal(j.base.err, WS_OK);
    assert_int_equal(j.base.out, 2);
    assert_int_equal(WS_OUT(&a), 10);
    assert_int_equal(WS_OUT(&b), 20);
    ws_future_drop(rt, &j.base);

    /* the second child fails at once: the first, still pending, is dropped without finishing */
    int drops = 0;
    tu_probe p;
    tu_probe_init(&p, NULL, &drops, -1, 0);
    tagged_init(&b, 20, 0);
    b.base.err = WS_EUSER - 4; /* its err survives the poll: tagged_poll does not touch it */
    ws_try_join2_init(&j, &p.base, &b.base);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_READY);
    assert_int_equal(j.base.err, WS_EUSER - 4);
    assert_int_equal(j.base.out, 1);
    assert_int_equal(drops, 1);
    assert_false(ws_future_is_ready(&p.base));
    ws_future_drop(rt, &j.base);
    assert_int_equal(drops, 1);

    /* a plain join2 does not stop at an error: it waits for both */
    tu_probe_init(&p, NULL, &drops, 1, 7);
    drops = 0;
    tagged_init(&b, 20, 0);
    b.base.err = WS_EUSER - 4;
    ws_join2_init(&j, &p.base, &b.base);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&j.base, &cx), WS_READY);
    assert_int_equal(j.base.err, WS_OK);
    assert_int_equal(WS_OUT(&p), 7);
    ws_future_drop(rt, &j.base);
    tu_rt_free(rt);
}

/* ---- a pending sleep or host operation re-polled from another task ---- */

/* Polls a future it does not own. `once`: returns after the first poll, leaving the shared future pending (as a
 * task that moved on would); otherwise waits for it. */
typedef struct borrow {
    ws_future base;
    ws_future *shared;
    int once;
} borrow;
static ws_poll borrow_poll(ws_future *f, ws_context *cx)
{
    borrow *b = (borrow *)f;
    if (ws_future_poll(b->shared, cx) == WS_READY) {
        f->out = 1;
        return WS_READY;
    }
    if (b->once) {
        f->out = 0;
        return WS_READY;
    }
    return WS_PENDING;
}
static const ws_future_type borrow_type = { "borrow", borrow_poll, NULL, NULL };

static ws_task_handle spawn_borrow(ws_runtime *rt, ws_future *shared, int once)
{
    borrow b;
    ws_future_init(&b.base, &borrow_type);
    b.shared = shared;
    b.once = once;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &b.base, sizeof b, "borrow", &h), WS_OK);
    return h;
}

/* The waker of the latest poll wins: task A polls a sleep and finishes, leaving it pending; task B polls it and
 * waits: the timer must wake B. (Both run in one ws_runtime_run: an idle virtual clock would jump to the deadline
 * between them.) Motivating mutant: time.c:221 sleep_poll_impl `s->timer.task = cx->task` deleted (the timer wakes A,
 * which has finished: B waits forever). */
static void test_sleep_repolled_by_another_task(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_sleep s;
    ws_sleep_init(&s, 10);
    ws_task_handle a = spawn_borrow(rt, &s.base, 1);
    ws_task_handle b = spawn_borrow(rt, &s.base, 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* the clock jumped; the timer fired and woke B */
    assert_int_equal(ws_task_state_of(rt, a.task), WS_TASK_DONE);
    assert_int_equal(ws_task_state_of(rt, b.task), WS_TASK_DONE);
    assert_int_equal(ws_clock_now(rt), WS_MS(10));
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(a.base.out, 0); /* A left it pending */
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_READY);
    assert_int_equal(b.base.out, 1); /* B saw it finish */
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);
    ws_future_drop(rt, &s.base);
    tu_rt_free(rt);
}

/* The same for a host operation: its completion wakes the task that polled it last.
 * Motivating mutant: op.c:134 op_poll `s->task = cx->task` (in the pending branch) deleted. */
static void test_op_repolled_by_another_task(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_op op;
    ws_op_init(&op, &keep_type, NULL);
    ws_task_handle a = spawn_borrow(rt, &op.base, 1);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, a.task), WS_TASK_DONE);
    assert_true(ws_op_is_live(rt, g_op_id));
    ws_task_handle b = spawn_borrow(rt, &op.base, 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(ws_task_state_of(rt, b.task), WS_TASK_IDLE);
    assert_int_equal(ws_op_complete(rt, g_op_id, WS_OK, ws_bytes_new(rt, "ok", 2)), WS_OK);
    assert_int_equal(ws_task_state_of(rt, b.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_task_state_of(rt, b.task), WS_TASK_DONE);
    assert_string_equal((const char *)ws_bytes_of(op.base.out)->data, "ok");
    ws_bytes_free(rt, ws_bytes_of(op.base.out));
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);
    ws_future_drop(rt, &op.base);
    tu_rt_free(rt);
}

/* ---- allocation failure, NULLs elsewhere, ids ---- */

/* Creating a channel, oneshot or notify when an allocation fails: WS_ENOMEM, *out NULL, nothing kept.
 * Motivating mutants: oneshot.c / notify.c / channel.c `return WS_ENOMEM` -> `return 0` (success reported with
 * a NULL object), channel.c:34 ws_channel_new, the `ws__free(rt, ch, ...)` after a failed buffer allocation
 * deleted (a leak). */
static void test_objects_out_of_memory(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    size_t live = tu_stats(rt).bytes_live;
    for (uint64_t k = 1; k <= 2; k++) { /* a channel allocates twice: fail either */
        ws_channel *ch = (ws_channel *)&ch;
        tu_mem.fail_at = tu_mem.calls + k;
        assert_int_equal(ws_channel_new(rt, 4, &ch), WS_ENOMEM);
        assert_null(ch);
    }
    ws_oneshot *os = (ws_oneshot *)&os;
    tu_mem.fail_at = tu_mem.calls + 1;
    assert_int_equal(ws_oneshot_new(rt, &os), WS_ENOMEM);
    assert_null(os);
    ws_notify *n = (ws_notify *)&n;
    tu_mem.fail_at = tu_mem.calls + 1;
    assert_int_equal(ws_notify_new(rt, &n), WS_ENOMEM);
    assert_null(n);
    tu_mem.fail_at = 0;
    assert_int_equal(tu_stats(rt).bytes_live, live);
    assert_int_equal(tu_stats(rt).objects_live, 0);

    /* ids of objects count up from 1 in creation order (traces name them so: reproducible) */
    ws_channel *c1, *c2;
    assert_int_equal(ws_channel_new(rt, 1, &c1), WS_OK);
    assert_int_equal(ws_channel_new(rt, 1, &c2), WS_OK);
    assert_int_equal(ws_channel_id(c1), 1);
    assert_int_equal(ws_channel_id(c2), 2);
    ws_channel_sender_drop(c1);
    ws_channel_receiver_drop(c1);
    ws_channel_sender_drop(c2);
    ws_channel_receiver_drop(c2);
    tu_rt_free(rt);
}

/* Motivating mutants: executor.c:220 ws_block_on `!rt || !future` -> `&&`; combinators.c:43 join_all_setup's check loop
 * `i++` -> `i--` (stops after the first child: a NULL second child is accepted). */
static void test_null_arguments_elsewhere(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_ready r;
    ws_ready_init(&r, 1);
    int64_t out;
    int err;
    assert_int_equal(ws_block_on(NULL, &r.base, sizeof r, "x", &out, &err), WS_EINVAL);
    assert_int_equal(ws_block_on(rt, NULL, sizeof r, "x", &out, &err), WS_EINVAL);
    ws_future *kids[3] = { &r.base, NULL, &r.base };
    ws_join j;
    assert_int_equal(ws_join_all_init(&j, kids, 3), WS_EINVAL);
    assert_int_equal(ws_try_join_all_init(&j, kids, 3), WS_EINVAL);
    ws_select sel;
    assert_int_equal(ws_select_all_init(&sel, kids, 3, WS_SELECT_BIASED), WS_EINVAL);
    tu_rt_free(rt);
}

/* ---- dropping an awaited child again, traced or not ---- */

static int g_child_drops;
static void counted_drop(ws_runtime *rt, ws_future *f)
{
    (void)f;
    (void)rt;
    g_child_drops++;
}
static ws_poll counted_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    f->out = 3;
    return WS_READY;
}
static const ws_future_type counted_type = { "counted", counted_poll, counted_drop, NULL };

WS_ASYNC(await_then_drop, { ws_future child; })
{
    WS_BEGIN();
    ws_future_init(&self->child, &counted_type);
    WS_AWAIT(&self->child);
    ws_future_drop(cx->rt, &self->child); /* already dropped by WS_AWAIT: must be a no-op */
    WS_RETURN(WS_OUT(&self->child));
    WS_END();
}

/* WS_AWAIT drops a child as soon as it is ready, and marks it so: a second ws_future_drop does nothing ("safe to
 * call twice"), on the traced path as on the inline one.
 * Motivating mutant: future.c:51 ws_await_poll_traced `f->flags |= WS_FUTURE_DROPPED` deleted (the drop hook runs
 * twice when tracing). */
static void test_awaited_child_dropped_once(void **state)
{
    (void)state;
    /* ws_future_drop on NULL, and on a future that was never built (zeroed: no type), does nothing
     * (future.c:59 `!f || !f->type` -> `&&`) */
    ws_runtime *rt0 = tu_rt();
    ws_future_drop(rt0, NULL);
    ws_future zero;
    memset(&zero, 0, sizeof zero);
    ws_future_drop(rt0, &zero);
    tu_rt_free(rt0);

    for (int traced = 0; traced < 2; traced++) {
        ws_runtime *rt = tu_rt_opts(128, traced ? 256 : 0, 0);
        g_child_drops = 0;
        await_then_drop f;
        WS_ASYNC_INIT(await_then_drop, &f);
        int64_t out = 0;
        int err = -1;
        assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "await", &out, &err), WS_OK);
        assert_int_equal(out, 3);
        assert_int_equal(g_child_drops, 1);
        tu_rt_free(rt);
    }
}

/* ---- dropping a recv deregisters its waker, and only its own ---- */

/* Motivating mutants (channel.c:248 recv_drop): `ch->receiver_alive && (f->flags & WS_FUTURE_POLLED)` -> `||`, or `&`
 * -> `|` (an unpolled or finished recv dropped clears the waker of the pending one: a lost wakeup), `!(f->flags &
 * WS_FUTURE_READY)` with `!` removed or the whole statement deleted (a dropped pending recv keeps its task's
 * waker: the task is woken for a message it no longer waits for). */
static void test_recv_drop_waker(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 2, &ch), WS_OK);
    tu_probe idle;
    tu_probe_init(&idle, NULL, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &idle.base, sizeof idle, "idle", &h), WS_OK);
    tu_run(rt);
    /* a recv polled on behalf of that (idle) task, as a select in it would */
    ws_context cx = tu_cx(rt);
    cx.task = h.task;
    ws_recv pending;
    ws_recv_init(&pending, ch);
    assert_int_equal(ws_future_poll(&pending.base, &cx), WS_PENDING);
    /* another recv, never polled, dropped: the pending one keeps its waker */
    ws_recv unpolled;
    ws_recv_init(&unpolled, ch);
    ws_future_drop(rt, &unpolled.base);
    /* and one that finished, dropped */
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED); /* the message woke the task */
    tu_run(rt);
    ws_recv done;
    ws_recv_init(&done, ch);
    ws_context out = tu_cx(rt);
    assert_int_equal(ws_future_poll(&done.base, &out), WS_READY);
    assert_int_equal(done.base.out, 1);
    assert_int_equal(ws_future_poll(&pending.base, &cx), WS_PENDING); /* re-registers */
    ws_future_drop(rt, &done.base);
    assert_int_equal(ws_channel_try_send(ch, 2), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED); /* still woken */
    tu_run(rt);
    /* the pending recv itself dropped: a message no longer wakes the task */
    int64_t m;
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(ws_future_poll(&pending.base, &cx), WS_PENDING);
    ws_future_drop(rt, &pending.base);
    assert_int_equal(ws_channel_try_send(ch, 3), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- a slot given back by a failed spawn is reused, and stays free ---- */

/* Motivating mutants (task.c:201 ws_spawn, the ENOMEM path): `rt->free_slot = slot + 1` -> `slot + 0` (the slot is
 * lost), `((uintptr_t)rt->free_slot << 1) | 1u` -> `| 0u` (a free slot that looks live: an id for it would be
 * followed to a bogus task). */
static void test_failed_spawn_gives_slot_back(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_ready r;
    ws_ready_init(&r, 0);
    ws_task_handle h0, h1;
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, &h0), WS_OK); /* slot 0 */
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, &h1), WS_OK); /* slot 1 */
    tu_run(rt);
    ws_future_drop(rt, &h0.base); /* slot 0 freed, then slot 1: the free list is 1, 0 */
    ws_future_drop(rt, &h1.base);
    /* a spawn too big for the slab needs its own allocation: make it fail */
    static char big[1024];
    ws_future *bigf = (ws_future *)big;
    ws_ready_init((ws_ready *)bigf, 0);
    tu_mem.fail_at = tu_mem.calls + 1;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, bigf, sizeof big, NULL, &h), WS_ENOMEM);
    tu_mem.fail_at = 0;
    /* slot 1 is free again, with its next generation: an id for it names no task */
    ws_id would_be = ((ws_id)2 << 32) | 1;
    assert_int_equal(ws_task_state_of(rt, would_be), WS_TASK_GONE);
    assert_int_equal(ws_task_wake(rt, would_be, WS_CAUSE_TASK, 0), WS_ESTALE);
    /* the next two spawns take slots 1 and 0, and no new slot */
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, &h0), WS_OK);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, &h1), WS_OK);
    assert_int_equal((uint32_t)h0.task, 1);
    assert_int_equal((uint32_t)h1.task, 0);
    ws_future_drop(rt, &h0.base);
    ws_future_drop(rt, &h1.base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- a recv out of budget ---- */

/* A recv that finds a message when the poll's budget is used up waits for the next poll rather than finishing
 * without it. Motivating mutant: channel.c:231 recv_poll, `return WS_PENDING` after `!ws_budget_take(cx)` ->
 * `return WS_READY` (finishes with no message, and the message stays in the channel). */
static void test_recv_out_of_budget(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(1, 0, 0);
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 42), WS_OK);
    ws_context cx = tu_cx(rt);
    cx.budget = 0; /* as after an operation that used the last unit */
    ws_recv r;
    ws_recv_init(&r, ch);
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_PENDING);
    assert_int_equal(ws_channel_len(ch), 1);
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_OK);
    assert_int_equal(r.base.out, 42);
    assert_int_equal(ws_channel_len(ch), 0);
    ws_future_drop(rt, &r.base);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    tu_rt_free(rt);
}

/* ---- host operations: init, and an outcome nobody polled ---- */

/* ws_op_init forgets whatever id the struct held (a never-polled op owns no slot), and dropping an op that was
 * completed but never polled frees its outcome and its slot at once.
 * Motivating mutants (op.c): ws_op_init `f->id = WS_ID_NONE` deleted (dropping the new op cancels the operation
 * the old id names); op_drop's `op_release(rt, (uint32_t)op->id)` for a completed op deleted (the outcome and
 * the slot stay taken until the runtime is freed). */
static void test_op_init_and_unpolled_outcome(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    ws_op a;
    ws_op_init(&a, &keep_type, NULL);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING);
    ws_id first = g_op_id;
    assert_true(ws_op_is_live(rt, first));
    ws_op b = a; /* a struct that held a live id... */
    ws_op_init(&b, &keep_type, NULL); /* ...built again: it owns nothing */
    ws_future_drop(rt, &b.base);
    assert_true(ws_op_is_live(rt, first));

    size_t before = tu_stats(rt).bytes_live;
    assert_int_equal(ws_op_complete(rt, first, WS_OK, ws_bytes_new(rt, "unread", 6)), WS_OK);
    ws_future_drop(rt, &a.base); /* completed, never polled: the outcome goes now */
    assert_int_equal(tu_stats(rt).bytes_live, before);
    ws_op c;
    ws_op_init(&c, &keep_type, NULL);
    assert_int_equal(ws_future_poll(&c.base, &cx), WS_PENDING);
    assert_int_equal((uint32_t)g_op_id, (uint32_t)first); /* the same slot, free again */
    assert_int_not_equal(g_op_id, first);                 /* with a new generation */
    ws_future_drop(rt, &c.base);
    tu_rt_free(rt);
}

/* ---- notified out of budget; a dropped oneshot recv's waker ---- */

/* Motivating mutants: notify.c:108 notified_poll, `return WS_PENDING` after `!ws_budget_take(cx)` -> `return
 * WS_READY` (finishes without taking the permit, which another waiter then takes too); oneshot.c
 * ws_oneshot_receiver_drop `ws_waker_drop(&os->waker)` deleted (a recv dropped while pending still has its task
 * woken when the sender goes). */
static void test_notified_budget_and_oneshot_waker(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_notify *n;
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);
    ws_notify_one(n); /* a stored permit */
    ws_context cx = tu_cx(rt);
    ws_notified a, b;
    ws_notified_init(&a, n);
    ws_notified_init(&b, n);
    cx.budget = 0;
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING); /* out of budget: the permit stays */
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&b.base, &cx), WS_READY); /* ...for b to take */
    assert_int_equal(b.base.err, WS_OK);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_PENDING); /* and no second one */
    ws_future_drop(rt, &a.base);
    ws_future_drop(rt, &b.base);
    ws_notify_close(n);

    /* a oneshot recv polled for an idle task, then dropped: the sender going away does not wake the task */
    tu_probe idle;
    tu_probe_init(&idle, NULL, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &idle.base, sizeof idle, "idle", &h), WS_OK);
    tu_run(rt);
    ws_oneshot *os;
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    ws_oneshot_recv r;
    ws_oneshot_recv_init(&r, os);
    ws_context tcx = tu_cx(rt);
    tcx.task = h.task;
    assert_int_equal(ws_future_poll(&r.base, &tcx), WS_PENDING);
    ws_future_drop(rt, &r.base);
    ws_oneshot_sender_drop(os);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- join handles: out of budget, and a dropped handle wakes nobody ---- */

/* A join handle whose task has finished, polled with the budget used up, waits for the next poll rather than
 * finishing without the output; a handle that was dropped leaves no waiter behind, so the task finishing later
 * wakes nobody. Motivating mutants (task.c): handle_poll:252 `return WS_PENDING` after `!ws_budget_take(cx)` ->
 * `return WS_READY` (out 0 instead of the task's output); handle_drop:271 `t->waiter = 0` -> `1` (the task in slot
 * 0 is woken when the detached task finishes). */
static void test_handle_budget_and_drop(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe idle; /* slot 0: waits forever */
    int idle_polls = 0;
    tu_probe_init(&idle, &idle_polls, NULL, -1, 0);
    ws_task_handle hi;
    assert_int_equal(ws_spawn(rt, &idle.base, sizeof idle, "idle", &hi), WS_OK);
    ws_ready r;
    ws_ready_init(&r, 55);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "done", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    ws_context cx = tu_cx(rt);
    cx.budget = 0;
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_PENDING);
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 55);
    ws_future_drop(rt, &h.base);

    /* a task that finishes after its handle was dropped */
    tu_probe later;
    tu_probe_init(&later, NULL, NULL, 1, 0); /* pending once, without a waker of its own */
    assert_int_equal(ws_spawn(rt, &later.base, sizeof later, "later", &h), WS_OK);
    tu_run(rt);
    ws_id id = h.task;
    ws_future_drop(rt, &h.base);
    assert_int_equal(ws_task_wake(rt, id, WS_CAUSE_TASK, 0), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, id), WS_TASK_GONE); /* finished and freed */
    assert_int_equal(idle_polls, 1); /* nobody woke the task in slot 0 */
    assert_int_equal(ws_task_abort(rt, hi.task), WS_OK);
    ws_future_drop(rt, &hi.base);
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- many host operations at once ---- */

static ws_id g_many_ids[64];
static int g_many;
static int op_start_many(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)rt;
    (void)f;
    g_many_ids[g_many++] = id;
    return WS_OK;
}
static const ws_op_type many_type = { "many", WS_CAUSE_HOST, op_start_many, NULL, NULL };

/* Forty operations in flight at once: the table grows past its first 16 slots, its memory is counted, every
 * operation keeps its own slot and gets its own outcome.
 * Motivating mutants (op.c op_take): `rt->op_cap * 2` -> `* 1` (line 23: the table never grows past 16 and
 * slots are written past its end), `rt->op_cap * sizeof *ops` -> `/` (line 24: the old size is miscounted in
 * bytes_live). */
static void test_many_ops(void **state)
{
    (void)state;
    enum { N = 40 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    static ws_op ops[N];
    g_many = 0;
    size_t at16 = 0;
    for (int i = 0; i < N; i++) {
        ws_op_init(&ops[i], &many_type, NULL);
        assert_int_equal(ws_future_poll(&ops[i].base, &cx), WS_PENDING);
        if (i == 15)
            at16 = tu_stats(rt).bytes_live;
        assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live);
    }
    assert_true(tu_stats(rt).bytes_live > at16); /* the table grew */
    assert_int_equal(tu_stats(rt).ops_in_flight, N);
    for (int i = 0; i < N; i++) {
        assert_true(ws_op_is_live(rt, g_many_ids[i]));
        for (int j = 0; j < i; j++)
            assert_int_not_equal((uint32_t)g_many_ids[i], (uint32_t)g_many_ids[j]);
    }
    for (int i = N - 1; i >= 0; i--) {
        char text[8];
        snprintf(text, sizeof text, "r%d", i);
        assert_int_equal(ws_op_complete(rt, g_many_ids[i], WS_OK, ws_bytes_new(rt, text, (uint32_t)strlen(text))),
                         WS_OK);
    }
    for (int i = 0; i < N; i++) {
        char text[8];
        snprintf(text, sizeof text, "r%d", i);
        assert_int_equal(ws_future_poll(&ops[i].base, &cx), WS_READY);
        assert_string_equal((const char *)ws_bytes_of(ops[i].base.out)->data, text);
        ws_bytes_free(rt, ws_bytes_of(ops[i].base.out));
        ws_future_drop(rt, &ops[i].base);
    }
    assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live);
    tu_rt_free(rt);
}

/* ---- the largest trace ring ---- */

/* A trace ring of up to 2^26 events may be asked for; more is refused. (The ring's allocation is made to fail, so
 * the test sees that it was tried without making it.) Motivating mutant: runtime.c:50 ws_runtime_new
 * `opt->trace_capacity > (1u << 26)` -> `>=`. */
static void test_trace_capacity_limit(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    ws_runtime *rt = (ws_runtime *)&rt;
    o.trace_capacity = (1u << 26) + 1;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_EINVAL);
    assert_null(rt);
    o.trace_capacity = 1u << 26;
    tu_mem.fail_at = tu_mem.calls + 2; /* the runtime is allocated, the ring is not */
    assert_int_equal(ws_runtime_new(&o, &rt), WS_ENOMEM);
    assert_null(rt);
    tu_mem.fail_at = 0;
    assert_int_equal(tu_mem.live, 0);
}

/* ---- from run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* Arguments nothing passed: a NULL runtime to ws_runtime_configure, no place for the watch, a future type without
 * a poll function or no type at all. Motivating mutants: runtime.c:111 ws_runtime_configure `return WS_EINVAL` ->
 * `return 0` (configuring no runtime reports success); watch.c:24 ws_watch_new `return WS_EINVAL` for !out ->
 * `return 0`; task.c:198 ws_spawn `!future->type || !future->type->poll` -> `&&` (a type without poll is
 * accepted and its task crashes at its first poll; no type at all is dereferenced). */
static const ws_future_type no_poll_type = { "no_poll", NULL, NULL, NULL };

static void test_run3_null_arguments(void **state)
{
    (void)state;
    assert_int_equal(ws_runtime_configure(NULL, 1, 0), WS_EINVAL);
    ws_runtime *rt = tu_rt();
    assert_int_equal(ws_watch_new(rt, 7, NULL), WS_EINVAL);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    ws_future f;
    ws_future_init(&f, &no_poll_type);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f, sizeof f, "no_poll", &h), WS_EINVAL);
    ws_future_init(&f, NULL);
    assert_int_equal(ws_spawn(rt, &f, sizeof f, "no_type", &h), WS_EINVAL);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    tu_rt_free_released(rt);
}

/* Object ids count up from 1 in creation order across every kind of object, so a trace names them the same in
 * every run. Notifies and oneshots have no id getter: the next object's id shows whether they took theirs.
 * Motivating mutants: notify.c:27 ws_notify_new `++rt->object_seq` -> `--`; token.c:26 token_alloc `t->id =
 * ++rt->object_seq` deleted, and `++` -> `--`; watch.c:36 ws_watch_new `++` -> `--`. */
static void test_run3_object_ids(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    ws_notify *n;
    ws_oneshot *os;
    ws_token *t;
    ws_watch *w;
    ws_broadcast *b;
    ws_semaphore *sem;
    ws_channel *last;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_notify_new(rt, &n), WS_OK);
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    assert_int_equal(ws_token_new(rt, &t), WS_OK);
    assert_int_equal(ws_watch_new(rt, 0, &w), WS_OK);
    assert_int_equal(ws_broadcast_new(rt, 4, &b), WS_OK);
    assert_int_equal(ws_semaphore_new(rt, 1, &sem), WS_OK);
    assert_int_equal(ws_channel_new(rt, 1, &last), WS_OK);
    assert_int_equal(ws_channel_id(ch), 1);
    assert_int_equal(ws_token_id(t), 4);
    assert_int_equal(ws_watch_id(w), 5);
    assert_int_equal(ws_broadcast_id(b), 6);
    assert_int_equal(ws_semaphore_id(sem), 7);
    assert_int_equal(ws_channel_id(last), 8);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    ws_channel_sender_drop(last);
    ws_channel_receiver_drop(last);
    ws_notify_close(n);
    ws_oneshot_sender_drop(os);
    ws_oneshot_receiver_drop(os);
    ws_token_drop(t);
    ws_watch_sender_drop(w);
    ws_broadcast_sender_drop(b);
    ws_semaphore_drop(sem);
    tu_rt_free_released(rt);
}

static void idle_task_end(ws_runtime *rt, ws_task_handle *h)
{
    assert_int_equal(ws_task_abort(rt, h->task), WS_OK);
    ws_future_drop(rt, &h->base);
    tu_run(rt);
}

/* A oneshot recv waiting in a task: the sender going away without sending wakes the task, which then sees Closed;
 * a value there when the poll's budget is used up waits for the next poll. Motivating mutants: oneshot.c:60
 * ws_oneshot_sender_drop's `ws_waker_wake(&os->waker, ...)` deleted (the receiver's task sleeps forever);
 * oneshot.c:92 oneshot_recv_poll `return WS_PENDING` after `!ws_budget_take(cx)` -> `return WS_READY` (ready
 * without the value, which is lost). */
static void test_run3_oneshot_close_and_budget(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe p;
    ws_task_handle h = tu_idle_task(rt, &p);
    ws_context tcx = tu_cx(rt);
    tcx.task = h.task;
    ws_oneshot *os;
    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    ws_oneshot_recv r;
    ws_oneshot_recv_init(&r, os);
    assert_int_equal(ws_future_poll(&r.base, &tcx), WS_PENDING);
    ws_oneshot_sender_drop(os);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_future_poll(&r.base, &tcx), WS_READY);
    assert_int_equal(r.base.err, WS_ECLOSED);
    ws_future_drop(rt, &r.base); /* the recv owned the receiver side: the oneshot goes */

    assert_int_equal(ws_oneshot_new(rt, &os), WS_OK);
    assert_int_equal(ws_oneshot_send(os, 31), WS_OK);
    ws_oneshot_recv_init(&r, os);
    ws_context cx = tu_cx(rt);
    cx.budget = 0;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_PENDING);
    cx.budget = 1;
    assert_int_equal(ws_future_poll(&r.base, &cx), WS_READY);
    assert_int_equal(r.base.err, WS_OK);
    assert_int_equal(r.base.out, 31);
    ws_future_drop(rt, &r.base); /* the send used up the sender side: the oneshot goes */
    idle_task_end(rt, &h);
    tu_rt_free_released(rt);
}

/* Freeing a runtime frees the output of a finished task whose handle the program still holds, whatever its slot
 * (here slot 0): the output's free_output hook runs once. Motivating mutant: task.c:182 ws__tasks_free's last loop
 * `i = 0` -> `i = 1` (the finished task in slot 0 is never released: its output leaks; the slab's chunks go back
 * all the same). */
static int g_outputs_freed;
static ws_poll boxed_poll(ws_future *f, ws_context *cx)
{
    int64_t *box = ws_alloc(cx->rt, sizeof *box);
    assert_non_null(box);
    *box = 5;
    f->out = (int64_t)(intptr_t)box;
    return WS_READY;
}
static void boxed_free_output(ws_runtime *rt, ws_future *f)
{
    g_outputs_freed++;
    ws_free(rt, (void *)(intptr_t)f->out, sizeof(int64_t));
}
static const ws_future_type boxed_type = { "boxed", boxed_poll, NULL, boxed_free_output };

static void test_run3_free_with_finished_task_in_slot_0(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_future f;
    ws_future_init(&f, &boxed_type);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f, sizeof f, "first", &h), WS_OK);
    assert_int_equal((uint32_t)h.task, 0); /* slot 0 */
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    assert_int_equal(tu_stats(rt).user_blocks, 1);
    g_outputs_freed = 0;
    tu_rt_free(rt); /* every byte back, the output included */
    assert_int_equal(g_outputs_freed, 1);
}

/* Freeing a runtime wakes no task: a task awaiting another's handle is being dropped too. The host's task_done
 * hook, which runs for every task dropped at teardown, sees the runtime's wake count unchanged.
 * Motivating mutant: task.c:178 ws__tasks_free `t->waiter = 0` deleted (the task in slot 0, dropped, wakes the
 * task in slot 1 that awaits its handle). */
WS_ASYNC(handle_awaiter, { ws_task_handle h; })
{
    WS_BEGIN();
    WS_AWAIT(&self->h.base);
    WS_RETURN(0);
    WS_END();
}

static ws_runtime *g_done_rt;
static uint64_t g_done_wakes[4];
static int g_done;
static void count_done(void *ud, ws_id task)
{
    (void)ud;
    (void)task;
    assert_true(g_done < 4);
    g_done_wakes[g_done++] = tu_stats(g_done_rt).wakes + tu_stats(g_done_rt).stale_wakes;
}

static void test_run3_teardown_wakes_nobody(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.task_done = count_done;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    g_done_rt = rt;
    g_done = 0;
    tu_probe forever; /* slot 0 */
    tu_probe_init(&forever, NULL, NULL, -1, 0);
    handle_awaiter a; /* slot 1: awaits slot 0's handle */
    WS_ASYNC_INIT(handle_awaiter, &a);
    assert_int_equal(ws_spawn(rt, &forever.base, sizeof forever, "forever", &a.h), WS_OK);
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "awaiter", NULL), WS_OK);
    tu_run(rt);
    uint64_t wakes = tu_stats(rt).wakes + tu_stats(rt).stale_wakes;
    assert_int_equal(g_done, 0);
    tu_rt_free(rt);
    assert_int_equal(g_done, 2);
    assert_int_equal(g_done_wakes[0], wakes);
    assert_int_equal(g_done_wakes[1], wakes);
}

/* ---- from mutation run 4 (seed 20261202) ---- */

/* ws_free with no runtime does nothing (it is not handed to a NULL runtime's allocator); the broadcast refuses
 * a capacity over 2^24 before allocating anything and accepts 2^24 (the allocation is made to fail here, so the
 * test sees it was tried without making it); subscribing needs both a channel and a receiver.
 * Motivating mutants: alloc.c:73 ws_free `if (rt && ptr)` -> `||` (a NULL runtime is dereferenced);
 * broadcast.c:25 ws_broadcast_new `capacity > (1u << 24)` -> `(1u << 25)`; broadcast.c:96
 * ws_broadcast_subscribe `!b || !rx` -> `&&` (either one NULL is dereferenced). */
static void test_run4_null_and_limits(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    void *p = ws_alloc(rt, 16);
    assert_non_null(p);
    ws_free(NULL, p, 16); /* ignored: the block is still the program's */
    assert_int_equal(tu_stats(rt).user_blocks, 1);
    ws_free(rt, p, 16);
    assert_int_equal(tu_stats(rt).user_blocks, 0);

    ws_broadcast *b = (ws_broadcast *)&b;
    uint64_t calls = tu_mem.calls;
    assert_int_equal(ws_broadcast_new(rt, (1u << 24) + 1, &b), WS_EINVAL);
    assert_null(b);
    assert_int_equal(tu_mem.calls, calls); /* refused before any allocation */
    tu_mem.fail_from = tu_mem.calls + 1;
    assert_int_equal(ws_broadcast_new(rt, 1u << 24, &b), WS_ENOMEM); /* allowed: only the memory is missing */
    tu_mem.fail_from = 0;
    assert_null(b);

    assert_int_equal(ws_broadcast_new(rt, 2, &b), WS_OK);
    ws_broadcast_rx rx;
    assert_int_equal(ws_broadcast_subscribe(b, NULL), WS_EINVAL);
    assert_int_equal(ws_broadcast_subscribe(NULL, &rx), WS_EINVAL);
    assert_int_equal(ws_broadcast_receivers(b), 0);
    ws_broadcast_sender_drop(b);
    tu_rt_free_released(rt);
}


/* An allocator missing any one of its three hooks is refused; the message of an application's own error code
 * (WS_EUSER and below) says so, from WS_EUSER itself on. Motivating mutants (runtime.c): ws_runtime_new
 * `!a->realloc || !a->free` -> `&&` (an allocator without free is accepted); ws_strerror `err <= WS_EUSER` -> `<`
 * (WS_EUSER itself is an "unknown error"). */
static void test_run4_allocator_hooks_and_user_errors(void **state)
{
    (void)state;
    const ws_allocator missing[3] = {
        { NULL, tu_realloc_fn, tu_free_fn, NULL },
        { tu_alloc_fn, NULL, tu_free_fn, NULL },
        { tu_alloc_fn, tu_realloc_fn, NULL, NULL },
    };
    for (int i = 0; i < 3; i++) {
        ws_runtime_options o;
        ws_runtime_options_init(&o);
        o.allocator = &missing[i];
        ws_runtime *rt = (ws_runtime *)&rt;
        assert_int_equal(ws_runtime_new(&o, &rt), WS_EINVAL);
        assert_null(rt);
    }
    assert_int_equal(tu_mem.live, 0);
    assert_string_equal(ws_strerror(WS_EUSER), "application error");
    assert_string_equal(ws_strerror(WS_EUSER - 7), "application error");
    /* WS_EUSER + 1 is the library's last code: its own message */
    assert_string_not_equal(ws_strerror(WS_EUSER + 1), "application error");
    assert_string_not_equal(ws_strerror(WS_EUSER + 1), "unknown error");
    assert_string_equal(ws_strerror(1), "unknown error");
}

/* While a runtime is being freed it is busy: a host hook that runs during the teardown (task_done, for each task
 * dropped) cannot run it or free it again. Motivating mutant: runtime.c:84 ws_runtime_free `rt->running = 1`
 * deleted (the hook's ws_runtime_run polls tasks being torn down, its ws_runtime_free frees the runtime twice). */
static ws_runtime *g_td_rt;
static int g_td_calls, g_td_run_rc, g_td_free_rc;
static void reenter_done(void *ud, ws_id task)
{
    (void)ud;
    (void)task;
    g_td_calls++;
    g_td_run_rc = ws_runtime_run(g_td_rt);
    g_td_free_rc = ws_runtime_free(g_td_rt);
}

static void test_run4_teardown_is_busy(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.task_done = reenter_done;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    g_td_rt = rt;
    g_td_calls = 0;
    tu_probe p;
    tu_probe_init(&p, NULL, NULL, -1, 0);
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "forever", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_td_calls, 0);
    tu_rt_free(rt);
    assert_int_equal(g_td_calls, 1);
    assert_int_equal(g_td_run_rc, WS_EBUSY);
    assert_int_equal(g_td_free_rc, WS_EBUSY);
}


/* ---- from mutation run 5 (seed 20261203) ---- */

/* Broadcast send and sender_clone without a channel, and a clone after the last sender went (the channel is closed
 * for good); a send future built on dirty memory (bytes that read as "linked") still queues on a full channel and
 * is woken when room is made. Motivating mutants: broadcast.c:65 ws_broadcast_send `return WS_EINVAL` -> `return 0`;
 * broadcast.c:76 ws_broadcast_sender_clone `!b || b->senders == 0` -> `&&` (a NULL channel is dereferenced, a
 * closed one reopened); channel.c:157 ws_send_init `f->waiter.state = WS_WAITER_IDLE` deleted (a waiter that reads
 * as linked is never queued: the room made for it wakes nobody). */
static void test_run5_broadcast_and_dirty_send(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_int_equal(ws_broadcast_send(NULL, 1), WS_EINVAL);
    assert_int_equal(ws_broadcast_sender_clone(NULL), WS_EINVAL);
    ws_broadcast *b;
    assert_int_equal(ws_broadcast_new(rt, 2, &b), WS_OK);
    ws_broadcast_rx rx;
    assert_int_equal(ws_broadcast_subscribe(b, &rx), WS_OK); /* keeps the channel alive */
    ws_broadcast_sender_drop(b);
    assert_int_equal(ws_broadcast_sender_clone(b), WS_EINVAL); /* closed for good */
    int64_t m;
    assert_int_equal(ws_broadcast_try_recv(&rx, &m), WS_ECLOSED);
    ws_broadcast_rx_drop(&rx);

    tu_probe idle;
    tu_probe_init(&idle, NULL, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &idle.base, sizeof idle, "idle", &h), WS_OK);
    tu_run(rt);
    ws_context tcx = tu_cx(rt);
    tcx.task = h.task;
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK); /* full */
    ws_send s;
    memset(&s, WS_WAITER_LINKED, sizeof s);
    ws_send_init(&s, ch, 2);
    assert_int_equal(ws_future_poll(&s.base, &tcx), WS_PENDING);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 1);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED); /* the room wakes the waiting sender */
    assert_int_equal(ws_future_poll(&s.base, &tcx), WS_READY);
    assert_int_equal(s.base.err, WS_OK);
    ws_future_drop(rt, &s.base);
    assert_int_equal(ws_channel_try_recv(ch, &m), WS_OK);
    assert_int_equal(m, 2);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free_released(rt);
}

/* A traced runtime with more than 8 slot pages (8192 tasks) grows its page arrays, the trace's side array with
 * them, and gives every byte back. Motivating mutant: task.c:43 slot_page_add `ws__free(rt, rt->slot_trace_pages,
 * ...)` deleted (the old side array leaks at each growth). */
static void test_run5_traced_page_growth(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 16, 1);
    for (int i = 0; i < 8 * 1024 + 1; i++) {
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, NULL), WS_OK);
    }
    assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live);
    tu_run(rt);
    tu_rt_free(rt);
}


/* ws_block_on that stalls (nothing can wake its task) detaches the task: woken later, it runs to the end and is
 * freed, its output with it. Motivating mutant: executor.c:285 ws_block_on `ws_future_drop(rt, &h.base)` before
 * `return WS_ESTALL` deleted (the handle is never dropped: the finished task is kept until the runtime goes). */
static void test_run5_stalled_block_on_detaches(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe p;
    int polls = 0;
    tu_probe_init(&p, &polls, NULL, 1, 7); /* pending once, and nobody wakes it */
    int64_t out = -1;
    int err = -1;
    assert_int_equal(ws_block_on(rt, &p.base, sizeof p, "stuck", &out, &err), WS_ESTALL);
    assert_int_equal(polls, 1);
    assert_int_equal(tu_stats(rt).tasks_live, 1);
    ws_waker w = tu_last_waker;
    ws_waker_wake(&w, WS_CAUSE_HOST, 0);
    tu_run(rt);
    assert_int_equal(polls, 2);
    assert_int_equal(tu_stats(rt).tasks_live, 0); /* finished and freed: nobody holds its handle */
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_channel_arguments),
        TU_TEST(test_send_recv_on_no_channel),
        TU_TEST(test_oneshot_arguments),
        TU_TEST(test_notify_arguments),
        TU_TEST(test_wake_cause_range),
        TU_TEST(test_op_complete_codes),
        TU_TEST(test_bytes_length_limit),
        TU_TEST(test_select_all),
        TU_TEST(test_try_join2),
        TU_TEST(test_sleep_repolled_by_another_task),
        TU_TEST(test_op_repolled_by_another_task),
        TU_TEST(test_objects_out_of_memory),
        TU_TEST(test_null_arguments_elsewhere),
        TU_TEST(test_awaited_child_dropped_once),
        TU_TEST(test_recv_drop_waker),
        TU_TEST(test_failed_spawn_gives_slot_back),
        TU_TEST(test_recv_out_of_budget),
        TU_TEST(test_op_init_and_unpolled_outcome),
        TU_TEST(test_notified_budget_and_oneshot_waker),
        TU_TEST(test_handle_budget_and_drop),
        TU_TEST(test_many_ops),
        TU_TEST(test_trace_capacity_limit),
        TU_TEST(test_run3_null_arguments),
        TU_TEST(test_run3_object_ids),
        TU_TEST(test_run3_oneshot_close_and_budget),
        TU_TEST(test_run3_free_with_finished_task_in_slot_0),
        TU_TEST(test_run3_teardown_wakes_nobody),
        TU_TEST(test_run4_null_and_limits),
        TU_TEST(test_run4_allocator_hooks_and_user_errors),
        TU_TEST(test_run4_teardown_is_busy),
        TU_TEST(test_run5_broadcast_and_dirty_send),
        TU_TEST(test_run5_traced_page_growth),
        TU_TEST(test_run5_stalled_block_on_detaches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
