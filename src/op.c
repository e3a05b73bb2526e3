/* op.c: futures completed by the host (see ws_op.h for the protocol and who owns what). */
#include "op_internal.h"

#define OP_GEN_LIMIT (1u << 21)

static ws_op_slot *op_get(ws_runtime *rt, ws_id id)
{
    uint32_t i = (uint32_t)id;
    if (id == WS_ID_NONE || i >= rt->op_count)
        return NULL;
    ws_op_slot *s = &rt->ops[i];
    return (s->state != OP_FREE && s->gen == (uint32_t)(id >> 32)) ? s : NULL;
}

static int op_take(ws_runtime *rt, uint32_t *out)
{
    if (rt->free_op) {
        *out = rt->free_op - 1;
        rt->free_op = rt->ops[*out].next_free;
        return WS_OK;
    }
    if (rt->op_count == rt->op_cap) {
        uint32_t cap = rt->op_cap ? rt->op_cap * 2 : 16;
        ws_op_slot *ops = ws__realloc(rt, rt->ops, rt->op_cap * sizeof *ops, cap * sizeof *ops);
        if (!ops)
            return WS_ENOMEM;
        rt->ops = ops;
        rt->op_cap = cap;
    }
    *out = rt->op_count++;
    memset(&rt->ops[*out], 0, sizeof rt->ops[*out]);
    rt->ops[*out].gen = 1;
    return WS_OK;
}

static void op_release(ws_runtime *rt, uint32_t i)
{
    ws_op_slot *s = &rt->ops[i];
    if (s->result) /* usually taken by the poll already */
        ws_bytes_free(rt, s->result);
    /* Back to the state op_take expects (what a fresh, zeroed slot has), field by field: this runs once per await,
     * and a memset of the whole slot costs more than the fields a take or a completion reads. */
    s->gen = s->gen + 1 < OP_GEN_LIMIT ? s->gen + 1 : 1;
    s->state = OP_FREE;
    s->result = NULL;
    s->op = NULL;
    s->ready = NULL;
    s->ready_next = 0;
    s->next_free = rt->free_op;
    rt->free_op = i + 1;
}

static ws_poll op_poll(ws_future *f, ws_context *cx);
static void op_drop(ws_runtime *rt, ws_future *f);
static void op_free_output(ws_runtime *rt, ws_future *f);
static const ws_future_type op_future_type = { "host_op", op_poll, op_drop, op_free_output };

ws_bytes *ws_bytes_new(ws_runtime *rt, const void *src, uint32_t len)
{
    if (!rt || len > UINT32_MAX - sizeof(ws_bytes) - 1)
        return NULL;
    ws_bytes *b = ws__user_alloc(rt, sizeof *b + len + 1);
    if (!b)
        return NULL;
    b->len = len;
    if (src && len)
        memcpy(b->data, src, len);
    b->data[len] = 0;
    return b;
}

void ws_bytes_free(ws_runtime *rt, ws_bytes *b)
{
    if (rt && b)
        ws__user_free(rt, b, sizeof *b + b->len + 1);
}

static void op_free_output(ws_runtime *rt, ws_future *f)
{
    ws_bytes_free(rt, ws_bytes_of(f->out));
    f->out = 0;
}

void ws_op_init(ws_op *f, const ws_op_type *type, void *arg)
{
    ws_future_init(&f->base, &op_future_type);
    f->type = type;
    f->arg = arg;
    f->id = WS_ID_NONE;
}

enum { OPF_NEW = 0, OPF_STARTED = 1, OPF_DONE = 2 };

/* A poll that finds the operation done: its outcome becomes the future's output (the poller's), and the slot is
 * released. */
static ws_poll op_take_outcome(ws_runtime *rt, ws_op_slot *s, ws_op *op)
{
    ws_future *f = &op->base;
    f->out = (int64_t)(intptr_t)s->result;
    f->err = s->err;
    s->result = NULL;
    op_release(rt, (uint32_t)op->id);
    op->id = WS_ID_NONE;
    f->resume = OPF_DONE;
    return WS_READY;
}

/* A poll that finds the operation not yet done: the latest poller's task is the one to wake, and a join polling
 * it as a child leaves its notice (ws_internal.h). */
static ws_poll op_pending(ws_runtime *rt, ws_op_slot *s, ws_future *f, const ws_context *cx)
{
    s->task = cx->task; /* the waker of the latest poll wins */
    if (WS_UNLIKELY(rt->offer_to == f)) { /* polled by a join as its child: take its notice */
        s->ready = rt->offer_list;
        s->ready_index = rt->offer_index;
        f->flags |= WS_FUTURE_NOTED;
    } else {
        s->ready = NULL;
        f->flags &= (uint8_t)~WS_FUTURE_NOTED;
    }
    return WS_PENDING;
}

/* The first poll: takes a slot and starts the operation through its type's start hook. */
static ws_poll op_start(ws_op *op, ws_context *cx)
{
    ws_future *f = &op->base;
    ws_runtime *rt = cx->rt;
    if (!op->type || !op->type->start) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    uint32_t i;
    if (op_take(rt, &i) != WS_OK) {
        f->err = WS_ENOMEM;
        return WS_READY;
    }
    ws_op_slot *s = &rt->ops[i];
    s->state = OP_STARTED;
    s->task = cx->task;
    s->cause = (uint8_t)op->type->cause;
    s->op = op;
    op->id = ((ws_id)s->gen << 32) | i;
    rt->stats.ops_in_flight++;
    f->resume = OPF_STARTED;
    if (WS_TRACING(rt)) {
        /* A per-operation name may live in a transient buffer: interned by content. The type's own name is
         * static: looked up by address. */
        const char *own = op->type->trace_name ? op->type->trace_name(op) : NULL;
        uint32_t nm = own ? ws__intern(rt, own) : ws__intern_static(rt, op->type->name ? op->type->name : "host");
        ws__trace_emit(rt, WS_EV_HOST, (uint8_t)op->type->cause, 0, ws__task_serial(rt, cx->task), i, nm, 0);
    }
    int rc = op->type->start(rt, op->id, op);
    s = &rt->ops[i]; /* read again: the hook may have called back into the runtime */
    if (WS_UNLIKELY(rc != WS_OK)) {
        if (s->state != OP_FREE && s->gen == (uint32_t)(op->id >> 32)) { /* op_get, with i known in range */
            if (s->state == OP_STARTED)
                rt->stats.ops_in_flight--;
            op_release(rt, i); /* also frees an outcome the hook delivered before failing */
        }
        op->id = WS_ID_NONE;
        f->resume = OPF_DONE;
        f->err = (int8_t)rc;
        return WS_READY;
    }
    /* Started, and perhaps completed by the hook already (ws_op_complete): the slot, found again by its index,
     * names it until it is released. */
    assert(s == op_get(rt, op->id));
    return s->state == OP_DONE ? op_take_outcome(rt, s, op) : op_pending(rt, s, f, cx);
}

static ws_poll op_poll(ws_future *f, ws_context *cx)
{
    ws_op *op = (ws_op *)f;
    if (f->resume == OPF_NEW)
        return op_start(op, cx);
    if (f->resume != OPF_STARTED)
        return WS_READY;
    ws_runtime *rt = cx->rt;
    ws_op_slot *s = &rt->ops[(uint32_t)op->id]; /* live while started: only this poll or a drop releases it */
    assert(s == op_get(rt, op->id));
    return s->state == OP_DONE ? op_take_outcome(rt, s, op) : op_pending(rt, s, f, cx);
}

static void op_drop(ws_runtime *rt, ws_future *f)
{
    ws_op *op = (ws_op *)f;
    ws_op_slot *s = op->id ? op_get(rt, op->id) : NULL;
    if (s) {
        if (s->state == OP_STARTED) {
            /* the operation ends here for the trace (its late settlement, if any, is recorded as ignored) */
            WS_TRACE(rt, WS_EV_SETTLE, 3, 0, ws__task_serial(rt, s->task), (uint32_t)op->id, 0, 0);
            rt->stats.ops_in_flight--;
            op_release(rt, (uint32_t)op->id); /* a late completion now finds a stale id */
            if (op->type->cancel)
                op->type->cancel(rt, op->id, op);
        } else {
            op_release(rt, (uint32_t)op->id); /* completed but never polled: frees its outcome */
        }
        op->id = WS_ID_NONE;
    }
    /* A delivered output (ready) is not ours to free: it belongs to the poller. */
}

int ws_op_complete(ws_runtime *rt, ws_id id, int err, ws_bytes *result)
{
    if (!rt)
        return WS_EINVAL;
    ws_op_slot *s = op_get(rt, id);
    if (!s || s->state != OP_STARTED) {
        WS_TRACE(rt, WS_EV_SETTLE, 2, 0, 0, (uint32_t)id, 0, 0);
        ws_bytes_free(rt, result);
        return WS_ESTALE;
    }
    s->state = OP_DONE;
    s->err = (int8_t)(err > 0 || err < INT8_MIN ? WS_EHOST : err);
    s->result = result;
    rt->stats.ops_in_flight--;
    if (s->ready)
        ws__ready_push(rt, (uint32_t)id); /* its join polls this child, and no other, for it */
    WS_TRACE(rt, WS_EV_SETTLE, err == WS_OK, 0, ws__task_serial(rt, s->task), (uint32_t)id, 0, 0);
    ws__wake(rt, s->task, (ws_cause)s->cause, (uint32_t)id);
    return WS_OK;
}

int ws_op_trace(ws_runtime *rt, ws_id id, ws_trace_kind kind, uint8_t detail, uint32_t worker)
{
    if (!rt || (kind != WS_EV_JOB_QUEUE && kind != WS_EV_JOB_START && kind != WS_EV_JOB_FINISH))
        return WS_EINVAL;
    ws_op_slot *s = op_get(rt, id);
    if (s && s->state != OP_STARTED)
        s = NULL; /* settled already: no longer the task's business */
    if (WS_TRACING(rt)) {
        ws__trace_tick(rt); /* called by the host between runs: stamp it with the time now */
        ws__trace_emit(rt, kind, detail, 0, s ? ws__task_serial(rt, s->task) : 0, (uint32_t)id, worker, 0);
    }
    return s ? WS_OK : WS_ESTALE;
}

ws_op *ws_op_future(ws_runtime *rt, ws_id id)
{
    ws_op_slot *s = rt ? op_get(rt, id) : NULL;
    return s && s->state == OP_STARTED ? s->op : NULL;
}

int ws_op_is_live(ws_runtime *rt, ws_id id)
{
    ws_op_slot *s = rt ? op_get(rt, id) : NULL;
    return s && s->state == OP_STARTED;
}

void ws__ops_free(ws_runtime *rt)
{
    for (uint32_t i = 0; i < rt->op_count; i++)
        ws_bytes_free(rt, rt->ops[i].result);
    ws__free(rt, rt->ops, rt->op_cap * sizeof *rt->ops);
    rt->ops = NULL;
    rt->op_count = rt->op_cap = rt->free_op = 0;
}
