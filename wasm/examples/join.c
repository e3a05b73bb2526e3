/* join: the same two fetches, awaited together. join polls both inside this one task, so they wait at the same
 * time and the total is the longer of the two. */
#include "fake_fetch.h"

WS_ASYNC(join_main, { int64_t a_ms, b_ms; fake_fetch a, b; ws_join both; })
{
    WS_BEGIN();
    fake_fetch_init(&self->a, self->a_ms);       /* two futures: nothing runs yet */
    fake_fetch_init(&self->b, self->b_ms);
    ws_join2_init(&self->both, &self->a.ws_base, &self->b.ws_base);
    WS_AWAIT(&self->both);                       /* polls a and b; ready when both are */
    WS_RETURN(WS_OUT(&self->a) + WS_OUT(&self->b));
    WS_END();
}

/* ---- registry ---- */
static void join_init(void *f, const wsx_args *args)
{
    join_main *self = f;
    WS_ASYNC_INIT(join_main, self);
    self->a_ms = args->num[0];
    self->b_ms = args->num[1];
}

static const wsx_param join_params[] = {
    { "a", "first fetch (ms)", WSX_MS, 100, 0, 60000, NULL },
    { "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },
};

const wsx_entry wsx_example_join = {
    "join", "join: concurrency inside one task",
    "The two simulated fetches awaited with join: one task polls both children, and the elapsed time is the "
    "longer of the two, max(a, b).",
    join_params, 2, sizeof(join_main), join_init, 0, 1,
};
