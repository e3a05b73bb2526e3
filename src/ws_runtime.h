/* ws_runtime.h: the executor and its tasks.
 *
 * One runtime, one thread, one FIFO run queue. A task owns one future (copied into the task's slab block when it
 * is spawned) and is polled when woken. One exception to FIFO: tasks woken by their timers go to the front of the
 * queue, in deadline order, so a burst of spawns or wakes does not make every due timer late by its length. The runtime never blocks by itself: ws_runtime_run() polls what is ready
 * and returns what should happen next, so it can be driven by a host event loop (the wasm bridge drives it from
 * JS microtasks) or by ws_block_on() natively.
 *
 * When callbacks run: poll functions and drop hooks run only inside ws_runtime_run(), ws_block_on(), a ws_*_drop
 * or ws_runtime_free(). Host hooks (ws_host) are called from inside those too, and must not call back into the
 * runtime except ws_op_complete() and the wake functions, which only mark work and never poll.
 *
 * Task lifetime: a task lives until it has finished (or been aborted) AND its join handle is gone (collected,
 * dropped, or never asked for). Its output is freed then if nobody collected it.
 */
#ifndef WS_RUNTIME_H
#define WS_RUNTIME_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the host provides. All hooks optional.
 *   now:          a monotonic clock in ns. NULL: the runtime uses its virtual clock (see ws_time.h).
 *   arm_timer:    "call ws_runtime_run at `deadline` (ns)". The runtime calls it only when its earliest deadline
 *                 changes, so one host timer serves every timer; WS_TIME_NEVER disarms.
 *   request_run:  "call ws_runtime_run soon": work became ready while the runtime was not running.
 *                 Called at most once until the next ws_runtime_run.
 *   sleep_until:  block the thread until `deadline` (used by ws_block_on with a real clock).
 *   task_done:    task `task` finished, was aborted or was dropped: its output (if any) waits for its join handle.
 *                 Called once per task, from inside ws_runtime_run, ws_runtime_free or a drop; like request_run it
 *                 must not call back into the runtime. It lets a host that starts many tasks collect exactly the
 *                 finished ones instead of scanning all of them. */
typedef struct ws_host { /* public */
    void *ud;
    ws_time (*now)(void *ud);
    void (*arm_timer)(void *ud, ws_time deadline);
    void (*request_run)(void *ud);
    void (*sleep_until)(void *ud, ws_time deadline);
    void (*task_done)(void *ud, ws_id task);
} ws_host;

typedef struct ws_runtime_options { /* public */
    ws_host host;               /* zeroed: virtual clock, no host hooks */
    const ws_allocator *allocator;  /* NULL: malloc/realloc/free */
    uint32_t budget;            /* cooperative budget per poll; 0: unlimited. Default 128 */
    ws_time slice;              /* ws_runtime_run returns WS_RUN_MORE after this long; 0: no slice */
    uint32_t trace_capacity;    /* trace ring size in events (rounded up to a power of two); 0: tracing off */
    int trace_keep_first;       /* 1: when the ring is full, stop recording (a run's start survives);
                                   0: overwrite the oldest events */
} ws_runtime_options;

void ws_runtime_options_init(ws_runtime_options *opt);

/* Creates a runtime. Returns WS_OK and *out, or WS_EINVAL / WS_ENOMEM (then *out is NULL). */
int ws_runtime_new(const ws_runtime_options *opt, ws_runtime **out);

/* Drops every task (their futures' drop hooks run, so their timers are disarmed, their channel waits unlinked and
 * their host operations cancelled) and frees the runtime. Channels and other objects still held by the caller must
 * be released first. Calling it from inside a poll returns WS_EBUSY and does nothing. */
int ws_runtime_free(ws_runtime *rt);

/* What ws_runtime_run returns (>= 0) besides a negative error code: X(NAME, value). The JS bridge reads the values
 * from wasm/lib/contract.js, generated from this table. */
#define WS_RUN_STATUSES(X)                                                                                         \
    X(IDLE, 0) /* nothing runnable and nothing pending: every task is done or stuck */                             \
    X(MORE, 1) /* the time slice ran out with tasks still runnable: yield to the host, then run again */           \
    X(WAIT, 2) /* nothing runnable now; waiting for a timer (see ws_runtime_next_deadline) or the host */

enum {
#define WS__RUN_ENUM(name, value) WS_RUN_##name = value,
    WS_RUN_STATUSES(WS__RUN_ENUM)
#undef WS__RUN_ENUM
};

/* Polls runnable tasks in FIFO order until none is left or the time slice is used up, firing due timers between
 * polls (every poll on the virtual clock, at each clock reading on a real one) and running their tasks first.
 * With the virtual clock and no host operation in flight, an idle runtime jumps its clock to the next deadline
 * (like tokio's paused time), so sleeps take no wall time. Returns WS_RUN_* or WS_EBUSY if called from inside a
 * poll (it never runs re-entrantly). */
int ws_runtime_run(ws_runtime *rt);

/* The earliest timer deadline (ns on the runtime's clock), or WS_TIME_NEVER. */
ws_time ws_runtime_next_deadline(const ws_runtime *rt);

/* Spawns `future` (size bytes, copied into the task) as a task named `name` (interned for the trace; may be
 * NULL). On success *handle is a join handle future (may be NULL: the task is detached). The task is queued to
 * run; the caller keeps ownership of its original struct, which it may reuse or discard (it must not have been
 * polled). Returns WS_OK, WS_EINVAL or WS_ENOMEM (then nothing was spawned and `future` is unchanged). */
typedef struct ws_task_handle ws_task_handle;
int ws_spawn(ws_runtime *rt, const ws_future *future, size_t size, const char *name, ws_task_handle *handle);

/* A join handle is a future: awaiting it yields the task's output (out, err); err is WS_ECANCELED if the task was
 * aborted and WS_ECLOSED if the runtime dropped it. Dropping it unfinished detaches the task. */
struct ws_task_handle {
    ws_future base;
    ws_id task;     /* read-only: WS_ID_NONE once collected or dropped; the runtime comes from the context or the
                       drop */
};

/* Aborts a task: it is dropped at its next scheduling point (never in the middle of a poll) and its awaiter sees
 * WS_ECANCELED. Returns WS_OK, WS_ESTALE for an id that names no task, or WS_OK with no effect on a task that
 * has already finished. */
int ws_task_abort(ws_runtime *rt, ws_id task);

/* Task state as seen from outside. */
typedef enum ws_task_state {
    WS_TASK_GONE = 0,   /* stale id */
    WS_TASK_IDLE,       /* pending, waiting to be woken */
    WS_TASK_SCHEDULED,  /* in the run queue */
    WS_TASK_RUNNING,    /* being polled now */
    WS_TASK_DONE        /* finished or aborted; output not yet collected */
} ws_task_state;
ws_task_state ws_task_state_of(ws_runtime *rt, ws_id task);

/* Wakes a task by id. A stale id is ignored (returns WS_ESTALE); so is a finished task. */
int ws_task_wake(ws_runtime *rt, ws_id task, ws_cause cause, uint32_t source);

/* The task being polled, or WS_ID_NONE. */
ws_id ws_runtime_current_task(const ws_runtime *rt);

/* Runs `future` to completion on the calling thread: spawns it, then runs the runtime, sleeping (real clock) or
 * jumping (virtual clock) to the next deadline while nothing is runnable. Stores the output in *out / *err.
 * Returns WS_OK, WS_ENOMEM, WS_EBUSY (inside a poll), or WS_ESTALL if nothing could ever wake it. */
int ws_block_on(ws_runtime *rt, const ws_future *future, size_t size, const char *name, int64_t *out, int *err);

/* Counters for tests, benchmarks and the playground's task console. Public: ws_runtime_get_stats fills a copy. */
typedef struct ws_runtime_stats {
    uint64_t spawned, completed, aborted, polls, wakes, stale_wakes;
    uint32_t tasks_live;        /* tasks not yet freed */
    uint32_t timers_armed;
    uint32_t ops_in_flight;     /* host operations started and not settled */
    uint32_t objects_live;      /* channels, oneshots, notifies not yet freed */
    size_t bytes_live;          /* bytes allocated through the allocator and not freed */
} ws_runtime_stats;
void ws_runtime_get_stats(const ws_runtime *rt, ws_runtime_stats *out);
/* completed + aborted, without copying the whole struct: a host that runs the executor on every event checks it
 * around each run to learn whether any task finished. */
uint64_t ws_runtime_tasks_finished(const ws_runtime *rt);

/* Configures the cooperative budget (0 = unlimited) and the time slice after creation (for the playground's
 * knobs). Returns WS_EBUSY inside a poll. */
int ws_runtime_configure(ws_runtime *rt, uint32_t budget, ws_time slice);

/* The user data pointer, free for embedders (the wasm bridge keeps its state here). */
void ws_runtime_set_data(ws_runtime *rt, void *data);
void *ws_runtime_data(const ws_runtime *rt);

/* Allocation through the runtime's allocator (and counted in bytes_live). */
void *ws_alloc(ws_runtime *rt, size_t size);
void ws_free(ws_runtime *rt, void *ptr, size_t size);

#ifdef __cplusplus
}
#endif
#endif
