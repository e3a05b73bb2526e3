/* test_joinset.c: JoinSet, join_next, detach, and scopes (children that cannot outlive their parent), on the
 * virtual clock. */
#include "test_util.h"

static tu_log g_log;

/* Sleeps `ms`, logs k * 1000 + the time it finished (ms), returns k (or fails with err if set). */
WS_ASYNC(child_fn, { int k; int ms; int err; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    tu_log_add(&g_log, self->k * 1000 + (int64_t)(ws_clock_now(cx->rt) / WS_MS(1)));
    if (self->err)
        WS_RETURN_ERR(self->err);
    WS_RETURN(self->k);
    WS_END();
}

static int spawn_child(ws_joinset *s, int k, int ms, ws_id *id)
{
    child_fn c;
    WS_ASYNC_INIT(child_fn, &c);
    c.k = k;
    c.ms = ms;
    c.err = 0;
    return ws_joinset_spawn(s, &c.ws_base, sizeof c, "child", id);
}

/* Collects every member of a set, logging -(k * 1000 + time) for each, and err codes as 900000 + -err. */
WS_ASYNC(collect_fn, { ws_joinset *set; ws_join_next next; int n; })
{
    WS_BEGIN();
    for (;;) {
        ws_join_next_init(&self->next, self->set);
        WS_AWAIT(&self->next);
        if (WS_ERR(&self->next) == WS_EEMPTY)
            break;
        if (WS_ERR(&self->next))
            tu_log_add(&g_log, 900000 - WS_ERR(&self->next));
        else
            tu_log_add(&g_log, -(WS_OUT(&self->next) * 1000 + (int64_t)(ws_clock_now(cx->rt) / WS_MS(1))));
        assert_true(self->next.task != WS_ID_NONE);
        self->n++;
    }
    WS_RETURN(self->n);
    WS_END();
}

static void test_next_in_finishing_order(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    assert_int_equal(spawn_child(&set, 1, 30, NULL), WS_OK);
    assert_int_equal(spawn_child(&set, 2, 10, NULL), WS_OK);
    assert_int_equal(spawn_child(&set, 3, 20, NULL), WS_OK);
    assert_int_equal(ws_joinset_len(&set), 3);
    collect_fn c;
    WS_ASYNC_INIT(collect_fn, &c);
    c.set = &set;
    c.n = 0;
    int64_t out;
    int err;
    assert_int_equal(ws_block_on(rt, &c.ws_base, sizeof c, "collect", &out, &err), WS_OK);
    assert_int_equal(out, 3);
    int64_t want[] = { 2010, -2010, 3020, -3020, 1030, -1030 };
    assert_int_equal(g_log.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(g_log.v[i], want[i]);
    assert_int_equal(ws_joinset_len(&set), 0);
    ws_joinset_free(&set);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

/* abort one, abort all, detach: the set reports aborted members as WS_ECANCELED; a detached one runs on as an
 * orphan, after the set is freed. Stale ids and a freed set give clear codes. */
static void test_abort_detach_and_bad_input(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_id a, b, c, d;
    assert_int_equal(spawn_child(&set, 1, 10, &a), WS_OK);
    assert_int_equal(spawn_child(&set, 2, 20, &b), WS_OK);
    assert_int_equal(spawn_child(&set, 3, 30, &c), WS_OK);
    assert_int_equal(spawn_child(&set, 4, 50, &d), WS_OK);
    assert_int_equal(ws_joinset_abort(&set, a), WS_OK);
    assert_int_equal(ws_joinset_detach(&set, d), WS_OK);
    assert_int_equal(ws_joinset_detach(&set, d), WS_ESTALE); /* no longer a member */
    assert_int_equal(ws_joinset_abort(&set, d), WS_ESTALE);
    assert_int_equal(ws_joinset_abort(&set, WS_ID_NONE), WS_ESTALE);
    assert_int_equal(ws_joinset_abort(&set, ((ws_id)77 << 32) | 3), WS_ESTALE);
    assert_int_equal(ws_joinset_len(&set), 3);
    collect_fn col;
    WS_ASYNC_INIT(collect_fn, &col);
    col.set = &set;
    col.n = 0;
    ws_task_handle hc;
    assert_int_equal(ws_spawn(rt, &col.ws_base, sizeof col, "collect", &hc), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    /* a: cancelled at once; b at 20; c at 30 (collected); d (orphan) at 50 */
    int64_t want[] = { 900003, 2020, -2020, 3030, -3030, 4050 };
    assert_int_equal(g_log.n, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(g_log.v[i], want[i]);
    ws_future_drop(rt, &hc.base);
    assert_int_equal(ws_joinset_abort(&set, b), WS_ESTALE); /* returned by join_next: stale for the set */

    /* abort_all, then a freed set: every call reports WS_ECLOSED, nothing is touched */
    assert_int_equal(spawn_child(&set, 5, 10, NULL), WS_OK);
    assert_int_equal(spawn_child(&set, 6, 10, NULL), WS_OK);
    assert_int_equal(ws_joinset_abort_all(&set), WS_OK);
    ws_join_next n;
    ws_join_next_init(&n, &set);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
        assert_int_equal(n.base.err, WS_ECANCELED);
        ws_future_drop(rt, &n.base);
        ws_join_next_init(&n, &set);
    }
    assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
    assert_int_equal(n.base.err, WS_EEMPTY);
    ws_future_drop(rt, &n.base);
    ws_joinset_free(&set);
    ws_joinset_free(&set); /* idempotent */
    ws_id id;
    assert_int_equal(spawn_child(&set, 7, 10, &id), WS_ECLOSED);
    assert_int_equal(id, WS_ID_NONE);
    assert_int_equal(ws_joinset_abort_all(&set), WS_ECLOSED);
    assert_int_equal(ws_joinset_abort(&set, b), WS_ECLOSED);
    assert_int_equal(ws_joinset_detach(&set, b), WS_ECLOSED);
    assert_int_equal(ws_joinset_len(&set), 0);
    ws_join_next_init(&n, &set);
    assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
    assert_int_equal(n.base.err, WS_ECLOSED);
    ws_future_drop(rt, &n.base);
    ws_join_next_init(&n, NULL);
    assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
    assert_int_equal(n.base.err, WS_EINVAL);
    assert_int_equal(ws_joinset_spawn(NULL, NULL, 0, NULL, NULL), WS_EINVAL);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

WS_ASYNC(next_once_fn, { ws_joinset *set; ws_join_next next; })
{
    WS_BEGIN();
    ws_join_next_init(&self->next, self->set);
    WS_AWAIT(&self->next);
    WS_RETURN_ERR(WS_ERR(&self->next));
    WS_END();
}

/* Frees the set after `ms`. */
WS_ASYNC(freer_fn, { ws_joinset *set; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    ws_joinset_free(self->set);
    WS_RETURN(0);
    WS_END();
}

/* Freeing a set aborts its running members at once; a pending join_next sees WS_ECLOSED. */
static void test_free_aborts_members(void **state)
{
    (void)state;
    memset(&g_log, 0, sizeof g_log);
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    assert_int_equal(spawn_child(&set, 1, 0, NULL), WS_OK);
    assert_int_equal(spawn_child(&set, 2, 100, NULL), WS_OK);
    assert_int_equal(spawn_child(&set, 3, 0, NULL), WS_OK); /* finished, never collected: freed with the set */
    next_once_fn w;
    WS_ASYNC_INIT(next_once_fn, &w);
    w.set = &set;
    ws_task_handle h1, h2;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "next", &h1), WS_OK);
    freer_fn f;
    WS_ASYNC_INIT(freer_fn, &f);
    f.set = &set;
    f.ms = 50;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "freer", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    ws_context cx = tu_cx(rt);
    assert_int_equal(ws_future_poll(&h1.base, &cx), WS_READY);
    assert_int_equal(h1.base.err, WS_OK); /* member 1, at 0 */
    ws_future_drop(rt, &h1.base);
    /* a second join_next, pending until the free at 50 */
    ws_joinset_init(&set, rt);
    assert_int_equal(spawn_child(&set, 4, 100, NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "next", &h2), WS_OK);
    f.ms = 50;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "freer", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(ws_future_poll(&h2.base, &cx), WS_READY);
    assert_int_equal(h2.base.err, WS_ECLOSED);
    ws_future_drop(rt, &h2.base);
    /* only the members that finished before the frees logged: 1 and 3 at 0; 2 and 4 were aborted at 50 */
    assert_int_equal(g_log.n, 2);
    assert_int_equal(g_log.v[0], 1000);
    assert_int_equal(g_log.v[1], 3000);
    assert_int_equal(ws_clock_now(rt), WS_MS(100)); /* 50 + 50: the second round started at 50 */
    assert_int_equal(tu_stats(rt).aborted, 2);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

/* A scope: children spawned into the parent's own set. mode 0: the parent returns after the first child;
 * 1: it fails; 2: it is aborted while sleeping (its second await point); 3: aborted while awaiting join_next
 * (its first await point). In every case the children still running are aborted at that moment. */
WS_ASYNC_SCOPE(parent_fn, { int mode; int i; ws_join_next next; ws_sleep nap; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= 3; self->i++)
        if (spawn_child(&self->scope, self->i, self->i == 1 ? 10 : 100 * self->i, NULL) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    ws_join_next_init(&self->next, &self->scope);
    WS_AWAIT(&self->next);
    if (self->mode == 1)
        WS_RETURN_ERR(WS_EUSER);
    if (self->mode == 2) {
        ws_sleep_init(&self->nap, 1000);
        WS_AWAIT(&self->nap);
    }
    WS_RETURN(WS_OUT(&self->next));
    WS_END();
}

WS_ASYNC(abort_after_fn, { ws_id target; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    WS_RETURN(ws_task_abort(cx->rt, self->target));
    WS_END();
}

static void test_scope_children_cannot_outlive_parent(void **state)
{
    (void)state;
    for (int mode = 0; mode < 4; mode++) {
        memset(&g_log, 0, sizeof g_log);
        ws_runtime *rt = tu_rt_opts(128, 1024, 1);
        parent_fn p;
        WS_ASYNC_INIT(parent_fn, &p);
        p.mode = mode;
        ws_task_handle h;
        assert_int_equal(ws_spawn(rt, &p.ws_base, sizeof p, "parent", &h), WS_OK);
        if (mode >= 2) {
            abort_after_fn a;
            WS_ASYNC_INIT(abort_after_fn, &a);
            a.target = h.task;
            a.ms = mode == 2 ? 50 : 5;
            assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "aborter", NULL), WS_OK);
        }
        assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
        ws_context cx = tu_cx(rt);
        assert_int_equal(ws_future_poll(&h.base, &cx), WS_READY);
        int want_err[] = { WS_OK, WS_EUSER, WS_ECANCELED, WS_ECANCELED };
        assert_int_equal(h.base.err, want_err[mode]);
        ws_future_drop(rt, &h.base);
        ws_time end[] = { WS_MS(10), WS_MS(10), WS_MS(50), WS_MS(5) };
        assert_int_equal(ws_clock_now(rt), end[mode]); /* nothing ran on after the parent */
        if (mode == 3) {
            assert_int_equal(g_log.n, 0);
            assert_int_equal(tu_stats(rt).aborted, 4); /* the parent and its three children */
        } else {
            assert_int_equal(g_log.n, 1);
            assert_int_equal(g_log.v[0], 1010);
            assert_int_equal(tu_stats(rt).aborted, mode == 2 ? 3 : 2);
        }
        assert_int_equal(tu_stats(rt).tasks_live, 0);
        if (mode == 3) {
            /* The trace shows the parent's abort, then each child's, all at 5 ms. */
            ws_trace_event e[1024];
            uint32_t n = ws_trace_read(rt, 0, e, 1024), aborts = 0;
            for (uint32_t i = 0; i < n; i++) {
                if (e[i].kind != WS_EV_ABORT)
                    continue;
                assert_int_equal(e[i].t, WS_MS(5));
                assert_int_equal(e[i].task, aborts == 0 ? 1u : 2u + aborts); /* parent 1; children 3, 4, 5 */
                aborts++;
            }
            assert_int_equal(aborts, 4);
        }
        tu_rt_free(rt);
    }
}

/* A scope dropped before its first poll never touched its (uninitialised) set. */
static void test_scope_dropped_unpolled(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    parent_fn p;
    memset(&p, 0xAB, sizeof p);
    WS_ASYNC_INIT(parent_fn, &p);
    ws_future_drop(rt, &p.ws_base);
    tu_rt_free(rt);
}

static void test_spawn_alloc_failure(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    int ok = 0;
    for (uint64_t k = 1; k < 40; k++) { /* fail each allocation in turn: the set stays consistent */
        tu_mem.fail_at = tu_mem.calls + k;
        if (spawn_child(&set, 1, 10, NULL) == WS_OK)
            ok++;
        else
            assert_int_equal(ws_joinset_len(&set), (uint32_t)ok);
        tu_mem.fail_at = 0;
    }
    assert_int_equal(ws_joinset_len(&set), (uint32_t)ok);
    assert_true(ok > 0);
    ws_joinset_free(&set);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

/* WS_ASYNC_SCOPE_WITH_DROP: the function's own hook (here: its semaphore reference) runs once whether it
 * finishes or is aborted, and the children still go with the scope. */
static int g_hook_runs;
static void holder_release(ws_runtime *rt, ws_future *f);
WS_ASYNC_SCOPE_WITH_DROP(holder_fn, holder_release, { ws_semaphore *sem; int ms; ws_sleep nap; })
{
    WS_BEGIN();
    if (ws_semaphore_new(cx->rt, 1, &self->sem) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    if (spawn_child(&self->scope, 1, 1000, NULL) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    WS_RETURN(0);
    WS_END();
}
static void holder_release(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    holder_fn *self = (holder_fn *)f;
    g_hook_runs++;
    if ((f->flags & WS_FUTURE_POLLED) && self->sem)
        ws_semaphore_drop(self->sem);
}

static void test_scope_with_drop(void **state)
{
    (void)state;
    for (int abort_it = 0; abort_it < 3; abort_it++) {
        memset(&g_log, 0, sizeof g_log);
        g_hook_runs = 0;
        ws_runtime *rt = tu_rt();
        holder_fn h;
        WS_ASYNC_INIT(holder_fn, &h);
        h.sem = NULL;
        h.ms = 50;
        if (abort_it == 2) { /* dropped before its first poll: the hook runs, finds nothing to release */
            h.sem = (ws_semaphore *)&h; /* garbage the hook must not trust */
            ws_future_drop(rt, &h.ws_base);
            assert_int_equal(g_hook_runs, 1);
            tu_rt_free(rt);
            continue;
        }
        ws_task_handle th;
        assert_int_equal(ws_spawn(rt, &h.ws_base, sizeof h, "holder", &th), WS_OK);
        if (abort_it) {
            abort_after_fn a;
            WS_ASYNC_INIT(abort_after_fn, &a);
            a.target = th.task;
            a.ms = 20;
            assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "aborter", NULL), WS_OK);
        }
        assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
        assert_int_equal(ws_clock_now(rt), abort_it ? WS_MS(20) : WS_MS(50));
        assert_int_equal(g_hook_runs, 1);
        assert_int_equal(g_log.n, 0); /* the 1000 ms child was aborted with the scope */
        assert_int_equal(tu_stats(rt).objects_live, 0);
        ws_future_drop(rt, &th.base);
        assert_int_equal(tu_stats(rt).tasks_live, 0);
        tu_rt_free(rt);
    }
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* An allocator that hands out dirty memory (every new byte 0x01), as malloc may: the set must not read an entry
 * it has not written. */
static void *dirty_alloc(void *ud, size_t size)
{
    unsigned char *p = tu_alloc_fn(ud, size);
    if (p)
        memset(p, 0x01, size);
    return p;
}
static void *dirty_realloc(void *ud, void *ptr, size_t size)
{
    size_t old = 0;
    if (ptr)
        memcpy(&old, (char *)ptr - TU_HDR, sizeof old);
    unsigned char *p = tu_realloc_fn(ud, ptr, size);
    if (p && size > old)
        memset(p + old, 0x01, size - old);
    return p;
}
static const ws_allocator dirty_allocator = { dirty_alloc, dirty_realloc, tu_free_fn, NULL };

/* The entries a set grows by are free until a member takes them, whatever the allocator left in them: a set with
 * one member (seven free entries of dirty memory) aborts, collects and frees only that member.
 * Motivating mutant: joinset.c:56 entry_take `e[i].state = ENTRY_FREE` deleted (the new entries keep the dirty
 * byte, which reads as a running member: ws_joinset_free drops a handle that was never written). */
static void test_new_entries_are_free(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &dirty_allocator;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_id id;
    assert_int_equal(spawn_child(&set, 1, 10, &id), WS_OK);
    assert_int_equal(ws_joinset_len(&set), 1);
    assert_int_equal(ws_joinset_abort_all(&set), WS_OK);
    assert_int_equal(ws_joinset_abort(&set, (ws_id)0x0101010101010101ull), WS_ESTALE);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).tasks_live, 1); /* finished (aborted), kept for join_next */
    ws_joinset_free(&set);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free_released(rt);
}


/* Records the size of each allocation, to see what a spawn into a set allocates. */
static size_t g_sizes[64];
static int g_nsizes;
static void *sized_alloc(void *ud, size_t size)
{
    if (g_nsizes < 64)
        g_sizes[g_nsizes++] = size;
    return tu_alloc_fn(ud, size);
}
static const ws_allocator sized_allocator = { sized_alloc, tu_realloc_fn, tu_free_fn, NULL };

typedef struct padded {
    ws_future base;
    unsigned char pad[400];
} padded;
static ws_poll padded_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    f->out = 1;
    return WS_READY;
}
static const ws_future_type padded_type = { "padded", padded_poll, NULL, NULL };

/* A member is built in front of its future on the stack when the two fit in 256 bytes, so spawning it allocates
 * nothing but its task (from the slab); only a bigger one needs a block of its own for the copy, which it frees at
 * once. Futures of every size (in steps of 8) from the smallest up to 300 bytes are spawned one after the other;
 * the allocator sees a copy only for members over 256 bytes, and does see some.
 * Motivating mutant: joinset.c:93 ws_joinset_spawn `total <= sizeof stack` -> `<` (a member of exactly 256 bytes
 * is copied through an allocation that can fail). */
static void test_member_copy_allocation(void **state)
{
    (void)state;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &sized_allocator;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_context cx = tu_cx(rt);
    static padded p;
    int copies = 0;
    for (size_t size = sizeof(ws_future); size <= 300; size += 8) {
        ws_future_init(&p.base, &padded_type);
        g_nsizes = 0;
        assert_int_equal(ws_joinset_spawn(&set, &p.base, size, "padded", NULL), WS_OK);
        if (size > sizeof(ws_future)) /* the first spawn also allocates the entries, a slab chunk, a slot page */
            for (int i = 0; i < g_nsizes; i++) {
                if (g_sizes[i] <= 256)
                    fail_msg("a future of %zu bytes: an allocation of %zu", size, g_sizes[i]);
                copies++;
            }
        tu_run(rt);
        ws_join_next n;
        ws_join_next_init(&n, &set);
        assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
        assert_int_equal(n.base.err, WS_OK);
        ws_future_drop(rt, &n.base);
    }
    assert_true(copies > 0);
    ws_joinset_free(&set);
    tu_rt_free_released(rt);
}


/* ---- from mutation run 4 (seed 20261202) ---- */

/* The size a member's future may have: at least a ws_future, at most 2^29 bytes, checked before anything is
 * allocated. The allocator is made to fail here, so a size that passes the check ends in WS_ENOMEM instead of being
 * allocated. Motivating mutants (joinset.c:84 ws_joinset_spawn): `size < sizeof(ws_future) || size > (1u << 29)`
 * with `||` -> `&&` (neither limit holds), `(1u << 29)` -> `(1u << 28)` (half the sizes refused) and -> `(1u << 30)`
 * (sizes up to 1 GiB accepted). */
static void test_member_size_limits(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_ready r;
    ws_ready_init(&r, 0);
    tu_mem.fail_from = tu_mem.calls + 1;
    assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof(ws_future) - 1, "small", NULL), WS_EINVAL);
    assert_int_equal(ws_joinset_spawn(&set, &r.base, (1u << 29) + 8, "huge", NULL), WS_EINVAL);
    assert_int_equal(ws_joinset_spawn(&set, &r.base, (1u << 28) + 8, "big", NULL), WS_ENOMEM); /* allowed */
    assert_int_equal(ws_joinset_spawn(&set, &r.base, 1u << 29, "biggest", NULL), WS_ENOMEM);   /* allowed */
    tu_mem.fail_from = 0;
    assert_int_equal(ws_joinset_len(&set), 0);
    ws_joinset_free(&set);
    tu_rt_free_released(rt);
}

/* A set's first 8 entries hold 8 members: the free list reaches the last entry, and a spawn that fails gives its
 * entry back. Eight spawns fail (every allocation of ws_spawn fails), then eight succeed: the set still has its first
 * 8 entries; the ninth member grows it to 16. Motivating mutants (joinset.c): entry_take's free list
 * `i + 1 < cap ? i + 2 : 0` -> `i + 2 < cap` (the last entry is never handed out); ws_joinset_spawn's
 * `entry_release(s, i)` after a failed ws_spawn deleted (the entry is lost). */
static void test_entries_reused(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_ready r;
    for (int i = 0; i < 8; i++) {
        ws_ready_init(&r, i);
        /* the first attempt allocates the entries (call 1), then the spawn's own allocations fail */
        tu_mem.fail_from = tu_mem.calls + (i == 0 ? 2 : 1);
        assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof r, "fails", NULL), WS_ENOMEM);
        tu_mem.fail_from = 0;
    }
    assert_int_equal(set.cap, 8);
    for (int i = 0; i < 8; i++) {
        ws_ready_init(&r, i);
        assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof r, "ok", NULL), WS_OK);
    }
    assert_int_equal(ws_joinset_len(&set), 8);
    assert_int_equal(set.cap, 8); /* all eight entries used, none lost */
    ws_ready_init(&r, 8);
    assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof r, "ninth", NULL), WS_OK);
    assert_int_equal(set.cap, 16);
    ws_joinset_free(&set);
    tu_run(rt);
    tu_rt_free_released(rt);
}


/* Detaching a finished member takes it out of the middle of the done list: the others are returned in their
 * finishing order, then the set is empty. Motivating mutants (joinset.c done_unlink): `k - 1 != i` -> `k + 1 != i`
 * (line 174: the member is looked for at the wrong place: not found, or another one unlinked);
 * `s->entries[prev - 1].next = ...` -> `prev - 0` (line 177: the previous member keeps its link to the detached
 * one, whose entry is free again). */
static void test_detach_finished_from_the_middle(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_id a, b, c;
    assert_int_equal(spawn_child(&set, 1, 10, &a), WS_OK);
    assert_int_equal(spawn_child(&set, 2, 20, &b), WS_OK);
    assert_int_equal(spawn_child(&set, 3, 30, &c), WS_OK);
    memset(&g_log, 0, sizeof g_log);
    tu_run(rt); /* all three finish: the done list is a, b, c */
    assert_int_equal(ws_joinset_len(&set), 3);
    assert_int_equal(ws_joinset_detach(&set, b), WS_OK);
    assert_int_equal(ws_joinset_len(&set), 2);
    ws_context cx = tu_cx(rt);
    ws_id expect[] = { a, c };
    for (int i = 0; i < 2; i++) {
        ws_join_next n;
        ws_join_next_init(&n, &set);
        assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
        assert_int_equal(n.base.err, WS_OK);
        assert_int_equal(n.task, expect[i]);
        assert_int_equal(n.base.out, i == 0 ? 1 : 3);
        ws_future_drop(rt, &n.base);
    }
    ws_join_next n;
    ws_join_next_init(&n, &set);
    assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
    assert_int_equal(n.base.err, WS_EEMPTY);
    ws_future_drop(rt, &n.base);
    ws_joinset_free(&set);
    tu_rt_free_released(rt);
}


/* Members collected by join_next give their entries back: eight members, collected, then eight more fit in the
 * same 8 entries. Motivating mutant: joinset.c:310 join_next_poll `entry_release(s, i)` deleted (each collected
 * member's entry is lost, and the set grows for the next ones). */
static void test_collected_entries_reused(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_context cx = tu_cx(rt);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 8; i++) {
            ws_ready r;
            ws_ready_init(&r, i);
            assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof r, "r", NULL), WS_OK);
        }
        assert_int_equal(set.cap, 8);
        tu_run(rt);
        for (int i = 0; i < 8; i++) {
            ws_join_next n;
            ws_join_next_init(&n, &set);
            assert_int_equal(ws_future_poll(&n.base, &cx), WS_READY);
            assert_int_equal(n.base.err, WS_OK);
            assert_int_equal(n.base.out, i);
            ws_future_drop(rt, &n.base);
        }
        assert_int_equal(ws_joinset_len(&set), 0);
    }
    ws_joinset_free(&set);
    tu_rt_free_released(rt);
}

/* A join_next waiting when its set is freed is woken by no task: the trace's wake names source 0. Motivating
 * mutant: joinset.c:226 ws_joinset_free `ws_waker_wake(&w, WS_CAUSE_TASK, 0)` -> `1` (the wake claims to come from
 * task 1). */
WS_ASYNC(next_waiter, { ws_joinset *set; ws_join_next n; })
{
    WS_BEGIN();
    ws_join_next_init(&self->n, self->set);
    WS_AWAIT(&self->n);
    WS_RETURN(WS_ERR(&self->n));
    WS_END();
}

static void test_free_wakes_from_no_task(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 256, 0);
    ws_joinset set;
    ws_joinset_init(&set, rt);
    tu_probe forever; /* task serial 1: pending, woken by nobody */
    tu_probe_init(&forever, NULL, NULL, -1, 0);
    assert_int_equal(ws_joinset_spawn(&set, &forever.base, sizeof forever, "forever", NULL), WS_OK);
    next_waiter w;
    WS_ASYNC_INIT(next_waiter, &w);
    w.set = &set;
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "waiter", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE); /* both wait */
    uint32_t from = ws_trace_count(rt);
    ws_joinset_free(&set);
    int wakes = 0;
    for (uint32_t i = from; i < ws_trace_count(rt); i++) {
        ws_trace_event e;
        assert_int_equal(ws_trace_read(rt, i, &e, 1), 1);
        if (e.kind == WS_EV_WAKE && e.detail == WS_CAUSE_TASK && e.task == 2) {
            wakes++;
            assert_int_equal(e.b, 0); /* the source: no task */
        }
    }
    assert_int_equal(wakes, 1);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_DONE);
    ws_future_drop(rt, &h.base);
    tu_rt_free(rt);
}


/* ---- from mutation run 5 (seed 20261203) ---- */

/* A member over 256 bytes is copied through an allocation; when that fails, the spawn fails with WS_ENOMEM and
 * the set is unchanged. Motivating mutant: joinset.c:96 ws_joinset_spawn `return WS_ENOMEM` -> `return 0` (the
 * spawn reports success, and nothing was spawned). */
static void test_big_member_copy_fails(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_joinset set;
    ws_joinset_init(&set, rt);
    ws_ready r;
    ws_ready_init(&r, 1);
    assert_int_equal(ws_joinset_spawn(&set, &r.base, sizeof r, "small", NULL), WS_OK); /* entries, slab, slots */
    static padded big;
    ws_future_init(&big.base, &padded_type);
    ws_id id = 1;
    tu_mem.fail_at = tu_mem.calls + 1; /* the copy */
    assert_int_equal(ws_joinset_spawn(&set, &big.base, 300, "big", &id), WS_ENOMEM);
    tu_mem.fail_at = 0;
    assert_int_equal(id, WS_ID_NONE);
    assert_int_equal(ws_joinset_len(&set), 1);
    assert_int_equal(tu_stats(rt).tasks_live, 1);
    ws_joinset_free(&set);
    tu_run(rt);
    tu_rt_free_released(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_next_in_finishing_order),
        TU_TEST(test_abort_detach_and_bad_input),
        TU_TEST(test_free_aborts_members),
        TU_TEST(test_scope_children_cannot_outlive_parent),
        TU_TEST(test_scope_dropped_unpolled),
        TU_TEST(test_spawn_alloc_failure),
        TU_TEST(test_scope_with_drop),
        TU_TEST(test_new_entries_are_free),
        TU_TEST(test_member_copy_allocation),
        TU_TEST(test_member_size_limits),
        TU_TEST(test_entries_reused),
        TU_TEST(test_detach_finished_from_the_middle),
        TU_TEST(test_collected_entries_reused),
        TU_TEST(test_free_wakes_from_no_task),
        TU_TEST(test_big_member_copy_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
