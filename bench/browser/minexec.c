/* minexec.c: the bridge benchmark's "minexec" side, the least a task-based C executor does per await, written for
 * the benchmark and not part of wasync. It keeps the protocol wasync's bridge follows and drops everything else:
 *
 *   - one task, a state machine polled from a run queue, resumed where it suspended;
 *   - each operation in a slot table with a generation, crossing to JS as (slot, generation), so that a
 *     completion for a slot since reused is ignored; a started operation calls the import `start`;
 *   - a completion (export `complete`, called from the promise's reaction) stores the value where the task reads
 *     it, frees the slot, wakes the task when its last operation is in, and runs the queue at once.
 *
 * No time slices, budgets, timers, traces, wakers by id, cancellation or joins: what it costs above the floor
 * (floor.wat) is the price of a task, a queue and a slot table, and what wasync costs above it is its own generality.
 * begin(n, width) starts the task (width operations in flight at a time until n have been started); complete()
 * returns the sum of the values once the task has finished, -1 while it runs, -2 for a stale or unknown pair. */
#include <stdint.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

IMPORT("start") int js_start(uint32_t slot, uint32_t gen, double x);

#define MAX_WIDTH 1000
#define SLOTS 1024

typedef struct task task;
struct task {
    int (*poll)(task *t); /* 1 when finished */
    task *next;           /* in the run queue */
    int queued;
    int resume;           /* where the state machine goes on */
    int64_t n, next_arg, width, batch, live;
    double sum;
    double values[MAX_WIDTH];
};

typedef struct {
    uint32_t gen;
    uint32_t busy;
    task *task;
    double *value; /* where the outcome goes */
} op_slot;

static op_slot slots[SLOTS];
static uint32_t free_slots[SLOTS];
static uint32_t free_count;
static task *run_head, *run_tail;
static task the_task;

static void wake(task *t)
{
    if (t->queued)
        return;
    t->queued = 1;
    t->next = 0;
    if (run_tail)
        run_tail->next = t;
    else
        run_head = t;
    run_tail = t;
}

/* Polls queued tasks until none is runnable; returns 1 if the task finished. */
static int run(void)
{
    while (run_head) {
        task *t = run_head;
        run_head = t->next;
        if (!run_head)
            run_tail = 0;
        t->queued = 0;
        if (t->poll(t))
            return 1;
    }
    return 0;
}

static void op_start(task *t, double arg, double *value)
{
    uint32_t i = free_slots[--free_count];
    op_slot *s = &slots[i];
    s->busy = 1;
    s->task = t;
    s->value = value;
    t->live++;
    js_start(i, s->gen, arg);
}

/* The workload: n awaits, `width` at a time, summing what they resolve to. */
static int many_poll(task *t)
{
    if (t->resume == 1)
        goto resumed;
    while (t->next_arg < t->n) {
        t->batch = t->n - t->next_arg < t->width ? t->n - t->next_arg : t->width;
        for (int64_t k = 0; k < t->batch; k++)
            op_start(t, (double)(t->next_arg + k), &t->values[k]);
        t->next_arg += t->batch;
        t->resume = 1;
    resumed:
        if (t->live)
            return 0;
        for (int64_t k = 0; k < t->batch; k++)
            t->sum += t->values[k];
    }
    t->resume = 2;
    return 1;
}

EXPORT("begin") void begin(int32_t n, int32_t width)
{
    free_count = 0;
    for (int i = SLOTS - 1; i >= 0; i--)
        free_slots[free_count++] = (uint32_t)i;
    task *t = &the_task;
    t->poll = many_poll;
    t->resume = 0;
    t->n = n;
    t->width = width < 1 ? 1 : width > MAX_WIDTH ? MAX_WIDTH : width;
    t->next_arg = t->live = 0;
    t->sum = 0;
    wake(t);
    run();
}

EXPORT("complete") double complete(uint32_t slot, uint32_t gen, double value)
{
    if (slot >= SLOTS || slots[slot].gen != gen || !slots[slot].busy)
        return -2;
    op_slot *s = &slots[slot];
    *s->value = value;
    s->busy = 0;
    s->gen++;
    free_slots[free_count++] = slot;
    task *t = s->task;
    if (--t->live == 0)
        wake(t);
    return run() ? t->sum : -1;
}
