/* ws_js.h: futures completed by JavaScript. Only in the wasm build: the host functions behind these are the
 * module's imports, provided by the package's loader (wasm/lib/host.js).
 *
 *   ws_host_call  awaits an async JS function registered with rt.defineHost(name, fn). The argument and the
 *                 result are byte strings (UTF-8 text by convention). A rejection, a synchronous throw, or a
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

typedef struct ws_host_call {
    ws_op op;
    const char *name;
    const uint8_t *arg;
    uint32_t arg_len;
} ws_host_call;

void ws_host_call_init(ws_host_call *f, const char *name, const void *arg, uint32_t arg_len);

typedef struct ws_fetch_request {
    const char *method;     /* NULL: GET */
    const char *url;
    const char *headers;    /* "Name: value\n" lines, or NULL */
    const uint8_t *body;    /* or NULL */
    uint32_t body_len;
} ws_fetch_request;

typedef struct ws_fetch {
    ws_op op;
    ws_fetch_request req;
} ws_fetch;

void ws_fetch_init(ws_fetch *f, const ws_fetch_request *req);

/* A view into a fetch's output block: [u32 status][u32 headers_len][headers, NUL][body]. */
typedef struct ws_fetch_response {
    uint32_t status;
    const char *headers;    /* "name: value\n" lines, lower-case names, NUL-terminated */
    uint32_t headers_len;
    const uint8_t *body;
    uint32_t body_len;
} ws_fetch_response;

/* Reads a successful fetch's output block. Returns WS_OK, or WS_EINVAL if the block is malformed or missing. */
int ws_fetch_response_view(const ws_bytes *block, ws_fetch_response *out);

#endif
