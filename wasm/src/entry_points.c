/* entry_points.c: entries that are not examples: building blocks for embedding and for the tests (host calls,
 * fetch with a timeout, a sleep, a future that never finishes). */
#include "entries.h"
#include "ws_js.h"

#include <string.h>

/* ---- host_echo: call a host function once and return its result ---- */

WS_ASYNC(host_echo, { const char *name, *arg; uint32_t arg_len; ws_host_call call; })
{
    WS_BEGIN();
    ws_host_call_init(&self->call, self->name, self->arg, self->arg_len);
    WS_TRY(&self->call);                         /* a rejection: its error, with its message as our output */
    WS_RETURN(WS_OUT(&self->call));              /* the result block is our output */
    WS_END();
}

static void host_echo_init(void *f, const wsx_args *args)
{
    host_echo *self = f;
    WS_ASYNC_INIT(host_echo, self);
    self->name = args->str[0];
    self->arg = args->str[1];
    self->arg_len = args->len[1];
}

static const wsx_param host_echo_params[] = {
    WSX_PARAM_TEXT("name", "host function", ""),
    WSX_PARAM_TEXT("arg", "argument", ""),
};

const wsx_entry wsx_entry_host_echo = {
    "host_echo", "Call a host function",
    "Calls the JS function registered under `name` with `arg` and returns what its promise resolves to.",
    host_echo_params, 2, sizeof(host_echo), host_echo_init, 1, 0,
};

/* ---- host_many: n host calls, `width` at a time; the value is the sum of their numeric results ----
 * typed 0: each argument is the call's number as text, each result text read as a number (ws_host_call_init);
 * typed 1: both are numbers (ws_host_callv_init, ws_host_call_value), with no text on either side. */

#define HOST_MANY_MAX 1000

struct host_many;
static void host_many_drop(ws_runtime *rt, ws_future *f);
static void host_many_init_call(struct host_many *self, int64_t i, int64_t k);
static void host_many_take(ws_runtime *rt, struct host_many *self, int64_t i);

WS_ASYNC_WITH_DROP(host_many, host_many_drop, {
    const char *name;
    int64_t n, width, done, sum, batch, typed;
    ws_join all;
    ws_future *ptrs[HOST_MANY_MAX];
    ws_host_call calls[HOST_MANY_MAX];
    char arg[HOST_MANY_MAX][8];
    ws_value value[HOST_MANY_MAX];
})
{
    WS_BEGIN();
    while (self->done < self->n) {
        if (self->width == 1) {
            /* One call at a time, awaited itself with no join around it: the loop a C program writes to await a
             * JS function n times (the benchmarks' one-at-a-time side, against `sum += await fn(i)` in JS). */
            self->batch = 1;
            host_many_init_call(self, 0, self->done);
            WS_AWAIT(&self->calls[0]);
            if (WS_ERR(&self->calls[0]) != WS_OK)
                WS_RETURN_ERR(WS_ERR(&self->calls[0]));
            host_many_take(cx->rt, self, 0);
            self->done++;
            continue;
        }
        self->batch = self->n - self->done < self->width ? self->n - self->done : self->width;
        for (int64_t i = 0; i < self->batch; i++)
            host_many_init_call(self, i, self->done + i);
        ws_try_join_all_init(&self->all, self->ptrs, (uint32_t)self->batch);
        WS_AWAIT(&self->all);
        for (int64_t i = 0; i < self->batch; i++)
            host_many_take(cx->rt, self, i);
        if (WS_ERR(&self->all) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->all));
        self->done += self->batch;
    }
    WS_RETURN(self->sum);
    WS_END();
}

/* Sets up call `i` with argument `k`: a number (typed) or its decimal text. */
static void host_many_init_call(struct host_many *self, int64_t i, int64_t k)
{
    k %= 1000000;
    self->ptrs[i] = &self->calls[i].op.base;
    if (self->typed) {
        self->value[i] = ws_value_number((double)k);
        ws_host_callv_init(&self->calls[i], self->name, &self->value[i], 1);
        return;
    }
    int len = 0;
    char tmp[8];
    do {
        tmp[len++] = (char)('0' + k % 10);
        k /= 10;
    } while (k);
    for (int j = 0; j < len; j++)
        self->arg[i][j] = tmp[len - 1 - j];
    ws_host_call_init(&self->calls[i], self->name, self->arg[i], (uint32_t)len);
}

/* Adds the number call `i` resolved to (if it is ready) to the sum, and frees its block. */
static void host_many_take(ws_runtime *rt, struct host_many *self, int64_t i)
{
    ws_host_call *call = &self->calls[i];
    if (!ws_future_is_ready(&call->op.base))
        return;
    ws_bytes *r = ws_bytes_of(call->op.base.out);
    int64_t v = 0;
    ws_value tv;
    if (self->typed)
        v = ws_host_call_value(call, &tv) == WS_OK && tv.type == WS_VALUE_NUMBER ? (int64_t)tv.as.number : 0;
    else if (r)
        for (uint32_t j = 0; j < r->len && r->data[j] >= '0' && r->data[j] <= '9'; j++)
            v = v * 10 + (r->data[j] - '0');
    self->sum += v;
    ws_bytes_free(rt, r);
    call->op.base.out = 0; /* freed: the drop below must not free it again */
}

/* Dropped early (aborted): the calls still in flight go with the join (or with the one awaited alone), which
 * cancels them; a call that had finished holds its result, which is ours to free (ws_combinators.h). */
static void host_many_drop(ws_runtime *rt, ws_future *f)
{
    host_many *self = (host_many *)f;
    ws_async_drop(rt, f);
    for (int64_t i = 0; i < self->batch; i++) {
        ws_future *call = &self->calls[i].op.base;
        if (ws_future_is_ready(call)) {
            ws_bytes_free(rt, ws_bytes_of(call->out));
            call->out = 0;
        }
    }
}

static void host_many_init(void *f, const wsx_args *args)
{
    host_many *self = f;
    WS_ASYNC_INIT(host_many, self);
    self->name = args->str[0];
    self->n = args->num[1];
    self->width = args->num[2];
    self->typed = args->num[3];
    self->done = self->sum = 0;
    self->batch = 0; /* no calls yet: nothing for an early drop to free */
}

static const wsx_param host_many_params[] = {
    WSX_PARAM_TEXT("name", "host function", ""),
    WSX_PARAM_INT("n", "calls", 1, 0, 100000000),
    WSX_PARAM_INT("width", "calls in flight at once", 1, 1, HOST_MANY_MAX),
    WSX_PARAM_INT("typed", "typed values", 0, 0, 1),
};

const wsx_entry wsx_entry_host_many = {
    "host_many", "Many host calls",
    "Calls the host function `n` times with arguments 0, 1, 2 ..., `width` calls in flight at a time, and "
    "returns the sum of the numbers they resolve to.",
    host_many_params, 4, sizeof(host_many), host_many_init, 0, 0,
};

/* ---- fetch_text: one request; the value is a JSON summary of the response ---- */

WS_ASYNC(fetch_text, { ws_fetch_request req; int64_t limit_ms; ws_fetch fetch; ws_timeout guard; })
{
    WS_BEGIN();
    ws_fetch_init(&self->fetch, &self->req);
    if (self->limit_ms > 0) {
        ws_timeout_init(&self->guard, &self->fetch.op.base, (uint64_t)self->limit_ms);
        WS_AWAIT(&self->guard);                  /* on a timeout the fetch is dropped: the request is aborted */
        if (WS_ERR(&self->guard) == WS_ETIMEDOUT)
            WS_RETURN_ERR(WS_ETIMEDOUT);
    } else {
        WS_AWAIT(&self->fetch);
    }
    {
        ws_bytes *block = ws_bytes_of(WS_OUT(&self->fetch));
        ws_fetch_response r;
        if (WS_ERR(&self->fetch) != WS_OK) {
            self->ws_base.err = WS_ERR(&self->fetch);
            self->ws_base.out = (int64_t)(intptr_t)block; /* the message */
            return WS_READY;
        }
        int ok = ws_fetch_response_view(block, &r) == WS_OK;
        wsx_buf out;
        wsx_buf_init(cx->rt, &out);
        wsx_buf_str(&out, "{\"status\":");
        wsx_buf_int(&out, ok ? r.status : 0);
        wsx_buf_str(&out, ",\"bytes\":");
        wsx_buf_int(&out, ok ? r.body_len : 0);
        wsx_buf_str(&out, ",\"headers\":");
        wsx_buf_json_str(&out, ok ? r.headers : "");
        wsx_buf_str(&out, ",\"head\":");
        {
            char head[65];
            uint32_t n = ok ? (r.body_len < 64 ? r.body_len : 64) : 0;
            for (uint32_t i = 0; i < n; i++)
                head[i] = (r.body[i] >= 0x20 && r.body[i] < 0x7f) ? (char)r.body[i] : '.';
            head[n] = 0;
            wsx_buf_json_str(&out, head);
        }
        wsx_buf_str(&out, "}");
        ws_bytes_free(cx->rt, block);
        self->ws_base.out = (int64_t)(intptr_t)wsx_buf_finish(&out);
        if (!self->ws_base.out)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    return WS_READY;
    WS_END();
}

static void fetch_text_init(void *f, const wsx_args *args)
{
    fetch_text *self = f;
    WS_ASYNC_INIT(fetch_text, self);
    self->req.url = args->str[0];
    self->req.method = args->len[1] ? args->str[1] : "GET";
    self->req.headers = args->len[2] ? args->str[2] : NULL;
    self->req.body = args->len[3] ? (const uint8_t *)args->str[3] : NULL;
    self->req.body_len = args->len[3];
    self->limit_ms = args->num[4];
}

static const wsx_param fetch_text_params[] = {
    WSX_PARAM_URL("url", "URL", "/api/delay?ms=10&bytes=100"),
    WSX_PARAM_TEXT("method", "method", "GET"),
    WSX_PARAM_TEXT("headers", "headers (Name: value lines, \\n escaped)", ""),
    WSX_PARAM_TEXT("body", "body", ""),
    WSX_PARAM_MS("timeout", "timeout (ms, 0: none)", 0, 0, 600000),
};

const wsx_entry wsx_entry_fetch_text = {
    "fetch_text", "One fetch",
    "Fetches `url` (optionally with a timeout that aborts it) and returns {status, bytes, headers, head}.",
    fetch_text_params, 5, sizeof(fetch_text), fetch_text_init, 1, 0,
};

/* ---- sleep and never ---- */

WS_ASYNC(sleep_entry, { int64_t ms; ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);
    WS_RETURN(self->ms);
    WS_END();
}

static void sleep_entry_init(void *f, const wsx_args *args)
{
    sleep_entry *self = f;
    WS_ASYNC_INIT(sleep_entry, self);
    self->ms = args->num[0];
}

static const wsx_param sleep_params[] = { WSX_PARAM_MS("ms", "duration (ms)", 10, 0, 86400000) };

const wsx_entry wsx_entry_sleep = {
    "sleep", "Sleep", "Sleeps `ms` milliseconds and returns ms.",
    sleep_params, 1, sizeof(sleep_entry), sleep_entry_init, 0, 0,
};

static void never_init(void *f, const wsx_args *args)
{
    (void)args;
    ws_never_init(f);
}

const wsx_entry wsx_entry_never = {
    "never", "Never", "Pending forever, and never wakes: for abort tests.",
    NULL, 0, sizeof(ws_never), never_init, 0, 0,
};

/* ---- trap: executes an unreachable instruction, to test that a trap rejects every pending promise ---- */

static ws_poll trap_poll(ws_future *f, ws_context *cx)
{
    (void)f;
    (void)cx;
    __builtin_trap();
}

static const ws_future_type trap_type = { "trap", trap_poll, NULL, NULL };

static void trap_init(void *f, const wsx_args *args)
{
    (void)args;
    ws_future_init(f, &trap_type);
}

const wsx_entry wsx_entry_trap = {
    "trap", "Trap", "Traps the module on its first poll (for tests: every pending promise must reject with ETRAP).",
    NULL, 0, sizeof(ws_future), trap_init, 0, 0,
};
