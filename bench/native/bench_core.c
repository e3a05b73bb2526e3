/* bench_core: the native benchmark of the wasync core (the ceiling the wasm build is compared with).
 *
 * Runs the workloads of bench/common/workloads.h on the native build of the core and prints, per workload, the
 * throughput and what it costs:
 *   spawn     spawn-and-complete throughput: n trivial tasks spawned with join handles, every handle awaited
 *   yield     tasks x yields yield_now awaits (the "yield" workload)
 *   pollwake  the cost of one poll/wake cycle: one task awaiting yield_now n times (each a wake and a poll)
 *   channel   ping-pong: msgs messages between two tasks over two bounded channels
 *   timers    n concurrent sleeps spread over 0..100 ms on the real clock: total time, p50/p99/max lateness
 *   idle      n tasks pending on a sleep: bytes per task (stats.bytes_live delta / n, and the RSS delta / n)
 *   toolbox   ns per operation: spawn+await (the baseline), semaphore acquire+release (8 tasks, 4 permits, a
 *             yield while holding), JoinSet spawn+next (16 at a time); and the last two over the baseline
 *   joinops   one task joining `width` host operations (a host that records the ids its start hook gets), ns per
 *             completion: all completed before one run (a burst, as JS promises settling in one microtask turn),
 *             and one completion per run (spread, as responses arriving one by one); width 1 000 and 10 000,
 *             --joinops N completions in bursts (20 000 spread)
 *   hostawait one task awaiting host operations one at a time, each completed and then run alone, on the real
 *             clock: ns per await. The core's whole part of one bridge await of a JS promise (host_many width 1:
 *             the completion, the run it causes, the poll that takes the outcome and starts the next operation),
 *             with no crossing and no JS; --hostawait N awaits
 *
 * Built twice: bench_core against `wasync` and bench_core_notrace against `wasync_notrace` (no trace sites), so
 * that "tracing off" can be compared with "no tracing code at all"; --trace turns tracing on (ring of
 * --trace-capacity events, overwriting, so every event is really written).
 *
 *   bench_core [--only NAME[,NAME...]] [--trace] [--trace-capacity N] [--json] [--smoke]
 *              [--spawn N] [--yield-tasks T] [--yields Y] [--pollwake N] [--msgs M] [--capacity C]
 *              [--timers N] [--idle N] [--toolbox N] [--joinops N] [--hostawait N] [--repeat R]
 *
 * Not a test: it checks nothing but that each workload finished with the expected output.
 */
#define _POSIX_C_SOURCE 200809L
#include "wasync.h"
#include "ws_host_posix.h"

#include "../common/workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef BENCH_NOTRACE
#define VARIANT "notrace"
#else
#define VARIANT "wasync"
#endif

static struct {
    int64_t spawn, yield_tasks, yields, pollwake, msgs, capacity, timers, idle, repeat;
    uint32_t trace_capacity;
    int trace, json;
    const char *only;
    int64_t toolbox, joinops, hostawait;
} opt = { 1000000, 1000, 1000, 10000000, 1000000, 1, 100000, 200000, 1, 1u << 16, 0, 0, NULL, 1000000, 1000000, 2000000 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static int selected(const char *name)
{
    if (!opt.only)
        return 1;
    size_t n = strlen(name);
    for (const char *p = opt.only; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len + (e ? 1 : 0);
    }
    return 0;
}

static ws_runtime *make_runtime(int real_clock)
{
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    if (real_clock)
        o.host = ws_host_posix();
    o.trace_capacity = opt.trace ? opt.trace_capacity : 0;
    o.trace_keep_first = 0; /* overwrite: every event is written, as in a long-running program */
    ws_runtime *rt = NULL;
    if (ws_runtime_new(&o, &rt) != WS_OK) {
        fprintf(stderr, "bench_core: cannot create a runtime\n");
        exit(1);
    }
    return rt;
}

static void run_or_die(ws_runtime *rt, ws_future *f, size_t size, const char *name, int64_t expect)
{
    int64_t out = 0;
    int err = 0;
    int rc = ws_block_on(rt, f, size, name, &out, &err);
    if (rc != WS_OK || err != WS_OK || (expect >= 0 && out != expect)) {
        fprintf(stderr, "bench_core: %s failed: rc %d err %d out %lld (expected %lld)\n", name, rc, err,
                (long long)out, (long long)expect);
        exit(1);
    }
}

static int first_result = 1;

static void result_begin(const char *workload)
{
    if (opt.json)
        printf("%s\n  \"%s\": {", first_result ? "" : ",", workload);
    else
        printf("%-9s", workload);
    first_result = 0;
}

static void result_num(const char *key, const char *unit, double v, int last)
{
    if (opt.json)
        printf("\"%s\": %.6g%s", key, v, last ? "}" : ", ");
    else
        printf("  %s %.4g %s%s", key, v, unit, last ? "\n" : "");
}

static void bench_spawn(void)
{
    double best = 0, polls = 0;
    for (int64_t r = 0; r < opt.repeat; r++) {
        ws_runtime *rt = make_runtime(0);
        bw_spawn f;
        bw_spawn_init(&f, opt.spawn);
        double t0 = now_s();
        run_or_die(rt, &f.ws_base, sizeof f, "spawn", opt.spawn * (opt.spawn - 1) / 2);
        double dt = now_s() - t0;
        ws_runtime_stats st;
        ws_runtime_get_stats(rt, &st);
        polls = (double)st.polls;
        ws_runtime_free(rt);
        double rate = (double)opt.spawn / dt;
        if (rate > best)
            best = rate;
    }
    result_begin("spawn");
    result_num("n", "", (double)opt.spawn, 0);
    result_num("tasks_per_s", "tasks/s", best, 0);
    result_num("ns_per_task", "ns/task", 1e9 / best, 0);
    result_num("polls", "polls", polls, 1);
}

static void bench_yield(void)
{
    double best = 0;
    int64_t total = opt.yield_tasks * opt.yields;
    for (int64_t r = 0; r < opt.repeat; r++) {
        ws_runtime *rt = make_runtime(0);
        bw_yield f;
        bw_yield_init(&f, opt.yield_tasks, opt.yields);
        double t0 = now_s();
        run_or_die(rt, &f.ws_base, sizeof f, "yield", total);
        double dt = now_s() - t0;
        ws_runtime_free(rt);
        if ((double)total / dt > best)
            best = (double)total / dt;
    }
    result_begin("yield");
    result_num("tasks", "", (double)opt.yield_tasks, 0);
    result_num("yields", "", (double)opt.yields, 0);
    result_num("awaits_per_s", "awaits/s", best, 0);
    result_num("ns_per_await", "ns/await", 1e9 / best, 1);
}

static void bench_pollwake(void)
{
    double best = 0;
    for (int64_t r = 0; r < opt.repeat; r++) {
        ws_runtime *rt = make_runtime(0);
        bw_yield f;
        bw_yield_init(&f, 1, opt.pollwake);
        double t0 = now_s();
        run_or_die(rt, &f.ws_base, sizeof f, "pollwake", opt.pollwake);
        double dt = now_s() - t0;
        ws_runtime_free(rt);
        if ((double)opt.pollwake / dt > best)
            best = (double)opt.pollwake / dt;
    }
    result_begin("pollwake");
    result_num("n", "", (double)opt.pollwake, 0);
    result_num("ns_per_cycle", "ns/cycle", 1e9 / best, 1);
}

static void bench_channel(void)
{
    double best = 0;
    int64_t msgs = opt.msgs / 2 * 2;
    for (int64_t r = 0; r < opt.repeat; r++) {
        ws_runtime *rt = make_runtime(0);
        bw_pingpong f;
        bw_pingpong_init(&f, msgs, opt.capacity);
        double t0 = now_s();
        run_or_die(rt, &f.ws_base, sizeof f, "channel", msgs);
        double dt = now_s() - t0;
        ws_runtime_free(rt);
        if ((double)msgs / dt > best)
            best = (double)msgs / dt;
    }
    result_begin("channel");
    result_num("msgs", "", (double)msgs, 0);
    result_num("capacity", "", (double)opt.capacity, 0);
    result_num("msgs_per_s", "msgs/s", best, 0);
    result_num("ns_per_msg", "ns/msg", 1e9 / best, 1);
}

static void bench_timers(void)
{
    ws_runtime *rt = make_runtime(1);
    bw_timers f;
    bw_timers_result res = { 0, 0, 0, 0 };
    bw_timers_init(&f, opt.timers, 100, &res);
    double t0 = now_s();
    run_or_die(rt, &f.ws_base, sizeof f, "timers", opt.timers);
    double dt = now_s() - t0;
    ws_runtime_free(rt);
    result_begin("timers");
    result_num("n", "", (double)opt.timers, 0);
    result_num("total_ms", "ms", dt * 1e3, 0);
    result_num("p50_late_ms", "ms", (double)res.p50_ns / 1e6, 0);
    result_num("p99_late_ms", "ms", (double)res.p99_ns / 1e6, 0);
    result_num("max_late_ms", "ms", (double)res.max_ns / 1e6, 1);
}

static void bench_idle(void)
{
    ws_runtime *rt = make_runtime(1); /* real clock: an idle runtime waits instead of jumping to the deadline */
    ws_runtime_stats a, b;
    ws_runtime_get_stats(rt, &a);
    long rss0 = rss_bytes();
    if (bw_idle_spawn(rt, opt.idle, 1000000000u) != WS_OK) {
        fprintf(stderr, "bench_core: idle: spawn failed\n");
        exit(1);
    }
    while (ws_runtime_run(rt) == WS_RUN_MORE) {
    }
    ws_runtime_get_stats(rt, &b);
    long rss1 = rss_bytes();
    if (b.timers_armed != (uint32_t)opt.idle) {
        fprintf(stderr, "bench_core: idle: %u timers armed, expected %lld\n", b.timers_armed, (long long)opt.idle);
        exit(1);
    }
    ws_runtime_free(rt);
    result_begin("idle");
    result_num("n", "", (double)opt.idle, 0);
    result_num("bytes_live_per_task", "B/task (bytes_live)", (double)(b.bytes_live - a.bytes_live) / (double)opt.idle, 0);
    result_num("rss_per_task", "B/task (RSS)", (double)(rss1 - rss0) / (double)opt.idle, 1);
}

static int64_t num_arg(int *i, int argc, char **argv)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "bench_core: %s needs a value\n", argv[*i]);
        exit(2);
    }
    char *end;
    long long v = strtoll(argv[++*i], &end, 10);
    if (*end || v < 1) {
        fprintf(stderr, "bench_core: bad value for %s: %s\n", argv[*i - 1], argv[*i]);
        exit(2);
    }
    return v;
}

/* The toolbox's per-operation costs beside the plain spawn+await they are measured against. */
static double time_one(ws_future *f, size_t size, const char *name, int64_t expect)
{
    ws_runtime *rt = make_runtime(0);
    double t0 = now_s();
    run_or_die(rt, f, size, name, expect);
    double dt = now_s() - t0;
    ws_runtime_free(rt);
    return dt;
}

static void bench_toolbox(void)
{
    int64_t n = opt.toolbox;
    double best[3] = { 1e30, 1e30, 1e30 };
    for (int64_t r = 0; r < opt.repeat; r++) {
        bw_spawn_await a;
        bw_spawn_await_init(&a, n);
        double t = time_one(&a.ws_base, sizeof a, "spawn_await", n * (n - 1) / 2);
        best[0] = t < best[0] ? t : best[0];
        bw_semaphore s;
        bw_semaphore_init(&s, n, 8, 4);
        t = time_one(&s.ws_base, sizeof s, "semaphore", s.n);
        best[1] = t / (double)s.n * (double)n < best[1] ? t / (double)s.n * (double)n : best[1];
        bw_joinset j;
        bw_joinset_init(&j, n, 16);
        t = time_one(&j.ws_base, sizeof j, "joinset", n * (n - 1) / 2);
        best[2] = t < best[2] ? t : best[2];
    }
    result_begin("toolbox");
    result_num("n", "", (double)n, 0);
    result_num("spawn_await_ns", "ns/op", best[0] * 1e9 / (double)n, 0);
    result_num("semaphore_ns", "ns/op", best[1] * 1e9 / (double)n, 0);
    result_num("joinset_ns", "ns/op", best[2] * 1e9 / (double)n, 0);
    result_num("semaphore_vs_spawn", "x", best[1] / best[0], 0);
    result_num("joinset_vs_spawn", "x", best[2] / best[0], 1);
}

/* ---- joinops: a join of host operations, completed in a burst or one per run ---- */

static ws_id *jo_ids;
static uint32_t jo_started;

static int jo_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)rt;
    (void)f;
    jo_ids[jo_started++] = id;
    return WS_OK;
}

static const ws_op_type jo_type = { "bench_op", WS_CAUSE_HOST, jo_start, NULL, NULL };

WS_ASYNC(bw_joinops, { int64_t width, batches, b; ws_join all; ws_future **ptrs; ws_op *ops; })
{
    WS_BEGIN();
    for (self->b = 0; self->b < self->batches; self->b++) {
        for (int64_t i = 0; i < self->width; i++) {
            ws_op_init(&self->ops[i], &jo_type, NULL);
            self->ptrs[i] = &self->ops[i].base;
        }
        if (ws_join_all_init(&self->all, self->ptrs, (uint32_t)self->width) != WS_OK)
            WS_RETURN_ERR(WS_EINVAL);
        WS_AWAIT(&self->all);
        if (WS_OUT(&self->all) != self->width)
            WS_RETURN_ERR(WS_EINVAL);
    }
    WS_RETURN(self->batches * self->width);
    WS_END();
}

/* Spawns the workload's task with a handle, or exits: a benchmark without its task has nothing to measure. */
static void spawn_or_exit(ws_runtime *rt, const ws_future *f, size_t size, const char *name, ws_task_handle *h)
{
    if (ws_spawn(rt, f, size, name, h) != WS_OK) {
        fprintf(stderr, "bench_core: %s: no task\n", name);
        exit(1);
    }
}

/* ns per completion over `total` completions, `width` at a time (starting each batch is timed too). */
static double joinops_once(int64_t width, int64_t total, int spread)
{
    ws_runtime *rt = make_runtime(0);
    jo_ids = malloc((size_t)width * sizeof *jo_ids);
    ws_future **ptrs = malloc((size_t)width * sizeof *ptrs);
    ws_op *ops = malloc((size_t)width * sizeof *ops);
    if (!jo_ids || !ptrs || !ops) {
        fprintf(stderr, "bench_core: out of memory\n");
        exit(1);
    }
    jo_started = 0;
    bw_joinops j;
    WS_ASYNC_INIT(bw_joinops, &j);
    j.width = width;
    j.batches = total / width > 0 ? total / width : 1;
    j.ptrs = ptrs;
    j.ops = ops;
    ws_task_handle h;
    spawn_or_exit(rt, &j.ws_base, sizeof j, "joinops", &h);
    double t0 = now_s();
    while (ws_runtime_run(rt) == WS_RUN_WAIT && jo_started == (uint32_t)width) {
        jo_started = 0;
        for (int64_t k = 0; k < width; k++) {
            ws_op_complete(rt, jo_ids[k], WS_OK, NULL);
            if (spread && k + 1 < width)
                ws_runtime_run(rt);
        }
    }
    double dt = now_s() - t0;
    ws_context cx = ws_context_outside(rt);
    if (ws_future_poll(&h.base, &cx) != WS_READY || h.base.err != WS_OK || h.base.out != j.batches * width) {
        fprintf(stderr, "bench_core: joinops failed\n");
        exit(1);
    }
    ws_future_drop(rt, &h.base);
    ws_runtime_free(rt);
    free(jo_ids);
    free(ptrs);
    free(ops);
    return dt * 1e9 / (double)(j.batches * width);
}

static void bench_joinops(void)
{
    static const int64_t widths[2] = { 1000, 10000 };
    double best[2][2] = { { 0, 0 }, { 0, 0 } };
    for (int64_t r = 0; r < opt.repeat; r++)
        for (int w = 0; w < 2; w++)
            for (int spread = 0; spread < 2; spread++) {
                double ns = joinops_once(widths[w], spread ? 20000 : opt.joinops, spread);
                if (r == 0 || ns < best[w][spread])
                    best[w][spread] = ns;
            }
    result_begin("joinops");
    result_num("burst_1k_ns", "ns/completion", best[0][0], 0);
    result_num("spread_1k_ns", "ns/completion", best[0][1], 0);
    result_num("burst_10k_ns", "ns/completion", best[1][0], 0);
    result_num("spread_10k_ns", "ns/completion", best[1][1], 1);
}

/* ---- hostawait: host operations awaited one at a time, each completed and run alone ---- */

WS_ASYNC(bw_hostawait, { int64_t n, i; ws_op op; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        ws_op_init(&self->op, &jo_type, NULL);
        WS_AWAIT(&self->op);
        if (WS_ERR(&self->op) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->op));
    }
    WS_RETURN(self->n);
    WS_END();
}

/* ns per await over n awaits. A real clock, as in the bridge: a run after one completion then reads no clock. */
static double hostawait_once(int64_t n)
{
    ws_runtime *rt = make_runtime(1);
    ws_id id = WS_ID_NONE;
    jo_ids = &id; /* jo_start records the one operation in flight here */
    jo_started = 0;
    bw_hostawait a;
    WS_ASYNC_INIT(bw_hostawait, &a);
    a.n = n;
    ws_task_handle h;
    spawn_or_exit(rt, &a.ws_base, sizeof a, "hostawait", &h);
    double t0 = now_s();
    while (ws_runtime_run(rt) == WS_RUN_WAIT && jo_started == 1) {
        jo_started = 0;
        ws_op_complete(rt, id, WS_OK, NULL);
    }
    double dt = now_s() - t0;
    jo_ids = NULL;
    ws_context cx = ws_context_outside(rt);
    if (ws_future_poll(&h.base, &cx) != WS_READY || h.base.err != WS_OK || h.base.out != n) {
        fprintf(stderr, "bench_core: hostawait failed\n");
        exit(1);
    }
    ws_future_drop(rt, &h.base);
    ws_runtime_free(rt);
    return dt * 1e9 / (double)n;
}

static void bench_hostawait(void)
{
    double best = 0;
    for (int64_t r = 0; r < opt.repeat; r++) {
        double ns = hostawait_once(opt.hostawait);
        if (r == 0 || ns < best)
            best = ns;
    }
    result_begin("hostawait");
    result_num("ns", "ns/await", best, 1);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--trace"))
            opt.trace = 1;
        else if (!strcmp(a, "--json"))
            opt.json = 1;
        else if (!strcmp(a, "--smoke")) {
            opt.spawn = 20000;
            opt.yield_tasks = 100;
            opt.yields = 100;
            opt.pollwake = 100000;
            opt.msgs = 20000;
            opt.timers = 2000;
            opt.idle = 20000;
            opt.toolbox = 20000;
            opt.joinops = 20000;
            opt.hostawait = 20000;
        } else if (!strcmp(a, "--only") && i + 1 < argc)
            opt.only = argv[++i];
        else if (!strcmp(a, "--spawn"))
            opt.spawn = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--yield-tasks"))
            opt.yield_tasks = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--yields"))
            opt.yields = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--pollwake"))
            opt.pollwake = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--msgs"))
            opt.msgs = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--capacity"))
            opt.capacity = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--timers"))
            opt.timers = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--idle"))
            opt.idle = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--toolbox"))
            opt.toolbox = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--joinops"))
            opt.joinops = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--hostawait"))
            opt.hostawait = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--repeat"))
            opt.repeat = num_arg(&i, argc, argv);
        else if (!strcmp(a, "--trace-capacity"))
            opt.trace_capacity = (uint32_t)num_arg(&i, argc, argv);
        else {
            fprintf(stderr, "usage: %s [--only spawn,yield,pollwake,channel,timers,idle,toolbox,joinops,hostawait] "
                            "[--trace] [--trace-capacity N] [--json] [--smoke] [--spawn N] [--yield-tasks T] "
                            "[--yields Y] [--pollwake N] [--msgs M] [--capacity C] [--timers N] [--idle N] "
                            "[--toolbox N] [--joinops N] [--hostawait N] [--repeat R]\n",
                    argv[0]);
            return 2;
        }
    }
    if (opt.json)
        printf("{\"variant\": \"%s\", \"trace\": %s, \"results\": {", VARIANT, opt.trace ? "true" : "false");
    else
        printf("bench_core (%s, tracing %s): wasync %s, native\n", VARIANT, opt.trace ? "on" : "off",
               WASYNC_VERSION);
    if (selected("idle"))
        bench_idle(); /* first: RSS grows only while the heap has no free pages left from earlier workloads */
    if (selected("spawn"))
        bench_spawn();
    if (selected("yield"))
        bench_yield();
    if (selected("pollwake"))
        bench_pollwake();
    if (selected("channel"))
        bench_channel();
    if (selected("timers"))
        bench_timers();
    if (selected("toolbox"))
        bench_toolbox();
    if (selected("joinops"))
        bench_joinops();
    if (selected("hostawait"))
        bench_hostawait();
    if (opt.json)
        printf("\n}}\n");
    return 0;
}
