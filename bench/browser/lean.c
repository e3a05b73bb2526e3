/* lean.c: the bridge benchmark's "lean" side: wasync's protocol for a lone await, written as lean as it goes, for
 * the benchmark and not part of wasync. minexec.c is the least a task-based executor does; this is the least an
 * executor does that keeps what wasync's generality needs on the path of every await, each step once:
 *
 *   - futures polled through their type (a poll and a drop function pointer), a task's future awaiting a child
 *     future with the same protocol (poll it; once ready, drop it at once, its output still readable);
 *   - tasks named by id (slot and generation, a task table), so that a wake for a task since freed is ignored;
 *     a wake that finds its task running marks it, one that finds it idle queues it;
 *   - host operations as futures of an operation type with start and cancel hooks (function pointers), in a slot
 *     table with generations, naming the task to wake by id; the value stored in the future by the completion;
 *   - a run that checks the timers, counts its polls against a slice, polls with a context (runtime, task id,
 *     budget, tracing) and knows whether a poll finished the task, left it idle or was woken during it;
 *   - a branch for the trace (off) at each place wasync records: the operation's start and settlement, the wake,
 *     the poll.
 *
 * Timers, traces, budgets and joins are never used here: their checks are on the path, their work is not.
 * begin(n, width) starts the task (width must be 1: one call at a time); complete() returns the sum once the task
 * has finished, -1 while it runs, -2 for a stale or unknown pair. The same imports and exports as minexec.c. */
#include <stdint.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

IMPORT("start") int js_start(uint32_t slot, uint32_t gen, double x);

#define SLOTS 1024
#define TASKS 64
#define SLICE_POLLS 128

typedef uint64_t id;
#define ID(slot, gen) (((id)(gen) << 32) | (slot))
#define ID_SLOT(x) ((uint32_t)(x))
#define ID_GEN(x) ((uint32_t)((x) >> 32))

enum { PENDING = 0, READY = 1 };
enum { F_POLLED = 1, F_READY = 2, F_DROPPED = 4 };
enum { T_IDLE, T_SCHEDULED, T_RUNNING, T_DONE };
enum { T_WOKEN = 1, T_ABORTED = 2 };
enum { OP_FREE, OP_STARTED, OP_DONE };

typedef struct runtime runtime;
typedef struct future future;
typedef struct {
    runtime *rt;
    id task;
    uint32_t budget;
    uint8_t tracing;
} context;
typedef struct {
    int (*poll)(future *f, context *cx);
    void (*drop)(runtime *rt, future *f);
} future_type;
struct future {
    const future_type *type;
    uint32_t resume;
    uint8_t flags;
    int8_t err;
    double out;
};

typedef struct op op;
typedef struct {
    int (*start)(runtime *rt, id op_id, op *o);
    void (*cancel)(runtime *rt, id op_id, op *o);
} op_type;
struct op {
    future base;
    const op_type *type;
    id op_id;
    double arg;
};
typedef struct {
    uint32_t gen;
    uint8_t state;
    int8_t err;
    id task;
    op *o;
    uint32_t next_free;
} op_slot;

typedef struct task {
    future *f;
    struct task *next;
    uint32_t slot;
    uint8_t state, flags;
} task;
typedef struct {
    uint32_t gen;
    task *t;
} task_slot;

struct runtime {
    task *run_head, *run_tail, *current;
    int running, run_requested, tracing;
    uint32_t heap_len, budget;
    uint64_t polls, wakes, ops_in_flight;
    uint32_t free_op, op_count;
    op_slot ops[SLOTS];
    task_slot tasks[TASKS];
};

static runtime the_rt;
static volatile uint32_t trace_events; /* what the trace would record, if it were on */

static void trace(uint32_t what) { trace_events += what; }

/* ---- tasks and waking ---- */

static void enqueue(runtime *rt, task *t)
{
    t->next = 0;
    if (rt->run_tail)
        rt->run_tail->next = t;
    else
        rt->run_head = t;
    rt->run_tail = t;
}

static void wake(runtime *rt, id task_id)
{
    task_slot *ts = &rt->tasks[ID_SLOT(task_id) % TASKS];
    task *t = ts->gen == ID_GEN(task_id) ? ts->t : 0;
    if (!t || t->state == T_DONE)
        return;
    rt->wakes++;
    if (rt->tracing)
        trace(1);
    if (t->state == T_IDLE) {
        t->state = T_SCHEDULED;
        enqueue(rt, t);
        if (!rt->running)
            rt->run_requested = 1; /* the host's request_run hook */
    } else if (t->state == T_RUNNING) {
        t->flags |= T_WOKEN;
    }
}

/* ---- the generic await: poll the child, drop it once ready ---- */

static int await_poll(future *f, context *cx)
{
    if (cx->tracing)
        trace(2);
    f->flags |= F_POLLED;
    if (f->type->poll(f, cx) == PENDING)
        return PENDING;
    f->flags |= F_READY | F_DROPPED;
    if (f->type->drop)
        f->type->drop(cx->rt, f);
    return READY;
}

/* ---- host operations ---- */

static void op_release(runtime *rt, uint32_t i)
{
    op_slot *s = &rt->ops[i];
    s->gen++;
    s->state = OP_FREE;
    s->o = 0;
    s->next_free = rt->free_op;
    rt->free_op = i + 1;
}

static int op_poll(future *f, context *cx)
{
    op *o = (op *)f;
    runtime *rt = cx->rt;
    if (f->resume == 0) {
        uint32_t i;
        if (rt->free_op) {
            i = rt->free_op - 1;
            rt->free_op = rt->ops[i].next_free;
        } else if (rt->op_count < SLOTS) {
            i = rt->op_count++;
        } else {
            f->err = -1;
            return READY;
        }
        op_slot *s = &rt->ops[i];
        s->state = OP_STARTED;
        s->task = cx->task;
        s->o = o;
        o->op_id = ID(i, s->gen);
        rt->ops_in_flight++;
        f->resume = 1;
        if (rt->tracing)
            trace(3);
        if (o->type->start(rt, o->op_id, o) != 0) {
            rt->ops_in_flight--;
            op_release(rt, i);
            o->op_id = 0;
            f->resume = 2;
            f->err = -1;
            return READY;
        }
        return PENDING; /* (a start hook that completes at once is not part of this benchmark) */
    }
    if (f->resume != 1)
        return READY;
    op_slot *s = &rt->ops[ID_SLOT(o->op_id)];
    if (s->state != OP_DONE) {
        s->task = cx->task; /* the latest poller is the one to wake */
        return PENDING;
    }
    f->err = s->err;
    op_release(rt, ID_SLOT(o->op_id));
    o->op_id = 0;
    f->resume = 2;
    return READY;
}

static void op_drop(runtime *rt, future *f)
{
    op *o = (op *)f;
    if (!o->op_id)
        return; /* settled and taken: nothing to cancel */
    op_slot *s = &rt->ops[ID_SLOT(o->op_id)];
    if (s->state == OP_STARTED) {
        rt->ops_in_flight--;
        o->type->cancel(rt, o->op_id, o);
    }
    op_release(rt, ID_SLOT(o->op_id));
    o->op_id = 0;
}

static const future_type op_future = { op_poll, op_drop };

static int host_start(runtime *rt, id op_id, op *o)
{
    (void)rt;
    return js_start(ID_SLOT(op_id), ID_GEN(op_id), o->arg);
}
static void host_cancel(runtime *rt, id op_id, op *o) { (void)rt, (void)op_id, (void)o; }
static const op_type host_type = { host_start, host_cancel };

static void op_init(op *o, const op_type *type, double arg)
{
    o->base.type = &op_future;
    o->base.resume = 0;
    o->base.flags = 0;
    o->base.err = 0;
    o->base.out = 0;
    o->type = type;
    o->op_id = 0;
    o->arg = arg;
}

/* ---- the run ---- */

/* Polls queued tasks until none is runnable or the slice's polls are used; returns 1 if a task finished. */
static int run(runtime *rt)
{
    int finished = 0;
    uint32_t polls = 0;
    rt->running = 1;
    rt->run_requested = 0;
    for (;;) {
        if (rt->heap_len) {
            /* timers due would fire here (none in this benchmark) */
        }
        task *t = rt->run_head;
        if (!t)
            break;
        rt->run_head = t->next;
        if (!rt->run_head)
            rt->run_tail = 0;
        if (t->flags & T_ABORTED) {
            t->state = T_DONE;
            continue;
        }
        t->state = T_RUNNING;
        t->flags &= (uint8_t)~T_WOKEN;
        rt->current = t;
        rt->polls++;
        context cx = { rt, ID(t->slot, rt->tasks[t->slot].gen), rt->budget, (uint8_t)rt->tracing };
        if (rt->tracing)
            trace(4);
        t->f->flags |= F_POLLED;
        int r = t->f->type->poll(t->f, &cx);
        rt->current = 0;
        if (r == READY) {
            t->state = T_DONE;
            finished = 1;
        } else if (t->flags & T_WOKEN) {
            t->state = T_SCHEDULED;
            enqueue(rt, t);
        } else {
            t->state = T_IDLE;
        }
        if (++polls >= SLICE_POLLS && rt->run_head)
            break; /* the slice: the host runs again from a macrotask */
    }
    rt->running = 0;
    return finished;
}

/* ---- the workload: n awaits, one at a time, summing what they resolve to ---- */

typedef struct {
    future base;
    int64_t n, i;
    double sum;
    op call;
} many;

static int many_poll(future *f, context *cx)
{
    many *self = (many *)f;
    if (f->resume == 1)
        goto awaiting;
    for (self->i = 0; self->i < self->n; self->i++) {
        op_init(&self->call, &host_type, (double)(self->i % 1000000));
        f->resume = 1;
    awaiting:
        if (await_poll(&self->call.base, cx) == PENDING)
            return PENDING;
        if (self->call.base.err)
            return READY;
        self->sum += self->call.base.out;
    }
    f->resume = 2;
    return READY;
}

static const future_type many_type = { many_poll, 0 };
static many the_task_future;
static task the_task;

EXPORT("begin") void begin(int32_t n, int32_t width)
{
    runtime *rt = &the_rt;
    if (width != 1)
        return; /* one call at a time only */
    rt->free_op = rt->op_count = 0;
    rt->budget = 128;
    many *m = &the_task_future;
    m->base.type = &many_type;
    m->base.resume = 0;
    m->base.flags = 0;
    m->n = n;
    m->sum = 0;
    task *t = &the_task;
    t->f = &m->base;
    t->slot = 1;
    t->flags = 0;
    rt->tasks[1].gen++;
    rt->tasks[1].t = t;
    t->state = T_SCHEDULED;
    enqueue(rt, t);
    run(rt);
}

EXPORT("complete") double complete(uint32_t slot, uint32_t gen, double value)
{
    runtime *rt = &the_rt;
    if (slot >= rt->op_count || rt->ops[slot].gen != gen || rt->ops[slot].state != OP_STARTED)
        return -2;
    op_slot *s = &rt->ops[slot];
    s->o->base.out = value;
    s->state = OP_DONE;
    s->err = 0;
    rt->ops_in_flight--;
    if (rt->tracing)
        trace(5);
    wake(rt, s->task);
    return run(rt) ? the_task_future.sum : -1;
}
