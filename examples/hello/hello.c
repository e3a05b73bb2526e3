/* hello.c: your own async C, called from JavaScript. A minimal module built with wasync_add_module (see
 * CMakeLists.txt beside this file) and run by run.mjs.
 *
 * `greet` asks JavaScript for a greeting (an async host function: a JS promise awaited as a C future), then
 * counts down with sleeps, and returns a string. Everything it keeps across an await is a field of its future. */
#include "wasync.h"
#include "ws_js.h"
#include "ws_module.h"

#include <string.h>

WS_ASYNC(greet, { const char *name; int64_t count, i; ws_host_call ask; ws_sleep tick; char text[96]; })
{
    WS_BEGIN();
    ws_host_call_init(&self->ask, "greeting", self->name, (uint32_t)strlen(self->name));
    WS_TRY(&self->ask);     /* Pending until the JS promise settles; if it rejected, fail with its message */
    {
        ws_bytes *reply = ws_bytes_of(WS_OUT(&self->ask)); /* the result is ours: copy it, then free it */
        size_t n = reply && reply->len < sizeof self->text - 1 ? reply->len : 0;
        memcpy(self->text, reply ? (const char *)reply->data : "", n);
        self->text[n] = 0;
        ws_bytes_free(cx->rt, reply);
    }
    for (self->i = self->count; self->i > 0; self->i--) {
        ws_sleep_init(&self->tick, 10);
        WS_AWAIT(&self->tick);                            /* 10 ms per step */
    }
    {
        wsx_buf out;
        wsx_buf_init(cx->rt, &out);
        wsx_buf_str(&out, self->text);
        wsx_buf_str(&out, " (after ");
        wsx_buf_int(&out, self->count);
        wsx_buf_str(&out, " ticks)");
        ws_bytes *text = wsx_buf_finish(&out);
        if (!text)
            WS_RETURN_ERR(WS_ENOMEM);
        WS_RETURN((intptr_t)text);                     /* a string output: the bridge frees it */
    }
    WS_END();
}

/* ---- how JavaScript finds it: an entry with its parameters ---- */

static void greet_init(void *f, const wsx_args *args)
{
    greet *self = f;
    WS_ASYNC_INIT(greet, self);
    self->name = args->str[0];
    self->count = args->num[1];
}

static const wsx_param greet_params[] = {
    WSX_PARAM_TEXT("name", "who to greet", "world"),
    WSX_PARAM_INT("count", "ticks before answering", 3, 0, 100),
};

WS_ENTRY(greet, .title = "Greet", .description = "Asks JS for a greeting, counts down, answers.",
         .init = greet_init, WSX_PARAMS(greet_params), .out_string = WSX_OUT_STRING);
