/* ws_op.h: operations completed by the host (a JS promise, a fetch, a thread of the embedder).
 *
 * A ws_op future starts its operation on its first poll: it takes a slot in the runtime's operation table, calls
 * the type's start hook with the slot's id, stores the task's waker in the slot and returns Pending. The host
 * later calls ws_op_complete(id, ...) from outside any poll; that stores the outcome and wakes exactly the waiting
 * task (cause HOST or FETCH, as the type says). The next poll takes the outcome and frees the slot.
 *
 * Cancellation: dropping the future before completion marks the slot cancelled and calls the type's cancel hook
 * (the bridge aborts the fetch through its AbortController). A completion that arrives for a cancelled or unknown
 * id is ignored, and the data it carries is freed: never a use-after-free, never a leak.
 *
 * Data ownership: `data` passed to ws_op_complete must come from ws_alloc(rt, len) and becomes the runtime's.
 * After the future is ready, ws_op_take_data() hands it to the caller, who frees it with ws_free(rt, data, len).
 * Anything not taken is freed when the future is dropped.
 */
#ifndef WS_OP_H
#define WS_OP_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_op_type {
    const char *name;          /* for the trace: "fetch", or the host function's name */
    ws_cause cause;            /* WS_CAUSE_HOST or WS_CAUSE_FETCH */
    /* Starts the operation. Return WS_OK, or an error: the future is then ready at once with that error. */
    int (*start)(ws_runtime *rt, ws_id op, void *arg);
    /* The future was dropped before completion. Optional. */
    void (*cancel)(ws_runtime *rt, ws_id op, void *arg);
} ws_op_type;

typedef struct ws_op {
    ws_future base;
    const ws_op_type *type;
    void *arg;                 /* passed to start and cancel; owned by the caller */
    ws_id id;                  /* the slot, once started */
    uint8_t *data;             /* the outcome's bytes, once ready */
    uint32_t len;
} ws_op;

void ws_op_init(ws_op *f, const ws_op_type *type, void *arg);

/* Delivers an outcome. err WS_OK or an error (WS_EHOST: the promise rejected; data may carry the message).
 * value is the future's out. Returns WS_OK, or WS_ESTALE if id names no live operation (data is freed then). */
int ws_op_complete(ws_runtime *rt, ws_id op, int err, int64_t value, uint8_t *data, uint32_t len);

/* After ready: takes the outcome bytes (may be NULL). The caller frees them with ws_free(rt, data, len). */
uint8_t *ws_op_take_data(ws_op *f, uint32_t *len);

/* 1 if `op` names an operation that started and has not settled or been cancelled. */
int ws_op_is_live(ws_runtime *rt, ws_id op);

#ifdef __cplusplus
}
#endif
#endif
