/* test_util.h: helpers shared by the cmocka tests: a counting (and failing) allocator, runtime setup, tiny
 * futures. Everything is static: each test file is its own program. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wasync.h"

/* ---- a counting allocator that can fail the Nth allocation ---- */

typedef struct tu_alloc_state {
    size_t live;          /* bytes handed out and not freed */
    uint64_t calls;       /* allocations (alloc + realloc) attempted */
    uint64_t fail_at;     /* 0: never fail; N: the Nth attempt (and only it) fails */
    uint64_t fail_from;   /* 0: off; N: every attempt from the Nth on fails */
    uint64_t failures;
} tu_alloc_state;

static tu_alloc_state tu_mem;

#define TU_HDR 16u

static inline int tu_should_fail(void)
{
    tu_mem.calls++;
    if ((tu_mem.fail_at && tu_mem.calls == tu_mem.fail_at) || (tu_mem.fail_from && tu_mem.calls >= tu_mem.fail_from)) {
        tu_mem.failures++;
        return 1;
    }
    return 0;
}

static void *tu_alloc_fn(void *ud, size_t size)
{
    (void)ud;
    if (tu_should_fail())
        return NULL;
    char *p = malloc(size + TU_HDR);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    tu_mem.live += size;
    return p + TU_HDR;
}

static inline void tu_free_fn(void *ud, void *ptr)
{
    (void)ud;
    if (!ptr)
        return;
    char *p = (char *)ptr - TU_HDR;
    size_t size;
    memcpy(&size, p, sizeof size);
    assert_true(tu_mem.live >= size);
    tu_mem.live -= size;
    free(p);
}

static void *tu_realloc_fn(void *ud, void *ptr, size_t size)
{
    if (!ptr)
        return tu_alloc_fn(ud, size);
    if (tu_should_fail())
        return NULL;
    char *p = (char *)ptr - TU_HDR;
    size_t old;
    memcpy(&old, p, sizeof old);
    char *q = realloc(p, size + TU_HDR);
    if (!q)
        return NULL;
    memcpy(q, &size, sizeof size);
    tu_mem.live = tu_mem.live - old + size;
    return q + TU_HDR;
}

static const ws_allocator tu_allocator = { tu_alloc_fn, tu_realloc_fn, tu_free_fn, NULL };

/* ---- runtimes ---- */

/* A runtime on the virtual clock with the counting allocator. trace: ring capacity (0: off). */
static inline ws_runtime *tu_rt_opts(uint32_t budget, uint32_t trace, int keep_first)
{
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.budget = budget;
    o.trace_capacity = trace;
    o.trace_keep_first = keep_first;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    assert_non_null(rt);
    return rt;
}

static inline ws_runtime *tu_rt(void) { return tu_rt_opts(128, 0, 0); }

/* Frees the runtime and checks that every byte went back to the allocator. */
static inline void tu_rt_free(ws_runtime *rt)
{
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);
}

static inline ws_runtime_stats tu_stats(ws_runtime *rt)
{
    ws_runtime_stats s;
    ws_runtime_get_stats(rt, &s);
    return s;
}

/* The end of a test whose program let go of everything itself: no live task, object (channel, oneshot, notify) or
 * armed timer is left for ws_runtime_free to drop, and every byte goes back to the allocator. */
static inline void tu_rt_free_released(ws_runtime *rt)
{
    ws_runtime_stats s = tu_stats(rt);
    assert_int_equal(s.tasks_live, 0);
    assert_int_equal(s.objects_live, 0);
    assert_int_equal(s.timers_armed, 0);
    tu_rt_free(rt);
}

/* A context for polling a future from outside any task (as ws_block_on does for the handle). */
static inline ws_context tu_cx(ws_runtime *rt) { return ws_context_outside(rt); }

/* Runs until nothing is runnable (or waiting on the virtual clock, which jumps by itself). */
static inline int tu_run(ws_runtime *rt)
{
    int st;
    do
        st = ws_runtime_run(rt);
    while (st == WS_RUN_MORE);
    return st;
}

/* ---- a future that counts its polls and drops, pends `pend` times (waking itself only if `self_wake`) ---- */

typedef struct tu_probe {
    ws_future base;
    int *polls;
    int *drops;
    int pend;           /* polls left that return Pending; < 0: forever */
    int64_t value;
    ws_waker waker;     /* the waker of the last poll */
} tu_probe;

static ws_waker tu_last_waker;

static inline ws_poll tu_probe_poll(ws_future *f, ws_context *cx)
{
    tu_probe *p = (tu_probe *)f;
    if (p->polls)
        (*p->polls)++;
    p->waker = ws_context_waker(cx);
    tu_last_waker = p->waker;
    if (p->pend != 0) {
        if (p->pend > 0)
            p->pend--;
        return WS_PENDING;
    }
    f->out = p->value;
    f->err = WS_OK;
    return WS_READY;
}

static inline void tu_probe_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    tu_probe *p = (tu_probe *)f;
    if (p->drops)
        (*p->drops)++;
}

static const ws_future_type tu_probe_type = { "probe", tu_probe_poll, tu_probe_drop, NULL };

static inline void tu_probe_init(tu_probe *p, int *polls, int *drops, int pend, int64_t value)
{
    ws_future_init(&p->base, &tu_probe_type);
    p->polls = polls;
    p->drops = drops;
    p->pend = pend;
    p->value = value;
    p->waker = WS_WAKER_NONE;
}

/* An idle task (pending forever, woken by nobody), spawned and run to its first Pending, whose waker a test hands
 * to a future to see whether, and whom, that future wakes. */
static inline ws_task_handle tu_idle_task(ws_runtime *rt, tu_probe *p)
{
    tu_probe_init(p, NULL, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p->base, sizeof *p, "idle", &h), WS_OK);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h.task), WS_TASK_IDLE);
    return h;
}

/* ---- a log of small integers, to check orders ---- */

typedef struct tu_log {
    int64_t v[4096];
    int n;
} tu_log;

static inline void tu_log_add(tu_log *l, int64_t x)
{
    assert_true(l->n < 4096);
    l->v[l->n++] = x;
}

/* Every test starts with a clean allocator count, so one failing test does not fail the next ones. */
static inline int tu_reset(void **state)
{
    (void)state;
    memset(&tu_mem, 0, sizeof tu_mem);
    return 0;
}
#define TU_TEST(f) cmocka_unit_test_setup(f, tu_reset)

#endif
