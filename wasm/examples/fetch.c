/* fetch: two real HTTP requests through the host's fetch(), awaited together with join. Each is a future whose
 * waker fires when the JavaScript promise settles; the response body lands in wasm memory. */
#include "example.h"
#include "../src/ws_js.h"

static void fetch_main_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(fetch_main, fetch_main_drop, { const char *url_a, *url_b; ws_fetch a, b; ws_join both; })
{
    WS_BEGIN();
    {
        ws_fetch_request ra = { "GET", self->url_a, NULL, NULL, 0 };
        ws_fetch_request rb = { "GET", self->url_b, NULL, NULL, 0 };
        ws_fetch_init(&self->a, &ra);
        ws_fetch_init(&self->b, &rb);
    }
    ws_try_join2_init(&self->both, &self->a.op.base, &self->b.op.base);
    WS_AWAIT(&self->both);                       /* both requests are in flight at once */
    {
        /* Each finished fetch's output is a block of bytes that is now ours to read and free. */
        ws_bytes *a = ws_bytes_of(WS_OUT(&self->a)), *b = ws_bytes_of(WS_OUT(&self->b));
        ws_fetch_response ra, rb;
        if (WS_ERR(&self->both) != WS_OK) {      /* a network error (an HTTP error status is not one) */
            ws_bytes *msg = WS_OUT(&self->both) == 0 ? a : b;
            wsx_fail(cx->rt, &self->ws_base, WS_EHOST, msg ? (const char *)msg->data : "fetch failed");
        } else if (ws_fetch_response_view(a, &ra) == WS_OK && ws_fetch_response_view(b, &rb) == WS_OK) {
            wsx_buf out;
            wsx_buf_init(cx->rt, &out);
            wsx_buf_str(&out, "a: HTTP ");
            wsx_buf_int(&out, ra.status);
            wsx_buf_str(&out, ", ");
            wsx_buf_int(&out, ra.body_len);
            wsx_buf_str(&out, " bytes; b: HTTP ");
            wsx_buf_int(&out, rb.status);
            wsx_buf_str(&out, ", ");
            wsx_buf_int(&out, rb.body_len);
            wsx_buf_str(&out, " bytes");
            self->ws_base.out = (int64_t)(intptr_t)wsx_buf_finish(&out);
        } else {
            wsx_fail(cx->rt, &self->ws_base, WS_EHOST, "malformed fetch response");
        }
        /* The failed run's other child may have finished too: either way, both blocks are freed here (and
         * forgotten, so the drop that follows completion does not free them again). */
        if (ws_future_is_ready(&self->a.op.base))
            ws_bytes_free(cx->rt, a);
        if (ws_future_is_ready(&self->b.op.base))
            ws_bytes_free(cx->rt, b);
        self->a.op.base.out = self->b.op.base.out = 0;
        if (self->ws_base.err == WS_OK && !self->ws_base.out)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    return WS_READY;
    WS_END();
}

/* Dropped early (aborted, or lost a select): dropping the join aborts the request still in flight; one that had
 * finished holds its response, which is ours to free. */
static void fetch_main_drop(ws_runtime *rt, ws_future *f)
{
    fetch_main *self = (fetch_main *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->both.base);
    if (ws_future_is_ready(&self->a.op.base))
        ws_bytes_free(rt, ws_bytes_of(self->a.op.base.out));
    if (ws_future_is_ready(&self->b.op.base))
        ws_bytes_free(rt, ws_bytes_of(self->b.op.base.out));
    self->a.op.base.out = self->b.op.base.out = 0;
}

/* ---- registry ---- */
static void fetch_init(void *f, const wsx_args *args)
{
    fetch_main *self = f;
    WS_ASYNC_INIT(fetch_main, self);
    self->url_a = args->str[0];
    self->url_b = args->str[1];
    ws_try_join2_init(&self->both, &self->a.op.base, &self->b.op.base); /* so an early drop is safe */
    ws_fetch_request none = { NULL, NULL, NULL, NULL, 0 };
    ws_fetch_init(&self->a, &none);
    ws_fetch_init(&self->b, &none);
}

static const wsx_param fetch_params[] = {
    { "a", "first URL", WSX_URL, 0, 0, 0, "/api/delay?ms=150&bytes=2000" },
    { "b", "second URL", WSX_URL, 0, 0, 0, "/api/delay?ms=250&bytes=4000" },
};

const wsx_entry wsx_example_fetch = {
    "fetch", "Two real fetches with join",
    "Two HTTP requests through the host's fetch, joined: they are in flight together, so the elapsed time is "
    "about the slower one. An HTTP error status is a result; a network error fails the run with its message.",
    fetch_params, 2, sizeof(fetch_main), fetch_init, 1, 1,
};
