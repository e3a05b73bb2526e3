/* bridge.c: the module's exports: the runtime as the JS side drives it.
 *
 * One module instance holds one runtime (createRuntime instantiates the compiled module again), so a trap in one
 * runtime cannot corrupt another, and no export needs a runtime argument.
 *
 * Driving (see wasm/lib/schedule.js): JS calls wsx_run() from a microtask when the runtime asked for a run (import
 * request_run) or the host timer fired (import arm_timer), never from inside a poll. wsx_run() returns what comes
 * next: WS_RUN_MORE (slice used: continue from a macrotask), WS_RUN_WAIT or WS_RUN_IDLE, or-ed with WSX_RUN_JOBS_DONE
 * when a task finished (only then can a job be reaped, so JS skips wsx_reap otherwise).
 *
 * Jobs are tasks started from JS. A job keeps its task's join handle; after each run, JS reaps finished jobs one
 * by one (wsx_reap) and reads each result through the wsx_result_* getters before releasing it. Starting and
 * reaping are O(1) whatever the number of jobs: free job entries form a list, and the core's task_done hook
 * queues exactly the jobs whose task finished (a task's slot maps to its job).
 */
#include "entries.h"
#include "ws_js.h"
#include "wsx_abi.h"

#include <stddef.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define JS_IMPORT(name) __attribute__((import_module("wasync"), import_name(name)))

JS_IMPORT("now_ms") double js_now_ms(void);
JS_IMPORT("arm_timer") void js_arm_timer(double deadline_ms);
JS_IMPORT("request_run") void js_request_run(void);

typedef struct job {
    ws_task_handle handle;
    char *args;                 /* the argument block (wsx_start) the task's strings and values point into */
    uint32_t args_len;
    uint32_t next_free;         /* free list link: index + 1 of the next free entry, 0: none */
    uint32_t slot;              /* the task's slot (handle.task is cleared once the handle collects or drops) */
    uint8_t active;
    uint8_t out_string;
} job;

static ws_runtime *rt;
static job *jobs;
static uint32_t job_count, job_cap, free_job; /* free_job: index + 1 of the first free entry, 0: none */

/* A growable array of uint32_t, allocated from the runtime. */
typedef struct u32_vec {
    uint32_t *v;
    uint32_t len, cap;
} u32_vec;

static uint32_t *slot_job;      /* task slot -> job index + 1 (0: that slot's task is not a job) */
static uint32_t slot_job_cap;
static u32_vec done;            /* jobs whose task finished, in finishing order, from done_head on */
static uint32_t done_head;
static int done_lost;           /* a push failed (out of memory): wsx_reap scans every job instead */
static int job_finished;        /* a job's task finished since the last run began (WSX_RUN_JOBS_DONE) */
static char message[256];       /* the last error's text, for wsx_error_message */

/* The result being handed to JS by wsx_reap. */
static struct {
    int32_t err;
    double value;
    ws_bytes *text;
} result;

/* ---- host hooks ---- */

static ws_time host_now(void *ud)
{
    (void)ud;
    double ms = js_now_ms();
    return ms <= 0 ? 0 : (ws_time)(ms * 1e6);
}

static void host_arm_timer(void *ud, ws_time deadline)
{
    (void)ud;
    js_arm_timer(deadline == WS_TIME_NEVER ? -1.0 : (double)deadline / 1e6);
}

/* Set while JS is completing an operation: JS schedules a run itself right after, so the import call (a
 * crossing into JS) would be wasted. */
static int completing;

static void host_request_run(void *ud)
{
    (void)ud;
    if (!completing)
        js_request_run();
}

static int vec_grow(u32_vec *a, uint32_t need)
{
    if (need <= a->cap)
        return WS_OK;
    uint32_t cap = a->cap ? a->cap : 64;
    while (cap < need)
        cap *= 2;
    uint32_t *n = ws_alloc(rt, cap * sizeof *n);
    if (!n)
        return WS_ENOMEM;
    if (a->len)
        memcpy(n, a->v, a->len * sizeof *n);
    ws_free(rt, a->v, a->cap * sizeof *a->v);
    a->v = n;
    a->cap = cap;
    return WS_OK;
}

#define TASK_SLOT(id) ((uint32_t)(id))

/* The core's task_done hook: queue the job whose task this is. Runs inside ws_runtime_run (or a drop), so it only
 * records. */
static void host_task_done(void *ud, ws_id task)
{
    (void)ud;
    uint32_t s = TASK_SLOT(task);
    if (s >= slot_job_cap || !slot_job[s])
        return;
    uint32_t j = slot_job[s] - 1;
    if (!jobs[j].active || jobs[j].handle.task != task)
        return;
    job_finished = 1;
    if (done.len == done.cap && vec_grow(&done, done.len + 1) != WS_OK) {
        done_lost = 1;
        return;
    }
    done.v[done.len++] = j;
}

static void set_message(const char *a, const char *b)
{
    uint32_t n = 0;
    for (const char *p = a; p && *p && n + 1 < sizeof message; p++)
        message[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < sizeof message; p++)
        message[n++] = *p;
    message[n] = 0;
}

/* ---- lifecycle ---- */

/* Returns WS_OK or an error code. */
EXPORT("wsx_init") int wsx_init(int flags, uint32_t trace_capacity, uint32_t budget, double slice_ms)
{
    if (rt)
        return WS_EBUSY;
    if (!(slice_ms >= 0 && slice_ms < 1e9))
        return WS_EINVAL;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    if (flags & WSX_FLAG_REAL_CLOCK) {
        o.host.now = host_now;
        o.host.arm_timer = host_arm_timer;
    }
    o.host.request_run = host_request_run;
    o.host.task_done = host_task_done;
    o.budget = budget;
    o.slice = (ws_time)(slice_ms * 1e6);
    o.trace_capacity = trace_capacity;
    o.trace_keep_first = (flags & WSX_FLAG_TRACE_KEEP_FIRST) != 0;
    return ws_runtime_new(&o, &rt);
}

static void job_release(job *j)
{
    ws_free(rt, j->args, j->args_len);
    if (j->slot < slot_job_cap)
        slot_job[j->slot] = 0;
    j->args = NULL;
    j->active = 0;
    j->next_free = free_job;
    free_job = (uint32_t)(j - jobs) + 1;
}

/* Drops every task (each job's task too) and frees the runtime. JS rejects the jobs' promises itself. */
EXPORT("wsx_shutdown") int wsx_shutdown(void)
{
    if (!rt)
        return WS_EINVAL;
    if (ws_runtime_current_task(rt))
        return WS_EBUSY;
    for (uint32_t i = 0; i < job_count; i++) {
        if (jobs[i].active) {
            ws_future_drop(rt, &jobs[i].handle.base);
            job_release(&jobs[i]);
        }
    }
    ws_free(rt, jobs, job_cap * sizeof *jobs);
    jobs = NULL;
    job_count = job_cap = free_job = 0;
    ws_free(rt, slot_job, slot_job_cap * sizeof *slot_job);
    slot_job = NULL;
    slot_job_cap = 0;
    ws_free(rt, done.v, done.cap * sizeof *done.v);
    done = (u32_vec){ 0 };
    done_head = 0;
    done_lost = 0;
    int rc = ws_runtime_free(rt);
    if (rc == WS_OK)
        rt = NULL;
    return rc;
}

static int run(void)
{
    job_finished = 0;
    int st = ws_runtime_run(rt);
    if (st >= 0 && job_finished)
        st |= WSX_RUN_JOBS_DONE;
    return st;
}

EXPORT("wsx_run") int wsx_run(void) { return rt ? run() : WS_EINVAL; }

EXPORT("wsx_configure") int wsx_configure(uint32_t budget, double slice_ms)
{
    if (!rt || !(slice_ms >= 0 && slice_ms < 1e9))
        return WS_EINVAL;
    return ws_runtime_configure(rt, budget, (ws_time)(slice_ms * 1e6));
}

EXPORT("wsx_now_ms") double wsx_now_ms(void) { return rt ? (double)ws_clock_now(rt) / 1e6 : 0; }

/* The earliest timer deadline in ms on the runtime's clock, or -1. */
EXPORT("wsx_next_deadline_ms") double wsx_next_deadline_ms(void)
{
    ws_time d = rt ? ws_runtime_next_deadline(rt) : WS_TIME_NEVER;
    return d == WS_TIME_NEVER ? -1.0 : (double)d / 1e6;
}

EXPORT("wsx_clock_advance") int wsx_clock_advance(double ms)
{
    if (!rt || !(ms >= 0 && ms < 1e12))
        return WS_EINVAL;
    return ws_clock_advance(rt, (ws_time)(ms * 1e6));
}

EXPORT("wsx_error_message") const char *wsx_error_message(void) { return message; }

ws_runtime *wsx_runtime(void) { return rt; }

/* ---- memory for JS ---- */

/* A block JS fills with an outcome (host call result, fetch response) before wsx_op_complete. Its data starts 4
 * bytes after the returned address. */
EXPORT("wsx_bytes_alloc") ws_bytes *wsx_bytes_alloc(uint32_t len) { return rt ? ws_bytes_new(rt, NULL, len) : NULL; }
EXPORT("wsx_bytes_free") void wsx_bytes_free(ws_bytes *b) { ws_bytes_free(rt, b); }

/* Scratch memory for strings JS passes in (names, arguments); freed by JS right after the call. */
EXPORT("wsx_alloc") void *wsx_alloc(uint32_t len) { return rt && len ? ws_alloc(rt, len) : NULL; }
EXPORT("wsx_free") void wsx_free(void *p, uint32_t len) { ws_free(rt, p, len); }

/* Small outcomes (host call results, messages) are written by JS into this scratch buffer and completed with
 * one call, instead of an allocation call plus a completion call: each call across the boundary costs more
 * than the copy. */
#define SCRATCH_SIZE 4096
static _Alignas(8) uint8_t scratch[SCRATCH_SIZE];
EXPORT("wsx_scratch") uint8_t *wsx_scratch(void) { return scratch; }
EXPORT("wsx_scratch_size") uint32_t wsx_scratch_size(void) { return SCRATCH_SIZE; }

/* An operation is named by its slot and generation (see js_ops.c); a pair that names no live operation is
 * WS_ESTALE, and the outcome is freed.
 *
 * With `then_run` set, the executor runs right after the completion and the result is what wsx_run would return:
 * one call into the module per settled promise instead of two, which JS asks for when nothing else can settle in
 * the same microtask turn (wasm/lib/schedule.js, settleMode). Otherwise the result is ws_op_complete's. */
static ws_id op_id(uint32_t slot, uint32_t gen) { return ((ws_id)gen << 32) | slot; }

static int complete(uint32_t slot, uint32_t gen, int err, ws_bytes *outcome, int then_run)
{
    completing = 1;
    int rc = ws_op_complete(rt, op_id(slot, gen), err, outcome);
    completing = 0;
    return then_run ? run() : rc;
}

EXPORT("wsx_op_complete_scratch")
int wsx_op_complete_scratch(uint32_t slot, uint32_t gen, int err, uint32_t len, int then_run)
{
    if (!rt || len > SCRATCH_SIZE)
        return WS_EINVAL;
    ws_bytes *b = ws_bytes_new(rt, scratch, len);
    if (!b && len)
        err = WS_ENOMEM;
    return complete(slot, gen, err, b, then_run);
}

/* A typed host call's outcome that needs no block (wsx_host_call_put_value: a number, boolean, handle, null or
 * undefined as `type` and a double): stored in the future itself, then completed like the others. No allocation,
 * no copy, nothing written to memory by JS. A stale pair is WS_ESTALE, as for the others. */
EXPORT("wsx_op_complete_value")
int wsx_op_complete_value(uint32_t slot, uint32_t gen, uint32_t type, double x, int then_run)
{
    if (!rt)
        return WS_EINVAL;
    int rc = wsx_host_call_put_value(rt, op_id(slot, gen), type, x);
    if (rc == WS_EINVAL)
        return rc;
    /* a stale pair (rc WS_ESTALE) is completed all the same, so the trace records the ignored settlement */
    return complete(slot, gen, WS_OK, NULL, then_run);
}

EXPORT("wsx_op_complete") int wsx_op_complete(uint32_t slot, uint32_t gen, int err, ws_bytes *outcome, int then_run)
{
    if (!rt)
        return WS_EINVAL;
    return complete(slot, gen, err, outcome, then_run);
}

/* ---- entries and jobs ---- */

/* The registry as JSON (JS reads it once, then frees it with wsx_bytes_free). */
EXPORT("wsx_entries_json") ws_bytes *wsx_entries_json_export(void) { return rt ? wsx_entries_json(rt) : NULL; }

/* Finds an entry for a new job (the first free one, or a new one at the end, growing the array) without taking
 * it: job_commit() takes it once the job's task exists. */
static int job_find(uint32_t *out)
{
    if (free_job) {
        *out = free_job - 1;
        return WS_OK;
    }
    if (job_count == job_cap) {
        uint32_t cap = job_cap ? job_cap * 2 : 16;
        job *n = ws_alloc(rt, cap * sizeof *n);
        if (!n)
            return WS_ENOMEM;
        if (job_count)
            memcpy(n, jobs, job_count * sizeof *n);
        ws_free(rt, jobs, job_cap * sizeof *jobs);
        jobs = n;
        job_cap = cap;
    }
    *out = job_count;
    return WS_OK;
}

static void job_commit(uint32_t j)
{
    if (free_job == j + 1)
        free_job = jobs[j].next_free;
    else
        job_count++;
}

/* Maps the task's slot to job j, growing the map. */
static int slot_map(ws_id task, uint32_t j)
{
    uint32_t s = TASK_SLOT(task);
    if (s >= slot_job_cap) {
        uint32_t cap = slot_job_cap ? slot_job_cap : 64;
        while (cap <= s)
            cap *= 2;
        uint32_t *n = ws_alloc(rt, cap * sizeof *n);
        if (!n)
            return WS_ENOMEM;
        memset(n, 0, cap * sizeof *n);
        if (slot_job_cap)
            memcpy(n, slot_job, slot_job_cap * sizeof *n);
        ws_free(rt, slot_job, slot_job_cap * sizeof *slot_job);
        slot_job = n;
        slot_job_cap = cap;
    }
    slot_job[s] = j + 1;
    jobs[j].slot = s;
    return WS_OK;
}

/* Starts entry `name` with `n` typed arguments: `block` (block_len bytes, from wsx_alloc) holds n ws_values, one
 * per parameter in order, then the data they point to; the job keeps it as long as its task, and frees it in
 * every case (also on failure). Returns a job index >= 0, or an error code (< 0) with the reason in
 * wsx_error_message. */
EXPORT("wsx_start") int wsx_start(const char *name, uint32_t name_len, uint8_t *block, uint32_t block_len, uint32_t n)
{
    if (!rt)
        return WS_EINVAL;
    const wsx_entry *e = name ? wsx_entry_find(name, name_len) : NULL;
    int rc = WS_OK;
    wsx_args parsed;
    if (!e) {
        set_message("no such entry point", "");
        rc = WS_ENOENT;
    } else if (n > WSX_MAX_PARAMS || (n && (!block || block_len / WSX_VALUE_SIZE < n))) {
        set_message(e->name, ": malformed arguments");
        rc = WS_EINVAL;
    } else {
        rc = wsx_args_take(e, (const ws_value *)(void *)block, n, block, block_len, &parsed, message, sizeof message);
    }
    uint32_t j;
    void *future = rc == WS_OK ? ws_alloc(rt, e->size) : NULL;
    if (rc == WS_OK && (!future || job_find(&j) != WS_OK)) {
        ws_free(rt, future, e->size);
        set_message("out of memory", "");
        rc = WS_ENOMEM;
    }
    if (rc != WS_OK) {
        ws_free(rt, block, block_len);
        return rc;
    }
    memset(future, 0, e->size);
    e->init(future, &parsed);
    rc = ws_spawn(rt, future, e->size, e->name, &jobs[j].handle);
    ws_free(rt, future, e->size); /* the task has its own copy */
    if (rc == WS_OK && slot_map(jobs[j].handle.task, j) != WS_OK) {
        /* The task cannot be tracked: take it back before it ever runs. */
        ws_task_abort(rt, jobs[j].handle.task);
        ws_future_drop(rt, &jobs[j].handle.base);
        rc = WS_ENOMEM;
    }
    if (rc != WS_OK) {
        ws_free(rt, block, block_len);
        set_message(ws_strerror(rc), "");
        return rc;
    }
    job_commit(j);
    jobs[j].args = (char *)block;
    jobs[j].args_len = block_len;
    jobs[j].active = 1;
    jobs[j].out_string = e->out_string;
    return (int)j;
}

static job *job_get(int j) { return (j >= 0 && (uint32_t)j < job_count && jobs[j].active) ? &jobs[j] : NULL; }

EXPORT("wsx_job_task") double wsx_job_task(int j)
{
    job *jb = job_get(j);
    return jb ? (double)jb->handle.task : 0;
}

/* WS_OK (also for a job that already finished: its result still arrives), or WS_ESTALE for no such job. */
EXPORT("wsx_abort") int wsx_abort(int j)
{
    job *jb = job_get(j);
    if (!jb)
        return WS_ESTALE;
    int rc = ws_task_abort(rt, jb->handle.task);
    return rc == WS_ESTALE ? WS_OK : rc;
}

/* Aborts a task by id (the JS API's abort for ids from a trace). */
EXPORT("wsx_task_abort") int wsx_task_abort(double id)
{
    if (!rt || !(id >= 1 && id < 9007199254740992.0))
        return WS_EINVAL;
    return ws_task_abort(rt, (ws_id)id);
}

/* Moves the finished job's result into `result` and releases the job. */
static void reap_one(job *jb)
{
    ws_context cx = ws_context_outside(rt);
    ws_poll r = ws_future_poll(&jb->handle.base, &cx);
    (void)r;
    result.err = jb->handle.base.err;
    int64_t out = jb->handle.base.out;
    result.text = (jb->out_string || result.err != WS_OK) ? ws_bytes_of(out) : NULL;
    result.value = result.text ? 0 : (double)out;
    ws_future_drop(rt, &jb->handle.base);
    job_release(jb);
}

/* Finds one finished job, moves its result into `result`, releases the job and returns its index; -1 when
 * none has finished. JS then reads wsx_result_* and calls wsx_result_release. */
EXPORT("wsx_reap") int wsx_reap(void)
{
    if (!rt || ws_runtime_current_task(rt))
        return -1;
    while (done_head < done.len) {
        uint32_t i = done.v[done_head++];
        if (done_head == done.len)
            done_head = done.len = 0;
        job *jb = &jobs[i];
        if (jb->active && ws_task_state_of(rt, jb->handle.task) == WS_TASK_DONE) {
            reap_one(jb);
            return (int)i;
        }
    }
    if (done_lost) { /* the queue missed a job: find finished ones the slow way, once */
        for (uint32_t i = 0; i < job_count; i++) {
            job *jb = &jobs[i];
            if (jb->active && ws_task_state_of(rt, jb->handle.task) == WS_TASK_DONE) {
                reap_one(jb);
                return (int)i;
            }
        }
        done_lost = 0;
    }
    return -1;
}

EXPORT("wsx_result_err") int wsx_result_err(void) { return result.err; }
EXPORT("wsx_result_value") double wsx_result_value(void) { return result.value; }
EXPORT("wsx_result_text") ws_bytes *wsx_result_text(void) { return result.text; }
EXPORT("wsx_result_release") void wsx_result_release(void)
{
    ws_bytes_free(rt, result.text);
    result.text = NULL;
}

/* ---- trace ---- */

EXPORT("wsx_trace_ring") const ws_trace_event *wsx_trace_ring(void) { return ws_trace_ring(rt, NULL, NULL); }
EXPORT("wsx_trace_capacity") uint32_t wsx_trace_capacity(void)
{
    uint32_t cap = 0;
    ws_trace_ring(rt, &cap, NULL);
    return cap;
}
EXPORT("wsx_trace_written") double wsx_trace_written(void)
{
    uint64_t w = 0;
    ws_trace_ring(rt, NULL, &w);
    return (double)w;
}
EXPORT("wsx_trace_lost") double wsx_trace_lost(void) { return (double)ws_trace_lost(rt); }
EXPORT("wsx_trace_clear") void wsx_trace_clear(void) { ws_trace_clear(rt); }
EXPORT("wsx_trace_string") const char *wsx_trace_string(uint32_t i) { return ws_trace_string(rt, i); }

/* ---- stats ---- */

/* The layout JS reads (wsx_abi.h) is the struct's layout in wasm32. */
#define CHECK(field, offset, type, js) _Static_assert(offsetof(ws_runtime_stats, field) == offset, "stats: " #field);
WSX_STATS(CHECK)
#undef CHECK
_Static_assert(sizeof(size_t) == 4, "stats: bytes_live is read as a u32");
_Static_assert(offsetof(ws_bytes, data) == WSX_BYTES_DATA, "ws_bytes: data offset");
_Static_assert(WS_RUN_IDLE <= WSX_RUN_STATUS_MASK && WS_RUN_MORE <= WSX_RUN_STATUS_MASK &&
                   WS_RUN_WAIT <= WSX_RUN_STATUS_MASK && (WSX_RUN_JOBS_DONE & WSX_RUN_STATUS_MASK) == 0,
               "wsx_run: status bits");

static ws_runtime_stats stats;
EXPORT("wsx_stats") const ws_runtime_stats *wsx_stats(void)
{
    ws_runtime_get_stats(rt, &stats);
    return &stats;
}
