/* test_op.c: operations completed by a (fake) host: wakes, ownership of the result bytes, cancellation, late
 * and stale completions, start errors, and freeing a runtime with operations in flight. */
#include "test_util.h"

/* ---- a fake host operation type ---- */

typedef struct fake_cfg {
    int start_rc;         /* what start returns */
    int complete_in_start; /* 1: complete at once from the start hook */
    int complete_err;
} fake_cfg;

static ws_id g_started[64];
static int g_nstarted;
static ws_id g_cancelled[64];
static int g_ncancelled;

static int fake_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    assert_true(id != WS_ID_NONE);
    assert_true(ws_op_is_live(rt, id));
    assert_ptr_equal(ws_op_future(rt, id), f); /* live from the start hook on */
    g_started[g_nstarted++] = id;
    fake_cfg *cfg = f->arg;
    if (cfg && cfg->complete_in_start)
        assert_int_equal(ws_op_complete(rt, id, cfg->complete_err, ws_bytes_new(rt, "now", 3)), WS_OK);
    return cfg ? cfg->start_rc : WS_OK;
}

static void fake_cancel(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)f;
    assert_false(ws_op_is_live(rt, id));
    g_cancelled[g_ncancelled++] = id;
}

static const ws_op_type fake_type = { "fake", WS_CAUSE_HOST, fake_start, fake_cancel, NULL };

static char g_got[8][32];
static int g_got_err[8];

/* Awaits one operation, copies its bytes into g_got[slot] and frees them (the poller owns the output). */
WS_ASYNC(op_user, { ws_op op; int slot; fake_cfg *cfg; })
{
    WS_BEGIN();
    ws_op_init(&self->op, &fake_type, self->cfg);
    WS_AWAIT(&self->op);
    g_got_err[self->slot] = WS_ERR(&self->op);
    {
        ws_bytes *b = ws_bytes_of(WS_OUT(&self->op));
        if (b) {
            assert_true(b->len < 32);
            memcpy(g_got[self->slot], b->data, b->len + 1); /* NUL-terminated */
            ws_bytes_free(cx->rt, b);
        } else {
            strcpy(g_got[self->slot], "(none)");
        }
    }
    WS_RETURN(self->slot);
    WS_END();
}

static void spawn_user(ws_runtime *rt, int slot, fake_cfg *cfg, ws_task_handle *h)
{
    op_user u;
    WS_ASYNC_INIT(op_user, &u);
    u.slot = slot;
    u.cfg = cfg;
    assert_int_equal(ws_spawn(rt, &u.ws_base, sizeof u, "op_user", h), WS_OK);
}

static void reset(void)
{
    g_nstarted = g_ncancelled = 0;
    memset(g_got, 0, sizeof g_got);
    memset(g_got_err, 0, sizeof g_got_err);
}

static void test_complete_wakes_waiter(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(128, 256, 0);
    ws_task_handle h1, h2;
    spawn_user(rt, 1, NULL, &h1);
    spawn_user(rt, 2, NULL, &h2);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT); /* waiting on the host */
    assert_int_equal(g_nstarted, 2);
    assert_int_equal(tu_stats(rt).ops_in_flight, 2);
    size_t bytes0 = tu_stats(rt).bytes_live;
    ws_bytes *b = ws_bytes_new(rt, "hello", 5);
    assert_non_null(b);
    assert_int_equal(b->len, 5);
    assert_int_equal(b->data[5], 0);
    uint32_t before = ws_trace_count(rt);
    assert_int_equal(ws_op_complete(rt, g_started[1], WS_OK, b), WS_OK);
    assert_int_equal(tu_stats(rt).ops_in_flight, 1);
    assert_false(ws_op_is_live(rt, g_started[1]));
    assert_true(ws_op_is_live(rt, g_started[0]));
    assert_int_equal(ws_task_state_of(rt, h2.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_task_state_of(rt, h1.task), WS_TASK_IDLE);
    /* the trace: one settle, one wake of task 2 with cause HOST */
    ws_trace_event ev[8];
    uint32_t n = ws_trace_read(rt, before, ev, 8);
    int wakes = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ev[i].kind == WS_EV_WAKE) {
            wakes++;
            assert_int_equal(ev[i].task, 2);
            assert_int_equal(ev[i].detail, WS_CAUSE_HOST);
        }
        if (ev[i].kind == WS_EV_SETTLE)
            assert_int_equal(ev[i].detail, 1);
    }
    assert_int_equal(wakes, 1);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_string_equal(g_got[2], "hello");
    assert_int_equal(g_got_err[2], WS_OK);
    assert_int_equal(tu_stats(rt).bytes_live, bytes0); /* the poller freed the block */

    /* an error with a message */
    b = ws_bytes_new(rt, "boom", 4);
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_EHOST, b), WS_OK);
    /* completing it again is stale, and frees what it carries */
    ws_bytes *again = ws_bytes_new(rt, "again", 5);
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, again), WS_ESTALE);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_string_equal(g_got[1], "boom");
    assert_int_equal(g_got_err[1], WS_EHOST);
    assert_int_equal(tu_stats(rt).bytes_live, bytes0);
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    ws_future_drop(rt, &h1.base);
    ws_future_drop(rt, &h2.base);
    assert_int_equal(ws_op_complete(NULL, g_started[0], WS_OK, NULL), WS_EINVAL);
    tu_rt_free(rt);
}

static void test_cancel_and_late_completion(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_task_handle h;
    spawn_user(rt, 1, NULL, &h);
    ws_runtime_run(rt);
    ws_id id = g_started[0];
    assert_true(ws_op_is_live(rt, id));
    size_t bytes0 = tu_stats(rt).bytes_live;
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    assert_int_equal(g_ncancelled, 0); /* not before the task's next scheduling point */
    ws_runtime_run(rt);
    assert_int_equal(g_ncancelled, 1);
    assert_true(g_cancelled[0] == id);
    assert_false(ws_op_is_live(rt, id));
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    ws_bytes *late = ws_bytes_new(rt, "late", 4);
    assert_true(tu_stats(rt).bytes_live > bytes0);
    assert_int_equal(ws_op_complete(rt, id, WS_OK, late), WS_ESTALE);
    assert_int_equal(tu_stats(rt).bytes_live, bytes0);
    assert_int_equal(ws_op_complete(rt, 12345, WS_OK, NULL), WS_ESTALE);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_ECANCELED);
    ws_future_drop(rt, &h.base);

    /* a new operation reuses the slot with a new generation: the old id stays stale */
    spawn_user(rt, 2, NULL, &h);
    ws_runtime_run(rt);
    assert_int_equal((uint32_t)g_started[1], (uint32_t)id);
    assert_true(g_started[1] != id);
    assert_int_equal(ws_op_complete(rt, id, WS_OK, NULL), WS_ESTALE);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    assert_int_equal(ws_op_complete(rt, g_started[1], WS_OK, NULL), WS_OK);
    ws_runtime_run(rt);
    assert_string_equal(g_got[2], "(none)");
    ws_future_drop(rt, &h.base);

    /* completed but dropped before it was polled: the runtime frees the outcome */
    ws_op op;
    ws_op_init(&op, &fake_type, NULL);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_PENDING);
    assert_int_equal(ws_op_complete(rt, op.id, WS_OK, ws_bytes_new(rt, "unread", 6)), WS_OK);
    ws_future_drop(rt, &op.base);
    assert_int_equal(tu_stats(rt).bytes_live, bytes0);
    assert_int_equal(g_ncancelled, 1); /* completed: nothing to cancel */
    tu_rt_free(rt);
}

static void test_start_errors(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    fake_cfg cfg = { WS_EHOST, 0, 0 };
    ws_op op;
    ws_op_init(&op, &fake_type, &cfg);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_READY);
    assert_int_equal(op.base.err, WS_EHOST);
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    assert_false(ws_op_is_live(rt, g_started[0]));
    ws_future_drop(rt, &op.base);
    assert_int_equal(g_ncancelled, 0);
    size_t bytes0 = tu_stats(rt).bytes_live; /* the operation table exists now */

    /* completed synchronously from start */
    fake_cfg sync = { WS_OK, 1, WS_OK };
    ws_op_init(&op, &fake_type, &sync);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_READY);
    assert_int_equal(op.base.err, WS_OK);
    ws_bytes *b = ws_bytes_of(op.base.out);
    assert_non_null(b);
    assert_string_equal((const char *)b->data, "now");
    ws_bytes_free(rt, b);
    ws_future_drop(rt, &op.base);
    assert_int_equal(tu_stats(rt).bytes_live, bytes0); /* the poller freed the block */

    /* completed from start, and then start reports an error anyway: the error wins, nothing is kept */
    size_t bytes1 = tu_stats(rt).bytes_live;
    fake_cfg both = { WS_EHOST, 1, WS_OK };
    ws_op_init(&op, &fake_type, &both);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_READY);
    assert_int_equal(op.base.err, WS_EHOST);
    assert_int_equal(op.base.out, 0);
    ws_future_drop(rt, &op.base);
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    assert_false(ws_op_is_live(rt, g_started[2]));
    assert_int_equal(tu_stats(rt).bytes_live, bytes1); /* the outcome delivered during start was freed */

    /* no type / no start hook */
    ws_op_init(&op, NULL, NULL);
    assert_int_equal(ws_future_poll(&op.base, &cx), WS_READY);
    assert_int_equal(op.base.err, WS_EINVAL);
    ws_future_drop(rt, &op.base);
    tu_rt_free(rt);
}

static void test_free_with_ops_in_flight(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(128, 64, 0);
    for (int i = 0; i < 3; i++)
        spawn_user(rt, i, NULL, NULL);
    ws_op outside;
    ws_op_init(&outside, &fake_type, NULL);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(tu_stats(rt).ops_in_flight, 3);
    /* one completed, not yet polled: its bytes must be freed too */
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, ws_bytes_new(rt, "x", 1)), WS_OK);
    tu_rt_free(rt); /* checks every byte came back */
    assert_int_equal(g_ncancelled, 2);
}

/* A detached task whose future is the op itself: its uncollected output (the bytes) is freed. */
static void test_detached_op_output(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    size_t bytes0 = tu_stats(rt).bytes_live;
    ws_op op;
    ws_op_init(&op, &fake_type, NULL);
    assert_int_equal(ws_spawn(rt, &op.base, sizeof op, "op", NULL), WS_OK);
    ws_runtime_run(rt);
    size_t bytes1 = tu_stats(rt).bytes_live;
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, ws_bytes_new(rt, "orphan", 6)), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_stats(rt).bytes_live, bytes1);
    (void)bytes0;
    tu_rt_free(rt);
}

/* The virtual clock does not jump while an operation is in flight (the host may settle it first). */
WS_ASYNC(op_or_sleep, { ws_op op; ws_sleep s; ws_select sel; })
{
    WS_BEGIN();
    ws_op_init(&self->op, &fake_type, NULL);
    ws_sleep_init(&self->s, 100);
    ws_select2_init(&self->sel, &self->op.base, &self->s.base, WS_SELECT_BIASED);
    WS_AWAIT(&self->sel);
    if (WS_OUT(&self->sel) == 0)
        ws_bytes_free(cx->rt, ws_bytes_of(WS_OUT(&self->op)));
    WS_RETURN(WS_OUT(&self->sel));
    WS_END();
}

static void test_virtual_clock_waits_for_host(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    op_or_sleep f;
    WS_ASYNC_INIT(op_or_sleep, &f);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "race", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(ws_clock_now(rt), 0);
    assert_int_equal(ws_runtime_next_deadline(rt), WS_MS(100));
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, ws_bytes_new(rt, "first", 5)), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 0); /* the op won; the sleep was cancelled */
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    ws_future_drop(rt, &h.base);

    /* the other way round: the clock is moved by hand, the sleep wins and the op is cancelled */
    WS_ASYNC_INIT(op_or_sleep, &f);
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "race2", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    ws_clock_advance(rt, WS_MS(100));
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 1);
    assert_int_equal(g_ncancelled, 1);
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    ws_future_drop(rt, &h.base);

    /* block_on natively: nobody else can settle the op, so it moves the virtual clock to the next deadline */
    WS_ASYNC_INIT(op_or_sleep, &f);
    int64_t out = -1;
    int err = -1;
    ws_time t0 = ws_clock_now(rt);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "race3", &out, &err), WS_OK);
    assert_int_equal(out, 1);
    assert_int_equal(err, WS_OK);
    assert_int_equal(ws_clock_now(rt), t0 + WS_MS(100));
    assert_int_equal(g_ncancelled, 2);
    /* ...and with only an op to wait for, it reports the stall instead of hanging */
    ws_op op;
    ws_op_init(&op, &fake_type, NULL);
    assert_int_equal(ws_block_on(rt, &op.base, sizeof op, "lonely", &out, &err), WS_ESTALL);
    assert_int_equal(tu_stats(rt).ops_in_flight, 1);
    tu_rt_free(rt); /* cancels it */
    assert_int_equal(g_ncancelled, 3);
}

/* ---- per-operation trace names ---- */

/* The name lives in a buffer that is overwritten right after the start: the trace must have copied it. */
static char g_op_name[16];

static const char *named_trace_name(const ws_op *f)
{
    (void)f;
    return g_op_name;
}

static int named_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)f;
    assert_int_equal(ws_op_complete(rt, id, WS_OK, NULL), WS_OK);
    strcpy(g_op_name, "overwritten");
    return WS_OK;
}

static const ws_op_type named_type = { "generic", WS_CAUSE_HOST, named_start, NULL, named_trace_name };

/* Two operations whose names sit at the same address, one after the other: each must be traced under its own
 * name (an address-keyed lookup would name the second after the first), and copied at start (the buffer is
 * overwritten right after). */
static void test_trace_name(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 256, 1);
    const char *names[2] = { "double", "triple" };
    for (int k = 0; k < 2; k++) {
        strcpy(g_op_name, names[k]);
        ws_op op;
        ws_op_init(&op, &named_type, NULL);
        int64_t out;
        int err;
        assert_int_equal(ws_block_on(rt, &op.base, sizeof op, "named", &out, &err), WS_OK);
        assert_int_equal(err, WS_OK);
    }
    ws_trace_event ev[128];
    uint32_t n = ws_trace_read(rt, 0, ev, 128), hosts = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ev[i].kind == WS_EV_HOST) {
            assert_true(hosts < 2);
            assert_string_equal(ws_trace_string(rt, ev[i].b), names[hosts]);
            hosts++;
        }
    }
    assert_int_equal(hosts, 2);
    tu_rt_free(rt);
}

/* ws_op_trace: the host's milestones of an operation (a blocking job's start and finish on a worker) name the
 * awaiting task while the operation is in flight, and task 0 once its future was dropped. */
static void test_op_trace(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(128, 256, 1);
    ws_task_handle h;
    spawn_user(rt, 1, NULL, &h);
    ws_runtime_run(rt);
    ws_id id = g_started[0];
    assert_int_equal(ws_op_trace(rt, id, WS_EV_JOB_START, 0, 2), WS_OK);
    assert_int_equal(ws_op_trace(rt, id, WS_EV_SPAWN, 0, 2), WS_EINVAL);  /* only the job kinds */
    assert_int_equal(ws_op_trace(NULL, id, WS_EV_JOB_START, 0, 2), WS_EINVAL);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_runtime_run(rt);                                                    /* dropped: the op is cancelled */
    assert_int_equal(ws_op_trace(rt, id, WS_EV_JOB_FINISH, 3, 2), WS_ESTALE);
    assert_int_equal(ws_op_trace(rt, 12345, WS_EV_JOB_FINISH, 3, 1), WS_ESTALE);
    ws_trace_event ev[256];
    uint32_t n = ws_trace_read(rt, 0, ev, 256), starts = 0, finishes = 0, user = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ev[i].kind == WS_EV_SPAWN)
            user = ev[i].task;
        if (ev[i].kind == WS_EV_JOB_START) {
            assert_int_equal(ev[i].task, user);
            assert_int_equal(ev[i].a, (uint32_t)id);
            assert_int_equal(ev[i].b, 2);
            starts++;
        }
        if (ev[i].kind == WS_EV_JOB_FINISH) {
            assert_int_equal(ev[i].task, 0);
            assert_int_equal(ev[i].detail, 3);
            finishes++;
        }
    }
    assert_int_equal(starts, 1);
    assert_int_equal(finishes, 2);
    assert_string_equal(ws_trace_kind_name(WS_EV_JOB_QUEUE), "job_queue");
    tu_rt_free(rt);
}

/* ws_op_future names the awaiting future exactly while the operation is live: not once it settled (even before the
 * poll that takes the outcome), not after its future was dropped, never for a stale or unknown id. */
static void test_op_future(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt();
    ws_task_handle h1, h2;
    spawn_user(rt, 1, NULL, &h1);
    spawn_user(rt, 2, NULL, &h2);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    ws_op *f1 = ws_op_future(rt, g_started[0]);
    ws_op *f2 = ws_op_future(rt, g_started[1]);
    assert_non_null(f1);
    assert_non_null(f2);
    assert_ptr_not_equal(f1, f2);
    assert_true(f1->id == g_started[0]);
    assert_true(f1->type == &fake_type && f2->type == &fake_type);
    assert_null(ws_op_future(NULL, g_started[0]));
    assert_null(ws_op_future(rt, WS_ID_NONE));
    assert_null(ws_op_future(rt, g_started[0] + ((ws_id)1 << 32))); /* another generation of the slot */
    assert_null(ws_op_future(rt, 999));
    /* settled: no longer live, though not yet polled */
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, NULL), WS_OK);
    assert_null(ws_op_future(rt, g_started[0]));
    assert_ptr_equal(ws_op_future(rt, g_started[1]), f2);
    /* dropped: its task aborted */
    assert_int_equal(ws_task_abort(rt, h2.task), WS_OK);
    ws_runtime_run(rt);
    assert_int_equal(g_ncancelled, 1);
    assert_null(ws_op_future(rt, g_started[1]));
    assert_string_equal(g_got[1], "(none)");
    ws_future_drop(rt, &h1.base);
    ws_future_drop(rt, &h2.base);
    tu_rt_free(rt);
}

/* ---- a join of operations polls only the children that completed (child notices) ---- */

#define JN 8

/* A join (or try_join) of JN operations and, with `probe`, one more child that is not an operation. */
WS_ASYNC(op_join, { ws_join all; ws_future *ptrs[JN + 1]; ws_op ops[JN]; tu_probe *probe; int try_mode; })
{
    WS_BEGIN();
    for (int i = 0; i < JN; i++) {
        ws_op_init(&self->ops[i], &fake_type, NULL);
        self->ptrs[i] = &self->ops[i].base;
    }
    if (self->probe)
        self->ptrs[JN] = &self->probe->base;
    {
        uint32_t n = JN + (self->probe ? 1 : 0);
        int rc = self->try_mode ? ws_try_join_all_init(&self->all, self->ptrs, n) : ws_join_all_init(&self->all, self->ptrs, n);
        assert_int_equal(rc, WS_OK);
    }
    WS_AWAIT(&self->all);
    for (int i = 0; i < JN; i++)
        if (ws_future_is_ready(&self->ops[i].base)) {
            ws_bytes_free(cx->rt, ws_bytes_of(self->ops[i].base.out));
            self->ops[i].base.out = 0;
        }
    self->ws_base.err = WS_ERR(&self->all);
    self->ws_base.out = WS_OUT(&self->all);
    return WS_READY;
    WS_END();
}

/* The child indexes of the join's nested polls recorded since event `from`, in order; returns how many. */
static int child_polls(ws_runtime *rt, uint32_t from, uint32_t *idx, int max)
{
    ws_trace_event ev[256];
    uint32_t n = ws_trace_read(rt, from, ev, 256);
    int k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (ev[i].kind == WS_EV_POLL_BEGIN && ev[i].depth == 2 && k < max)
            idx[k++] = ev[i].c - 1; /* c: the child's index + 1; depth 1 is the join, depth 2 its children */
    return k;
}

/* Spawns the op_join task: a join (try_join when try_mode) of JN operations and `probe`, if any, as one child more. */
static void spawn_op_join(ws_runtime *rt, tu_probe *probe, int try_mode, ws_task_handle *h)
{
    op_join j;
    WS_ASYNC_INIT(op_join, &j);
    j.probe = probe;
    j.try_mode = try_mode;
    assert_int_equal(ws_spawn(rt, &j.ws_base, sizeof j, "op_join", h), WS_OK);
}

static void test_join_polls_completed_ops_only(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    int probe_polls = 0, probe_drops = 0;
    tu_probe probe;
    tu_probe_init(&probe, &probe_polls, &probe_drops, 1000, 7); /* pending for its first 1000 polls */
    ws_task_handle h;
    spawn_op_join(rt, &probe, 0, &h);
    uint32_t from = ws_trace_count(rt);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    uint32_t idx[32];
    assert_int_equal(child_polls(rt, from, idx, 32), JN + 1); /* the first poll: every child, in order */
    for (uint32_t i = 0; i <= JN; i++)
        assert_int_equal(idx[i], i);
    assert_int_equal(g_nstarted, JN);

    /* Two completions in one run: those two children, in the order they completed, then the probe (which is not
     * an operation, so it is polled on every poll of the join). */
    from = ws_trace_count(rt);
    assert_int_equal(ws_op_complete(rt, g_started[5], WS_OK, ws_bytes_new(rt, "5", 1)), WS_OK);
    assert_int_equal(ws_op_complete(rt, g_started[2], WS_OK, ws_bytes_new(rt, "2", 1)), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(child_polls(rt, from, idx, 32), 3);
    assert_int_equal(idx[0], 5);
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], JN);

    /* One more: that child and the probe, never the five still in flight. */
    from = ws_trace_count(rt);
    assert_int_equal(ws_op_complete(rt, g_started[7], WS_OK, NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(child_polls(rt, from, idx, 32), 2);
    assert_int_equal(idx[0], 7);
    assert_int_equal(idx[1], JN);

    /* A completion that arrives for a stale id touches no list. The rest, then the join is done. */
    assert_int_equal(ws_op_complete(rt, g_started[7], WS_OK, NULL), WS_ESTALE);
    for (int i = 0; i < JN; i++)
        if (i != 2 && i != 5 && i != 7)
            assert_int_equal(ws_op_complete(rt, g_started[i], WS_OK, ws_bytes_new(rt, "x", 1)), WS_OK);
    probe.pend = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_context cx = ws_context_outside(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_OK);
    assert_int_equal(h.base.out, JN + 1);
    ws_future_drop(rt, &h.base);
    assert_int_equal(g_ncancelled, 0);
    assert_int_equal(tu_stats(rt).user_blocks, 0); /* every outcome freed */
    tu_rt_free(rt);
}

/* A try_join ends with the error of the first child to complete with one, among children completed in the same
 * run too (they are polled in the order they completed); the others are cancelled. */
static void test_try_join_first_completed_error(void **state)
{
    (void)state;
    reset();
    ws_runtime *rt = tu_rt_opts(128, 0, 0);
    ws_task_handle h;
    spawn_op_join(rt, NULL, 1, &h);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_WAIT);
    assert_int_equal(ws_op_complete(rt, g_started[0], WS_OK, ws_bytes_new(rt, "ok", 2)), WS_OK);
    assert_int_equal(ws_op_complete(rt, g_started[6], WS_EHOST, ws_bytes_new(rt, "six", 3)), WS_OK);
    assert_int_equal(ws_op_complete(rt, g_started[1], WS_EHOST, ws_bytes_new(rt, "one", 3)), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_context cx = ws_context_outside(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.err, WS_EHOST);
    assert_int_equal(h.base.out, 6);
    ws_future_drop(rt, &h.base);
    assert_int_equal(g_ncancelled, JN - 3); /* the five still in flight; the completed one (1) is just freed */
    assert_int_equal(tu_stats(rt).ops_in_flight, 0);
    assert_int_equal(tu_stats(rt).user_blocks, 0);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_complete_wakes_waiter),
        TU_TEST(test_cancel_and_late_completion),
        TU_TEST(test_start_errors),
        TU_TEST(test_free_with_ops_in_flight),
        TU_TEST(test_detached_op_output),
        TU_TEST(test_virtual_clock_waits_for_host),
        TU_TEST(test_trace_name),
        TU_TEST(test_op_trace),
        TU_TEST(test_op_future),
        TU_TEST(test_join_polls_completed_ops_only),
        TU_TEST(test_try_join_first_completed_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
