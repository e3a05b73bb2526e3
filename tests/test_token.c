/* test_token.c: cancellation tokens (a tree), cancelled() and run_until_cancelled, on the virtual clock. */
#include "test_util.h"

static tu_log g_log;

/* Waits for the token, logs its number and the time (ms) it saw the cancellation. */
WS_ASYNC(waiter_fn, { ws_token *t; int k; ws_cancelled c; })
{
    WS_BEGIN();
    ws_cancelled_init(&self->c, self->t);
    WS_AWAIT(&self->c);
    tu_log_add(&g_log, self->k * 10000 + (int64_t)(ws_clock_now(cx->rt) / WS_MS(1)));
    WS_RETURN(WS_ERR(&self->c));
    WS_END();
}

static void spawn_waiter(ws_runtime *rt, ws_token *t, int k)
{
    waiter_fn f;
    WS_ASYNC_INIT(waiter_fn, &f);
    f.t = t;
    f.k = k;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "waiter", NULL), WS_OK);
}

/* Cancels `t` after `ms`. */
WS_ASYNC(canceller_fn, { ws_token *t; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    WS_RETURN(ws_token_cancel(self->t));
    WS_END();
}

static void spawn_canceller(ws_runtime *rt, ws_token *t, int ms)
{
    canceller_fn f;
    WS_ASYNC_INIT(canceller_fn, &f);
    f.t = t;
    f.ms = ms;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "canceller", NULL), WS_OK);
}

/* root -> a -> a1, root -> b. Cancelling a at 30 ms reaches a and a1 at 30, not root or b; root at 70 reaches b. */
static void test_tree(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_token *root, *a, *a1, *b;
    assert_int_equal(ws_token_new(rt, &root), WS_OK);
    assert_int_equal(ws_token_child(root, &a), WS_OK);
    assert_int_equal(ws_token_child(a, &a1), WS_OK);
    assert_int_equal(ws_token_child(root, &b), WS_OK);
    spawn_waiter(rt, root, 1);
    spawn_waiter(rt, a, 2);
    spawn_waiter(rt, a1, 3);
    spawn_waiter(rt, b, 4);
    spawn_canceller(rt, a, 30);
    spawn_canceller(rt, root, 70);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    int64_t want[] = { 20030, 30030, 10070, 40070 };
    assert_int_equal(g_log.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_true(ws_token_is_cancelled(a1));
    /* A child of a cancelled token is born cancelled; cancelled() on it is ready at once. */
    ws_token *late;
    assert_int_equal(ws_token_child(a1, &late), WS_OK);
    assert_true(ws_token_is_cancelled(late));
    spawn_waiter(rt, late, 5);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_log.v[4], 50070);
    assert_int_equal(ws_token_cancel(root), WS_OK); /* idempotent */
    ws_token_drop(late);
    ws_token_drop(a); /* the parent goes before its child: a1 becomes a root */
    ws_token_drop(a1);
    ws_token_drop(b);
    ws_token_drop(root);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* A deep chain is cancelled without recursion; freeing the parent first detaches the children. */
static void test_deep_chain_and_parent_freed_first(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    enum { N = 20000 };
    ws_token **t = malloc(N * sizeof *t);
    assert_int_equal(ws_token_new(rt, &t[0]), WS_OK);
    for (int i = 1; i < N; i++)
        assert_int_equal(ws_token_child(t[i - 1], &t[i]), WS_OK);
    assert_int_equal(ws_token_cancel(t[0]), WS_OK);
    assert_true(ws_token_is_cancelled(t[N - 1]));
    for (int i = 0; i < N; i++)
        ws_token_drop(t[i]);
    /* parent freed first: the child can no longer be cancelled through it, and is not cancelled by the free */
    ws_token *p, *c, *c2;
    assert_int_equal(ws_token_new(rt, &p), WS_OK);
    assert_int_equal(ws_token_child(p, &c), WS_OK);
    assert_int_equal(ws_token_child(p, &c2), WS_OK);
    ws_token_drop(p);
    assert_false(ws_token_is_cancelled(c));
    assert_int_equal(ws_token_cancel(c), WS_OK);
    assert_false(ws_token_is_cancelled(c2));
    ws_token_drop(c);
    ws_token_drop(c2);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    free(t);
    tu_rt_free(rt);
}

WS_ASYNC(until_fn, { ws_token *t; int ms; ws_sleep nap; ws_until_cancelled u; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    ws_run_until_cancelled_init(&self->u, self->t, &self->nap.base);
    WS_AWAIT(&self->u);
    tu_log_add(&g_log, (int64_t)(ws_clock_now(cx->rt) / WS_MS(1)));
    WS_RETURN_ERR(WS_ERR(&self->u));
    WS_END();
}

/* run_until_cancelled: the inner sleep is dropped (its timer disarmed) when the token is cancelled first; a
 * cancelled token refuses at once; an inner that finishes first wins. Also: cancel at the await point of a
 * waiter (abort the task waiting in cancelled()): it leaves the token's wait list. */
static void test_run_until_cancelled(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_token *t;
    assert_int_equal(ws_token_new(rt, &t), WS_OK);
    ws_task_handle h1, h2;
    until_fn f;
    WS_ASYNC_INIT(until_fn, &f);
    f.t = t;
    f.ms = 1000;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "until", &h1), WS_OK);
    f.ms = 10;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "until", &h2), WS_OK);
    spawn_canceller(rt, t, 40);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h1.base, &cx), WS_READY);
    assert_int_equal(h1.base.err, WS_ECANCELED);
    assert_int_equal(ws_future_poll(&h2.base, &cx), WS_READY);
    assert_int_equal(h2.base.err, WS_OK);
    assert_int_equal(g_log.v[0], 10);
    assert_int_equal(g_log.v[1], 40);
    ws_future_drop(rt, &h1.base);
    ws_future_drop(rt, &h2.base);
    /* Awaiting a cancelled token through run_until_cancelled: WS_ECANCELED at once, inner never polled. */
    int polls = 0, drops = 0;
    tu_probe p;
    tu_probe_init(&p, &polls, &drops, 0, 7);
    ws_until_cancelled u;
    ws_run_until_cancelled_init(&u, t, &p.base);
    assert_int_equal(ws_future_poll(&u.base, &cx), WS_READY);
    assert_int_equal(u.base.err, WS_ECANCELED);
    assert_int_equal(polls, 0);
    assert_int_equal(drops, 1);
    ws_future_drop(rt, &u.base);
    ws_run_until_cancelled_init(&u, NULL, &p.base);
    assert_int_equal(ws_future_poll(&u.base, &cx), WS_READY);
    assert_int_equal(u.base.err, WS_EINVAL);
    ws_future_drop(rt, &u.base);
    ws_token_drop(t);

    /* abort a task waiting in cancelled(): the waiter is unlinked, later cancel wakes nobody */
    ws_token *t2;
    assert_int_equal(ws_token_new(rt, &t2), WS_OK);
    waiter_fn w;
    WS_ASYNC_INIT(waiter_fn, &w);
    w.t = t2;
    w.k = 9;
    ws_task_handle hw;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "waiter", &hw), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_task_abort(rt, hw.task), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_token_cancel(t2), WS_OK);
    assert_int_equal(ws_future_poll(&hw.base, &cx), WS_READY);
    assert_int_equal(hw.base.err, WS_ECANCELED);
    ws_future_drop(rt, &hw.base);
    ws_token_drop(t2);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

static void test_codes_and_trace(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 64, 1);
    ws_token *t, *c;
    assert_int_equal(ws_token_new(NULL, &t), WS_EINVAL);
    assert_int_equal(ws_token_new(rt, NULL), WS_EINVAL);
    assert_int_equal(ws_token_child(NULL, &c), WS_EINVAL);
    assert_int_equal(ws_token_cancel(NULL), WS_EINVAL);
    assert_true(ws_token_is_cancelled(NULL));
    ws_cancelled bad;
    ws_cancelled_init(&bad, NULL);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&bad.base, &cx), WS_READY);
    assert_int_equal(bad.base.err, WS_EINVAL);
    ws_future_drop(rt, &bad.base);
    assert_int_equal(ws_token_new(rt, &t), WS_OK);
    assert_int_equal(ws_token_child(t, &c), WS_OK);
    ws_cancelled w;
    ws_cancelled_init(&w, c);
    assert_int_equal(ws_future_poll(&w.base, &cx), WS_PENDING);
    assert_int_equal(ws_token_cancel(t), WS_OK);
    ws_trace_event e[64];
    uint32_t n = ws_trace_read(rt, 0, e, 64), seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind != WS_EV_TOKEN)
            continue;
        if (seen == 0) {
            assert_int_equal(e[i].a, ws_token_id(t));
            assert_int_equal(e[i].detail, 0);
            assert_int_equal(e[i].b, 0);
        } else {
            assert_int_equal(e[i].a, ws_token_id(c));
            assert_int_equal(e[i].detail, 1); /* through its parent */
            assert_int_equal(e[i].b, 1);      /* one waiter woken */
        }
        seen++;
    }
    assert_int_equal(seen, 2);
    assert_int_equal(ws_future_poll(&w.base, &cx), WS_READY);
    ws_future_drop(rt, &w.base);
    ws_token_drop(c);
    ws_token_drop(t);
    tu_mem.fail_at = tu_mem.calls + 1;
    assert_int_equal(ws_token_new(rt, &t), WS_ENOMEM);
    tu_mem.fail_at = 0;
    tu_rt_free(rt);
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* A child dropped from the middle of its parent's list is unlinked: cancelling the parent later cancels the other
 * children and nothing else, even after a new token took the dropped one's memory. Motivating mutant: token.c:112
 * token_unref `t->prev_sibling->next_sibling = t->next_sibling` deleted (the previous sibling still links to the
 * freed token: the cancel walks freed memory, here the new root token, and cancels it). */
static void test_middle_child_dropped(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_token *parent, *c1, *c2, *c3, *root;
    assert_int_equal(ws_token_new(rt, &parent), WS_OK);
    assert_int_equal(ws_token_child(parent, &c1), WS_OK);
    assert_int_equal(ws_token_child(parent, &c2), WS_OK);
    assert_int_equal(ws_token_child(parent, &c3), WS_OK); /* the list: c3, c2, c1 */
    ws_token_drop(c2);
    assert_int_equal(ws_token_new(rt, &root), WS_OK); /* a root, likely in c2's old block */
    assert_int_equal(ws_token_cancel(parent), WS_OK);
    assert_true(ws_token_is_cancelled(c1));
    assert_true(ws_token_is_cancelled(c3));
    assert_false(ws_token_is_cancelled(root));
    ws_token_drop(c1);
    ws_token_drop(c3);
    ws_token_drop(root);
    ws_token_drop(parent);
    tu_rt_free_released(rt);
}


/* ---- from mutation run 4 (seed 20261202) ---- */

/* The children of a dropped token become roots and forget it: dropping such a child later does not touch the freed
 * parent, whose memory a new token may have taken (here X, with a child Y of its own: X keeps Y).
 * Motivating mutant: token.c:119 token_unref `c->parent = NULL` deleted (the orphan still points at its freed
 * parent, and its drop writes the parent's first_child: X loses Y, and cancelling X misses it). */
static void test_orphan_forgets_parent(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_token *p, *c, *x, *y;
    assert_int_equal(ws_token_new(rt, &p), WS_OK);
    assert_int_equal(ws_token_child(p, &c), WS_OK);
    ws_token_drop(p); /* c is a root now */
    assert_int_equal(ws_token_new(rt, &x), WS_OK); /* likely in p's old block */
    assert_int_equal(ws_token_child(x, &y), WS_OK);
    ws_token_drop(c);
    assert_int_equal(ws_token_cancel(x), WS_OK);
    assert_true(ws_token_is_cancelled(y));
    ws_token_drop(y);
    ws_token_drop(x);
    tu_rt_free_released(rt);
}

/* ws_cancelled_init starts from a clean waiter whatever the memory held (here bytes that read as "linked"): the wait
 * is registered and the cancel wakes the task; and run_until_cancelled ends with WS_ECANCELED and out 0.
 * Motivating mutants (token.c): ws_cancelled_init `memset(&f->waiter, 0, ...)` deleted (a waiter that reads as
 * linked is never put in the token's list: the cancel wakes nobody); until_poll `f->out = 0` -> `1`. */
static void test_cancelled_on_dirty_memory(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_probe idle;
    tu_probe_init(&idle, NULL, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &idle.base, sizeof idle, "idle", &h), WS_OK);
    tu_run(rt);
    ws_context tcx = tu_cx(rt);
    tcx.task = h.task;
    ws_token *t;
    assert_int_equal(ws_token_new(rt, &t), WS_OK);
    ws_cancelled c;
    memset(&c, WS_WAITER_LINKED, sizeof c);
    ws_cancelled_init(&c, t);
    assert_int_equal(ws_future_poll(&c.base, &tcx), WS_PENDING);
    assert_int_equal(ws_token_cancel(t), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_future_poll(&c.base, &tcx), WS_READY);
    assert_int_equal(c.base.err, WS_OK);
    ws_future_drop(rt, &c.base);

    tu_probe inner;
    tu_probe_init(&inner, NULL, NULL, -1, 0);
    ws_until_cancelled u;
    ws_run_until_cancelled_init(&u, t, &inner.base);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&u.base, &cx), WS_READY);
    assert_int_equal(u.base.err, WS_ECANCELED);
    assert_int_equal(u.base.out, 0);
    ws_future_drop(rt, &u.base);
    ws_token_drop(t);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    tu_run(rt);
    tu_rt_free_released(rt);
}


/* ---- from mutation run 5 (seed 20261203) ---- */

/* ws_token_is_cancelled answers 1 or 0; and a child dropped from the middle of its siblings leaves the next one
 * pointing at the right previous sibling: dropping that one later does not write into the freed token's memory
 * (here taken by X, a new first child of Q before Z: Q keeps Z). Motivating mutants (token.c): cancel_one
 * `t->cancelled = 1` -> `2`; token_unref `t->next_sibling->prev_sibling = t->prev_sibling` deleted. */
static void test_cancelled_flag_and_next_sibling_link(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_token *p, *c1, *c2, *c3, *q, *z, *x;
    assert_int_equal(ws_token_new(rt, &p), WS_OK);
    assert_int_equal(ws_token_is_cancelled(p), 0);
    assert_int_equal(ws_token_new(rt, &q), WS_OK);
    assert_int_equal(ws_token_child(q, &z), WS_OK);
    assert_int_equal(ws_token_child(p, &c1), WS_OK);
    assert_int_equal(ws_token_child(p, &c2), WS_OK);
    assert_int_equal(ws_token_child(p, &c3), WS_OK); /* p's list: c3, c2, c1 */
    ws_token_drop(c2);
    assert_int_equal(ws_token_child(q, &x), WS_OK); /* q's list: x, z; x likely in c2's old block */
    ws_token_drop(c1);
    assert_int_equal(ws_token_cancel(q), WS_OK);
    assert_int_equal(ws_token_is_cancelled(q), 1);
    assert_int_equal(ws_token_is_cancelled(x), 1);
    assert_int_equal(ws_token_is_cancelled(z), 1);
    assert_int_equal(ws_token_is_cancelled(c3), 0);
    ws_token_drop(x);
    ws_token_drop(z);
    ws_token_drop(q);
    ws_token_drop(c3);
    ws_token_drop(p);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_tree),
        TU_TEST(test_deep_chain_and_parent_freed_first),
        TU_TEST(test_run_until_cancelled),
        TU_TEST(test_codes_and_trace),
        TU_TEST(test_middle_child_dropped),
        TU_TEST(test_orphan_forgets_parent),
        TU_TEST(test_cancelled_on_dirty_memory),
        TU_TEST(test_cancelled_flag_and_next_sibling_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
