/* test_executor.c: scheduling order, join handles, abort, stale ids, the cooperative budget, yield, detached
 * output, many tasks, re-entrancy, stalls and allocation failure. */
#include "test_util.h"

/* What ws_runtime.h documents: the default cooperative budget, and the largest trace ring ws_runtime_new accepts. */
enum { DEFAULT_BUDGET = 128 };
#define TRACE_CAPACITY_MAX (1u << 26)

/* ---- FIFO ---- */

static tu_log g_log;

WS_ASYNC(logger_fn, { int64_t id; int rounds; int i; ws_yield y; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->rounds; self->i++) {
        tu_log_add(&g_log, self->id * 100 + self->i);
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
    }
    WS_RETURN(self->id);
    WS_END();
}

static void spawn_logger(ws_runtime *rt, int64_t id, int rounds, ws_task_handle *h)
{
    logger_fn f;
    WS_ASYNC_INIT(logger_fn, &f);
    f.id = id;
    f.rounds = rounds;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "logger", h), WS_OK);
}

static void test_fifo(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    memset(&g_log, 0, sizeof g_log);
    for (int i = 0; i < 4; i++)
        spawn_logger(rt, i, 3, NULL);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    /* round-robin: every task runs once before any runs twice */
    assert_int_equal(g_log.n, 12);
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 4; i++)
            assert_int_equal(g_log.v[r * 4 + i], i * 100 + r);
    tu_rt_free_released(rt);
}

/* ---- join handles ---- */

WS_ASYNC(value_fn, { int64_t v; int err; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 10);
    WS_AWAIT(&self->nap);
    if (self->err)
        WS_RETURN_ERR(self->err);
    WS_RETURN(self->v);
    WS_END();
}

WS_ASYNC(parent_fn, { ws_task_handle h1, h2; int64_t out1, out2; int err1, err2; })
{
    WS_BEGIN();
    {
        value_fn a, b;
        WS_ASYNC_INIT(value_fn, &a);
        a.v = 42;
        a.err = 0;
        WS_ASYNC_INIT(value_fn, &b);
        b.v = 0;
        b.err = WS_EUSER - 3;
        assert_int_equal(ws_spawn(cx->rt, &a.ws_base, sizeof a, "a", &self->h1), WS_OK);
        assert_int_equal(ws_spawn(cx->rt, &b.ws_base, sizeof b, "b", &self->h2), WS_OK);
    }
    WS_AWAIT(&self->h1);
    self->out1 = WS_OUT(&self->h1);
    self->err1 = WS_ERR(&self->h1);
    WS_AWAIT(&self->h2);
    self->out2 = WS_OUT(&self->h2);
    self->err2 = WS_ERR(&self->h2);
    WS_RETURN(self->out1 + 1);
    WS_END();
}

static void test_spawn_join(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    parent_fn p;
    WS_ASYNC_INIT(parent_fn, &p);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.ws_base, sizeof p, "parent", &h), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 43);
    assert_int_equal(h.base.err, WS_OK);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_GONE);
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_stats(rt).spawned, 3);
    assert_int_equal(tu_stats(rt).completed, 3);

    /* an error output travels through the handle */
    value_fn v;
    WS_ASYNC_INIT(value_fn, &v);
    v.v = 1;
    v.err = WS_EUSER - 3;
    int64_t out = -1;
    int err = 0;
    assert_int_equal(ws_block_on(rt, &v.ws_base, sizeof v, "v", &out, &err), WS_OK);
    assert_int_equal(err, WS_EUSER - 3);

    /* argument checks */
    assert_int_equal(ws_spawn(NULL, &v.ws_base, sizeof v, "x", NULL), WS_EINVAL);
    assert_int_equal(ws_spawn(rt, NULL, sizeof v, "x", NULL), WS_EINVAL);
    assert_int_equal(ws_spawn(rt, &v.ws_base, 2, "x", NULL), WS_EINVAL);
    v.ws_base.flags = WS_FUTURE_POLLED;
    assert_int_equal(ws_spawn(rt, &v.ws_base, sizeof v, "x", NULL), WS_EINVAL);
    tu_rt_free_released(rt);
}

/* ---- abort ---- */

static int g_victim_drops, g_victim_polls, g_drops_seen_in_poll;

/* A task that never finishes by itself; counts its polls and drops; optionally aborts itself in a poll. */
typedef struct victim {
    ws_future base;
    int abort_self;
} victim;
static ws_poll victim_poll(ws_future *f, ws_context *cx)
{
    victim *v = (victim *)f;
    g_victim_polls++;
    if (v->abort_self) {
        assert_int_equal(ws_task_abort(cx->rt, cx->task), WS_OK);
        g_drops_seen_in_poll = g_victim_drops; /* not dropped mid-poll */
        assert_int_equal(ws_task_state_of(cx->rt, cx->task), WS_TASK_RUNNING);
    }
    return WS_PENDING;
}
static void victim_drop(ws_runtime *rt, ws_future *f)
{
    (void)f;
    assert_int_equal(ws_runtime_current_task(rt), WS_ID_NONE); /* never from inside somebody's poll */
    g_victim_drops++;
}
static const ws_future_type victim_type = { "victim", victim_poll, victim_drop, NULL };

WS_ASYNC(awaiter_fn, { ws_task_handle h; int64_t err; int done; })
{
    WS_BEGIN();
    WS_AWAIT(&self->h);
    self->err = WS_ERR(&self->h);
    WS_RETURN(self->err);
    WS_END();
}

/* A task that aborts another one from inside its poll. */
typedef struct aborter {
    ws_future base;
    ws_id target;
} aborter;
static ws_poll aborter_poll(ws_future *f, ws_context *cx)
{
    aborter *a = (aborter *)f;
    assert_int_equal(ws_task_abort(cx->rt, a->target), WS_OK);
    assert_int_equal(g_victim_drops, 0); /* the victim is dropped at its own scheduling point, not here */
    return WS_READY;
}
static const ws_future_type aborter_type = { "aborter", aborter_poll, NULL, NULL };

static void test_abort(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    g_victim_drops = g_victim_polls = 0;
    victim v;
    ws_future_init(&v.base, &victim_type);
    v.abort_self = 0;
    ws_task_handle vh;
    assert_int_equal(ws_spawn(rt, &v.base, sizeof v, "victim", &vh), WS_OK);
    ws_id vid = vh.task;
    awaiter_fn a;
    WS_ASYNC_INIT(awaiter_fn, &a);
    a.h = vh; /* the awaiter owns the handle now */
    ws_task_handle ah;
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "awaiter", &ah), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_victim_polls, 1);
    assert_int_equal(ws_task_state_of(rt, ah.task), WS_TASK_IDLE);

    /* aborted from inside another task's poll */
    aborter ab;
    ws_future_init(&ab.base, &aborter_type);
    ab.target = vid;
    assert_int_equal(ws_spawn(rt, &ab.base, sizeof ab, "aborter", NULL), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_victim_drops, 1);
    assert_int_equal(g_victim_polls, 1); /* dropped instead of polled */
    assert_int_equal(tu_stats(rt).aborted, 1);
    assert_int_equal(ws_runtime_tasks_finished(rt), tu_stats(rt).completed + tu_stats(rt).aborted);
    assert_true(tu_stats(rt).completed > 0);
    assert_int_equal(ws_runtime_tasks_finished(NULL), 0);
    assert_int_equal(ws_task_state_of(rt, vid), WS_TASK_GONE); /* handle collected by the awaiter */
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&ah.base, &cx), WS_READY);
    assert_int_equal(ah.base.out, WS_ECANCELED);
    ws_future_drop(rt, &ah.base);

    /* a task that aborts itself is dropped after its poll returns, at the next scheduling point */
    g_victim_drops = g_victim_polls = 0;
    g_drops_seen_in_poll = -1;
    v.abort_self = 1;
    ws_task_handle sh;
    assert_int_equal(ws_spawn(rt, &v.base, sizeof v, "self_abort", &sh), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_drops_seen_in_poll, 0);
    assert_int_equal(g_victim_polls, 1);
    assert_int_equal(g_victim_drops, 1);
    assert_int_equal(ws_task_state_of(rt, sh.task), WS_TASK_DONE);
    assert_int_equal(ws_future_poll(&sh.base, &cx), WS_READY);
    assert_int_equal(sh.base.err, WS_ECANCELED);
    ws_future_drop(rt, &sh.base);
    tu_rt_free_released(rt);
}

/* The host's task_done hook: called once for each task that finishes, is aborted or is dropped with the runtime,
 * with that task's id, from inside the call that ended it. */
static struct {
    ws_id ids[8];
    int n;
} g_done;

static void record_done(void *ud, ws_id task)
{
    (void)ud;
    assert_true(g_done.n < 8);
    g_done.ids[g_done.n++] = task;
}

static void test_task_done_hook(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.task_done = record_done;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    memset(&g_done, 0, sizeof g_done);
    g_victim_drops = g_victim_polls = 0;

    value_fn a; /* finishes after a 10 ms sleep */
    WS_ASYNC_INIT(value_fn, &a);
    a.v = 7;
    a.err = 0;
    ws_task_handle ha;
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "a", &ha), WS_OK);
    victim v; /* pending forever: aborted below */
    ws_future_init(&v.base, &victim_type);
    v.abort_self = 0;
    ws_task_handle hv;
    assert_int_equal(ws_spawn(rt, &v.base, sizeof v, "v", &hv), WS_OK);
    victim w; /* pending forever, detached: dropped with the runtime */
    ws_future_init(&w.base, &victim_type);
    w.abort_self = 0;
    assert_int_equal(ws_spawn(rt, &w.base, sizeof w, "w", NULL), WS_OK);

    ws_runtime_run(rt); /* virtual clock: the sleep's deadline comes at once */
    while (ws_runtime_run(rt) != WS_RUN_IDLE) {
    }
    assert_int_equal(g_done.n, 1);
    assert_true(g_done.ids[0] == ha.task);
    assert_int_equal(ws_task_state_of(rt, ha.task), WS_TASK_DONE); /* its output still waits for the handle */

    assert_int_equal(ws_task_abort(rt, hv.task), WS_OK);
    assert_int_equal(g_done.n, 1); /* aborted at its next scheduling point, not at once */
    while (ws_runtime_run(rt) != WS_RUN_IDLE) {
    }
    assert_int_equal(g_done.n, 2);
    assert_true(g_done.ids[1] == hv.task);

    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&ha.base, &cx), WS_READY);
    assert_int_equal(ha.base.out, 7);
    ws_future_drop(rt, &ha.base);
    assert_int_equal(ws_future_poll(&hv.base, &cx), WS_READY);
    assert_int_equal(hv.base.err, WS_ECANCELED);
    ws_future_drop(rt, &hv.base);
    assert_int_equal(g_done.n, 2); /* collecting a finished task's output does not call it again */
    tu_rt_free(rt);                /* the detached task is dropped with the runtime: the hook's third call */
    assert_int_equal(g_done.n, 3);
}

static void test_abort_codes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    g_victim_drops = g_victim_polls = 0;

    /* a finished task whose handle is gone: its id is stale */
    value_fn f;
    WS_ASYNC_INIT(value_fn, &f);
    f.v = 1;
    f.err = 0;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "f", &h), WS_OK);
    ws_id id = h.task;
    tu_run(rt);
    /* finished, output not collected yet: the header says WS_OK with no effect */
    assert_int_equal(ws_task_abort(rt, id), WS_OK);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 1);
    assert_int_equal(h.base.err, WS_OK); /* the abort did not turn a finished task into a cancelled one */
    ws_future_drop(rt, &h.base);
    assert_int_equal(ws_task_abort(rt, id), WS_ESTALE);

    /* double abort: the second one, once the task is gone, is stale; while the first is pending it is a no-op */
    victim v;
    ws_future_init(&v.base, &victim_type);
    v.abort_self = 0;
    ws_task_handle vh;
    assert_int_equal(ws_spawn(rt, &v.base, sizeof v, "victim", &vh), WS_OK);
    ws_id vid = vh.task;
    tu_run(rt);
    uint64_t wakes0 = tu_stats(rt).wakes;
    assert_int_equal(ws_task_abort(rt, vid), WS_OK);
    assert_int_equal(ws_task_abort(rt, vid), WS_OK);
    assert_int_equal(tu_stats(rt).wakes, wakes0 + 1); /* the second abort did not wake it again */
    ws_future_drop(rt, &vh.base); /* detach: freed once dropped */
    tu_run(rt);
    assert_int_equal(g_victim_drops, 1);
    assert_int_equal(tu_stats(rt).aborted, 1);
    assert_int_equal(ws_task_abort(rt, vid), WS_ESTALE);
    assert_int_equal(ws_task_state_of(rt, vid), WS_TASK_GONE);

    /* ids that never named a task */
    assert_int_equal(ws_task_abort(rt, WS_ID_NONE), WS_ESTALE);
    assert_int_equal(ws_task_abort(rt, ((ws_id)7 << 32) | 3), WS_ESTALE);
    assert_int_equal(ws_task_abort(rt, ((ws_id)1 << 32) | 100000), WS_ESTALE);
    assert_int_equal(ws_task_abort(NULL, vid), WS_EINVAL);
    tu_rt_free(rt);
}

/* ---- stale ids and wakes after completion ---- */

static void test_stale_wakes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls1 = 0, polls2 = 0;
    tu_probe p;
    tu_probe_init(&p, &polls1, NULL, 0, 1);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "p1", &h), WS_OK);
    ws_id old = h.task;
    tu_run(rt);
    ws_waker w = tu_last_waker;
    ws_runtime_stats s0 = tu_stats(rt);
    /* finished, handle alive: a wake after completion is ignored */
    assert_int_equal(ws_task_wake(rt, old, WS_CAUSE_HOST, 0), WS_ESTALE);
    ws_waker_wake_by_ref(&w, WS_CAUSE_HOST, 0);
    assert_int_equal(tu_stats(rt).stale_wakes, s0.stale_wakes + 2);
    ws_future_drop(rt, &h.base); /* frees the task */
    assert_int_equal(tu_stats(rt).tasks_live, 0);

    /* the slot is reused by a new task: the old id must not reach it */
    tu_probe_init(&p, &polls2, NULL, -1, 0);
    ws_task_handle h2;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "p2", &h2), WS_OK);
    assert_true((uint32_t)h2.task == (uint32_t)old); /* same slot... */
    assert_true(h2.task != old);                     /* ...new generation */
    tu_run(rt);
    assert_int_equal(polls2, 1);
    assert_int_equal(ws_task_wake(rt, old, WS_CAUSE_HOST, 0), WS_ESTALE);
    ws_waker_wake(&w, WS_CAUSE_HOST, 0);
    assert_int_equal(ws_task_state_of(rt, h2.task), WS_TASK_IDLE);
    tu_run(rt);
    assert_int_equal(polls2, 1);
    assert_int_equal(polls1, 1);
    assert_int_equal(tu_stats(rt).stale_wakes, s0.stale_wakes + 4);
    assert_int_equal(ws_task_wake(rt, h2.task, WS_CAUSE_COUNT, 0), WS_EINVAL);
    assert_int_equal(ws_task_wake(rt, h2.task, WS_CAUSE_HOST, 0), WS_OK);
    tu_run(rt);
    assert_int_equal(polls2, 2);
    ws_future_drop(rt, &h2.base); /* detached, still pending: freed with the runtime */
    assert_int_equal(tu_stats(rt).tasks_live, 1);
    tu_rt_free(rt);
}

/* A handle polled from outside any task (as ws_block_on does) has no waker: the task finishing must not wake
 * some other task (the one in slot 0). */
static void test_handle_polled_outside(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    int polls_t = 0, polls_u = 0;
    tu_probe t, u;
    tu_probe_init(&t, &polls_t, NULL, -1, 0);
    tu_probe_init(&u, &polls_u, NULL, 1, 5);
    ws_task_handle ht, hu;
    assert_int_equal(ws_spawn(rt, &t.base, sizeof t, "slot0", &ht), WS_OK);
    assert_int_equal((uint32_t)ht.task, 0);
    assert_int_equal(ws_spawn(rt, &u.base, sizeof u, "u", &hu), WS_OK);
    tu_run(rt);
    ws_waker wu = tu_last_waker;
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&hu.base, &cx), WS_PENDING);
    ws_waker_wake(&wu, WS_CAUSE_HOST, 0);
    tu_run(rt);
    assert_int_equal(polls_u, 2);
    assert_int_equal(polls_t, 1); /* not woken by u finishing */
    assert_int_equal(ws_task_state_of(rt, ht.task), WS_TASK_IDLE);
    assert_int_equal(ws_future_poll(&hu.base, &cx), WS_READY);
    assert_int_equal(hu.base.out, 5);
    ws_future_drop(rt, &hu.base);
    ws_future_drop(rt, &ht.base);
    tu_rt_free(rt);
}

/* ---- cooperative budget ---- */

static int g_flag, g_a_ops, g_a_ops_seen_by_b, g_b_polls;

WS_ASYNC(hot_fn, { ws_ready r; })
{
    WS_BEGIN();
    while (!g_flag) {
        ws_ready_init(&self->r, 1);
        WS_AWAIT(&self->r);
        g_a_ops++;
    }
    WS_RETURN(g_a_ops);
    WS_END();
}

static ws_poll flagger_poll(ws_future *f, ws_context *cx)
{
    (void)f;
    (void)cx;
    g_b_polls++;
    g_a_ops_seen_by_b = g_a_ops;
    g_flag = 1;
    return WS_READY;
}
static const ws_future_type flagger_type = { "flagger", flagger_poll, NULL, NULL };

static void test_budget(void **state)
{
    (void)state;
    enum { BUDGET = 128, SMALL_BUDGET = 10 };
    ws_runtime *rt = tu_rt_opts(BUDGET, 0, 0);
    g_flag = g_a_ops = g_b_polls = 0;
    g_a_ops_seen_by_b = -1;
    hot_fn a;
    WS_ASYNC_INIT(hot_fn, &a);
    ws_future b;
    ws_future_init(&b, &flagger_type);
    ws_task_handle ha;
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "hot", &ha), WS_OK);
    assert_int_equal(ws_spawn(rt, &b, sizeof b, "flagger", NULL), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_b_polls, 1);
    assert_int_equal(g_a_ops_seen_by_b, BUDGET); /* A's first poll ran its budget's worth of ready awaits */
    assert_int_equal(g_a_ops, BUDGET + 1);
    assert_int_equal(tu_stats(rt).polls, 3); /* A, B, A */
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&ha.base, &cx), WS_READY);
    assert_int_equal(ha.base.out, BUDGET + 1);
    ws_future_drop(rt, &ha.base);

    /* a different budget, set after creation */
    assert_int_equal(ws_runtime_configure(rt, SMALL_BUDGET, 0), WS_OK);
    g_flag = g_a_ops = g_b_polls = 0;
    WS_ASYNC_INIT(hot_fn, &a);
    ws_future_init(&b, &flagger_type);
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "hot", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &b, sizeof b, "flagger", NULL), WS_OK);
    tu_run(rt);
    assert_int_equal(g_a_ops_seen_by_b, SMALL_BUDGET);
    tu_rt_free(rt);
}

/* ---- yield_now ---- */

WS_ASYNC(yielder_fn, { int64_t id; int i; ws_yield y; int macro; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < 3; self->i++) {
        tu_log_add(&g_log, self->id * 10 + self->i);
        if (self->macro) {
            WS_YIELD();
        } else {
            ws_yield_init(&self->y);
            WS_AWAIT(&self->y);
        }
    }
    WS_RETURN(0);
    WS_END();
}

static void test_yield_now(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(0, 0, 0); /* unlimited budget: only the yields interleave them */
    memset(&g_log, 0, sizeof g_log);
    for (int i = 1; i <= 2; i++) {
        yielder_fn y;
        WS_ASYNC_INIT(yielder_fn, &y);
        y.id = i;
        y.macro = i == 2;
        assert_int_equal(ws_spawn(rt, &y.ws_base, sizeof y, "y", NULL), WS_OK);
    }
    tu_run(rt);
    static const int64_t want[] = { 10, 20, 11, 21, 12, 22 };
    assert_int_equal(g_log.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(tu_stats(rt).polls, 8);
    assert_int_equal(ws_clock_now(rt), 0);
    tu_rt_free(rt);
}

/* ---- detached output ---- */

static int g_freed;
static int64_t g_freed_sum;

typedef struct owner_fut {
    ws_future base;
    int pend;
    int64_t value;
    int err;
} owner_fut;
static ws_poll owner_poll(ws_future *f, ws_context *cx)
{
    owner_fut *o = (owner_fut *)f;
    if (o->pend < 0)
        return WS_PENDING; /* forever, and nothing will wake it */
    if (o->pend) {
        o->pend--;
        ws_yield_wake(cx);
        return WS_PENDING;
    }
    f->out = o->value;
    f->err = (int8_t)o->err;
    return WS_READY;
}
static void owner_free_output(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    g_freed++;
    g_freed_sum += f->out;
}
static const ws_future_type owner_type = { "owner", owner_poll, NULL, owner_free_output };

static void owner_init(owner_fut *o, int pend, int64_t value, int err)
{
    ws_future_init(&o->base, &owner_type);
    o->pend = pend;
    o->value = value;
    o->err = err;
}

static void test_detached_output_freed(void **state)
{
    (void)state;
    /* Each task's output is a different power of ten, so the sum of the freed ones says which were freed. */
    enum { OUT_D1 = 1, OUT_D2 = 10, OUT_D3 = 100, OUT_D4 = 1000, OUT_D5 = 10000, OUT_D8 = 20000 };
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    g_freed = 0;
    g_freed_sum = 0;
    owner_fut o;

    owner_init(&o, 1, OUT_D1, 0); /* detached at spawn */
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d1", NULL), WS_OK);
    ws_task_handle h2, h3, h4, h5;
    owner_init(&o, 2, OUT_D2, 0); /* handle dropped before it finishes */
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d2", &h2), WS_OK);
    owner_init(&o, 0, OUT_D3, 0); /* handle dropped after it finished */
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d3", &h3), WS_OK);
    owner_init(&o, 0, OUT_D4, 0); /* collected: the collector owns it, never freed here */
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d4", &h4), WS_OK);
    owner_init(&o, 0, OUT_D5, WS_EUSER); /* an error outcome is an output too (an op's carries a message) */
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d5", &h5), WS_OK);
    ws_future_drop(rt, &h2.base);
    tu_run(rt);
    assert_int_equal(g_freed, 2);
    assert_int_equal(g_freed_sum, OUT_D1 + OUT_D2);
    assert_int_equal(tu_stats(rt).tasks_live, 3);
    ws_future_drop(rt, &h3.base);
    assert_int_equal(g_freed, 3);
    assert_int_equal(g_freed_sum, OUT_D1 + OUT_D2 + OUT_D3);
    assert_int_equal(ws_future_poll(&h4.base, &cx), WS_READY);
    assert_int_equal(h4.base.out, OUT_D4);
    ws_future_drop(rt, &h4.base);
    ws_future_drop(rt, &h5.base);
    assert_int_equal(g_freed, 4);
    assert_int_equal(g_freed_sum, OUT_D1 + OUT_D2 + OUT_D3 + OUT_D5); /* not D4: collected */

    /* aborted: it never produced an output */
    owner_init(&o, -1, 7, 0);
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d6", &h2), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_abort(rt, h2.task), WS_OK);
    ws_future_drop(rt, &h2.base);
    tu_run(rt);
    assert_int_equal(g_freed, 4);
    assert_int_equal(tu_stats(rt).tasks_live, 0);

    /* still running when the runtime is freed: never finished, nothing to free */
    owner_init(&o, -1, 9, 0);
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d7", NULL), WS_OK);
    /* finished, its handle never polled nor dropped when the runtime goes: the runtime frees the output */
    owner_init(&o, 0, OUT_D8, 0);
    assert_int_equal(ws_spawn(rt, &o.base, sizeof o, "d8", &h2), WS_OK);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    assert_int_equal(tu_stats(rt).tasks_live, 2);
    tu_rt_free(rt);
    assert_int_equal(g_freed, 5);
    assert_int_equal(g_freed_sum, OUT_D1 + OUT_D2 + OUT_D3 + OUT_D5 + OUT_D8);
}

/* ---- many tasks ---- */

static void spawn_wave(ws_runtime *rt, int n, ws_task_handle *handles)
{
    for (int i = 0; i < n; i++) {
        if (i % 3 == 0) {
            ws_yield y;
            ws_yield_init(&y);
            assert_int_equal(ws_spawn(rt, &y.base, sizeof y, "yield", handles ? &handles[i] : NULL), WS_OK);
        } else if (i % 3 == 1) {
            ws_ready r;
            ws_ready_init(&r, i);
            assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "ready", handles ? &handles[i] : NULL), WS_OK);
        } else {
            ws_sleep s;
            ws_sleep_init(&s, (uint64_t)(i % 7));
            assert_int_equal(ws_spawn(rt, &s.base, sizeof s, "sleep", handles ? &handles[i] : NULL), WS_OK);
        }
    }
}

static void test_many_tasks(void **state)
{
    (void)state;
    enum { N = 100000 };
    ws_runtime *rt = tu_rt();
    size_t fresh = tu_stats(rt).bytes_live;
    spawn_wave(rt, N, NULL);
    assert_int_equal(tu_stats(rt).tasks_live, N);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    ws_runtime_stats s = tu_stats(rt);
    assert_int_equal(s.tasks_live, 0);
    assert_int_equal(s.completed, N);
    assert_int_equal(s.timers_armed, 0);
    assert_true(s.bytes_live > fresh); /* the slab and slot table stay for reuse */
    size_t baseline = s.bytes_live;

    /* a second wave, with join handles collected from outside: memory comes back to the same level */
    ws_task_handle *handles = calloc(N, sizeof *handles);
    assert_non_null(handles);
    spawn_wave(rt, N, handles);
    assert_int_equal(tu_run(rt), WS_RUN_IDLE);
    ws_context cx = tu_cx(rt);
    int64_t sum = 0, want = 0;
    for (int i = 0; i < N; i++) {
        assert_int_equal(ws_future_poll(&handles[i].base, &cx), WS_READY);
        assert_int_equal(handles[i].base.err, WS_OK);
        sum += handles[i].base.out;
        if (i % 3 == 1)
            want += i;
        ws_future_drop(rt, &handles[i].base);
    }
    free(handles);
    assert_int_equal(sum, want);
    s = tu_stats(rt);
    assert_int_equal(s.tasks_live, 0);
    assert_int_equal(s.completed, 2 * N);
    assert_int_equal(s.bytes_live, baseline);
    tu_rt_free(rt);
}

/* Futures too big for the slab classes are allocated directly, and given back as soon as their task is freed;
 * with tracing on, the per-slot trace table grows with the slot table. */
typedef struct big_fut {
    ws_future base;
    char payload[3000];
} big_fut;
static ws_poll big_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    big_fut *b = (big_fut *)f;
    f->out = b->payload[0] + b->payload[2999];
    return WS_READY;
}
static const ws_future_type big_type = { "big", big_poll, NULL, NULL };

static void test_big_futures_and_traced_slots(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 64, 0);
    big_fut b;
    ws_future_init(&b.base, &big_type);
    memset(b.payload, 1, sizeof b.payload);
    /* warm up the slot table, then every big task must give back exactly what it took */
    assert_int_equal(ws_block_on(rt, &b.base, sizeof b, "big", NULL, NULL), WS_OK);
    size_t base = tu_stats(rt).bytes_live;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &b.base, sizeof b, "big", &h), WS_OK);
    assert_true(tu_stats(rt).bytes_live >= base + sizeof b);
    tu_run(rt);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
    assert_int_equal(h.base.out, 2);
    ws_future_drop(rt, &h.base);
    assert_int_equal(tu_stats(rt).bytes_live, base);

    /* 1000 live tasks under tracing: the slot and trace tables grow several times */
    for (int i = 0; i < 1000; i++) {
        ws_sleep s;
        ws_sleep_init(&s, (uint64_t)(1000 - i));
        assert_int_equal(ws_spawn(rt, &s.base, sizeof s, i % 2 ? "odd" : "even", NULL), WS_OK);
    }
    assert_int_equal(tu_stats(rt).tasks_live, 1000);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(ws_trace_count(rt), 64);
    ws_trace_event e[64];
    assert_int_equal(ws_trace_read(rt, 0, e, 64), 64);
    assert_int_equal(e[63].kind, WS_EV_COMPLETE);
    assert_int_equal(e[63].task, 3); /* the first sleep spawned in the loop (serial 3) finished last */
    assert_int_equal(e[63].t, WS_MS(1000));
    tu_rt_free(rt);
}

/* ---- time slices ---- */

/* Each busy poll takes BUSY_MS; a slice is SLICE_MS: a run polls three (0, 4, 8 ms; the reading at 12 ends it). */
enum { BUSY_MS = 4, SLICE_MS = 10, BUSY_TASKS = 4, POLLS_PER_TASK = 3, POLLS_PER_SLICE = 3 };
static int g_busy_polls;
static ws_poll busy_poll(ws_future *f, ws_context *cx)
{
    g_busy_polls++;
    ws_clock_busy(cx->rt, WS_MS(BUSY_MS)); /* simulated work: the virtual clock moves, no timer fires */
    if (f->resume++ < POLLS_PER_TASK - 1) {
        ws_yield_wake(cx);
        return WS_PENDING;
    }
    return WS_READY;
}
static const ws_future_type busy_type = { "busy", busy_poll, NULL, NULL };

static void test_time_slice(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.slice = WS_MS(SLICE_MS);
    o.trace_capacity = 256;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    g_busy_polls = 0;
    for (int i = 0; i < BUSY_TASKS; i++) {
        ws_future f;
        ws_future_init(&f, &busy_type);
        assert_int_equal(ws_spawn(rt, &f, sizeof f, "busy", NULL), WS_OK);
    }
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(g_busy_polls, POLLS_PER_SLICE);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(g_busy_polls, 2 * POLLS_PER_SLICE);
    int runs = 2;
    while (ws_runtime_run(rt) == WS_RUN_MORE)
        runs++;
    assert_int_equal(g_busy_polls, POLLS_PER_TASK * BUSY_TASKS);
    assert_int_equal(runs, 3); /* three runs ended with MORE; the fourth finished the last three polls */
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    ws_trace_event e[256];
    uint32_t n = ws_trace_read(rt, 0, e, 256);
    int yields = 0;
    for (uint32_t i = 0; i < n; i++)
        yields += e[i].kind == WS_EV_YIELD;
    assert_int_equal(yields, 3);
    /* configure: no slice, and the same work runs in one go */
    assert_int_equal(ws_runtime_configure(rt, DEFAULT_BUDGET, 0), WS_OK);
    for (int i = 0; i < BUSY_TASKS; i++) {
        ws_future f;
        ws_future_init(&f, &busy_type);
        assert_int_equal(ws_spawn(rt, &f, sizeof f, "busy", NULL), WS_OK);
    }
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_busy_polls, 2 * POLLS_PER_TASK * BUSY_TASKS);
    tu_rt_free(rt);
}

/* ---- block_on on a host clock that sleeps (here: a fake clock that jumps) ---- */

static ws_time g_fake_now;
static int g_fake_sleeps;
static ws_time fake_now(void *ud) { (void)ud; return g_fake_now; }
static void fake_sleep_until(void *ud, ws_time t)
{
    (void)ud;
    g_fake_sleeps++;
    assert_true(t > g_fake_now);
    g_fake_now = t;
}

static void test_block_on_host_clock(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.now = fake_now;
    o.host.sleep_until = fake_sleep_until;
    g_fake_now = WS_MS(5000);
    g_fake_sleeps = 0;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    value_fn v;
    WS_ASYNC_INIT(value_fn, &v);
    v.v = 3;
    v.err = 0;
    int64_t out = 0;
    assert_int_equal(ws_block_on(rt, &v.ws_base, sizeof v, "v", &out, NULL), WS_OK);
    assert_int_equal(out, 3);
    assert_int_equal(g_fake_sleeps, 1);
    assert_int_equal(g_fake_now, WS_MS(5010));
    assert_int_equal(ws_clock_now(rt), WS_MS(5010));
    tu_rt_free(rt);
}

/* ---- the runtime's own API: creation, defaults, bad arguments, names ---- */


static void test_runtime_new_rejects_bad_options(void **state)
{
    (void)state;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(NULL, NULL), WS_EINVAL); /* nowhere to put it */
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    ws_allocator no_hooks = { NULL, NULL, NULL, NULL };
    o.allocator = &no_hooks;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_EINVAL);
    assert_null(rt);
    ws_runtime_options_init(&o);
    o.trace_capacity = TRACE_CAPACITY_MAX + 1;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_EINVAL);
    assert_null(rt);
}

static void test_runtime_defaults(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    assert_int_equal(o.budget, DEFAULT_BUDGET);
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(NULL, &rt), WS_OK); /* no options: malloc, the virtual clock */
    assert_true(ws_clock_is_virtual(rt));
    ws_runtime_set_data(rt, &o);
    assert_ptr_equal(ws_runtime_data(rt), &o);
    enum { SOME_BYTES = 40 };
    void *p = ws_alloc(rt, SOME_BYTES);
    assert_non_null(p);
    assert_null(ws_alloc(rt, 0));
    ws_free(rt, p, SOME_BYTES);
    assert_int_equal(ws_runtime_free(rt), WS_OK);
}

static void test_null_runtime_is_einval(void **state)
{
    (void)state;
    assert_int_equal(ws_runtime_free(NULL), WS_EINVAL);
    assert_int_equal(ws_runtime_run(NULL), WS_EINVAL);
}

static void test_error_and_cause_names(void **state)
{
    (void)state;
    for (int e = WS_OK; e >= WS_EUSER - 1; e--)
        assert_true(strlen(ws_strerror(e)) > 0);
    assert_string_equal(ws_strerror(WS_ESTALE), "stale id: no such task or operation");
    assert_string_equal(ws_strerror(WS_EUSER - 5), "application error"); /* an application's own code */
    assert_string_equal(ws_strerror(5), "unknown error");                 /* not an error code at all */
    for (int c = 0; c < WS_CAUSE_COUNT; c++)
        assert_string_not_equal(ws_cause_name((ws_cause)c), "unknown");
    assert_string_equal(ws_cause_name(WS_CAUSE_COUNT), "unknown");
}

/* A copy of a join handle: the first collects the output, the second finds the task gone. */
static void test_join_handle_copy_finds_task_gone(void **state)
{
    (void)state;
    enum { VALUE = 9 };
    ws_runtime *rt = tu_rt();
    ws_ready r;
    ws_ready_init(&r, VALUE);
    ws_task_handle h1, h2;
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "r", &h1), WS_OK);
    h2 = h1;
    tu_run(rt);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h1.base, &cx), WS_READY);
    assert_int_equal(h1.base.out, VALUE);
    assert_int_equal(ws_future_poll(&h2.base, &cx), WS_READY);
    assert_int_equal(h2.base.err, WS_ESTALE);
    ws_future_drop(rt, &h1.base);
    ws_future_drop(rt, &h2.base);
    assert_int_equal(ws_runtime_current_task(rt), WS_ID_NONE); /* outside any poll */
    tu_rt_free(rt);
}

/* ---- re-entrancy and stalls ---- */

static int g_rc_run, g_rc_block, g_rc_free, g_rc_conf;
static ws_poll reenter_poll(ws_future *f, ws_context *cx)
{
    (void)f;
    g_rc_run = ws_runtime_run(cx->rt);
    ws_ready r;
    ws_ready_init(&r, 1);
    g_rc_block = ws_block_on(cx->rt, &r.base, sizeof r, "inner", NULL, NULL);
    g_rc_free = ws_runtime_free(cx->rt);
    g_rc_conf = ws_runtime_configure(cx->rt, 5, 0);
    return WS_READY;
}
static const ws_future_type reenter_type = { "reenter", reenter_poll, NULL, NULL };

static void test_reentrancy(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_future f;
    ws_future_init(&f, &reenter_type);
    assert_int_equal(ws_block_on(rt, &f, sizeof f, "reenter", NULL, NULL), WS_OK);
    assert_int_equal(g_rc_run, WS_EBUSY);
    assert_int_equal(g_rc_block, WS_EBUSY);
    assert_int_equal(g_rc_free, WS_EBUSY);
    assert_int_equal(g_rc_conf, WS_EBUSY);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_stats(rt).spawned, 1);
    tu_rt_free(rt);
}

static void test_block_on_stall(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_never n;
    ws_never_init(&n);
    int64_t out = 5;
    int err = 5;
    assert_int_equal(ws_block_on(rt, &n.base, sizeof n, "never", &out, &err), WS_ESTALL);
    /* the runtime is still usable */
    ws_sleep s;
    ws_sleep_init(&s, 30);
    assert_int_equal(ws_block_on(rt, &s.base, sizeof s, "sleep", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(ws_clock_now(rt), WS_MS(30));
    assert_int_equal(ws_block_on(rt, NULL, 0, "x", NULL, NULL), WS_EINVAL);
    tu_rt_free(rt); /* drops the stalled task */
}

/* ---- allocation failure ---- */

static int g_bad; /* a call returned something other than WS_OK / WS_ENOMEM */
#define OK_OR_NOMEM(x) do { int rc_ = (x); if (rc_ != WS_OK && rc_ != WS_ENOMEM) g_bad++; } while (0)

WS_ASYNC(oom_child, { ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 3);
    WS_AWAIT(&self->nap);
    OK_OR_NOMEM(WS_ERR(&self->nap));
    WS_RETURN(7);
    WS_END();
}

WS_ASYNC(oom_main, { ws_channel *ch; ws_sleep nap; ws_task_handle h; ws_send tx; ws_never nv; ws_timeout to; int rc; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 5);
    WS_AWAIT(&self->nap);
    OK_OR_NOMEM(WS_ERR(&self->nap));
    {
        oom_child c;
        WS_ASYNC_INIT(oom_child, &c);
        self->rc = ws_spawn(cx->rt, &c.ws_base, sizeof c, "child", &self->h);
        OK_OR_NOMEM(self->rc);
        WS_ASYNC_INIT(oom_child, &c);
        OK_OR_NOMEM(ws_spawn(cx->rt, &c.ws_base, sizeof c, "detached", NULL));
    }
    if (self->rc == WS_OK) {
        WS_AWAIT(&self->h);
        if (WS_ERR(&self->h) != WS_OK || WS_OUT(&self->h) != 7)
            g_bad++;
    }
    ws_never_init(&self->nv);
    ws_timeout_init(&self->to, &self->nv.base, 10);
    WS_AWAIT(&self->to);
    if (WS_ERR(&self->to) != WS_ETIMEDOUT && WS_ERR(&self->to) != WS_ENOMEM)
        g_bad++;
    ws_send_init(&self->tx, self->ch, 99);
    WS_AWAIT(&self->tx);
    if (WS_ERR(&self->tx) != WS_OK)
        g_bad++;
    WS_RETURN(1);
    WS_END();
}

/* One run of the scenario; returns the number of allocations it attempted. */
static uint64_t oom_scenario(uint64_t fail_at)
{
    memset(&tu_mem, 0, sizeof tu_mem);
    tu_mem.fail_at = fail_at;
    g_bad = 0;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.trace_capacity = 64;
    ws_runtime *rt = (ws_runtime *)1;
    int rc = ws_runtime_new(&o, &rt);
    OK_OR_NOMEM(rc);
    if (rc != WS_OK) {
        assert_null(rt);
        assert_int_equal(tu_mem.live, 0);
        assert_int_equal(g_bad, 0);
        return tu_mem.calls;
    }
    ws_channel *ch = NULL;
    rc = ws_channel_new(rt, 1, &ch);
    OK_OR_NOMEM(rc);
    if (rc == WS_OK) {
        oom_main m;
        WS_ASYNC_INIT(oom_main, &m);
        m.ch = ch;
        ws_task_handle h;
        rc = ws_spawn(rt, &m.ws_base, sizeof m, "main", &h);
        OK_OR_NOMEM(rc);
        if (rc == WS_OK) {
            assert_int_equal(tu_run(rt), WS_RUN_IDLE);
            ws_context cx = tu_cx(rt);
            assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
            assert_int_equal(h.base.out, 1);
            ws_future_drop(rt, &h.base);
            int64_t msg = 0;
            assert_int_equal(ws_channel_try_recv(ch, &msg), WS_OK);
            assert_int_equal(msg, 99);
        }
        ws_channel_sender_drop(ch);
        ws_channel_receiver_drop(ch);
    }
    uint64_t calls = tu_mem.calls;
    assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live); /* the runtime's count matches the allocator's */
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    /* the runtime keeps working once memory is back */
    tu_mem.fail_at = 0;
    oom_child c;
    WS_ASYNC_INIT(oom_child, &c);
    int64_t out = 0;
    int err = -1;
    ws_time t0 = ws_clock_now(rt);
    assert_int_equal(ws_block_on(rt, &c.ws_base, sizeof c, "after", &out, &err), WS_OK);
    assert_int_equal(out, 7);
    assert_int_equal(err, WS_OK);
    assert_int_equal(ws_clock_now(rt), t0 + WS_MS(3));
    assert_true(ws_trace_count(rt) > 0);
    assert_int_equal(g_bad, 0);
    tu_rt_free(rt);
    return calls;
}

static void test_allocation_failure(void **state)
{
    (void)state;
    uint64_t k = oom_scenario(0);
    assert_true(k > 5);
    uint64_t failed = 0;
    for (uint64_t n = 1; n <= k + 1; n++) {
        oom_scenario(n);
        failed += tu_mem.failures;
    }
    assert_true(failed >= k);
    /* every allocation failing from some point on */
    for (uint64_t n = 1; n <= k + 1; n++) {
        memset(&tu_mem, 0, sizeof tu_mem);
        tu_mem.fail_from = n;
        ws_runtime_options o;
        ws_runtime_options_init(&o);
        o.allocator = &tu_allocator;
        o.trace_capacity = 64;
        ws_runtime *rt = NULL;
        if (ws_runtime_new(&o, &rt) != WS_OK)
            continue;
        ws_channel *ch = NULL;
        if (ws_channel_new(rt, 1, &ch) == WS_OK) {
            oom_main m;
            WS_ASYNC_INIT(oom_main, &m);
            m.ch = ch;
            if (ws_spawn(rt, &m.ws_base, sizeof m, "main", NULL) == WS_OK)
                tu_run(rt);
            ws_channel_sender_drop(ch);
            ws_channel_receiver_drop(ch);
        }
        tu_rt_free(rt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_done_hook),
        TU_TEST(test_fifo),
        TU_TEST(test_spawn_join),
        TU_TEST(test_abort),
        TU_TEST(test_abort_codes),
        TU_TEST(test_stale_wakes),
        TU_TEST(test_handle_polled_outside),
        TU_TEST(test_budget),
        TU_TEST(test_yield_now),
        TU_TEST(test_detached_output_freed),
        TU_TEST(test_many_tasks),
        TU_TEST(test_big_futures_and_traced_slots),
        TU_TEST(test_time_slice),
        TU_TEST(test_block_on_host_clock),
        TU_TEST(test_runtime_new_rejects_bad_options),
        TU_TEST(test_runtime_defaults),
        TU_TEST(test_null_runtime_is_einval),
        TU_TEST(test_error_and_cause_names),
        TU_TEST(test_join_handle_copy_finds_task_gone),
        TU_TEST(test_reentrancy),
        TU_TEST(test_block_on_stall),
        TU_TEST(test_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
