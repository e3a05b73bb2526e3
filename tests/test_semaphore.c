/* test_semaphore.c: the FIFO semaphore and with_permit, on the virtual clock (exact times). */
#include "test_util.h"

static tu_log g_log;
static uint32_t g_in, g_max_in;

/* Holds `n` permits (through with_permit) for `ms`, logging its number at start (k) and end (100 + k). */
WS_ASYNC(hold_fn, { int k; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    g_in++;
    if (g_in > g_max_in)
        g_max_in = g_in;
    tu_log_add(&g_log, self->k);
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    tu_log_add(&g_log, 100 + self->k);
    g_in--;
    WS_RETURN(self->k);
    WS_END();
}

WS_ASYNC(limited_fn, { ws_semaphore *sem; uint32_t n; hold_fn body; ws_with_permit wp; })
{
    WS_BEGIN();
    ws_with_permit_init(&self->wp, self->sem, self->n, &self->body.ws_base);
    WS_AWAIT(&self->wp);
    if (WS_ERR(&self->wp))
        WS_RETURN_ERR(WS_ERR(&self->wp));
    WS_RETURN(WS_OUT(&self->wp));
    WS_END();
}

static ws_id spawn_limited(ws_runtime *rt, ws_semaphore *s, uint32_t n, int k, int ms, ws_task_handle *h)
{
    limited_fn f;
    WS_ASYNC_INIT(limited_fn, &f);
    f.sem = s;
    f.n = n;
    WS_ASYNC_INIT(hold_fn, &f.body);
    f.body.k = k;
    f.body.ms = ms;
    ws_task_handle local;
    ws_task_handle *hp = h ? h : &local;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "limited", hp), WS_OK);
    ws_id id = hp->task;
    if (!h)
        ws_future_drop(rt, &local.base);
    return id;
}

static ws_semaphore *g_probe_sem;

/* Sleeps `ms`, checks the semaphore's state at that moment, then aborts `target`. */
WS_ASYNC(aborter_fn, { ws_id target; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    assert_int_equal(ws_semaphore_held(g_probe_sem), 1);
    assert_int_equal(ws_semaphore_waiters(g_probe_sem), 2);
    WS_RETURN(ws_task_abort(cx->rt, self->target));
    WS_END();
}

static void tu_spawn_aborter(ws_runtime *rt, ws_id target, int ms)
{
    aborter_fn f;
    WS_ASYNC_INIT(aborter_fn, &f);
    f.target = target;
    f.ms = ms;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "aborter", NULL), WS_OK);
}

static void reset_log(void)
{
    memset(&g_log, 0, sizeof g_log);
    g_in = g_max_in = 0;
}

/* Waits forever, or holds a permit forever (sem set). Bigger than the slab's largest class, so each task block is
 * its own allocation and ASan sees a use after it is freed. */
WS_ASYNC(forever_fn, { ws_semaphore *sem; ws_never never; ws_with_permit wp; char pad[600]; })
{
    WS_BEGIN();
    ws_never_init(&self->never);
    if (self->sem) {
        ws_with_permit_init(&self->wp, self->sem, 1, &self->never.base);
        WS_AWAIT(&self->wp);
    } else {
        WS_AWAIT(&self->never);
    }
    WS_RETURN(0);
    WS_END();
}

static ws_id spawn_forever(ws_runtime *rt, ws_semaphore *s)
{
    forever_fn f;
    WS_ASYNC_INIT(forever_fn, &f);
    f.sem = s;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "forever", &h), WS_OK);
    ws_id id = h.task;
    ws_future_drop(rt, &h.base);
    return id;
}

/* Freeing a runtime drops the holder's permit, which is handed to the waiter and wakes it, while a queued task
 * before them has already been freed. Motivating bug (found by fuzz_core after the semaphore landed): the wake
 * linked the waiter behind the freed task in the run queue, a heap use-after-free in ws__enqueue that ASan
 * reports here without the fix in ws__tasks_free (task.c). */
static void test_runtime_free_with_a_permit_handed_on(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 1, &s), WS_OK);
    ws_id queued = spawn_forever(rt, NULL); /* slot 0: freed first */
    spawn_forever(rt, s);                    /* holds the permit */
    spawn_forever(rt, s);                    /* waits for it */
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_semaphore_held(s), 1);
    assert_int_equal(ws_semaphore_waiters(s), 1);
    assert_int_equal(ws_task_wake(rt, queued, WS_CAUSE_SPAWN, 0), WS_OK); /* in the run queue at the free */
    ws_semaphore_drop(s);
    tu_rt_free(rt);
}

/* Five holders of one permit each, two permits: they run two at a time, in spawn order, at exact times. */
static void test_fifo_at_exact_times(void **state)
{
    (void)state;
    reset_log();
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 2, &s), WS_OK);
    for (int k = 1; k <= 5; k++)
        spawn_limited(rt, s, 1, k, 100, NULL);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_max_in, 2);
    int64_t want[] = { 1, 2, 101, 102, 3, 4, 103, 104, 5, 105 }; /* timers fire in order; releases queue the next */
    assert_int_equal(g_log.n, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(ws_clock_now(rt), WS_MS(300)); /* 100 ms each, two at a time: 0-100, 100-200, 200-300 */
    assert_int_equal(ws_semaphore_held(s), 0);
    assert_int_equal(ws_semaphore_available(s), 2);
    ws_semaphore_drop(s);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* A large request at the head is not overtaken by a small one behind it, even when the small one would fit. */
static void test_large_request_not_overtaken(void **state)
{
    (void)state;
    reset_log();
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 3, &s), WS_OK);
    spawn_limited(rt, s, 2, 1, 100, NULL); /* holds 2 of 3 for 0..100 */
    spawn_limited(rt, s, 3, 2, 50, NULL);  /* wants all 3: waits until 100, holds until 150 */
    spawn_limited(rt, s, 1, 3, 10, NULL);  /* 1 is free at 0, but 2 is queued first: waits until 150 */
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    int64_t want[] = { 1, 101, 2, 102, 3, 103 };
    assert_int_equal(g_log.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(ws_clock_now(rt), WS_MS(160));
    ws_semaphore_drop(s);
    tu_rt_free(rt);
}

static void test_try_release_add_codes(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(NULL, 1, &s), WS_EINVAL);
    assert_int_equal(ws_semaphore_new(rt, (1u << 30) + 1, &s), WS_EINVAL);
    assert_int_equal(ws_semaphore_new(rt, 2, NULL), WS_EINVAL);
    assert_int_equal(ws_semaphore_new(rt, 2, &s), WS_OK);
    assert_int_equal(ws_semaphore_try_acquire(s, 0), WS_OK);
    assert_int_equal(ws_semaphore_try_acquire(s, 2), WS_OK);
    assert_int_equal(ws_semaphore_try_acquire(s, 1), WS_EEMPTY);
    assert_int_equal(ws_semaphore_held(s), 2);
    /* Releasing more than is held: a clear error, and nothing changes. */
    assert_int_equal(ws_semaphore_release(s, 3), WS_ENOTHELD);
    assert_string_equal(ws_strerror(WS_ENOTHELD), "released more permits than are held");
    assert_int_equal(ws_semaphore_held(s), 2);
    assert_int_equal(ws_semaphore_available(s), 0);
    assert_int_equal(ws_semaphore_release(s, 2), WS_OK);
    assert_int_equal(ws_semaphore_release(s, 1), WS_ENOTHELD);
    assert_int_equal(ws_semaphore_available(s), 2);
    assert_int_equal(ws_semaphore_add_permits(s, 3), WS_OK);
    assert_int_equal(ws_semaphore_available(s), 5);
    assert_int_equal(ws_semaphore_add_permits(s, 1u << 30), WS_EINVAL);
    assert_int_equal(ws_semaphore_release(NULL, 1), WS_EINVAL);
    assert_int_equal(ws_semaphore_try_acquire(NULL, 1), WS_EINVAL);
    assert_int_equal(ws_semaphore_add_permits(NULL, 1), WS_EINVAL);
    ws_semaphore_close(s);
    assert_true(ws_semaphore_is_closed(s));
    assert_int_equal(ws_semaphore_try_acquire(s, 1), WS_ECLOSED);
    ws_semaphore_close(s); /* idempotent */
    ws_semaphore_drop(s);
    ws_semaphore_drop(NULL);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* add_permits wakes the queue; close wakes every waiter with WS_ECLOSED, and later acquires fail the same way. */
static void test_add_permits_and_close(void **state)
{
    (void)state;
    reset_log();
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 0, &s), WS_OK);
    ws_task_handle h[3];
    for (int k = 0; k < 3; k++)
        spawn_limited(rt, s, 1, k + 1, 10, &h[k]);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_semaphore_waiters(s), 3);
    assert_int_equal(ws_semaphore_add_permits(s, 1), WS_OK); /* the first in line gets it at once */
    assert_int_equal(ws_semaphore_waiters(s), 2);
    assert_int_equal(ws_semaphore_held(s), 1);
    ws_semaphore_close(s); /* the two others wake to see Closed; the permit already granted stays granted */
    assert_int_equal(ws_semaphore_waiters(s), 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(g_log.n, 2);
    assert_int_equal(g_log.v[0], 1);
    assert_int_equal(g_log.v[1], 101);
    assert_int_equal(ws_clock_now(rt), WS_MS(10));
    assert_int_equal(ws_semaphore_held(s), 0); /* released after close all the same */
    ws_context cx = tu_cx(rt);
    int want[] = { WS_OK, WS_ECLOSED, WS_ECLOSED };
    for (int k = 0; k < 3; k++) {
        assert_int_equal(ws_future_poll(&h[k].base, &cx), WS_READY);
        assert_int_equal(h[k].base.err, want[k]);
        ws_future_drop(rt, &h[k].base);
    }
    /* Awaiting a closed semaphore: WS_ECLOSED at once. */
    spawn_limited(rt, s, 1, 9, 10, &h[0]);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_future_poll(&h[0].base, &cx), WS_READY);
    assert_int_equal(h[0].base.err, WS_ECLOSED);
    ws_future_drop(rt, &h[0].base);
    assert_int_equal(g_log.n, 2); /* none of the refused ones ran its body */
    ws_semaphore_drop(s);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    tu_rt_free(rt);
}

/* Cancellation at every await point of a holder: while queued for the permit, and while holding it. In both
 * cases the permit count comes back whole and the next in line runs at the exact time it should. */
static void test_abort_at_each_await_point(void **state)
{
    (void)state;
    for (int point = 0; point < 2; point++) {
        reset_log();
        ws_runtime *rt = tu_rt();
        ws_semaphore *s;
        assert_int_equal(ws_semaphore_new(rt, 1, &s), WS_OK);
        ws_id a = spawn_limited(rt, s, 1, 1, 100, NULL); /* holds 0..100 */
        ws_id b = spawn_limited(rt, s, 1, 2, 100, NULL); /* queued behind a */
        spawn_limited(rt, s, 1, 3, 100, NULL);
        /* At 50 ms a holds the permit and b, c wait: point 0 aborts the queued b, point 1 the holder a. */
        g_probe_sem = s;
        tu_spawn_aborter(rt, point == 0 ? b : a, 50);
        assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
        assert_int_equal(ws_semaphore_held(s), 0);
        assert_int_equal(ws_semaphore_available(s), 1);
        if (point == 0) { /* a 0..100, c 100..200; b never ran */
            int64_t want[] = { 1, 101, 3, 103 };
            assert_int_equal(g_log.n, 4);
            for (int i = 0; i < 4; i++)
                assert_int_equal(g_log.v[i], want[i]);
            assert_int_equal(g_max_in, 1);
            assert_int_equal(ws_clock_now(rt), WS_MS(200));
        } else { /* a 0..50 (aborted: its permit goes to b at once), b 50..150, c 150..250 */
            int64_t want[] = { 1, 2, 102, 3, 103 };
            assert_int_equal(g_log.n, 5);
            for (int i = 0; i < 5; i++)
                assert_int_equal(g_log.v[i], want[i]);
            assert_int_equal(ws_clock_now(rt), WS_MS(250));
        }
        ws_semaphore_drop(s);
        assert_int_equal(tu_stats(rt).objects_live, 0);
        tu_rt_free(rt);
    }
}

/* An acquire that was assigned permits by a release but dropped before it observed them passes them on. */
static void test_granted_then_dropped_passes_on(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 1, &s), WS_OK);
    assert_int_equal(ws_semaphore_try_acquire(s, 1), WS_OK);
    ws_acquire a1, a2;
    ws_acquire_init(&a1, s, 1);
    ws_acquire_init(&a2, s, 1);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&a1.base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&a2.base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&a2.base, &cx), WS_PENDING); /* polled again: keeps its place */
    assert_int_equal(ws_semaphore_waiters(s), 2);
    assert_int_equal(ws_semaphore_release(s, 1), WS_OK); /* assigned to a1 */
    assert_int_equal(ws_semaphore_held(s), 1);
    assert_int_equal(ws_semaphore_available(s), 0);
    ws_future_drop(rt, &a1.base); /* never observed: goes to a2 */
    assert_int_equal(ws_semaphore_held(s), 1);
    assert_int_equal(ws_future_poll(&a2.base, &cx), WS_READY);
    assert_int_equal(a2.base.err, WS_OK);
    assert_int_equal(a2.base.out, 1);
    ws_future_drop(rt, &a2.base);
    /* Dropping a queued acquire at the head lets a smaller one behind it through. */
    ws_acquire big, small;
    ws_acquire_init(&big, s, 5);
    ws_acquire_init(&small, s, 0);
    ws_future_drop(rt, &small.base); /* never polled: just gives its reference back */
    ws_acquire_init(&small, s, 1);
    assert_int_equal(ws_semaphore_release(s, 1), WS_OK);
    assert_int_equal(ws_future_poll(&big.base, &cx), WS_PENDING);
    assert_int_equal(ws_future_poll(&small.base, &cx), WS_PENDING); /* FIFO: behind big */
    ws_future_drop(rt, &big.base);
    assert_int_equal(ws_future_poll(&small.base, &cx), WS_READY);
    ws_future_drop(rt, &small.base);
    assert_int_equal(ws_semaphore_release(s, 1), WS_OK);
    /* The creator lets go while permits are held: the semaphore lives until they are released. */
    assert_int_equal(ws_semaphore_try_acquire(s, 1), WS_OK);
    ws_semaphore_drop(s);
    assert_int_equal(tu_stats(rt).objects_live, 1);
    assert_int_equal(ws_semaphore_release(s, 1), WS_OK);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    /* A NULL semaphore: WS_EINVAL, no crash. */
    ws_acquire bad;
    ws_acquire_init(&bad, NULL, 1);
    assert_int_equal(ws_future_poll(&bad.base, &cx), WS_READY);
    assert_int_equal(bad.base.err, WS_EINVAL);
    ws_future_drop(rt, &bad.base);
    tu_rt_free(rt);
}

static void test_trace_events(void **state)
{
    (void)state;
    reset_log();
    ws_runtime *rt = tu_rt_opts(128, 256, 1);
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 1, &s), WS_OK);
    spawn_limited(rt, s, 1, 1, 10, NULL);
    spawn_limited(rt, s, 1, 2, 10, NULL);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_trace_event e[256];
    uint32_t n = ws_trace_read(rt, 0, e, 256);
    int waits = 0, grants = 0, releases = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind != WS_EV_SEMAPHORE)
            continue;
        assert_int_equal(e[i].a, ws_semaphore_id(s));
        assert_int_equal(e[i].b, 1);
        if (e[i].detail == 0) {
            waits++;
            assert_int_equal(e[i].task, 2); /* the second task waits, holding none */
            assert_int_equal(e[i].c, 1);
        } else if (e[i].detail == 1) {
            grants++;
            assert_int_equal(e[i].task, 2);
            assert_int_equal(e[i].t, WS_MS(10));
        } else {
            releases++;
        }
    }
    assert_int_equal(waits, 1);
    assert_int_equal(grants, 1);
    assert_int_equal(releases, 2);
    assert_string_equal(ws_trace_kind_name(WS_EV_SEMAPHORE), "semaphore");
    ws_semaphore_drop(s);
    tu_rt_free(rt);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    tu_mem.fail_at = tu_mem.calls + 1;
    ws_semaphore *s = (ws_semaphore *)1;
    assert_int_equal(ws_semaphore_new(rt, 1, &s), WS_ENOMEM);
    assert_null(s);
    tu_mem.fail_at = 0;
    tu_rt_free(rt);
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* with_permit is ready with its inner future's output and error, and gives its permits back as soon as it is ready,
 * not only when it is dropped; dropping it afterwards gives back nothing more. Motivating mutants (semaphore.c):
 * with_permit_poll:263 `f->out = w->inner->out` deleted (out 0 instead of the inner output); with_permit_poll:265
 * `with_permit_drop(cx->rt, f)` deleted (the permits stay held until the drop). */
static void test_with_permit_output_and_release(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 3, &s), WS_OK);
    ws_ready inner;
    ws_ready_init(&inner, 1234);
    ws_with_permit w;
    ws_with_permit_init(&w, s, 2, &inner.base);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&w.base, &cx), WS_READY);
    assert_int_equal(w.base.err, WS_OK);
    assert_int_equal(w.base.out, 1234);
    assert_int_equal(ws_semaphore_held(s), 0); /* given back when ready */
    assert_int_equal(ws_semaphore_available(s), 3);
    ws_future_drop(rt, &w.base);
    assert_int_equal(ws_semaphore_held(s), 0);
    assert_int_equal(ws_semaphore_available(s), 3);
    ws_semaphore_drop(s);
    tu_rt_free_released(rt);
}


/* ---- from mutation run 4 (seed 20261202) ---- */

/* An acquire ready at once has out = the permits it took; one waiting in the queue and polled again from another
 * task (as a select does) wakes that task when its permits come, not the first; a with_permit whose semaphore is
 * closed is ready with WS_ECLOSED and has dropped its inner future already.
 * Motivating mutants (semaphore.c): acquire_poll:195 `f->out = a->n` deleted (out 0); acquire_poll:187
 * `a->waiter.waker = ws_context_waker(cx)` deleted (the first poller is woken, the second sleeps);
 * with_permit_poll:255 `with_permit_drop(cx->rt, f)` deleted (the inner future and the semaphore reference are
 * kept until the with_permit is dropped). */
static void test_acquire_out_repoll_and_closed_with_permit(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_semaphore *s;
    assert_int_equal(ws_semaphore_new(rt, 3, &s), WS_OK);
    ws_context cx = tu_cx(rt);
    ws_acquire a;
    ws_acquire_init(&a, s, 2);
    assert_int_equal(ws_future_poll(&a.base, &cx), WS_READY);
    assert_int_equal(a.base.err, WS_OK);
    assert_int_equal(a.base.out, 2);
    ws_future_drop(rt, &a.base);
    assert_int_equal(ws_semaphore_release(s, 2), WS_OK);

    tu_probe p1, p2;
    ws_task_handle h1 = tu_idle_task(rt, &p1), h2 = tu_idle_task(rt, &p2);
    ws_context c1 = tu_cx(rt), c2 = tu_cx(rt);
    c1.task = h1.task;
    c2.task = h2.task;
    ws_acquire big;
    ws_acquire_init(&big, s, 5); /* more than there are: queued */
    assert_int_equal(ws_future_poll(&big.base, &c1), WS_PENDING);
    assert_int_equal(ws_future_poll(&big.base, &c2), WS_PENDING); /* polled again, from the second task */
    assert_int_equal(ws_semaphore_add_permits(s, 2), WS_OK);
    assert_int_equal(ws_task_state_of(rt, h1.task), WS_TASK_IDLE);
    assert_int_equal(ws_task_state_of(rt, h2.task), WS_TASK_SCHEDULED);
    assert_int_equal(ws_future_poll(&big.base, &c2), WS_READY);
    assert_int_equal(big.base.out, 5);
    ws_future_drop(rt, &big.base);
    assert_int_equal(ws_semaphore_release(s, 5), WS_OK);

    tu_probe inner;
    int drops = 0;
    tu_probe_init(&inner, NULL, &drops, -1, 0);
    ws_with_permit w;
    ws_with_permit_init(&w, s, 9, &inner.base); /* more than there are: waits */
    assert_int_equal(ws_future_poll(&w.base, &cx), WS_PENDING);
    ws_semaphore_close(s);
    assert_int_equal(ws_future_poll(&w.base, &cx), WS_READY);
    assert_int_equal(w.base.err, WS_ECLOSED);
    assert_int_equal(drops, 1); /* dropped when the with_permit was ready, not later */
    ws_future_drop(rt, &w.base);
    assert_int_equal(drops, 1);
    ws_semaphore_drop(s);
    assert_int_equal(tu_stats(rt).objects_live, 0);
    for (int i = 0; i < 2; i++) {
        ws_task_handle *h = i ? &h2 : &h1;
        assert_int_equal(ws_task_abort(rt, h->task), WS_OK);
        ws_future_drop(rt, &h->base);
    }
    tu_run(rt);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_fifo_at_exact_times),
        TU_TEST(test_large_request_not_overtaken),
        TU_TEST(test_try_release_add_codes),
        TU_TEST(test_add_permits_and_close),
        TU_TEST(test_abort_at_each_await_point),
        TU_TEST(test_granted_then_dropped_passes_on),
        TU_TEST(test_trace_events),
        TU_TEST(test_alloc_failure),
        TU_TEST(test_runtime_free_with_a_permit_handed_on),
        TU_TEST(test_with_permit_output_and_release),
        TU_TEST(test_acquire_out_repoll_and_closed_with_permit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
