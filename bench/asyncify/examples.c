/* examples.c: the package's nine examples (wasm/examples/: lazy.c ... fetch.c) the way a C developer would write
 * them on emscripten's Asyncify instead of wasync, for the size comparison in bench/run.mjs: the same programs,
 * doing the same things, built the other way.
 *
 * The translation: a wasync task, or a future awaited concurrently with others, becomes a fiber (fibers.h: a run
 * queue, a timer list, and a sleep of the whole program with emscripten_sleep when every fiber waits on a timer);
 * awaiting becomes a call that parks the fiber; join, select and a timeout become fibers joined, with a deadline
 * for the timeout; dropping a future becomes cancelling a fiber, which is simply never resumed. fetch goes
 * through JS's fetch(): C starts a request, the fiber parks, and when nothing can run the scheduler awaits the
 * pending promises with one EM_ASYNC_JS call. (An EM_ASYNC_JS call made by the fiber itself would suspend the
 * whole program, not just that fiber: two requests could not be in flight at once.)
 *
 * Each example is an export taking the wasync example's parameters (examples.mjs has their defaults). It reports
 * its value through Module.onExample when it finishes, which on the real clock is after the export has returned
 * to JS (the first sleep unwinds it). On the virtual clock (wasync's default, chosen with example_clock) the
 * values are exactly those of the wasync examples; bench/run.mjs --smoke checks that.
 *
 * Not ported: wasync's trace and timeline (what the playground shows of every poll, wake and timer), the
 * cooperative budget (nothing can interrupt a fiber that never calls the scheduler), and the registry of titles,
 * descriptions and parameter tables. No stdio either, as in the package: formatting the fetch example's value with
 * snprintf would add about 10 KB to the .wasm. Nor emscripten_fetch (-sFETCH): it is built on XMLHttpRequest,
 * which Node does not have, and its glue is larger than the few lines of fetch() below.
 */
#define FIBER_STACK 8192
#define FIBER_ASYNC 2048
#include "fibers.h"

/* ---- a string value, or the message of a failure ---- */

static char *result_text;
static int result_failed;

static void fail(const char *msg)
{
    result_failed = 1;
    result_text = strdup(msg);
}

typedef struct strbuf {
    char *p;
    size_t len, cap;
    int failed;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_int(strbuf *b, int64_t v)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    sb_add(b, tmp + i, sizeof tmp - (size_t)i);
}

/* ---- fetch through the host: JS starts the request, C parks until it settles ---- */

/* Starts fetch(url) (relative URLs resolve against Module.baseUrl); returns the request's id. When it settles,
 * the body is read whole and the result queued for js_fetch_take. */
EM_JS(int, js_fetch_start, (const char *url), {
    const H = Module.http || (Module.http = { next: 1, live: new Map(), settled: [], wake: null });
    const id = H.next++;
    const ctl = new AbortController();
    H.live.set(id, ctl);
    const settle = (r) => {
        if (!H.live.delete(id))
            return; /* aborted */
        H.settled.push(r);
        if (H.wake)
            H.wake();
    };
    const href = UTF8ToString(url);
    const failed = (e) => 'fetch ' + href + ' failed: ' + (e && e.message || e);
    Promise.resolve()
        .then(() => fetch(new URL(href, Module.baseUrl), { signal: ctl.signal })) /* a bad URL fails like the network */
        .then(async (res) => settle({ id, status: res.status, body: new Uint8Array(await res.arrayBuffer()) }))
        .catch((e) => settle({ id, status: -1, body: new TextEncoder().encode(failed(e)) }));
    return id;
});

EM_JS(void, js_fetch_abort, (int id), {
    const ctl = Module.http.live.get(id);
    if (ctl) {
        Module.http.live.delete(id);
        ctl.abort();
    }
});

/* The one await of the program: resolves when a request has settled, or after ms (ms < 0: no limit). */
EM_ASYNC_JS(void, js_host_wait, (double ms), {
    const H = Module.http;
    if (H.settled.length)
        return;
    await new Promise((resolve) => {
        const timer = ms >= 0 ? setTimeout(resolve, ms) : null;
        H.wake = () => {
            clearTimeout(timer);
            resolve();
        };
    });
    H.wake = null;
});

/* Takes a settled request: its id (0: none left), its HTTP status (-1: a network error) and its body (or the
 * error's message), copied into a malloc'd, NUL-terminated block. */
EM_JS(int, js_fetch_take, (int *status, char **data, int *len), {
    const r = Module.http.settled.shift();
    if (!r)
        return 0;
    const p = _malloc(r.body.length + 1);
    if (p) {
        HEAPU8.set(r.body, p);
        HEAPU8[p + r.body.length] = 0;
    }
    HEAP32[status >> 2] = r.status;
    HEAP32[data >> 2] = p;
    HEAP32[len >> 2] = p ? r.body.length : 0;
    return r.id;
});

typedef struct response {
    int status, len; /* status -1: a network error, body = its message; NULL body: out of memory */
    char *body;      /* malloc'd: the caller frees it */
} response;

/* A request in flight, on the stack of the fiber that waits for it. */
typedef struct request {
    int id, settled;
    task *waiter;
    response *out;
    struct request *next;
} request;

static request *requests;

static void http_get(const char *url, response *out)
{
    request r = { js_fetch_start(url), 0, current, out, requests };
    requests = &r;
    host_pending++;
    while (!r.settled)
        park();
}

/* The scheduler's host_wait: sleeps the program until a request settles, then wakes whoever waits for it. */
static void http_wait(double ms)
{
    js_host_wait(ms);
    int id, status, len;
    char *body;
    while ((id = js_fetch_take(&status, &body, &len))) {
        request **p = &requests;
        while (*p && (*p)->id != id)
            p = &(*p)->next;
        if (!*p) {
            free(body); /* aborted after it settled */
            continue;
        }
        request *r = *p;
        *p = r->next;
        r->out->status = body ? status : -1;
        r->out->body = body;
        r->out->len = len;
        r->settled = 1;
        host_pending--;
        wake(r->waiter);
    }
}

/* Cancels a task parked in http_get: the request is aborted, then the fiber. */
static void http_cancel(task *t)
{
    for (request **p = &requests; *p; p = &(*p)->next)
        if ((*p)->waiter == t) {
            js_fetch_abort((*p)->id);
            *p = (*p)->next;
            host_pending--;
            break;
        }
    cancel(t);
}

/* ---- the "network" of the sequential, join, spawn and timeout examples (wasm/examples/fake_fetch.h) ---- */

/* Downloads for `ms` milliseconds (a sleep), then returns how many bytes it got: 10 per millisecond. */
static int64_t fake_fetch(int64_t ms)
{
    sleep_ms((double)ms);
    return ms * 10;
}

static void fake_fetch_task(task *t) { t->out = fake_fetch(t->a); }

/* ---- lazy: a fiber that is never started runs nothing ---- */

static void answer(task *t)
{
    (*(int64_t *)t->p)++; /* the body counts its own runs */
    t->out = 42;
}

static void lazy_main(task *self)
{
    int64_t runs = 0;
    task *dropped = task_new(answer, 0, 0, &runs); /* built: nothing ran */
    cancel(dropped);                               /* dropped unstarted: its body never runs */
    task *awaited = spawn(answer, 0, 0, &runs);
    join(awaited);                                 /* now the body runs, once */
    self->out = runs;                              /* 1, although two were built */
}

/* ---- sequential: one after the other, a + b ---- */

static void sequential_main(task *self)
{
    int64_t a = fake_fetch(self->a); /* wait for the first... */
    int64_t b = fake_fetch(self->b); /* ...then start and wait for the second */
    self->out = a + b;
}

/* ---- join: both at once, max(a, b); the second needs a fiber of its own ---- */

static void join_main(task *self)
{
    task *b = spawn(fake_fetch_task, self->b, 0, NULL); /* b on a fiber of its own... */
    int64_t a = fake_fetch(self->a);                    /* ...while a runs on ours */
    self->out = a + join(b);
}

/* ---- spawn: two tasks of their own, then their handles awaited ---- */

static void spawn_main(task *self)
{
    task *a = spawn(fake_fetch_task, self->a, 0, NULL);
    task *b = spawn(fake_fetch_task, self->b, 0, NULL);
    int64_t ra = join(a); /* both are already running */
    int64_t rb = join(b);
    self->out = ra + rb;
}

/* ---- blocking and cooperative: a ticker and a CPU-bound worker (wasm/examples/ticker.h) ---- */

typedef struct ticker_args {
    int64_t items, unit_ms, ticks, tick_ms;
} ticker_args;

/* Wants to run every tick_ms and measures how late each tick was; the value is the worst lateness in whole ms. */
static void ticker(task *t)
{
    const ticker_args *g = t->p;
    double due = now_ms(), worst = 0; /* the first tick is immediate */
    for (int64_t i = 0; i < g->ticks; i++) {
        sleep_until(due);
        double late = now_ms() - due;
        if (late > worst)
            worst = late;
        due = now_ms() + (double)g->tick_ms; /* the next one a period after this one ran */
    }
    t->out = (int64_t)worst;
}

/* blocking: every item is ready at once, so the loop never parks and nothing else runs until it ends. */
static void cruncher(task *t)
{
    const ticker_args *g = t->p;
    for (int64_t i = 0; i < g->items; i++)
        busy_ms((double)g->unit_ms); /* CPU-bound work */
    t->out = g->items;
}

/* cooperative: the same work, letting the others run after every item. */
static void polite_cruncher(task *t)
{
    const ticker_args *g = t->p;
    for (int64_t i = 0; i < g->items; i++) {
        busy_ms((double)g->unit_ms);
        yield_now();
    }
    t->out = g->items;
}

/* Starts the ticker, then the worker (a: polite or not), and reports the ticker's worst lateness. */
static void ticker_demo(task *self)
{
    task *tk = spawn(ticker, 0, 0, self->p);
    task *w = spawn(self->a ? polite_cruncher : cruncher, 0, 0, self->p);
    join(w);
    self->out = join(tk);
}

/* ---- timeout: the slow operation against a deadline; the loser is cancelled ---- */

static void timeout_main(task *self)
{
    task *op = spawn(fake_fetch_task, self->a, 0, NULL); /* the slow operation, on a fiber of its own */
    if (join_until(op, now_ms() + (double)self->b)) {
        self->out = op->out; /* the operation won: its bytes */
    } else {
        cancel(op);          /* the timer won: the operation never runs again, its timer is disarmed */
        self->out = -1;
    }
}

/* ---- channel: a fast producer, a slow consumer, a bounded channel between them ---- */

typedef struct channel_args {
    int64_t count, capacity, work_ms;
} channel_args;

static void producer(task *t)
{
    channel *tx = t->p;
    for (int64_t i = 1; i <= t->a; i++)
        send(tx, i);  /* parks while the channel is full */
    close_channel(tx); /* the consumer sees the end once it has drained */
    t->out = t->a;
}

static void channel_main(task *self)
{
    const channel_args *g = self->p;
    channel ch;
    if (g->capacity < 1 || !channel_init(&ch, (uint32_t)g->capacity)) {
        fail(g->capacity < 1 ? "capacity must be at least 1" : "out of memory");
        return;
    }
    task *p = spawn(producer, g->count, 0, &ch);
    int64_t sum = 0, v;
    while (recv(&ch, &v)) { /* parks while the channel is empty */
        sum += v;
        sleep_ms((double)g->work_ms); /* a slow consumer */
    }
    join(p);
    free(ch.buf);
    self->out = sum;
}

/* ---- fetch: two real requests at once; a network error fails the run and aborts the other ---- */

typedef struct fetch_args {
    const char *url_a, *url_b;
} fetch_args;

typedef struct get_args {
    const char *url;
    response res;
} get_args;

static void get_task(task *t)
{
    get_args *g = t->p;
    http_get(g->url, &g->res);
}

static void fetch_main(task *self)
{
    const fetch_args *f = self->p;
    get_args g[2] = { { f->url_a, { 0, 0, NULL } }, { f->url_b, { 0, 0, NULL } } };
    task *ts[2] = { spawn(get_task, 0, 0, &g[0]), spawn(get_task, 0, 0, &g[1]) }; /* both in flight at once */
    int failed = -1;
    for (;;) { /* try_join: both, unless one fails first */
        for (int i = 0; i < 2; i++)
            if (ts[i]->done && g[i].res.status < 0)
                failed = i;
        if (failed >= 0 || (ts[0]->done && ts[1]->done))
            break;
        wait_any(ts, 2, -1);
    }
    if (failed >= 0) {
        if (!ts[1 - failed]->done)
            http_cancel(ts[1 - failed]);
        fail(g[failed].res.body ? g[failed].res.body : "fetch failed");
    } else {
        strbuf out = { NULL, 0, 0, 0 };
        sb_str(&out, "a: HTTP ");
        sb_int(&out, g[0].res.status);
        sb_str(&out, ", ");
        sb_int(&out, g[0].res.len);
        sb_str(&out, " bytes; b: HTTP ");
        sb_int(&out, g[1].res.status);
        sb_str(&out, ", ");
        sb_int(&out, g[1].res.len);
        sb_str(&out, " bytes");
        if (out.failed) {
            free(out.p);
            fail("out of memory");
        } else {
            result_text = out.p;
        }
    }
    free(g[0].res.body);
    free(g[1].res.body);
}

/* ---- the exports ---- */

EM_JS(void, js_report, (int failed, double value, const char *text), {
    Module.onExample(failed ? { error: UTF8ToString(text) } : { value: text ? UTF8ToString(text) : value });
});

static int running;

/* Runs `body` as the main task to the end and reports its value. On the real clock the first sleep returns this
 * export to JS; the rest runs from the host's timers and promises, and the report comes from there. */
static void start(void (*body)(task *), int64_t a, int64_t b, void *p)
{
    if (running) {
        js_report(1, 0, "an example is already running");
        return;
    }
    running = 1;
    init_main();
    vnow = 0;
    result_text = NULL;
    result_failed = 0;
    host_wait = http_wait;
    task *m = spawn(body, a, b, p);
    run();
    if (!m->done && !result_failed)
        fail("stalled: every task waits and nothing can wake them");
    running = 0;
    js_report(result_failed, (double)m->out, result_text);
    free(result_text);
    result_text = NULL;
}

/* 1: the real clock (sleeps take real time); 0: the virtual clock (the default, as in wasync's runtimes). */
EMSCRIPTEN_KEEPALIVE void example_clock(int real) { clock_virtual = !real; }

EMSCRIPTEN_KEEPALIVE void example_lazy(void) { start(lazy_main, 0, 0, NULL); }

EMSCRIPTEN_KEEPALIVE void example_sequential(int a_ms, int b_ms) { start(sequential_main, a_ms, b_ms, NULL); }

EMSCRIPTEN_KEEPALIVE void example_join(int a_ms, int b_ms) { start(join_main, a_ms, b_ms, NULL); }

EMSCRIPTEN_KEEPALIVE void example_spawn(int a_ms, int b_ms) { start(spawn_main, a_ms, b_ms, NULL); }

static ticker_args ticker_params;

EMSCRIPTEN_KEEPALIVE void example_blocking(int items, int unit_ms, int ticks, int tick_ms)
{
    ticker_params = (ticker_args){ items, unit_ms, ticks, tick_ms };
    start(ticker_demo, 0, 0, &ticker_params);
}

EMSCRIPTEN_KEEPALIVE void example_cooperative(int items, int unit_ms, int ticks, int tick_ms)
{
    ticker_params = (ticker_args){ items, unit_ms, ticks, tick_ms };
    start(ticker_demo, 1, 0, &ticker_params);
}

EMSCRIPTEN_KEEPALIVE void example_timeout(int work_ms, int limit_ms) { start(timeout_main, work_ms, limit_ms, NULL); }

static channel_args channel_params;

EMSCRIPTEN_KEEPALIVE void example_channel(int count, int capacity, int work_ms)
{
    channel_params = (channel_args){ count, capacity, work_ms };
    start(channel_main, 0, 0, &channel_params);
}

static fetch_args fetch_params;

/* The URLs must stay valid until the example has reported. */
EMSCRIPTEN_KEEPALIVE void example_fetch(const char *url_a, const char *url_b)
{
    fetch_params = (fetch_args){ url_a, url_b };
    start(fetch_main, 0, 0, &fetch_params);
}
