/* fibers.h: a small task scheduler on emscripten's Asyncify fibers (emscripten_fiber_t), the way a C developer
 * would write one without wasync. Shared by workloads.c (the benchmark workloads) and examples.c (the package's
 * examples); each includes it once, so everything here is static.
 *
 * A task is a fiber with its own C stack and Asyncify unwind buffer (FIBER_STACK + FIBER_ASYNC bytes; a program
 * may define larger ones before including this). Switching task = unwinding the current fiber's wasm stack into
 * its buffer and rewinding the next one's, through the JS glue's trampoline. The scheduler runs on the main
 * context (the exported call that called run()): a FIFO run queue (tasks woken by timers go first, as in wasync),
 * a timer list sorted by deadline, and, when every task waits, a sleep of the whole program: emscripten_sleep until
 * the next timer, or host_wait when the program has host operations (fetch) in flight.
 *
 * Finished tasks go to a free list that keeps their stacks for the next spawn; a finished task's fields (its
 * result) stay readable until the next spawn, which is when whoever joined it reads them.
 */
#ifndef FIBERS_H
#define FIBERS_H

#include <emscripten.h>
#include <emscripten/fiber.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef FIBER_STACK
#define FIBER_STACK 4096
#endif
#ifndef FIBER_ASYNC
#define FIBER_ASYNC 1024
#endif

typedef struct task {
    emscripten_fiber_t fiber;
    struct task *next;          /* run queue, or free list once finished */
    void (*body)(struct task *);
    int64_t a, b, out;          /* the body's arguments and result, as it uses them */
    void *p;                    /* a pointer argument */
    struct task *waiter;        /* the task waiting for this one to finish (join) */
    struct task *tnext;         /* timer list */
    double deadline;            /* while armed: when, in ms of now_ms() */
    uint8_t done, queued, armed;
    char *cstack, *astack;
} task;

static emscripten_fiber_t main_fiber;
static char main_astack[16384];
static task *run_head, *run_tail, *current;
static task *free_tasks;       /* finished tasks, stacks kept for reuse */
static task *timers;           /* armed timers, earliest first; equal deadlines in arming order */

/* ---- the clock, in ms ----
 * Real: emscripten_get_now(). Virtual (clock_virtual set): time moves only when every task waits on a timer (it
 * jumps to the deadline) or when busy_ms() says work took that long, so a run gives the same values every time.
 * wasync's runtimes default to such a clock, and some results (how late a ticker ran) depend on it. */
static int clock_virtual;
static double vnow;

static double now_ms(void) { return clock_virtual ? vnow : emscripten_get_now(); }

/* CPU-bound work for `ms`: a busy loop on the real clock; on the virtual one the time is simply added. */
static void busy_ms(double ms)
{
    if (clock_virtual) {
        vnow += ms;
        return;
    }
    double end = emscripten_get_now() + ms;
    while (emscripten_get_now() < end) {
    }
}

/* Host operations in flight, and how to wait for them: host_wait(ms) returns once one has settled (having woken
 * its waiter) or after ms (ms < 0: no limit). Set by a program that starts host operations. */
static int host_pending;
static void (*host_wait)(double ms);

/* ---- run queue ---- */

static void enqueue(task *t)
{
    t->next = NULL;
    t->queued = 1;
    if (run_tail)
        run_tail->next = t;
    else
        run_head = t;
    run_tail = t;
}

static task *dequeue(void)
{
    task *t = run_head;
    if (t) {
        run_head = t->next;
        if (!run_head)
            run_tail = NULL;
        t->queued = 0;
    }
    return t;
}

/* ---- timers ---- */

static void timer_arm(task *t, double deadline)
{
    task **p = &timers;
    while (*p && (*p)->deadline <= deadline)
        p = &(*p)->tnext;
    t->deadline = deadline;
    t->tnext = *p;
    *p = t;
    t->armed = 1;
}

static void timer_disarm(task *t)
{
    if (!t->armed)
        return;
    for (task **p = &timers; *p; p = &(*p)->tnext)
        if (*p == t) {
            *p = t->tnext;
            break;
        }
    t->armed = 0;
}

/* ---- tasks ---- */

/* Makes a parked task runnable (disarming its timer). Waking a queued or finished task does nothing; waking the
 * running one makes it run again after it parks, so every wait re-checks its condition in a loop. */
static void wake(task *t)
{
    if (t->queued || t->done)
        return;
    timer_disarm(t);
    enqueue(t);
}

/* Suspends the current task until something wakes it. */
static void park(void) { emscripten_fiber_swap(&current->fiber, &main_fiber); }

/* Lets every other runnable task run once: to the back of the queue. */
static void yield_now(void)
{
    enqueue(current);
    park();
}

static void fiber_entry(void *arg)
{
    task *t = arg;
    t->body(t);
    t->done = 1;
    if (t->waiter)
        wake(t->waiter);
    emscripten_fiber_swap(&t->fiber, &main_fiber); /* a fiber's entry must never return */
}

/* A task, ready to run but not started: nothing of its body runs until task_start (or never, if cancelled). */
static task *task_new(void (*body)(task *), int64_t a, int64_t b, void *p)
{
    task *t = free_tasks;
    if (t)
        free_tasks = t->next;
    else {
        t = malloc(sizeof *t);
        if (!t)
            abort();
        t->cstack = malloc(FIBER_STACK);
        t->astack = malloc(FIBER_ASYNC);
        if (!t->cstack || !t->astack)
            abort();
    }
    t->body = body;
    t->a = a;
    t->b = b;
    t->out = 0;
    t->p = p;
    t->waiter = NULL;
    t->done = t->queued = t->armed = 0;
    emscripten_fiber_init(&t->fiber, fiber_entry, t, t->cstack, FIBER_STACK, t->astack, FIBER_ASYNC);
    return t;
}

static void task_start(task *t) { enqueue(t); }

static task *spawn(void (*body)(task *), int64_t a, int64_t b, void *p)
{
    task *t = task_new(body, a, b, p);
    task_start(t);
    return t;
}

/* Cancels a task that has not finished: it never runs again, its timer is disarmed and its stacks are recycled.
 * Whatever else it waits on (a host request, a channel) must be told by the caller first. */
static void cancel(task *t)
{
    if (t->done)
        return;
    timer_disarm(t);
    if (t->queued) {
        task *prev = NULL;
        for (task *q = run_head; q != t; q = q->next)
            prev = q;
        if (prev)
            prev->next = t->next;
        else
            run_head = t->next;
        if (run_tail == t)
            run_tail = prev;
        t->queued = 0;
    }
    t->done = 1;
    t->next = free_tasks;
    free_tasks = t;
}

/* ---- waiting ---- */

/* Parks the current task until one of ts[0..n) finishes or the deadline passes (deadline < 0: none). */
static void wait_any(task **ts, int n, double deadline)
{
    for (int i = 0; i < n; i++)
        if (!ts[i]->done)
            ts[i]->waiter = current;
    if (deadline >= 0)
        timer_arm(current, deadline);
    park();
    timer_disarm(current);
    for (int i = 0; i < n; i++)
        if (ts[i]->waiter == current)
            ts[i]->waiter = NULL;
}

static int64_t join(task *t)
{
    while (!t->done)
        wait_any(&t, 1, -1);
    return t->out;
}

/* join with a deadline: 1 if t finished in time. A task that became runnable at the deadline itself (its own
 * timer fired at the same instant) gets to run first and wins the tie. */
static int join_until(task *t, double deadline)
{
    while (!t->done && now_ms() < deadline)
        wait_any(&t, 1, deadline);
    if (!t->done && t->queued)
        yield_now();
    return t->done;
}

static void sleep_until(double deadline)
{
    while (now_ms() < deadline) {
        timer_arm(current, deadline);
        park();
        timer_disarm(current);
    }
}

static void sleep_ms(double ms) { sleep_until(now_ms() + ms); }

/* ---- the scheduler ---- */

static void init_main(void) { emscripten_fiber_init_from_current_context(&main_fiber, main_astack, sizeof main_astack); }

/* Nothing is runnable: waits for the next timer or host event. 0 if nothing is left that could wake anyone. */
static int idle(void)
{
    double next = timers ? timers->deadline : -1;
    if (host_pending && host_wait) {
        double t0 = emscripten_get_now(), ms = next < 0 ? -1 : next - now_ms();
        host_wait(next < 0 ? -1 : ms > 0 ? ms : 0);
        if (clock_virtual) { /* waiting on the host, virtual time follows real time (up to the next timer) */
            vnow += emscripten_get_now() - t0;
            if (next >= 0 && vnow > next)
                vnow = next;
        }
        return 1;
    }
    if (!timers)
        return 0;
    if (clock_virtual) {
        if (next > vnow)
            vnow = next;
    } else {
        double ms = next - emscripten_get_now();
        if (ms > 0)
            emscripten_sleep((unsigned)ceil(ms)); /* the whole program sleeps: every task waits */
    }
    return 1;
}

/* Runs tasks until none is runnable and nothing is left to wait for. Finished tasks go to the free list. */
static void run(void)
{
    for (;;) {
        if (timers) {
            /* The same policy as wasync's executor: tasks woken by their timers run before the rest of the queue,
             * in deadline order (the examples' values, such as cooperative's lateness, depend on it). */
            task *before_tail = run_tail;
            double now = now_ms();
            while (timers && timers->deadline <= now) {
                task *t = timers;
                timers = t->tnext;
                t->armed = 0;
                wake(t);
            }
            if (before_tail && before_tail->next) {
                task *first = before_tail->next;
                run_tail->next = run_head;
                run_head = first;
                before_tail->next = NULL;
                run_tail = before_tail;
            }
        }
        task *t = dequeue();
        if (!t) {
            if (!idle())
                break;
            continue;
        }
        current = t;
        emscripten_fiber_swap(&main_fiber, &t->fiber);
        current = NULL;
        if (t->done) {
            t->next = free_tasks;
            free_tasks = t;
        }
    }
}

/* ---- a bounded channel of int64_t: one sender, one receiver ---- */

typedef struct channel {
    int64_t *buf;
    uint32_t cap, head, len;
    task *recv_waiter, *send_waiter;
    int closed;
} channel;

static int channel_init(channel *c, uint32_t cap)
{
    memset(c, 0, sizeof *c);
    c->buf = malloc(cap * sizeof *c->buf);
    c->cap = cap;
    return c->buf != NULL;
}

/* Parks while the channel is full. */
static void send(channel *c, int64_t v)
{
    while (c->len == c->cap) {
        c->send_waiter = current;
        park();
    }
    c->buf[(c->head + c->len) % c->cap] = v;
    c->len++;
    if (c->recv_waiter) {
        wake(c->recv_waiter);
        c->recv_waiter = NULL;
    }
}

/* Parks while the channel is empty; 0 once it is closed and drained. */
static int recv(channel *c, int64_t *v)
{
    while (c->len == 0) {
        if (c->closed)
            return 0;
        c->recv_waiter = current;
        park();
    }
    *v = c->buf[c->head];
    c->head = (c->head + 1) % c->cap;
    c->len--;
    if (c->send_waiter) {
        wake(c->send_waiter);
        c->send_waiter = NULL;
    }
    return 1;
}

/* The sender is done: the receiver sees the end once it has taken what is left. */
static void close_channel(channel *c)
{
    c->closed = 1;
    if (c->recv_waiter) {
        wake(c->recv_waiter);
        c->recv_waiter = NULL;
    }
}

#endif
