/* test_future.c: the poll protocol: laziness, wakers, single queueing, and the async macros against their
 * hand-written lowering. */
#include "test_util.h"

/* ---- laziness ---- */

WS_ASYNC(lazy_fn, { int ran; int *ext; ws_sleep nap; })
{
    WS_BEGIN();
    self->ran++;
    if (self->ext)
        (*self->ext)++;
    ws_sleep_init(&self->nap, 5);
    WS_AWAIT(&self->nap);
    self->ran++;
    WS_RETURN(self->ran);
    WS_END();
}

static void test_init_runs_nothing(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int ext = 0;
    lazy_fn f;
    WS_ASYNC_INIT(lazy_fn, &f);
    f.ran = 0;
    f.ext = &ext;
    assert_int_equal(f.ran, 0);
    assert_int_equal(f.ws_base.flags, 0);
    assert_int_equal(f.ws_base.resume, 0);
    assert_false(ws_future_was_polled(&f.ws_base));
    /* the runtime running does not touch a future nobody polls */
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(f.ran, 0);
    assert_int_equal(ext, 0);
    /* the first poll runs the body up to the first await */
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&f.ws_base, &cx), WS_PENDING);
    assert_int_equal(f.ran, 1);
    assert_int_equal(ext, 1);
    assert_true(ws_future_was_polled(&f.ws_base));
    assert_int_equal(tu_stats(rt).timers_armed, 1);
    ws_future_drop(rt, &f.ws_base); /* cancels the sleep */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(f.ran, 1);
    tu_rt_free(rt);
}

static void test_dropped_unpolled_never_runs(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int ext = 0;
    lazy_fn f;
    WS_ASYNC_INIT(lazy_fn, &f);
    f.ran = 0;
    f.ext = &ext;
    ws_future_drop(rt, &f.ws_base);
    ws_future_drop(rt, &f.ws_base); /* twice is allowed */
    assert_int_equal(ext, 0);
    assert_int_equal(f.ran, 0);
    assert_int_equal(tu_stats(rt).timers_armed, 0);

    /* a probe dropped unpolled: drop hook once, poll never */
    int polls = 0, drops = 0;
    tu_probe p;
    tu_probe_init(&p, &polls, &drops, 0, 1);
    ws_future_drop(rt, &p.base);
    ws_future_drop(rt, &p.base);
    assert_int_equal(polls, 0);
    assert_int_equal(drops, 1);

    /* spawned, then aborted before the runtime ran it: the body never runs, the drop hook does */
    ws_task_handle h;
    lazy_fn g;
    WS_ASYNC_INIT(lazy_fn, &g);
    g.ran = 0;
    g.ext = &ext;
    assert_int_equal(ws_spawn(rt, &g.ws_base, sizeof g, "lazy", &h), WS_OK);
    assert_int_equal(ext, 0);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    tu_run(rt);
    assert_int_equal(ext, 0);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ECANCELED);
    ws_future_drop(rt, &h.base);
    tu_rt_free_released(rt);
}

/* ---- wakers ---- */

static void test_waker_ops(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls = 0, drops = 0;
    tu_probe p;
    tu_probe_init(&p, &polls, &drops, 3, 9);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "probe", &h), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(polls, 1);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);

    ws_waker w = tu_last_waker;
    assert_ptr_equal(w.rt, rt);
    assert_true(w.task == h.task);
    ws_waker c = ws_waker_clone(&w);
    assert_true(ws_waker_will_wake(&w, &c));

    uint64_t wakes0 = tu_stats(rt).wakes;
    ws_waker_wake_by_ref(&c, WS_CAUSE_HOST, 1);
    assert_true(c.task == h.task); /* by ref: still usable */
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_SCHEDULED);
    /* waking a scheduled task again does not queue it twice */
    ws_waker_wake_by_ref(&w, WS_CAUSE_HOST, 2);
    ws_waker_wake_by_ref(&c, WS_CAUSE_HOST, 3);
    assert_int_equal(ws_task_wake(rt, h.task, WS_CAUSE_HOST, 4), WS_OK);
    assert_int_equal(tu_stats(rt).wakes, wakes0 + 4);
    tu_run(rt);
    assert_int_equal(polls, 2); /* one poll for four wakes */

    ws_waker_wake(&c, WS_CAUSE_HOST, 5); /* wake consumes the waker */
    assert_null(c.rt);
    assert_true(c.task == WS_ID_NONE);
    ws_waker_wake(&c, WS_CAUSE_HOST, 6); /* an empty waker does nothing */
    assert_int_equal(tu_stats(rt).wakes, wakes0 + 5);
    tu_run(rt);
    assert_int_equal(polls, 3);

    ws_waker d = ws_waker_clone(&w);
    ws_waker_drop(&d);
    assert_false(ws_waker_will_wake(&d, &w));
    ws_waker_wake_by_ref(&d, WS_CAUSE_HOST, 7);
    assert_int_equal(tu_stats(rt).wakes, wakes0 + 5);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);

    /* the original still works; this time the probe finishes */
    ws_waker_wake_by_ref(&w, WS_CAUSE_HOST, 8);
    tu_run(rt);
    assert_int_equal(polls, 4);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    assert_int_equal(drops, 1); /* the finished future was dropped once */

    /* a wake after completion is ignored and counted */
    uint64_t stale0 = tu_stats(rt).stale_wakes;
    ws_waker_wake_by_ref(&w, WS_CAUSE_HOST, 9);
    assert_int_equal(tu_stats(rt).stale_wakes, stale0 + 1);
    tu_run(rt);
    assert_int_equal(polls, 4);

    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 9);
    ws_future_drop(rt, &h.base);
    ws_waker_wake_by_ref(&w, WS_CAUSE_HOST, 10); /* task freed now: stale id */
    assert_int_equal(tu_stats(rt).stale_wakes, stale0 + 2);
    tu_rt_free(rt);
}

/* A task woken while it is being polled is queued once more, not twice. */
static ws_poll self_waker_poll(ws_future *f, ws_context *cx)
{
    int *polls = (int *)(intptr_t)f->out;
    (*polls)++;
    if (*polls == 1) {
        ws_waker w = ws_context_waker(cx);
        ws_waker_wake_by_ref(&w, WS_CAUSE_SELF, 0);
        ws_waker_wake_by_ref(&w, WS_CAUSE_SELF, 0);
        ws_waker_wake(&w, WS_CAUSE_SELF, 0);
        assert_int_equal(ws_task_state_of(cx->rt, cx->task), WS_TASK_RUNNING);
        return WS_PENDING;
    }
    f->out = 0;
    return WS_READY;
}
static const ws_future_type self_waker_type = { "self_waker", self_waker_poll, NULL, NULL };

static void test_wake_while_running_queues_once(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls = 0;
    ws_future f;
    ws_future_init(&f, &self_waker_type);
    f.out = (int64_t)(intptr_t)&polls;
    assert_int_equal(ws_spawn(rt, &f, sizeof f, "self", NULL), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(polls, 2);
    assert_int_equal(tu_stats(rt).polls, 2);
    tu_rt_free_released(rt);
}

/* ---- the macros and their hand-written lowering (the example of ws_async.h) ---- */

WS_ASYNC(two_naps, { int64_t total; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 100);
    WS_AWAIT(&self->nap);
    self->total = 100;
    ws_sleep_init(&self->nap, 200);
    WS_AWAIT(&self->nap);
    WS_RETURN(self->total + 200);
    WS_END();
}

/* The lowering the header's comment shows: labels as values with GCC and clang (WS_ASYNC_LABELS), else the switch. */
typedef struct two_naps_hand {
    ws_future ws_base;
    ws_future *ws_awaiting;
#if WS_ASYNC_LABELS
    void *ws_resume_at;
#endif
    int64_t total;
    ws_sleep nap;
} two_naps_hand;

#if WS_ASYNC_LABELS
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wdangling-pointer"
static ws_poll two_naps_hand_poll(ws_future *f, ws_context *cx)
{
    two_naps_hand *self = (two_naps_hand *)f;
    if (self->ws_resume_at)
        goto *self->ws_resume_at;
    if (self->ws_base.resume != WS_ASYNC_START)
        return ws_async_unknown_state(&self->ws_base);
    ws_sleep_init(&self->nap, 100);
    self->ws_awaiting = &self->nap.base;
    self->ws_resume_at = &&await_1;
await_1:
    if (ws_await_poll(self->ws_awaiting, cx) == WS_PENDING) /* what WS_AWAIT expands to */
        return WS_PENDING;
    self->ws_awaiting = NULL;
    self->total = 100;
    ws_sleep_init(&self->nap, 200);
    self->ws_awaiting = &self->nap.base;
    self->ws_resume_at = &&await_2;
await_2:
    if (ws_future_poll(self->ws_awaiting, cx) == WS_PENDING) /* the same, in two calls */
        return WS_PENDING;
    ws_future_drop(cx->rt, self->ws_awaiting);
    self->ws_awaiting = NULL;
    self->ws_base.out = self->total + 200;
    self->ws_base.err = WS_OK;
    self->ws_resume_at = NULL;
    self->ws_base.resume = WS_ASYNC_DONE;
    return WS_READY;
}
#pragma GCC diagnostic pop
#else
static ws_poll two_naps_hand_poll(ws_future *f, ws_context *cx)
{
    two_naps_hand *self = (two_naps_hand *)f;
    switch (self->ws_base.resume) {
    default:
        return ws_async_unknown_state(&self->ws_base);
    case WS_ASYNC_START:
        ws_sleep_init(&self->nap, 100);
        self->ws_awaiting = &self->nap.base;
        self->ws_base.resume = 12;
    case 12:
        if (ws_await_poll(self->ws_awaiting, cx) == WS_PENDING)
            return WS_PENDING;
        self->ws_awaiting = NULL;
        self->total = 100;
        ws_sleep_init(&self->nap, 200);
        self->ws_awaiting = &self->nap.base;
        self->ws_base.resume = 17;
    case 17:
        if (ws_future_poll(self->ws_awaiting, cx) == WS_PENDING)
            return WS_PENDING;
        ws_future_drop(cx->rt, self->ws_awaiting);
        self->ws_awaiting = NULL;
        self->ws_base.out = self->total + 200;
        self->ws_base.err = WS_OK;
        self->ws_base.resume = WS_ASYNC_DONE;
        return WS_READY;
    }
}
#endif
static const ws_future_type two_naps_hand_type = { "two_naps", two_naps_hand_poll, ws_async_drop, NULL };

static void run_two_naps(const ws_future *f, size_t size, int64_t *out, ws_time *end, uint64_t *polls,
                         int64_t *total_before)
{
    ws_runtime *rt = tu_rt();
    int err = -100;
    assert_int_equal(ws_block_on(rt, f, size, "two_naps", out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    *end = ws_clock_now(rt);
    *polls = tu_stats(rt).polls;
    (void)total_before;
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    tu_rt_free(rt);
}

static void test_macros_match_lowering(void **state)
{
    (void)state;
    two_naps m;
    WS_ASYNC_INIT(two_naps, &m);
    m.total = 0;
    two_naps_hand h;
    ws_future_init(&h.ws_base, &two_naps_hand_type);
    h.ws_awaiting = NULL;
#if WS_ASYNC_LABELS
    h.ws_resume_at = NULL;
#endif
    h.total = 0;
    assert_int_equal(sizeof m, sizeof h);
    assert_int_equal(offsetof(two_naps, nap), offsetof(two_naps_hand, nap));

    int64_t out_m = 0, out_h = 0;
    ws_time end_m = 0, end_h = 0;
    uint64_t polls_m = 0, polls_h = 0;
    run_two_naps(&m.ws_base, sizeof m, &out_m, &end_m, &polls_m, NULL);
    run_two_naps(&h.ws_base, sizeof h, &out_h, &end_h, &polls_h, NULL);
    assert_int_equal(out_m, 300);
    assert_int_equal(out_h, 300);
    assert_int_equal(end_m, WS_MS(300));
    assert_int_equal(end_h, WS_MS(300));
    assert_int_equal(polls_m, 3);
    assert_int_equal(polls_h, polls_m);

    /* step by step, polled by hand side by side: same states after every poll, and dropping mid-way cancels */
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    WS_ASYNC_INIT(two_naps, &m);
    ws_future_init(&h.ws_base, &two_naps_hand_type);
    h.ws_awaiting = NULL;
#if WS_ASYNC_LABELS
    h.ws_resume_at = NULL;
#endif
    assert_int_equal(ws_future_poll(&m.ws_base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&h.ws_base, &cx), WS_PENDING);
    assert_ptr_equal(m.ws_awaiting, &m.nap.base);
    assert_ptr_equal(h.ws_awaiting, &h.nap.base);
    assert_int_equal(tu_stats(rt).timers_armed, 2);
    ws_clock_advance(rt, WS_MS(100));
    assert_int_equal(ws_future_poll(&m.ws_base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&h.ws_base, &cx), WS_PENDING);
    assert_int_equal(m.total, 100);
    assert_int_equal(h.total, 100);
    assert_int_equal(tu_stats(rt).timers_armed, 2);
    ws_future_drop(rt, &m.ws_base);
    ws_future_drop(rt, &h.ws_base);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_null(m.ws_awaiting);
    assert_null(h.ws_awaiting);
    tu_rt_free(rt);
}

/* An async function awaiting another async function, a task handle, and a channel receive. */
WS_ASYNC(child_fn, { int64_t x; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 10);
    WS_AWAIT(&self->nap);
    WS_RETURN(self->x * 2);
    WS_END();
}

WS_ASYNC(compose_fn, { ws_channel *ch; child_fn child; ws_task_handle h; ws_recv rx; int64_t sum; })
{
    WS_BEGIN();
    WS_ASYNC_INIT(child_fn, &self->child);
    self->child.x = 5;
    WS_AWAIT(&self->child);
    self->sum = WS_OUT(&self->child); /* 10 */
    {
        child_fn c;
        WS_ASYNC_INIT(child_fn, &c);
        c.x = 50;
        if (ws_spawn(cx->rt, &c.ws_base, sizeof c, "child", &self->h) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    WS_AWAIT(&self->h);
    self->sum += WS_OUT(&self->h); /* 100 */
    ws_recv_init(&self->rx, self->ch);
    WS_AWAIT(&self->rx);
    self->sum += WS_OUT(&self->rx);
    WS_RETURN(self->sum);
    WS_END();
}

static void test_composition(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 1000), WS_OK);
    compose_fn f;
    WS_ASYNC_INIT(compose_fn, &f);
    f.ch = ch;
    int64_t out = 0;
    int err = -100;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "compose", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 1110);
    assert_int_equal(ws_clock_now(rt), WS_MS(20));
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_init_runs_nothing),
        TU_TEST(test_dropped_unpolled_never_runs),
        TU_TEST(test_waker_ops),
        TU_TEST(test_wake_while_running_queues_once),
        TU_TEST(test_macros_match_lowering),
        TU_TEST(test_composition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
