/* js_ops.c: host calls and fetch, as ws_op futures whose start and cancel hooks are the module's imports.
 * An operation id crosses as two 32-bit numbers, its slot and its generation (id = gen << 32 | slot): both are
 * small integers in JS, where one 53-bit double is a heap number on every call and in every table that holds it. */
#include "ws_js.h"
#include "wsx_abi.h"

#include <stddef.h>
#include <string.h>

#define JS_IMPORT(name) __attribute__((import_module("wasync"), import_name(name)))

JS_IMPORT("host_call") int js_host_call(uint32_t slot, uint32_t gen, const char *name, uint32_t name_len,
                                        const uint8_t *arg, uint32_t arg_len);
JS_IMPORT("fetch_start") int js_fetch_start(uint32_t slot, uint32_t gen, const char *method, uint32_t method_len,
                                            const char *url, uint32_t url_len, const char *headers,
                                            uint32_t headers_len, const uint8_t *body, uint32_t body_len,
                                            int stream);
JS_IMPORT("body_read") int js_body_read(uint32_t slot, uint32_t gen, uint32_t stream);
JS_IMPORT("body_close") void js_body_close(uint32_t stream);
JS_IMPORT("op_cancel") void js_op_cancel(uint32_t slot, uint32_t gen);
JS_IMPORT("host_call_v") int js_host_call_v(uint32_t slot, uint32_t gen, const char *name, uint32_t name_len,
                                            const ws_value *args, uint32_t nargs);
JS_IMPORT("host_call_n") int js_host_call_n(uint32_t slot, uint32_t gen, const char *name, uint32_t name_len,
                                            double arg);
JS_IMPORT("handle_release") void js_handle_release(uint32_t h);

#define CHECK(field, offset) _Static_assert(offsetof(ws_value, field) == offset, "ws_value: " #field);
CHECK(type, 0)
CHECK(len, 4)
#undef CHECK
_Static_assert(offsetof(ws_value, as) == 8 && sizeof(ws_value) == WSX_VALUE_SIZE, "ws_value: payload, size");

#define ID_SLOT(id) ((uint32_t)(id))
#define ID_GEN(id) ((uint32_t)((id) >> 32))

static uint32_t len_of(const char *s) { return s ? (uint32_t)strlen(s) : 0; }

/* ---- host calls ---- */

static int host_call_start(ws_runtime *rt, ws_id id, ws_op *op)
{
    (void)rt;
    ws_host_call *f = (ws_host_call *)op;
    if (!f->name)
        return WS_EINVAL;
    if (f->typed) {
        if (f->nargs > WS_HOST_MAX_ARGS || (f->nargs && !f->args))
            return WS_EINVAL;
        /* One number, the common call, crosses as an import parameter: JS reads nothing from memory for it. */
        if (f->nargs == 1 && f->args[0].type == WS_VALUE_NUMBER)
            return js_host_call_n(ID_SLOT(id), ID_GEN(id), f->name, f->name_len, f->args[0].as.number);
        return js_host_call_v(ID_SLOT(id), ID_GEN(id), f->name, f->name_len, f->args, f->nargs);
    }
    return js_host_call(ID_SLOT(id), ID_GEN(id), f->name, f->name_len, f->arg, f->arg_len);
}

static void js_cancel(ws_runtime *rt, ws_id id, ws_op *op)
{
    (void)rt;
    (void)op;
    js_op_cancel(ID_SLOT(id), ID_GEN(id));
}

static const char *host_call_trace_name(const ws_op *op) { return ((const ws_host_call *)op)->name; }

/* The trace names each host operation after its host function (the name lives in the caller's memory until the
 * future is dropped; the trace copies it). */
static const ws_op_type host_call_type = { "host", WS_CAUSE_HOST, host_call_start, js_cancel, host_call_trace_name };

void ws_host_call_init(ws_host_call *f, const char *name, const void *arg, uint32_t arg_len)
{
    ws_op_init(&f->op, &host_call_type, NULL);
    f->name = name;
    f->name_len = len_of(name);
    f->arg = arg;
    f->arg_len = arg ? arg_len : 0;
    f->args = NULL;
    f->nargs = 0;
    f->typed = 0;
    f->has_value = 0;
}

void ws_host_callv_init(ws_host_call *f, const char *name, const ws_value *args, uint32_t nargs)
{
    ws_host_call_init(f, name, NULL, 0);
    f->args = args;
    f->nargs = nargs;
    f->typed = 1;
}

int wsx_host_call_put_value(ws_runtime *rt, ws_id id, uint32_t type, double x)
{
    ws_op *op = ws_op_future(rt, id);
    if (!op || op->type != &host_call_type || !((ws_host_call *)op)->typed)
        return WS_ESTALE;
    ws_value v;
    switch (type) {
    case WS_VALUE_NUMBER: v = ws_value_number(x); break;
    case WS_VALUE_BOOLEAN: v = ws_value_boolean(x != 0); break;
    case WS_VALUE_HANDLE:
        if (!(x >= 0 && x <= UINT32_MAX))
            return WS_EINVAL;
        v = ws_value_handle((uint32_t)x);
        break;
    case WS_VALUE_NULL: v = ws_value_null(); break;
    case WS_VALUE_UNDEFINED: v = ws_value_undefined(); break;
    default: return WS_EINVAL;
    }
    ws_host_call *f = (ws_host_call *)op;
    f->value = v;
    f->has_value = 1;
    return WS_OK;
}

int ws_host_call_value(const ws_host_call *f, ws_value *out)
{
    *out = ws_value_undefined();
    if (!f->typed || !ws_future_is_ready(&f->op.base) || f->op.base.err != WS_OK)
        return WS_EINVAL;
    if (f->has_value) {
        *out = f->value;
        return WS_OK;
    }
    return ws_value_of(ws_bytes_of(f->op.base.out), out);
}

/* ---- typed values ---- */

int ws_value_of(const ws_bytes *b, ws_value *out)
{
    *out = ws_value_undefined();
    if (!b || b->len < WSX_VALUE_DATA)
        return WS_EINVAL;
    uint32_t type, n = b->len - WSX_VALUE_DATA;
    memcpy(&type, b->data, 4);
    const uint8_t *p = b->data + WSX_VALUE_DATA;
    switch (type) {
    case WS_VALUE_UNDEFINED: return WS_OK;
    case WS_VALUE_NULL: *out = ws_value_null(); return WS_OK;
    case WS_VALUE_BOOLEAN:
    case WS_VALUE_HANDLE:
        if (n != 4)
            return WS_EINVAL;
        out->type = type;
        memcpy(&out->as.handle, p, 4); /* boolean and handle: both a u32 */
        return WS_OK;
    case WS_VALUE_BIGINT:
        if (n != 8)
            return WS_EINVAL;
        out->type = type;
        memcpy(&out->as.bigint, p, 8);
        return WS_OK;
    case WS_VALUE_NUMBER:
        if (n != 8)
            return WS_EINVAL;
        *out = ws_value_number(0);
        memcpy(&out->as.number, p, 8);
        return WS_OK;
    case WS_VALUE_STRING:
    case WS_VALUE_BYTES:
    case WS_VALUE_JSON: *out = ws_value_data((ws_value_type)type, p, n); return WS_OK;
    default: return WS_EINVAL;
    }
}

ws_bytes *ws_value_new(ws_runtime *rt, const ws_value *v)
{
    uint32_t n = 0;
    const void *src = NULL;
    switch (v->type) {
    case WS_VALUE_NUMBER: n = 8; src = &v->as.number; break;
    case WS_VALUE_HANDLE: n = 4; src = &v->as.handle; break;
    case WS_VALUE_BOOLEAN: n = 4; src = &v->as.boolean; break;
    case WS_VALUE_BIGINT: n = 8; src = &v->as.bigint; break;
    case WS_VALUE_STRING:
    case WS_VALUE_BYTES:
    case WS_VALUE_JSON: n = v->len; src = v->as.data; break;
    default: break;
    }
    if (n > UINT32_MAX - WSX_VALUE_DATA)
        return NULL;
    ws_bytes *b = ws_bytes_new(rt, NULL, WSX_VALUE_DATA + n);
    if (!b)
        return NULL;
    memset(b->data, 0, WSX_VALUE_DATA);
    memcpy(b->data, &v->type, 4);
    if (n)
        memcpy(b->data + WSX_VALUE_DATA, src, n);
    return b;
}

void ws_handle_release(uint32_t h) { js_handle_release(h); }

/* ---- fetch ---- */

static int fetch_start(ws_runtime *rt, ws_id id, ws_op *op)
{
    (void)rt;
    ws_fetch_request *r = &((ws_fetch *)op)->req;
    if (!r->url || !*r->url)
        return WS_EINVAL;
    const char *method = r->method ? r->method : "GET";
    return js_fetch_start(ID_SLOT(id), ID_GEN(id), method, len_of(method), r->url, len_of(r->url), r->headers,
                          len_of(r->headers), r->body, r->body ? r->body_len : 0, ((ws_fetch *)op)->stream);
}

static const ws_op_type fetch_type = { "fetch", WS_CAUSE_FETCH, fetch_start, js_cancel, NULL };

void ws_fetch_init(ws_fetch *f, const ws_fetch_request *req)
{
    ws_op_init(&f->op, &fetch_type, NULL);
    f->req = *req;
    f->stream = 0;
}

void ws_fetch_stream_init(ws_fetch *f, const ws_fetch_request *req)
{
    ws_fetch_init(f, req);
    f->stream = 1;
}

/* ---- streamed bodies ---- */

static int body_read_start(ws_runtime *rt, ws_id id, ws_op *op)
{
    (void)rt;
    return js_body_read(ID_SLOT(id), ID_GEN(id), ((ws_body_read *)op)->stream);
}

/* Each chunk is an operation of its own: the trace shows one "fetch body" host operation per chunk. */
static const ws_op_type body_read_type = { "fetch body", WS_CAUSE_FETCH, body_read_start, js_cancel, NULL };

void ws_body_read_init(ws_body_read *f, uint32_t stream)
{
    ws_op_init(&f->op, &body_read_type, NULL);
    f->stream = stream;
}

void ws_body_close(uint32_t stream)
{
    if (stream)
        js_body_close(stream);
}

int ws_fetch_response_view(const ws_bytes *b, ws_fetch_response *out)
{
    memset(out, 0, sizeof *out);
    if (!b || b->len < WSX_FETCH_AT_HEADERS + 1)
        return WS_EINVAL;
    uint32_t hlen;
    memcpy(&out->status, b->data + WSX_FETCH_AT_STATUS, 4);
    memcpy(&hlen, b->data + WSX_FETCH_AT_HEADERS_LEN, 4);
    memcpy(&out->stream, b->data + WSX_FETCH_AT_STREAM, 4);
    if (hlen > b->len - WSX_FETCH_AT_HEADERS - 1)
        return WS_EINVAL;
    out->headers = (const char *)b->data + WSX_FETCH_AT_HEADERS;
    out->headers_len = hlen;
    out->body = b->data + WSX_FETCH_AT_HEADERS + hlen + 1;
    out->body_len = b->len - WSX_FETCH_AT_HEADERS - 1 - hlen;
    return WS_OK;
}
