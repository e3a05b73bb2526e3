/* ws_op.h: operations completed by the host (a JS promise, a fetch, a thread of the embedder).
 *
 * A ws_op future starts its operation on its first poll: it takes a slot in the runtime's operation table, calls
 * the type's start hook with the slot's id, stores the task's waker in the slot and returns Pending. The host
 * later calls ws_op_complete(id, ...) from outside any poll; that stores the outcome and wakes exactly the waiting
 * task (cause HOST or FETCH, as the type says). The next poll takes the outcome and frees the slot. An operation
 * polled by a join as one of its children also tells that join which child completed, so the join polls that
 * child alone rather than all of them (ws_combinators.h).
 *
 * Cancellation: dropping the future before completion releases its slot (the slot's generation moves on, so the
 * id goes stale) and calls the type's cancel hook (the bridge aborts the fetch through its AbortController). A
 * completion that arrives for a stale or unknown id is ignored, and the data it carries is freed: never a
 * use-after-free, never a leak.
 *
 * Data ownership: the outcome is a ws_bytes block (or none). The host allocates it with ws_bytes_new() and
 * hands it over with ws_op_complete(); from then on the runtime owns it. When the future is ready, the block is
 * its output (out = (intptr_t)block, or 0) and, like every output, belongs to the poller, who frees it with
 * ws_bytes_free(). An outcome that never reached a poller (the future was dropped first, the completion was late
 * or stale, the task's output was never collected) is freed by the runtime.
 */
#ifndef WS_OP_H
#define WS_OP_H

#include "ws_future.h"
#include "ws_trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A length-prefixed byte block, NUL-terminated after `len` bytes (so text can be used in place). The unit of
 * data that crosses between the host and the runtime. */
typedef struct ws_bytes { /* public */
    uint32_t len;
    uint8_t data[];
} ws_bytes;

/* Allocates a block of `len` bytes (+1 for the NUL) from the runtime, copying `src` if not NULL. NULL on failure. */
ws_bytes *ws_bytes_new(ws_runtime *rt, const void *src, uint32_t len);
void ws_bytes_free(ws_runtime *rt, ws_bytes *b);
/* The block an op (or any future following this convention) returned as its output. */
static inline ws_bytes *ws_bytes_of(int64_t out) { return (ws_bytes *)(intptr_t)out; }

struct ws_op;

typedef struct ws_op_type { /* public: filled in by the operation's author */
    const char *name;          /* for the trace: "fetch", or the host function's name */
    ws_cause cause;            /* WS_CAUSE_HOST or WS_CAUSE_FETCH */
    /* Starts the operation `id` for the future `f` (which does not move from now on, so the hook may keep
     * pointers into it, or into the struct that embeds it). Return WS_OK, or an error: the future is then ready
     * at once with that error. The hook may complete the operation at once with ws_op_complete. */
    int (*start)(ws_runtime *rt, ws_id id, struct ws_op *f);
    /* The future was dropped before completion. Optional. */
    void (*cancel)(ws_runtime *rt, ws_id id, struct ws_op *f);
    /* Optional: a name for this one operation in the trace (a host function's name), copied when traced;
     * without it the trace uses `name`. */
    const char *(*trace_name)(const struct ws_op *f);
} ws_op_type;

/* Cancel safety: not cancel safe. Dropping a started operation cancels it (the type's cancel hook: the JS host
 * aborts a fetch through its AbortController); its outcome, if it still arrives, is freed and ignored. */
typedef struct ws_op {
    ws_future base;            /* once ready: out = (intptr_t)ws_bytes* or 0, err = WS_OK or an error */
    const ws_op_type *type;    /* read-only */
    void *arg;                 /* public: free for the type's hooks; owned by the caller */
    ws_id id;                  /* read-only: the slot, once started */
} ws_op;

void ws_op_init(ws_op *f, const ws_op_type *type, void *arg);

/* Delivers an outcome: err WS_OK or an error (WS_EHOST: the promise rejected, with the message as `result`).
 * Takes ownership of `result` in every case. Returns WS_OK, or WS_ESTALE if id names no live operation (then
 * `result` is freed at once). Never polls: safe to call from a host callback at any time outside a poll, and
 * from a start hook. */
int ws_op_complete(ws_runtime *rt, ws_id op, int err, ws_bytes *result);

/* Records a milestone of operation `op` that happened on the host side, for the trace: kind WS_EV_JOB_QUEUE,
 * WS_EV_JOB_START or WS_EV_JOB_FINISH (a spawn_blocking job joining the pool's queue, starting on worker `worker`,
 * ending with outcome `detail`: see ws_trace.h). The event names the awaiting task while the operation is in
 * flight, and task 0 once it is not (its future was dropped: a discarded job's finish). Returns WS_OK, WS_ESTALE
 * when `op` is no longer in flight (the event is recorded all the same), or WS_EINVAL for another kind. Never
 * polls or wakes: callable from a start hook and from the host at any time outside a poll. */
int ws_op_trace(ws_runtime *rt, ws_id op, ws_trace_kind kind, uint8_t detail, uint32_t worker);

/* The future awaiting `op` while it is live (started, not settled, not dropped), or NULL. A host that completes
 * operations of its own type can store an outcome that needs no block in the future itself (which does not move
 * while the operation is live: see `start`) before calling ws_op_complete with no block; its future type says how
 * such an outcome is read (ws_host_call_value in the wasm bridge). */
ws_op *ws_op_future(ws_runtime *rt, ws_id op);

/* 1 if `op` names an operation that started and has not settled or been cancelled. */
int ws_op_is_live(ws_runtime *rt, ws_id op);

#ifdef __cplusplus
}
#endif
#endif
