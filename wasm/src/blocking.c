/* blocking.c: spawn_blocking (ws_blocking.h), both halves of it.
 *
 * In the runtime's instance, ws_spawn_blocking is a host operation (ws_op.h): its first poll queues the job on the
 * JS pool (import blocking_start, wasm/lib/blocking.js) and its drop tells the pool (import op_cancel), which takes
 * a queued job out of the queue and lets a running one finish unheard. The pool delivers the outcome like any host
 * operation's (wsx_op_complete), so the wake, the trace and the late-outcome rules are ws_op's.
 *
 * In a worker's instance (wasm/lib/pool.js), nothing of the bridge runs: no wsx_init, no executor. The worker
 * copies the input into a block (wsx_blocking_input), runs the function by its index in the registry
 * (wsx_blocking_run) and reads the output block back. That instance keeps a runtime of its own only as the
 * allocator the function's wsx_buf draws from.
 */
#include "entries.h"
#include "ws_blocking.h"

#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define JS_IMPORT(name) __attribute__((import_module("wasync"), import_name(name)))

/* index: the function's place in the registry, or -1 when the module has none by that name (JS then fails the
 * job with ENOENT and a message that lists the registered names). */
JS_IMPORT("blocking_start") int js_blocking_start(uint32_t slot, uint32_t gen, int32_t index, const char *name,
                                                  uint32_t name_len, const uint8_t *in, uint32_t in_len);
JS_IMPORT("op_cancel") void js_blocking_cancel(uint32_t slot, uint32_t gen);

/* A module without WS_MODULE_BLOCKING has no blocking functions: this weak definition stands in. (A function, not
 * weak data: the compiler folds a weak constant's value into its readers.) */
__attribute__((weak)) const ws_blocking_def *const *wsx_blocking_registry(uint32_t *count)
{
    *count = 0;
    return NULL;
}

/* The registered function at `i`, or NULL. */
static const ws_blocking_def *blocking_at(uint32_t i)
{
    uint32_t n;
    const ws_blocking_def *const *fns = wsx_blocking_registry(&n);
    return fns && i < n ? fns[i] : NULL;
}

static int32_t blocking_find(const char *name)
{
    const ws_blocking_def *d;
    for (uint32_t i = 0; name && (d = blocking_at(i)) != NULL; i++) {
        if (strcmp(d->name, name) == 0)
            return (int32_t)i;
    }
    return -1;
}

/* ---- the future, in the runtime's instance ---- */

static int blocking_start(ws_runtime *rt, ws_id id, ws_op *op)
{
    ws_spawn_blocking *f = (ws_spawn_blocking *)op;
    if (!f->name || (f->in_len && !f->in))
        return WS_EINVAL;
    ws_op_trace(rt, id, WS_EV_JOB_QUEUE, 0, 0);
    return js_blocking_start((uint32_t)id, (uint32_t)(id >> 32), blocking_find(f->name), f->name,
                             (uint32_t)strlen(f->name), f->in, f->in_len);
}

static void blocking_cancel(ws_runtime *rt, ws_id id, ws_op *op)
{
    (void)rt;
    (void)op;
    js_blocking_cancel((uint32_t)id, (uint32_t)(id >> 32));
}

static const char *blocking_trace_name(const ws_op *op) { return ((const ws_spawn_blocking *)op)->name; }

static const ws_op_type blocking_type = { "blocking", WS_CAUSE_HOST, blocking_start, blocking_cancel,
                                          blocking_trace_name };

void ws_spawn_blocking_init(ws_spawn_blocking *f, const char *name, const void *in, uint32_t len)
{
    ws_op_init(&f->op, &blocking_type, NULL);
    f->name = name;
    f->in = in;
    f->in_len = in ? len : 0;
}

/* The pool's milestones of a job, for the trace (ws_op_trace): kind is WS_EV_JOB_START or WS_EV_JOB_FINISH. */
EXPORT("wsx_blocking_trace") int wsx_blocking_trace(uint32_t slot, uint32_t gen, int kind, int detail, uint32_t worker)
{
    ws_runtime *rt = wsx_runtime();
    if (!rt || (kind != WS_EV_JOB_START && kind != WS_EV_JOB_FINISH))
        return WS_EINVAL;
    return ws_op_trace(rt, ((ws_id)gen << 32) | slot, (ws_trace_kind)kind, (uint8_t)detail, worker);
}

/* The registry, for JS: how many functions, and the name of each. */
EXPORT("wsx_blocking_count") uint32_t wsx_blocking_count(void)
{
    uint32_t n;
    wsx_blocking_registry(&n);
    return n;
}
EXPORT("wsx_blocking_name") const char *wsx_blocking_name(uint32_t i)
{
    const ws_blocking_def *d = blocking_at(i);
    return d ? d->name : "";
}

/* ---- running a job, in a worker's instance ---- */

static ws_runtime *worker_rt; /* the allocator of this instance's jobs: made on first use, never freed */
static int32_t worker_err;

/* A block for `len` bytes of input (NUL-terminated after them), which JS fills; NULL if out of memory. */
EXPORT("wsx_blocking_input") ws_bytes *wsx_blocking_input(uint32_t len)
{
    if (!worker_rt && ws_runtime_new(NULL, &worker_rt) != WS_OK)
        return NULL;
    return ws_bytes_new(worker_rt, NULL, len);
}

/* Runs function `index` on the block `in` (which it frees) and returns the output block (the result, or the
 * message of a failure; NULL if out of memory), which JS frees with wsx_blocking_free after reading it. Its code
 * is wsx_blocking_err(). A trap leaves this instance as it was at the trap: JS never calls it again. */
EXPORT("wsx_blocking_run") ws_bytes *wsx_blocking_run(int32_t index, ws_bytes *in)
{
    if (!worker_rt || !in)
        return NULL;
    wsx_buf out;
    wsx_buf_init(worker_rt, &out);
    const ws_blocking_def *d = index >= 0 ? blocking_at((uint32_t)index) : NULL;
    if (!d || !d->fn) {
        worker_err = WS_ENOENT;
        wsx_buf_str(&out, "no such blocking function");
    } else {
        worker_err = d->fn(in->data, in->len, &out);
        if (worker_err > 0 || worker_err < INT8_MIN) /* not an error code: say so, rather than pass it on */
            worker_err = WS_EINVAL;
    }
    ws_bytes_free(worker_rt, in);
    ws_bytes *b = wsx_buf_finish(&out);
    if (!b) {
        worker_err = WS_ENOMEM;
        b = ws_bytes_new(worker_rt, "out of memory in the worker", 27);
    }
    return b;
}

EXPORT("wsx_blocking_err") int wsx_blocking_err(void) { return worker_err; }
EXPORT("wsx_blocking_free") void wsx_blocking_free(ws_bytes *b) { ws_bytes_free(worker_rt, b); }
