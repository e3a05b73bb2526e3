/* test_leak.c: ws_runtime_free reports memory the program never gave back, and the WS_ASYNC_WITH_DROP pattern
 * (ws_async.h) that releases an async function's memory when it is aborted mid-await. */
#include "test_util.h"

static uint32_t g_blocks;
static size_t g_bytes;
static int g_reports;
static void *g_leaked;

static void on_leak(ws_runtime *rt, uint32_t blocks, size_t bytes, void *ud)
{
    assert_non_null(rt);
    assert_ptr_equal(ud, &g_reports);
    g_blocks = blocks;
    g_bytes = bytes;
    g_reports++;
}

/* Holds a 46-byte buffer across an await, and frees it only when it gets past the await. */
WS_ASYNC(leaky_fn, { char *buf; ws_sleep nap; })
{
    WS_BEGIN();
    self->buf = ws_alloc(cx->rt, 46);
    if (!self->buf)
        WS_RETURN_ERR(WS_ENOMEM);
    g_leaked = self->buf;
    ws_sleep_init(&self->nap, 1000);
    WS_AWAIT(&self->nap);
    ws_free(cx->rt, self->buf, 46);
    WS_RETURN(0);
    WS_END();
}

/* The same, with a drop hook that frees the buffer whatever state the function is dropped in. */
static void careful_drop(ws_runtime *rt, ws_future *f);
WS_ASYNC_WITH_DROP(careful_fn, careful_drop, { char *buf; ws_sleep nap; })
{
    WS_BEGIN();
    self->buf = ws_alloc(cx->rt, 46);
    if (!self->buf)
        WS_RETURN_ERR(WS_ENOMEM);
    ws_sleep_init(&self->nap, 1000);
    WS_AWAIT(&self->nap);
    ws_free(cx->rt, self->buf, 46);
    self->buf = NULL;
    WS_RETURN(0);
    WS_END();
}
static void careful_drop(ws_runtime *rt, ws_future *f)
{
    careful_fn *self = (careful_fn *)f;
    ws_async_drop(rt, f); /* first what it awaits (the sleep) */
    if (self->ws_base.flags & WS_FUTURE_POLLED && self->buf) { /* never polled: buf was never set */
        ws_free(rt, self->buf, 46);
        self->buf = NULL;
    }
}

WS_ASYNC(abort_at_fn, { ws_id target; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 500);
    WS_AWAIT(&self->nap);
    WS_RETURN(ws_task_abort(cx->rt, self->target));
    WS_END();
}

/* Spawns the holder and aborts it at 500 ms, halfway through its 1000 ms sleep (its await point). */
static void run_and_abort(ws_runtime *rt, ws_future *f, size_t size)
{
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, f, size, "holder", &h), WS_OK);
    abort_at_fn a;
    WS_ASYNC_INIT(abort_at_fn, &a);
    a.target = h.task;
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "aborter", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_clock_now(rt), WS_MS(500));
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ECANCELED);
    ws_future_drop(rt, &h.base);
}

/* Nothing to report: a function that runs to its end, and one aborted before its first poll. */
static void test_nothing_to_report(void **state)
{
    (void)state;
    g_reports = 0;
    ws_runtime *rt = tu_rt();
    ws_runtime_set_leak_hook(rt, on_leak, &g_reports);
    leaky_fn f;
    WS_ASYNC_INIT(leaky_fn, &f);
    int64_t out;
    int err;
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "leaky", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(tu_stats(rt).user_blocks, 0);
    WS_ASYNC_INIT(leaky_fn, &f);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "leaky", &h), WS_OK);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).user_blocks, 0);
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(g_reports, 0);
    assert_int_equal(tu_mem.live, 0);
}

/* Aborted mid-await, the leaky function loses its 46 bytes: ws_runtime_free reports 1 block, 46 bytes. The drop
 * hook version loses nothing and nothing is reported. */
static void test_abort_mid_await(void **state)
{
    (void)state;
    for (int careful = 0; careful < 2; careful++) {
        g_reports = 0;
        g_leaked = NULL;
        ws_runtime *rt = tu_rt();
        ws_runtime_set_leak_hook(rt, on_leak, &g_reports);
        /* a ticker that aborts the holder at 500 ms, halfway through its 1000 ms sleep */
        if (careful) {
            careful_fn f;
            WS_ASYNC_INIT(careful_fn, &f);
            run_and_abort(rt, &f.ws_base, sizeof f);
        } else {
            leaky_fn f;
            WS_ASYNC_INIT(leaky_fn, &f);
            run_and_abort(rt, &f.ws_base, sizeof f);
        }
        assert_int_equal(tu_stats(rt).user_blocks, careful ? 0 : 1);
        assert_int_equal(ws_runtime_free(rt), WS_OK);
        if (careful) {
            assert_int_equal(g_reports, 0);
            assert_int_equal(tu_mem.live, 0);
        } else {
            assert_int_equal(g_reports, 1);
            assert_int_equal(g_blocks, 1);
            assert_int_equal(g_bytes, 46);
            assert_int_equal(tu_mem.live, 46); /* really still allocated: give it back to the test allocator */
            assert_non_null(g_leaked);
            tu_free_fn(NULL, g_leaked);
            assert_int_equal(tu_mem.live, 0);
        }
    }
}

/* A careful function dropped before its first poll frees nothing (buf was never set). */
static void test_careful_dropped_unpolled(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    careful_fn f;
    WS_ASYNC_INIT(careful_fn, &f);
    f.buf = (char *)0x1; /* garbage, as an uninitialised field would be */
    ws_future_drop(rt, &f.ws_base);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_nothing_to_report),
        TU_TEST(test_abort_mid_await),
        TU_TEST(test_careful_dropped_unpolled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
