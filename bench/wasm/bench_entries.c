/* bench_entries.c: the benchmark workloads as entry points JS starts by name (rt.start). The workloads are the
 * same C code the native benchmark runs (bench/common/workloads.h). */
#include "entries.h"
#include "ws_js.h"

#include "../common/workloads.h"

#define MAX_N 100000000

/* ---- bench_spawn n: out = n (the tasks' outputs 0..n-1 summed, checked against n(n-1)/2 here) ---- */

WS_ASYNC(bench_spawn_entry, { bw_spawn main; })
{
    WS_BEGIN();
    WS_AWAIT(&self->main);
    if (WS_ERR(&self->main) != WS_OK)
        WS_RETURN_ERR(WS_ERR(&self->main));
    if (WS_OUT(&self->main) != self->main.n * (self->main.n - 1) / 2)
        WS_RETURN_ERR(WS_EINVAL);
    WS_RETURN(self->main.n);
    WS_END();
}

static void spawn_init(void *f, const wsx_args *a)
{
    bench_spawn_entry *self = f;
    WS_ASYNC_INIT(bench_spawn_entry, self);
    bw_spawn_init(&self->main, a->num[0]);
}

static const wsx_param spawn_params[] = { { "n", "tasks", WSX_INT, 1000, 0, MAX_N, NULL } };

const wsx_entry bench_entry_spawn = {
    "bench_spawn", "bench: spawn", "Spawns n trivial tasks with join handles and awaits them all; returns n.",
    spawn_params, 1, sizeof(bench_spawn_entry), spawn_init, 0, 0,
};

/* ---- bench_yield tasks yields: out = tasks * yields ---- */

static void yield_init(void *f, const wsx_args *a) { bw_yield_init(f, a->num[0], a->num[1]); }

static const wsx_param yield_params[] = {
    { "tasks", "tasks", WSX_INT, 10, 1, MAX_N, NULL },
    { "yields", "yield_now awaits per task", WSX_INT, 10, 0, MAX_N, NULL },
};

const wsx_entry bench_entry_yield = {
    "bench_yield", "bench: yield", "Spawns `tasks` tasks that each await yield_now `yields` times; returns the total.",
    yield_params, 2, sizeof(bw_yield), yield_init, 0, 0,
};

/* ---- bench_pingpong msgs capacity: out = messages delivered ---- */

static void pingpong_init(void *f, const wsx_args *a) { bw_pingpong_init(f, a->num[0], a->num[1]); }

static const wsx_param pingpong_params[] = {
    { "msgs", "messages (both ways)", WSX_INT, 1000, 2, MAX_N, NULL },
    { "capacity", "channel capacity", WSX_INT, 1, 1, 1 << 20, NULL },
};

const wsx_entry bench_entry_pingpong = {
    "bench_pingpong", "bench: channel ping-pong",
    "Two tasks bounce `msgs` messages over two bounded channels; returns the number delivered.",
    pingpong_params, 2, sizeof(bw_pingpong), pingpong_init, 0, 0,
};

/* ---- bench_timers n spread: JSON {n,total_ms,p50_ms,p99_ms,max_ms} (needs the real clock) ---- */

WS_ASYNC(bench_timers_entry, { bw_timers main; bw_timers_result res; })
{
    WS_BEGIN();
    self->main.res = &self->res; /* the task does not move from its first poll on */
    WS_AWAIT(&self->main);
    if (WS_ERR(&self->main) != WS_OK)
        WS_RETURN_ERR(WS_ERR(&self->main));
    {
        wsx_buf b;
        wsx_buf_init(cx->rt, &b);
        wsx_buf_str(&b, "{\"n\":");
        wsx_buf_int(&b, self->main.n);
        wsx_buf_str(&b, ",\"total_us\":");
        wsx_buf_int(&b, (int64_t)(self->res.total_ns / 1000));
        wsx_buf_str(&b, ",\"p50_us\":");
        wsx_buf_int(&b, (int64_t)(self->res.p50_ns / 1000));
        wsx_buf_str(&b, ",\"p99_us\":");
        wsx_buf_int(&b, (int64_t)(self->res.p99_ns / 1000));
        wsx_buf_str(&b, ",\"max_us\":");
        wsx_buf_int(&b, (int64_t)(self->res.max_ns / 1000));
        wsx_buf_str(&b, "}");
        self->ws_base.out = (int64_t)(intptr_t)wsx_buf_finish(&b);
        if (!self->ws_base.out)
            WS_RETURN_ERR(WS_ENOMEM);
        return WS_READY;
    }
    WS_END();
}

static void timers_init(void *f, const wsx_args *a)
{
    bench_timers_entry *self = f;
    WS_ASYNC_INIT(bench_timers_entry, self);
    bw_timers_init(&self->main, a->num[0], a->num[1], NULL);
}

static const wsx_param timers_params[] = {
    { "n", "sleeps", WSX_INT, 1000, 1, MAX_N, NULL },
    { "spread", "deadlines spread over 0..spread ms", WSX_MS, 100, 0, 100000, NULL },
};

const wsx_entry bench_entry_timers = {
    "bench_timers", "bench: timers",
    "n concurrent sleeps with deadlines spread over 0..spread ms; returns total time and lateness percentiles.",
    timers_params, 2, sizeof(bench_timers_entry), timers_init, 1, 0,
};

/* ---- bench_idle n ms: spawns n detached tasks pending on a sleep of ms, returns n at once ---- */

WS_ASYNC(bench_idle_entry, { int64_t n, ms; })
{
    WS_BEGIN();
    if (bw_idle_spawn(cx->rt, self->n, (uint64_t)self->ms) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    WS_RETURN(self->n);
    WS_END();
}

static void idle_init(void *f, const wsx_args *a)
{
    bench_idle_entry *self = f;
    WS_ASYNC_INIT(bench_idle_entry, self);
    self->n = a->num[0];
    self->ms = a->num[1];
}

static const wsx_param idle_params[] = {
    { "n", "tasks", WSX_INT, 1000, 0, MAX_N, NULL },
    { "ms", "sleep (ms)", WSX_MS, 1000000, 0, 1000000000, NULL },
};

const wsx_entry bench_entry_idle = {
    "bench_idle", "bench: idle tasks",
    "Spawns n detached tasks, each pending on a sleep of `ms`, and returns n without waiting for them.",
    idle_params, 2, sizeof(bench_idle_entry), idle_init, 0, 0,
};

/* ---- bench_fetch_many url n: n concurrent fetches joined in one task; out = body bytes received ---- */

static void fetch_many_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(bench_fetch_many, fetch_many_drop,
                   { const char *url; int64_t n, bytes; ws_fetch *fetches; ws_future **ptrs; ws_join all; })
{
    WS_BEGIN();
    self->fetches = ws_alloc(cx->rt, (size_t)self->n * sizeof *self->fetches);
    self->ptrs = ws_alloc(cx->rt, (size_t)self->n * sizeof *self->ptrs);
    if (!self->fetches || !self->ptrs)
        WS_RETURN_ERR(WS_ENOMEM);
    for (int64_t i = 0; i < self->n; i++) {
        ws_fetch_request req = { "GET", self->url, NULL, NULL, 0 };
        ws_fetch_init(&self->fetches[i], &req);
        self->ptrs[i] = &self->fetches[i].op.base;
    }
    ws_join_all_init(&self->all, self->ptrs, (uint32_t)self->n);
    WS_AWAIT(&self->all);
    for (int64_t i = 0; i < self->n; i++) {
        ws_future *f = &self->fetches[i].op.base;
        ws_bytes *block = ws_bytes_of(f->out);
        ws_fetch_response r;
        if (f->err == WS_OK && ws_fetch_response_view(block, &r) == WS_OK && r.status == 200)
            self->bytes += r.body_len;
        else
            self->ws_base.err = WS_EHOST;
        ws_bytes_free(cx->rt, block);
        f->out = 0;
    }
    if (self->ws_base.err != WS_OK)
        WS_RETURN_ERR(self->ws_base.err);
    WS_RETURN(self->bytes);
    WS_END();
}

static void fetch_many_drop(ws_runtime *rt, ws_future *f)
{
    bench_fetch_many *self = (bench_fetch_many *)f;
    ws_async_drop(rt, f); /* drops the join, which drops (aborts) every unfinished fetch */
    ws_free(rt, self->fetches, (size_t)self->n * sizeof *self->fetches);
    ws_free(rt, self->ptrs, (size_t)self->n * sizeof *self->ptrs);
    self->fetches = NULL;
    self->ptrs = NULL;
}

static void fetch_many_init(void *f, const wsx_args *a)
{
    bench_fetch_many *self = f;
    WS_ASYNC_INIT(bench_fetch_many, self);
    self->url = a->str[0];
    self->n = a->num[1];
}

static const wsx_param fetch_many_params[] = {
    { "url", "URL", WSX_URL, 0, 0, 0, "/api/delay?ms=20" },
    { "n", "concurrent requests", WSX_INT, 10, 1, 100000, NULL },
};

const wsx_entry bench_entry_fetch_many = {
    "bench_fetch_many", "bench: concurrent fetches",
    "Starts n fetches of `url` at once, joined in one task; returns the body bytes received (all must be 200).",
    fetch_many_params, 2, sizeof(bench_fetch_many), fetch_many_init, 0, 0,
};

/* ---- the toolbox: bench_spawn_await n, bench_semaphore n tasks permits, bench_joinset n width ---- */

static void spawn_await_init(void *f, const wsx_args *a) { bw_spawn_await_init(f, a->num[0]); }
static const wsx_param spawn_await_params[] = { { "n", "spawn+await pairs", WSX_INT, 1000, 0, MAX_N, NULL } };
const wsx_entry bench_entry_spawn_await = {
    "bench_spawn_await", "bench: spawn+await", "Spawns a trivial task and awaits it, n times; returns the sum.",
    spawn_await_params, 1, sizeof(bw_spawn_await), spawn_await_init, 0, 0,
};

static void semaphore_init(void *f, const wsx_args *a) { bw_semaphore_init(f, a->num[0], a->num[1], a->num[2]); }
static const wsx_param semaphore_params[] = {
    { "n", "acquire+release pairs", WSX_INT, 1000, 1, MAX_N, NULL },
    { "tasks", "workers", WSX_INT, 8, 1, 1 << 16, NULL },
    { "permits", "permits", WSX_INT, 4, 1, 1 << 16, NULL },
};
const wsx_entry bench_entry_semaphore = {
    "bench_semaphore", "bench: semaphore",
    "`tasks` workers share `permits` permits for n acquire+release pairs (rounded down to a multiple of tasks), "
    "yielding while they hold one; returns the pairs done.",
    semaphore_params, 3, sizeof(bw_semaphore), semaphore_init, 0, 0,
};

static void joinset_init(void *f, const wsx_args *a) { bw_joinset_init(f, a->num[0], a->num[1]); }
static const wsx_param joinset_params[] = {
    { "n", "tasks", WSX_INT, 1000, 0, MAX_N, NULL },
    { "width", "in the set at most", WSX_INT, 16, 1, 1 << 20, NULL },
};
const wsx_entry bench_entry_joinset = {
    "bench_joinset", "bench: JoinSet", "n trivial tasks through a JoinSet of at most `width`; returns the sum.",
    joinset_params, 2, sizeof(bw_joinset), joinset_init, 0, 0,
};
