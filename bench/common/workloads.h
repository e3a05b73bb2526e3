/* workloads.h: the benchmark workloads as wasync async functions, shared by the native benchmark (bench_core) and
 * the bench wasm module (bench/wasm/bench_entries.c), so the native ceiling and the wasm build run exactly the same
 * C code. Header-only (WS_ASYNC defines static functions): include it in one translation unit per program.
 *
 * Every workload is a "main" future: build it with its bw_*_init, run it (ws_block_on natively; rt.start from JS
 * through the bench module's registry), then read its results from its fields (they survive the drop).
 */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

#include "wasync.h"

#include <string.h>

/* ---- spawn: n trivial tasks, spawned with join handles, then every handle awaited in order ---------------- */

WS_ASYNC(bw_trivial, { int64_t value; })
{
    WS_BEGIN();
    WS_RETURN(self->value);
    WS_END();
}

static void bw_spawn_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(bw_spawn, bw_spawn_drop, { int64_t n, spawned, i, sum; ws_task_handle *h; })
{
    WS_BEGIN();
    self->h = ws_alloc(cx->rt, (size_t)self->n * sizeof *self->h);
    if (!self->h)
        WS_RETURN_ERR(WS_ENOMEM);
    for (self->spawned = 0; self->spawned < self->n; self->spawned++) {
        bw_trivial t;
        WS_ASYNC_INIT(bw_trivial, &t);
        t.value = self->spawned;
        if (ws_spawn(cx->rt, &t.ws_base, sizeof t, "trivial", &self->h[self->spawned]) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    for (self->i = 0; self->i < self->n; self->i++) {
        WS_AWAIT(&self->h[self->i]);
        self->sum += WS_OUT(&self->h[self->i]);
    }
    WS_RETURN(self->sum);
    WS_END();
}

static void bw_spawn_drop(ws_runtime *rt, ws_future *f)
{
    bw_spawn *self = (bw_spawn *)f;
    ws_async_drop(rt, f);
    if (self->h) {
        for (int64_t i = 0; i < self->spawned; i++)
            ws_future_drop(rt, &self->h[i].base); /* detaches what was not collected */
        ws_free(rt, self->h, (size_t)self->n * sizeof *self->h);
        self->h = NULL;
    }
}

static inline void bw_spawn_init(bw_spawn *f, int64_t n)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_spawn, f);
    f->n = n;
}

/* ---- yield: `tasks` tasks, each awaiting yield_now `yields` times -------------------------------------------- */

WS_ASYNC(bw_yielder, { int64_t yields, i; ws_yield y; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->yields; self->i++) {
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
    }
    WS_RETURN(self->i);
    WS_END();
}

static void bw_yield_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(bw_yield, bw_yield_drop, { int64_t tasks, yields, spawned, i, sum; ws_task_handle *h; })
{
    WS_BEGIN();
    self->h = ws_alloc(cx->rt, (size_t)self->tasks * sizeof *self->h);
    if (!self->h)
        WS_RETURN_ERR(WS_ENOMEM);
    for (self->spawned = 0; self->spawned < self->tasks; self->spawned++) {
        bw_yielder y;
        WS_ASYNC_INIT(bw_yielder, &y);
        y.yields = self->yields;
        y.i = 0;
        if (ws_spawn(cx->rt, &y.ws_base, sizeof y, "yielder", &self->h[self->spawned]) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    for (self->i = 0; self->i < self->tasks; self->i++) {
        WS_AWAIT(&self->h[self->i]);
        self->sum += WS_OUT(&self->h[self->i]);
    }
    WS_RETURN(self->sum);
    WS_END();
}

static void bw_yield_drop(ws_runtime *rt, ws_future *f)
{
    bw_yield *self = (bw_yield *)f;
    ws_async_drop(rt, f);
    if (self->h) {
        for (int64_t i = 0; i < self->spawned; i++)
            ws_future_drop(rt, &self->h[i].base);
        ws_free(rt, self->h, (size_t)self->tasks * sizeof *self->h);
        self->h = NULL;
    }
}

static inline void bw_yield_init(bw_yield *f, int64_t tasks, int64_t yields)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_yield, f);
    f->tasks = tasks;
    f->yields = yields;
}

/* ---- ping-pong: `msgs` messages in all between two tasks, over two bounded channels (one each way) --------- */

static void bw_pinger_drop(ws_runtime *rt, ws_future *f);

/* Sends 1..rounds on `tx` and waits for each echo on `rx`. */
WS_ASYNC_WITH_DROP(bw_pinger, bw_pinger_drop, { ws_channel *tx, *rx; int64_t rounds, i, sum; ws_send send; ws_recv recv; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= self->rounds; self->i++) {
        ws_send_init(&self->send, self->tx, self->i);
        WS_AWAIT(&self->send);
        if (WS_ERR(&self->send) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->send));
        ws_recv_init(&self->recv, self->rx);
        WS_AWAIT(&self->recv);
        if (WS_ERR(&self->recv) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->recv));
        self->sum += WS_OUT(&self->recv);
    }
    WS_RETURN(self->sum);
    WS_END();
}

static void bw_pinger_drop(ws_runtime *rt, ws_future *f)
{
    bw_pinger *self = (bw_pinger *)f;
    ws_async_drop(rt, f);
    if (self->tx)
        ws_channel_sender_drop(self->tx);     /* the ponger then sees Closed and finishes */
    if (self->rx)
        ws_channel_receiver_drop(self->rx);
    self->tx = self->rx = NULL;
}

static void bw_ponger_drop(ws_runtime *rt, ws_future *f);

/* Echoes every message from `rx` back on `tx` until `rx` is closed. */
WS_ASYNC_WITH_DROP(bw_ponger, bw_ponger_drop, { ws_channel *tx, *rx; int64_t count; ws_send send; ws_recv recv; })
{
    WS_BEGIN();
    for (;;) {
        ws_recv_init(&self->recv, self->rx);
        WS_AWAIT(&self->recv);
        if (WS_ERR(&self->recv) == WS_ECLOSED)
            break;
        self->count++;
        ws_send_init(&self->send, self->tx, WS_OUT(&self->recv));
        WS_AWAIT(&self->send);
        if (WS_ERR(&self->send) != WS_OK)
            break;
    }
    WS_RETURN(self->count);
    WS_END();
}

static void bw_ponger_drop(ws_runtime *rt, ws_future *f)
{
    bw_ponger *self = (bw_ponger *)f;
    ws_async_drop(rt, f);
    if (self->tx)
        ws_channel_sender_drop(self->tx);
    if (self->rx)
        ws_channel_receiver_drop(self->rx);
    self->tx = self->rx = NULL;
}

static void bw_pingpong_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(bw_pingpong, bw_pingpong_drop, { int64_t msgs, capacity; ws_task_handle ha, hb; })
{
    WS_BEGIN();
    {
        ws_channel *ab, *ba;
        if (ws_channel_new(cx->rt, (uint32_t)self->capacity, &ab) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
        if (ws_channel_new(cx->rt, (uint32_t)self->capacity, &ba) != WS_OK) {
            ws_channel_sender_drop(ab);
            ws_channel_receiver_drop(ab);
            WS_RETURN_ERR(WS_ENOMEM);
        }
        bw_pinger a;
        bw_ponger b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        WS_ASYNC_INIT(bw_pinger, &a);
        WS_ASYNC_INIT(bw_ponger, &b);
        a.tx = ab;                /* ab: its sender reference to the pinger, its receiver to the ponger */
        a.rx = ba;
        a.rounds = self->msgs / 2; /* each round trip is two messages */
        b.tx = ba;
        b.rx = ab;
        if (ws_spawn(cx->rt, &b.ws_base, sizeof b, "ponger", &self->hb) != WS_OK ||
            ws_spawn(cx->rt, &a.ws_base, sizeof a, "pinger", &self->ha) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM); /* (leaks the channels; a benchmark on a machine out of memory) */
    }
    WS_AWAIT(&self->ha);
    if (WS_ERR(&self->ha) != WS_OK)
        WS_RETURN_ERR(WS_ERR(&self->ha));
    WS_AWAIT(&self->hb);
    WS_RETURN(2 * WS_OUT(&self->hb));  /* messages delivered, both ways */
    WS_END();
}

static void bw_pingpong_drop(ws_runtime *rt, ws_future *f)
{
    bw_pingpong *self = (bw_pingpong *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->ha.base);
    ws_future_drop(rt, &self->hb.base);
}

static inline void bw_pingpong_init(bw_pingpong *f, int64_t msgs, int64_t capacity)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_pingpong, f);
    f->msgs = msgs;
    f->capacity = capacity;
}

/* ---- timers: n concurrent sleeps with delays spread over 0..spread_ms; lateness histogram -------------------- */

#define BW_LATE_BUCKET_NS 10000u  /* 10 us buckets */
#define BW_LATE_BUCKETS 200000u   /* up to 2 s; later is counted in the last bucket */

/* Lateness is measured against the sleep's own deadline (its first poll + its delay), as a timer's accuracy; the
 * time to set up all the sleeps shows in the total instead. */
WS_ASYNC(bw_sleeper, { ws_time deadline; uint64_t ms; uint32_t *hist; ws_sleep nap; })
{
    WS_BEGIN();
    self->deadline = ws_clock_now(cx->rt) + WS_MS(self->ms);
    ws_sleep_until_init(&self->nap, self->deadline);
    WS_AWAIT(&self->nap);
    {
        ws_time now = ws_clock_now(cx->rt);
        ws_time late = now > self->deadline ? now - self->deadline : 0;
        uint64_t b = late / BW_LATE_BUCKET_NS;
        self->hist[b < BW_LATE_BUCKETS ? b : BW_LATE_BUCKETS - 1]++;
    }
    WS_RETURN(0);
    WS_END();
}

static void bw_timers_drop(ws_runtime *rt, ws_future *f);

/* Results go through a pointer: a spawned future is copied into its task, so the caller's copy sees nothing. */
typedef struct bw_timers_result {
    ws_time total_ns, p50_ns, p99_ns, max_ns;
} bw_timers_result;

WS_ASYNC_WITH_DROP(bw_timers, bw_timers_drop, {
    int64_t n, spread_ms, spawned, i;
    ws_time t0;
    bw_timers_result *res;
    uint32_t *hist;
    ws_task_handle *h;
})
{
    WS_BEGIN();
    self->h = ws_alloc(cx->rt, (size_t)self->n * sizeof *self->h);
    self->hist = ws_alloc(cx->rt, BW_LATE_BUCKETS * sizeof *self->hist);
    if (!self->h || !self->hist)
        WS_RETURN_ERR(WS_ENOMEM);
    memset(self->hist, 0, BW_LATE_BUCKETS * sizeof *self->hist);
    self->t0 = ws_clock_now(cx->rt);
    for (self->spawned = 0; self->spawned < self->n; self->spawned++) {
        bw_sleeper s;
        WS_ASYNC_INIT(bw_sleeper, &s);
        /* whole milliseconds 0..spread_ms, spread evenly, as the JS side's setTimeout delays */
        s.ms = (uint64_t)((self->spawned * (self->spread_ms + 1)) / self->n);
        s.hist = self->hist;
        if (ws_spawn(cx->rt, &s.ws_base, sizeof s, "sleeper", &self->h[self->spawned]) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    for (self->i = 0; self->i < self->n; self->i++)
        WS_AWAIT(&self->h[self->i]);
    self->res->total_ns = ws_clock_now(cx->rt) - self->t0;
    {
        uint64_t seen = 0, p50 = (uint64_t)(self->n * 50 + 99) / 100, p99 = (uint64_t)(self->n * 99 + 99) / 100;
        for (uint32_t b = 0; b < BW_LATE_BUCKETS; b++) {
            if (!self->hist[b])
                continue;
            if (seen < p50 && seen + self->hist[b] >= p50)
                self->res->p50_ns = (ws_time)(b + 1) * BW_LATE_BUCKET_NS;
            if (seen < p99 && seen + self->hist[b] >= p99)
                self->res->p99_ns = (ws_time)(b + 1) * BW_LATE_BUCKET_NS;
            seen += self->hist[b];
            self->res->max_ns = (ws_time)(b + 1) * BW_LATE_BUCKET_NS;
        }
    }
    WS_RETURN(self->n);
    WS_END();
}

static void bw_timers_drop(ws_runtime *rt, ws_future *f)
{
    bw_timers *self = (bw_timers *)f;
    ws_async_drop(rt, f);
    if (self->h) {
        for (int64_t i = 0; i < self->spawned; i++)
            ws_future_drop(rt, &self->h[i].base);
        ws_free(rt, self->h, (size_t)self->n * sizeof *self->h);
        self->h = NULL;
    }
    ws_free(rt, self->hist, BW_LATE_BUCKETS * sizeof *self->hist);
    self->hist = NULL;
}

static inline void bw_timers_init(bw_timers *f, int64_t n, int64_t spread_ms, bw_timers_result *res)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_timers, f);
    f->n = n;
    f->spread_ms = spread_ms;
    f->res = res;
}

/* ---- idle: n detached tasks, each pending on a long sleep (memory per pending task) ------------------------- */

WS_ASYNC(bw_idler, { ws_sleep nap; })
{
    WS_BEGIN();
    WS_AWAIT(&self->nap);
    WS_RETURN(0);
    WS_END();
}

/* Spawns the idlers and returns at once: they arm their sleeps on their first poll, after this returns. */
static inline int bw_idle_spawn(ws_runtime *rt, int64_t n, uint64_t ms)
{
    for (int64_t i = 0; i < n; i++) {
        bw_idler t;
        WS_ASYNC_INIT(bw_idler, &t);
        ws_sleep_init(&t.nap, ms);
        int rc = ws_spawn(rt, &t.ws_base, sizeof t, "idler", NULL);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

/* ---- toolbox: the per-operation cost of spawn+await, semaphore acquire+release and JoinSet spawn+next -------- */

/* The baseline: spawn a trivial task and await its handle, n times in a row. out = the sum of the outputs. */
WS_ASYNC(bw_spawn_await, { int64_t n, i, sum; ws_task_handle h; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        {
            bw_trivial t;
            WS_ASYNC_INIT(bw_trivial, &t);
            t.value = self->i;
            if (ws_spawn(cx->rt, &t.ws_base, sizeof t, "trivial", &self->h) != WS_OK)
                WS_RETURN_ERR(WS_ENOMEM);
        }
        WS_AWAIT(&self->h);
        self->sum += WS_OUT(&self->h);
    }
    WS_RETURN(self->sum);
    WS_END();
}

static inline void bw_spawn_await_init(bw_spawn_await *f, int64_t n)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_spawn_await, f);
    f->n = n;
}

/* A semaphore user: `iters` times, acquire one permit, yield (so the permits are contended), release it. */
WS_ASYNC(bw_sem_worker, { ws_semaphore *sem; int64_t iters, i; ws_acquire acq; ws_yield y; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->iters; self->i++) {
        ws_acquire_init(&self->acq, self->sem, 1);
        WS_AWAIT(&self->acq);
        if (WS_ERR(&self->acq) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->acq));
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
        ws_semaphore_release(self->sem, 1);
    }
    WS_RETURN(self->i);
    WS_END();
}

/* `tasks` workers share `permits` permits for n acquire+release pairs in all. out = n. */
WS_ASYNC_SCOPE(bw_semaphore, { int64_t n, tasks, permits, k, total; ws_semaphore *sem; ws_join_next next; })
{
    WS_BEGIN();
    if (ws_semaphore_new(cx->rt, (uint32_t)self->permits, &self->sem) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    for (self->k = 0; self->k < self->tasks; self->k++) {
        bw_sem_worker w;
        WS_ASYNC_INIT(bw_sem_worker, &w);
        w.sem = self->sem;
        w.iters = self->n / self->tasks;
        w.i = 0;
        if (ws_joinset_spawn(&self->scope, &w.ws_base, sizeof w, "sem_worker", NULL) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    for (;;) {
        ws_join_next_init(&self->next, &self->scope);
        WS_AWAIT(&self->next);
        if (WS_ERR(&self->next) == WS_EEMPTY)
            break;
        self->total += WS_OUT(&self->next);
    }
    ws_semaphore_drop(self->sem); /* a worker's acquire still holding a reference keeps it alive */
    self->sem = NULL;
    WS_RETURN(self->total);
    WS_END();
}

static inline void bw_semaphore_init(bw_semaphore *f, int64_t n, int64_t tasks, int64_t permits)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_semaphore, f);
    f->n = n - n % tasks;
    f->tasks = tasks;
    f->permits = permits;
}

/* n trivial tasks through one JoinSet, at most `width` at a time: spawn while there is room, then join_next.
 * out = the sum of the outputs. */
WS_ASYNC_SCOPE(bw_joinset, { int64_t n, width, spawned, got, sum; ws_join_next next; })
{
    WS_BEGIN();
    while (self->got < self->n) {
        while (self->spawned < self->n && ws_joinset_len(&self->scope) < (uint32_t)self->width) {
            bw_trivial t;
            WS_ASYNC_INIT(bw_trivial, &t);
            t.value = self->spawned++;
            if (ws_joinset_spawn(&self->scope, &t.ws_base, sizeof t, "trivial", NULL) != WS_OK)
                WS_RETURN_ERR(WS_ENOMEM);
        }
        ws_join_next_init(&self->next, &self->scope);
        WS_AWAIT(&self->next);
        if (WS_ERR(&self->next) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->next));
        self->sum += WS_OUT(&self->next);
        self->got++;
    }
    WS_RETURN(self->sum);
    WS_END();
}

static inline void bw_joinset_init(bw_joinset *f, int64_t n, int64_t width)
{
    memset(f, 0, sizeof *f);
    WS_ASYNC_INIT(bw_joinset, f);
    f->n = n;
    f->width = width;
}

#endif
