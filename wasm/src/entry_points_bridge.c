/* entry_points_bridge.c: entries that exercise the JS bridge from C: host calls dropped by a select or a timeout
 * (their AbortSignal), and typed values both ways. Compiled into the examples module (and so available to the
 * tests and the playground), not into the default module: applications write their own. */
#include "entries.h"
#include "ws_js.h"

#include <string.h>

/* ---- host_select, host_timeout: host calls dropped before they settle (their JS AbortSignal fires) ---- */

/* Selects between host calls `a` and `b` (argument: their own name); the value is the winner's result. The loser
 * is dropped, which aborts its host function's signal. */
WS_ASYNC(host_select, { const char *a, *b; ws_host_call ca, cb; ws_select sel; })
{
    WS_BEGIN();
    ws_host_call_init(&self->ca, self->a, self->a, (uint32_t)strlen(self->a));
    ws_host_call_init(&self->cb, self->b, self->b, (uint32_t)strlen(self->b));
    ws_select2_init(&self->sel, &self->ca.op.base, &self->cb.op.base, WS_SELECT_BIASED);
    WS_AWAIT(&self->sel);
    {
        ws_host_call *w = WS_OUT(&self->sel) == 0 ? &self->ca : &self->cb;
        self->ws_base.err = WS_ERR(w);
        self->ws_base.out = WS_OUT(w);
    }
    return WS_READY;
    WS_END();
}

static void host_select_init(void *f, const wsx_args *args)
{
    host_select *self = f;
    WS_ASYNC_INIT(host_select, self);
    self->a = args->str[0];
    self->b = args->str[1];
}

static const wsx_param host_select_params[] = {
    WSX_PARAM_TEXT("a", "first host function", ""),
    WSX_PARAM_TEXT("b", "second host function", ""),
};

const wsx_entry wsx_entry_host_select = {
    "host_select", "First of two host calls",
    "Selects between host functions `a` and `b` (each called with its own name); returns the winner's result.",
    host_select_params, 2, sizeof(host_select), host_select_init, 1, 0,
};

/* Calls host function `name` with `arg` under a timeout of `ms`: ETIMEDOUT if it has not settled by then (the
 * call is dropped, which aborts its host function's signal). */
WS_ASYNC(host_timeout, { const char *name, *arg; uint32_t arg_len; int64_t ms; ws_host_call call; ws_timeout guard; })
{
    WS_BEGIN();
    ws_host_call_init(&self->call, self->name, self->arg, self->arg_len);
    ws_timeout_init(&self->guard, &self->call.op.base, (uint64_t)self->ms);
    WS_AWAIT(&self->guard);
    if (WS_ERR(&self->guard) == WS_ETIMEDOUT)
        WS_RETURN_ERR(WS_ETIMEDOUT);
    self->ws_base.err = WS_ERR(&self->call);
    self->ws_base.out = WS_OUT(&self->call);
    return WS_READY;
    WS_END();
}

static void host_timeout_init(void *f, const wsx_args *args)
{
    host_timeout *self = f;
    WS_ASYNC_INIT(host_timeout, self);
    self->name = args->str[0];
    self->arg = args->str[1];
    self->arg_len = args->len[1];
    self->ms = args->num[2];
}

static const wsx_param host_timeout_params[] = {
    WSX_PARAM_TEXT("name", "host function", ""),
    WSX_PARAM_TEXT("arg", "argument", ""),
    WSX_PARAM_MS("ms", "timeout (ms)", 100, 0, 600000),
};

const wsx_entry wsx_entry_host_timeout = {
    "host_timeout", "A host call with a timeout",
    "Calls the host function `name` with `arg`; fails with ETIMEDOUT if it has not settled within `ms`.",
    host_timeout_params, 3, sizeof(host_timeout), host_timeout_init, 1, 0,
};

/* ---- host_values, host_relay: typed values across the bridge ---- */

/* Calls host function `name` with one value of each type built in C: the number 1.5, the string "a\0b" (3 bytes),
 * the bytes 01 00 ff, no bytes, the JSON {"k":[1,2]}, undefined, and `big` bytes of the pattern i * 31 mod 256.
 * The value is what the host function resolves to, typed. */
/* Makes the typed outcome of `call` the output of `self` (an entry whose output is "value", a block): the call's
 * output block, or a block made for a value that came inline (ws_host_call_value). */
static ws_poll value_output(ws_runtime *rt, ws_future *self, ws_host_call *call)
{
    self->err = WS_ERR(call);
    self->out = WS_OUT(call);
    ws_value v;
    if (self->err == WS_OK && !self->out && ws_host_call_value(call, &v) == WS_OK) {
        self->out = (int64_t)(intptr_t)ws_value_new(rt, &v);
        if (!self->out)
            self->err = WS_ENOMEM;
    }
    return WS_READY;
}

static void host_values_drop(ws_runtime *rt, ws_future *f);
WS_ASYNC_WITH_DROP(host_values, host_values_drop, { const char *name; int64_t big; uint8_t *buf; ws_value args[7]; ws_host_call call; })
{
    WS_BEGIN();
    if (self->big > 0) {
        self->buf = ws_alloc(cx->rt, (size_t)self->big);
        if (!self->buf)
            WS_RETURN_ERR(WS_ENOMEM);
        for (int64_t i = 0; i < self->big; i++)
            self->buf[i] = (uint8_t)(i * 31);
    }
    {
        static const uint8_t raw[] = { 0x01, 0x00, 0xff };
        self->args[0] = ws_value_number(1.5);
        self->args[1] = ws_value_data(WS_VALUE_STRING, "a\0b", 3);
        self->args[2] = ws_value_data(WS_VALUE_BYTES, raw, 3);
        self->args[3] = ws_value_data(WS_VALUE_BYTES, NULL, 0);
        self->args[4] = ws_value_data(WS_VALUE_JSON, "{\"k\":[1,2]}", 11);
        self->args[5] = ws_value_undefined();
        self->args[6] = ws_value_data(WS_VALUE_BYTES, self->buf, (uint32_t)self->big);
    }
    ws_host_callv_init(&self->call, self->name, self->args, 7);
    WS_AWAIT(&self->call);
    ws_free(cx->rt, self->buf, (size_t)self->big);
    self->buf = NULL;
    return value_output(cx->rt, &self->ws_base, &self->call);
    WS_END();
}

static void host_values_drop(ws_runtime *rt, ws_future *f)
{
    ws_async_drop(rt, f);
    host_values *self = (host_values *)f;
    ws_free(rt, self->buf, (size_t)self->big);
    self->buf = NULL;
}

static void host_values_init(void *f, const wsx_args *args)
{
    host_values *self = f;
    WS_ASYNC_INIT(host_values, self);
    self->name = args->str[0];
    self->big = args->num[1];
    self->buf = NULL;
}

static const wsx_param host_values_params[] = {
    WSX_PARAM_TEXT("name", "host function", ""),
    WSX_PARAM_INT("big", "bytes in the last argument", 0, 0, 64 << 20),
};

const wsx_entry wsx_entry_host_values = {
    "host_values", "Typed values to a host function",
    "Calls the host function `name` with one value of each type built in C; returns its typed result.",
    host_values_params, 2, sizeof(host_values), host_values_init, WSX_OUT_VALUE, 0,
};

/* Calls host function `first` with no argument, then `then` with what `first` resolved to (typed, unchanged), and
 * returns what `then` resolves to: a value goes JS -> C -> JS, a handle comes back as the same object. With
 * release 1, a handle is released first: the second call then fails (use after release). */
static void host_relay_drop(ws_runtime *rt, ws_future *f);
WS_ASYNC_WITH_DROP(host_relay, host_relay_drop, {
    const char *first, *then;
    int64_t release;
    ws_host_call call;
    ws_bytes *got;
    ws_value v;
})
{
    WS_BEGIN();
    ws_host_callv_init(&self->call, self->first, NULL, 0);
    WS_AWAIT(&self->call);
    if (WS_ERR(&self->call) != WS_OK)
        return value_output(cx->rt, &self->ws_base, &self->call);
    self->got = ws_bytes_of(WS_OUT(&self->call)); /* 0 for a value that came inline */
    if (ws_host_call_value(&self->call, &self->v) != WS_OK) {
        ws_bytes_free(cx->rt, self->got);
        self->got = NULL;
        WS_RETURN_ERR(WS_EINVAL);
    }
    if (self->release && self->v.type == WS_VALUE_HANDLE)
        ws_handle_release(self->v.as.handle); /* passed on all the same: `then` fails with EINVAL */
    ws_host_callv_init(&self->call, self->then, &self->v, 1);
    WS_AWAIT(&self->call);
    ws_bytes_free(cx->rt, self->got);
    self->got = NULL;
    return value_output(cx->rt, &self->ws_base, &self->call);
    WS_END();
}

static void host_relay_drop(ws_runtime *rt, ws_future *f)
{
    ws_async_drop(rt, f);
    host_relay *self = (host_relay *)f;
    ws_bytes_free(rt, self->got);
    self->got = NULL;
}

static void host_relay_init(void *f, const wsx_args *args)
{
    host_relay *self = f;
    WS_ASYNC_INIT(host_relay, self);
    self->first = args->str[0];
    self->then = args->str[1];
    self->release = args->num[2];
    self->got = NULL;
}

static const wsx_param host_relay_params[] = {
    WSX_PARAM_TEXT("first", "host function giving a value", ""),
    WSX_PARAM_TEXT("then", "host function given that value", ""),
    WSX_PARAM_INT("release", "release a handle before passing it on (1)", 0, 0, 1),
};

const wsx_entry wsx_entry_host_relay = {
    "host_relay", "A typed value from JS to C and back",
    "Calls the host function `first`, passes what it resolves to to `then`, and returns `then`'s typed result.",
    host_relay_params, 3, sizeof(host_relay), host_relay_init, WSX_OUT_VALUE, 0,
};


/* ---- fetch_stream: a streamed response body, chunk by chunk ---- */

/* Fetches `url` as a stream and reads its body chunk by chunk; with pause > 0 it stops asking after `pause` chunks
 * and waits until aborted (the rest stays in the network: backpressure). The value is JSON: {status, chunks,
 * bytes, sum} (sum: of all body bytes, mod 2^32); a body that fails mid-way fails the entry with EHOST. */
static void fetch_stream_drop(ws_runtime *rt, ws_future *f);
WS_ASYNC_WITH_DROP(fetch_stream, fetch_stream_drop, {
    ws_fetch_request req;
    int64_t pause;
    uint32_t status, stream, sum;
    int64_t chunks, bytes;
    ws_fetch fetch;
    ws_body_read read;
    ws_sleep wait;
})
{
    WS_BEGIN();
    ws_fetch_stream_init(&self->fetch, &self->req);
    WS_AWAIT(&self->fetch);
    {
        ws_bytes *block = ws_bytes_of(WS_OUT(&self->fetch));
        if (WS_ERR(&self->fetch) != WS_OK) {
            self->ws_base.err = WS_ERR(&self->fetch);
            self->ws_base.out = (int64_t)(intptr_t)block;
            return WS_READY;
        }
        ws_fetch_response r;
        int rc = ws_fetch_response_view(block, &r);
        self->status = r.status;
        self->stream = r.stream;
        ws_bytes_free(cx->rt, block);
        if (rc != WS_OK || !self->stream)
            WS_RETURN_ERR(WS_EINVAL);
    }
    for (;;) {
        if (self->pause > 0 && self->chunks == self->pause) {
            ws_sleep_init(&self->wait, 3600000);
            WS_AWAIT(&self->wait); /* stop reading: only an abort ends this */
        }
        ws_body_read_init(&self->read, self->stream);
        WS_AWAIT(&self->read);
        if (WS_ERR(&self->read) != WS_OK) {
            self->stream = 0; /* a failed body is closed by JS */
            self->ws_base.err = WS_ERR(&self->read);
            self->ws_base.out = WS_OUT(&self->read); /* the message */
            return WS_READY;
        }
        {
            ws_bytes *chunk = ws_bytes_of(WS_OUT(&self->read));
            if (!chunk)
                break; /* the end: JS closed the stream */
            self->chunks++;
            self->bytes += chunk->len;
            for (uint32_t i = 0; i < chunk->len; i++)
                self->sum += chunk->data[i];
            ws_bytes_free(cx->rt, chunk);
        }
    }
    self->stream = 0;
    {
        wsx_buf out;
        wsx_buf_init(cx->rt, &out);
        wsx_buf_str(&out, "{\"status\":");
        wsx_buf_int(&out, self->status);
        wsx_buf_str(&out, ",\"chunks\":");
        wsx_buf_int(&out, self->chunks);
        wsx_buf_str(&out, ",\"bytes\":");
        wsx_buf_int(&out, self->bytes);
        wsx_buf_str(&out, ",\"sum\":");
        wsx_buf_int(&out, self->sum);
        wsx_buf_str(&out, "}");
        self->ws_base.out = (int64_t)(intptr_t)wsx_buf_finish(&out);
        if (!self->ws_base.out)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    return WS_READY;
    WS_END();
}

static void fetch_stream_drop(ws_runtime *rt, ws_future *f)
{
    ws_async_drop(rt, f);
    fetch_stream *self = (fetch_stream *)f;
    ws_body_close(self->stream); /* dropped mid-body: give the stream back, which aborts the request */
    self->stream = 0;
}

static void fetch_stream_init(void *f, const wsx_args *args)
{
    fetch_stream *self = f;
    WS_ASYNC_INIT(fetch_stream, self);
    memset(&self->req, 0, sizeof self->req);
    self->req.url = args->str[0];
    self->req.method = args->len[1] ? args->str[1] : "GET";
    self->req.body = args->len[2] ? (const uint8_t *)args->str[2] : NULL;
    self->req.body_len = args->len[2];
    self->pause = args->num[3];
    self->status = self->stream = self->sum = 0;
    self->chunks = self->bytes = 0;
}

static const wsx_param fetch_stream_params[] = {
    WSX_PARAM_URL("url", "URL", "/api/delay?ms=10&bytes=100000"),
    WSX_PARAM_TEXT("method", "method", "GET"),
    WSX_PARAM_TEXT("body", "request body", ""),
    WSX_PARAM_INT("pause", "stop reading after this many chunks (0: read all)", 0, 0, 1000000),
};

const wsx_entry wsx_entry_fetch_stream = {
    "fetch_stream", "A streamed fetch",
    "Fetches `url` and reads its body chunk by chunk; returns {status, chunks, bytes, sum}.",
    fetch_stream_params, 4, sizeof(fetch_stream), fetch_stream_init, WSX_OUT_STRING, 0,
};

/* ---- typed_args: typed entry arguments, declared with WSX_PARAM_VALUE; returns one of them as a typed value ----
 * a: any type; b: a number or a BigInt, or nothing; c: bytes or a string (required); pick: which to return. */

WS_ASYNC(typed_args, { ws_value v[3]; int64_t pick; })
{
    WS_BEGIN();
    {
        ws_bytes *b = ws_value_new(cx->rt, &self->v[self->pick]); /* copied: the argument block goes with the task */
        if (!b)
            WS_RETURN_ERR(WS_ENOMEM);
        WS_RETURN((int64_t)(intptr_t)b);
    }
    WS_END();
}

static void typed_args_init(void *f, const wsx_args *args)
{
    typed_args *self = f;
    WS_ASYNC_INIT(typed_args, self);
    for (int i = 0; i < 3; i++)
        self->v[i] = args->val[i];
    self->pick = args->num[3];
}

static const wsx_param typed_args_params[] = {
    WSX_PARAM_VALUE("a", "any value", 0),
    WSX_PARAM_VALUE("b", "a number or a BigInt",
                    WSX_TYPE(WS_VALUE_NUMBER) | WSX_TYPE(WS_VALUE_BIGINT) | WSX_TYPE(WS_VALUE_UNDEFINED)),
    WSX_PARAM_VALUE("c", "bytes or a string", WSX_TYPE(WS_VALUE_BYTES) | WSX_TYPE(WS_VALUE_STRING)),
    WSX_PARAM_INT("pick", "which to return: 0 a, 1 b, 2 c", 0, 0, 2),
};

const wsx_entry wsx_entry_typed_args = {
    .name = "typed_args",
    .title = "Typed entry arguments",
    .description = "Takes a (any value), b (a number or a BigInt) and c (bytes or a string) typed, and returns the "
                   "one `pick` names as a typed value.",
    .params = typed_args_params,
    .nparams = 4,
    .size = sizeof(typed_args),
    .init = typed_args_init,
    .out_string = WSX_OUT_VALUE,
};
