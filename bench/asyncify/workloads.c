/* workloads.c: the benchmark workloads the way a C developer would write them without wasync: emscripten's
 * Asyncify, with fibers (emscripten_fiber_t) for tasks and a small FIFO scheduler on the main context.
 *
 * Every task is a fiber with its own C stack and Asyncify unwind buffer (FIBER_STACK + FIBER_ASYNC bytes, the
 * least that these trivial bodies need, with margin). Switching task = unwinding the current fiber's wasm stack
 * into its buffer and rewinding the next one's (through the JS glue's trampoline).
 *
 * Results: a fiber switch from the main context unwinds the exported call itself, so the exports cannot return
 * values; each bench_* stores what it measured and bench_result(i) reads it afterwards. The trampoline runs
 * synchronously, so the work is done when the exported call returns to JS.
 *
 * spawn: 1 000 000 concurrent fibers would need ~1M x (stack + buffer) of wasm32 memory, more than 4 GB, so the
 * spawn workload runs in waves of WAVE fibers (spawn WAVE, await them all, next wave), recycling stacks. That
 * flatters Asyncify (it never holds more than WAVE tasks); it is documented in bench/README.md.
 */
#include <emscripten.h>
#include <emscripten/fiber.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIBER_STACK 4096
#define FIBER_ASYNC 1024
#define WAVE 1000

typedef struct task {
    emscripten_fiber_t fiber;
    struct task *next;
    void (*body)(struct task *);
    int64_t a, b, out;
    int done;
    char *cstack, *astack;
} task;

static emscripten_fiber_t main_fiber;
static char main_astack[16384];
static task *run_head, *run_tail, *current;
static task *free_tasks;       /* finished tasks, stacks kept for reuse */
static double results[8];

EMSCRIPTEN_KEEPALIVE double bench_result(int i) { return i >= 0 && i < 8 ? results[i] : 0; }

static void enqueue(task *t)
{
    t->next = NULL;
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
    }
    return t;
}

static void fiber_entry(void *arg)
{
    task *t = arg;
    t->body(t);
    t->done = 1;
    emscripten_fiber_swap(&t->fiber, &main_fiber); /* a fiber's entry must never return */
}

static task *spawn(void (*body)(task *), int64_t a, int64_t b)
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
    t->done = 0;
    emscripten_fiber_init(&t->fiber, fiber_entry, t, t->cstack, FIBER_STACK, t->astack, FIBER_ASYNC);
    enqueue(t);
    return t;
}

/* Suspends the current task without queueing it (someone else will). */
static void suspend(void) { emscripten_fiber_swap(&current->fiber, &main_fiber); }

static void yield_now(void)
{
    enqueue(current);
    suspend();
}

/* Runs every queued task until none is runnable. Finished tasks go to the free list. */
static void run(void)
{
    task *t;
    while ((t = dequeue())) {
        current = t;
        emscripten_fiber_swap(&main_fiber, &t->fiber);
        current = NULL;
        if (t->done) {
            t->next = free_tasks;
            free_tasks = t;
        }
    }
}

static void init_main(void) { emscripten_fiber_init_from_current_context(&main_fiber, main_astack, sizeof main_astack); }

/* ---- spawn: n trivial tasks, WAVE at a time ---- */

static void trivial(task *t) { t->out = t->a; }

EMSCRIPTEN_KEEPALIVE void bench_spawn(int n)
{
    init_main();
    double t0 = emscripten_get_now();
    int64_t sum = 0;
    static task *wave[WAVE];
    for (int done = 0; done < n; done += WAVE) {
        int k = n - done < WAVE ? n - done : WAVE;
        for (int i = 0; i < k; i++)
            wave[i] = spawn(trivial, done + i, 0);
        run();
        for (int i = 0; i < k; i++)
            sum += wave[i]->out; /* still readable: the free list keeps the block */
    }
    results[0] = emscripten_get_now() - t0;
    results[1] = (double)sum;
}

/* ---- yield: tasks x yields ---- */

static void yielder(task *t)
{
    for (int64_t i = 0; i < t->a; i++)
        yield_now();
    t->out = t->a;
}

EMSCRIPTEN_KEEPALIVE void bench_yield(int tasks, int yields)
{
    init_main();
    double t0 = emscripten_get_now();
    for (int i = 0; i < tasks; i++)
        spawn(yielder, yields, 0);
    run();
    results[0] = emscripten_get_now() - t0;
}

/* ---- channel: ping-pong over two bounded channels ---- */

typedef struct channel {
    int64_t *buf;
    uint32_t cap, head, len;
    task *recv_waiter, *send_waiter; /* one producer, one consumer */
    int closed;
} channel;

static void channel_init(channel *c, uint32_t cap)
{
    memset(c, 0, sizeof *c);
    c->buf = malloc(cap * sizeof *c->buf);
    c->cap = cap;
}

static void send(channel *c, int64_t v)
{
    while (c->len == c->cap) {
        c->send_waiter = current;
        suspend();
    }
    c->buf[(c->head + c->len) % c->cap] = v;
    c->len++;
    if (c->recv_waiter) {
        enqueue(c->recv_waiter);
        c->recv_waiter = NULL;
    }
}

static int recv(channel *c, int64_t *v)
{
    while (c->len == 0) {
        if (c->closed)
            return 0;
        c->recv_waiter = current;
        suspend();
    }
    *v = c->buf[c->head];
    c->head = (c->head + 1) % c->cap;
    c->len--;
    if (c->send_waiter) {
        enqueue(c->send_waiter);
        c->send_waiter = NULL;
    }
    return 1;
}

static void close_channel(channel *c)
{
    c->closed = 1;
    if (c->recv_waiter) {
        enqueue(c->recv_waiter);
        c->recv_waiter = NULL;
    }
}

static channel ab, ba;

static void pinger(task *t)
{
    int64_t sum = 0, v;
    for (int64_t i = 1; i <= t->a; i++) {
        send(&ab, i);
        if (recv(&ba, &v))
            sum += v;
    }
    close_channel(&ab);
    t->out = sum;
}

static void ponger(task *t)
{
    int64_t v, count = 0;
    while (recv(&ab, &v)) {
        count++;
        send(&ba, v);
    }
    t->out = count;
}

EMSCRIPTEN_KEEPALIVE void bench_pingpong(int msgs, int capacity)
{
    init_main();
    channel_init(&ab, (uint32_t)capacity);
    channel_init(&ba, (uint32_t)capacity);
    double t0 = emscripten_get_now();
    spawn(ponger, 0, 0);
    task *p = spawn(pinger, msgs / 2, 0);
    run();
    results[0] = emscripten_get_now() - t0;
    results[1] = (double)(2 * p->out > 0 ? msgs / 2 * 2 : 0);
    free(ab.buf);
    free(ba.buf);
}

/* ---- memory: n tasks suspended for good (their stacks and buffers are what a pending task costs) ---- */

static void idler(task *t)
{
    (void)t;
    suspend(); /* nobody wakes it */
}

EMSCRIPTEN_KEEPALIVE void bench_idle(int n)
{
    init_main();
    for (int i = 0; i < n; i++)
        spawn(idler, 0, 0);
    run();
    results[0] = n;
    results[1] = FIBER_STACK + FIBER_ASYNC + sizeof(task);
}

/* ---- timers: one task sleeping with emscripten_sleep (Asyncify's native way to wait) ---- */

EMSCRIPTEN_KEEPALIVE void bench_sleep(int ms)
{
    double t0 = emscripten_get_now();
    emscripten_sleep((unsigned)ms);
    results[0] = emscripten_get_now() - t0;
}
