/* ws_js.h: futures completed by JavaScript. Only in the wasm build: the host functions behind these are the
 * module's imports, provided by the package's loader (wasm/lib/host.js and fetch.js).
 *
 *   ws_host_call  awaits an async JS function registered with rt.defineHost(name, fn). With ws_host_call_init
 *                 the argument and the result are byte strings (UTF-8 text by convention); with
 *                 ws_host_callv_init the arguments are typed values (up to WS_HOST_MAX_ARGS) and so is the
 *                 result: read it with ws_host_call_value (numbers, booleans, null and handles come inline,
 *                 with no block; the rest in the output block). A typed argument JS cannot decode (invalid UTF-8 in a
 *                 STRING, bad JSON, a released handle) fails the call with WS_EINVAL and the reason. A rejection, a synchronous throw, or a
 *                 result that is neither a string nor a promise of one becomes err WS_EHOST with the message.
 *                 An unknown name is err WS_ENOENT at once.
 *   ws_fetch      awaits fetch(): method, URL, headers and body out; status, headers and body bytes in.
 *                 An HTTP error status is a normal result; a network failure is err WS_EHOST with the message.
 *                 Dropping the future before it settles aborts the request through an AbortController.
 *   Cancel safety (both): not cancel safe, as ws_op: a dropped call or fetch is abandoned (a fetch is aborted) and
 *                 a late outcome is freed and ignored.
 *
 * Ownership: the request strings must stay valid until the future is ready or dropped. The outcome is the
 * future's output, a ws_bytes block (see ws_op.h): JS writes it straight into wasm memory (the body is copied
 * once, from the JS ArrayBuffer) and it belongs to the poller, who frees it with ws_bytes_free.
 */
#ifndef WS_JS_H
#define WS_JS_H

#include "wasync.h"
#include "wsx_abi.h"

/* A typed value crossing to or from JS (types: WSX_VALUE_TYPES in wsx_abi.h). Pointers are borrowed: the bytes
 * must stay valid while the call that carries them is in flight. */
typedef struct ws_value {
    uint32_t type;              /* ws_value_type */
    uint32_t len;               /* STRING, BYTES, JSON: length in bytes */
    union {
        double number;
        const uint8_t *data;    /* STRING, BYTES, JSON */
        uint32_t handle;        /* HANDLE */
        uint32_t boolean;       /* BOOLEAN: 1 or 0 */
        int64_t bigint;         /* BIGINT */
    } as;
} ws_value;

static inline ws_value ws_value_undefined(void) { ws_value v = { WS_VALUE_UNDEFINED, 0, { 0 } }; return v; }
static inline ws_value ws_value_number(double n) { ws_value v = { WS_VALUE_NUMBER, 0, { 0 } }; v.as.number = n; return v; }
static inline ws_value ws_value_data(ws_value_type t, const void *p, uint32_t len)
{
    ws_value v = { (uint32_t)t, len, { 0 } };
    v.as.data = (const uint8_t *)p;
    return v;
}
static inline ws_value ws_value_handle(uint32_t h) { ws_value v = { WS_VALUE_HANDLE, 0, { 0 } }; v.as.handle = h; return v; }
static inline ws_value ws_value_boolean(int b) { ws_value v = { WS_VALUE_BOOLEAN, 0, { 0 } }; v.as.boolean = b != 0; return v; }
static inline ws_value ws_value_bigint(int64_t n) { ws_value v = { WS_VALUE_BIGINT, 0, { 0 } }; v.as.bigint = n; return v; }
static inline ws_value ws_value_null(void) { ws_value v = { WS_VALUE_NULL, 0, { 0 } }; return v; }

/* Reads the outcome of a typed host call (ws_host_callv_init) or a block made by ws_value_new: *out points into
 * the block, valid until it is freed. WS_EINVAL for a missing or malformed block. */
int ws_value_of(const ws_bytes *block, ws_value *out);
/* Encodes `v` (bytes copied) into a new block: the output of an entry whose output is "value". NULL: no memory. */
ws_bytes *ws_value_new(ws_runtime *rt, const ws_value *v);
/* Tells JS that C no longer needs handle `h`: the object may be collected. Using it afterwards fails that call
 * with WS_EINVAL ("handle N was released"). */
void ws_handle_release(uint32_t h);

#define WS_HOST_MAX_ARGS 64

typedef struct ws_host_call {
    ws_op op;
    /* private: set by ws_host_call_init */
    const char *name;
    uint32_t name_len;      /* strlen(name), once at init: the start hook passes it on every call */
    const uint8_t *arg;
    uint32_t arg_len;
    const ws_value *args;   /* typed calls (ws_host_callv_init) */
    uint32_t nargs;
    uint8_t typed;
    uint8_t has_value;      /* a typed outcome that came inline, in `value`, with no block */
    ws_value value;
} ws_host_call;

void ws_host_call_init(ws_host_call *f, const char *name, const void *arg, uint32_t arg_len);
/* A typed call: `args` (nargs <= WS_HOST_MAX_ARGS, else the call fails with WS_EINVAL) must stay valid until the
 * future is ready or dropped. */
void ws_host_callv_init(ws_host_call *f, const char *name, const ws_value *args, uint32_t nargs);

/* Reads the outcome of a typed host call that is ready with err WS_OK. A number, boolean, null, undefined or handle
 * comes inline, in the future itself: no block is allocated for it, and the output (WS_OUT) is 0. Any other value
 * (a string, bytes, JSON, a BigInt) comes in the output block, read with ws_value_of. Either way *out is valid
 * until the block is freed or the future initialized again; the block, if there is one, is still the poller's to
 * free (ws_bytes_free(rt, ws_bytes_of(WS_OUT(f))), a no-op for 0). WS_EINVAL: not a typed call, not ready with
 * WS_OK, or a malformed block. */
int ws_host_call_value(const ws_host_call *f, ws_value *out);

typedef struct ws_fetch_request { /* public */
    const char *method;     /* NULL: GET */
    const char *url;
    const char *headers;    /* "Name: value\n" lines, or NULL */
    const uint8_t *body;    /* or NULL */
    uint32_t body_len;
} ws_fetch_request;

typedef struct ws_fetch {
    ws_op op;
    ws_fetch_request req;   /* private: a copy made by ws_fetch_init */
    uint8_t stream;         /* private: set by ws_fetch_stream_init */
} ws_fetch;

void ws_fetch_init(ws_fetch *f, const ws_fetch_request *req);
/* Like ws_fetch_init, but ready as soon as the status and headers arrive: the response's `stream` names the body,
 * read chunk by chunk with ws_body_read and given back with ws_body_close (which also aborts the request). */
void ws_fetch_stream_init(ws_fetch *f, const ws_fetch_request *req);

/* body_read: the next chunk of a streamed body. Ready with out = a ws_bytes chunk (never empty; the poller frees
 * it), out = 0 at the end of the body (the stream is then closed by itself), or err WS_EHOST with the message
 * when the body failed (the connection closed mid-body) and WS_EINVAL for a closed or unknown stream. Chunks are
 * read only when asked for: a reader that stops asking leaves the rest in the network (backpressure).
 * Cancel safety: dropping it before it is ready closes the stream (the chunk being read is lost). */
typedef struct ws_body_read {
    ws_op op;
    uint32_t stream;
} ws_body_read;
void ws_body_read_init(ws_body_read *f, uint32_t stream);
/* Gives the stream back: the rest of the body is discarded and the request aborted. A closed stream is ignored. */
void ws_body_close(uint32_t stream);

/* A view into a fetch's output block (WSX_FETCH_BLOCK): status, headers and body, or the body's stream. */
typedef struct ws_fetch_response { /* public: filled in by ws_fetch_response_view */
    uint32_t status;
    uint32_t stream;        /* ws_fetch_stream_init: the body stream (body and body_len are empty); else 0 */
    const char *headers;    /* "name: value\n" lines, lower-case names, NUL-terminated */
    uint32_t headers_len;
    const uint8_t *body;
    uint32_t body_len;
} ws_fetch_response;

/* Reads a successful fetch's output block. Returns WS_OK, or WS_EINVAL if the block is malformed or missing. */
int ws_fetch_response_view(const ws_bytes *block, ws_fetch_response *out);

#endif
