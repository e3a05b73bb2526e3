/* workloads.c: the benchmark workloads the way a C developer would write them without wasync: emscripten's
 * Asyncify, with fibers (emscripten_fiber_t) for tasks and the small FIFO scheduler of fibers.h on the main
 * context.
 *
 * Every task is a fiber with its own C stack and Asyncify unwind buffer (fibers.h's defaults, FIBER_STACK +
 * FIBER_ASYNC bytes: the least that these trivial bodies need, with margin).
 *
 * Results: a fiber switch from the main context unwinds the exported call itself, so the exports cannot return
 * values; each bench_* stores what it measured and bench_result(i) reads it afterwards. The trampoline runs
 * synchronously, so the work is done when the exported call returns to JS.
 *
 * spawn: 1 000 000 concurrent fibers would need ~1M x (stack + buffer) of wasm32 memory, more than 4 GB, so the
 * spawn workload runs in waves of WAVE fibers (spawn WAVE, await them all, next wave), recycling stacks. That
 * flatters Asyncify (it never holds more than WAVE tasks); it is documented in bench/README.md.
 */
#include "fibers.h"

#define WAVE 1000

static double results[8];

EMSCRIPTEN_KEEPALIVE double bench_result(int i) { return i >= 0 && i < 8 ? results[i] : 0; }

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
            wave[i] = spawn(trivial, done + i, 0, NULL);
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
        spawn(yielder, yields, 0, NULL);
    run();
    results[0] = emscripten_get_now() - t0;
}

/* ---- channel: ping-pong over two bounded channels ---- */

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
    spawn(ponger, 0, 0, NULL);
    task *p = spawn(pinger, msgs / 2, 0, NULL);
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
    park(); /* nobody wakes it */
}

EMSCRIPTEN_KEEPALIVE void bench_idle(int n)
{
    init_main();
    for (int i = 0; i < n; i++)
        spawn(idler, 0, 0, NULL);
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
