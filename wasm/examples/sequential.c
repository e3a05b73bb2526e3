/* sequential: two simulated fetches, one after the other. The second starts only when the first is done, so the
 * total is the sum of the two. */
#include "fake_fetch.h"

WS_ASYNC(sequential_main, { int64_t a_ms, b_ms; fake_fetch a, b; })
{
    WS_BEGIN();
    fake_fetch_init(&self->a, self->a_ms);
    WS_AWAIT(&self->a);                          /* wait for the first... */
    fake_fetch_init(&self->b, self->b_ms);
    WS_AWAIT(&self->b);                          /* ...then start and wait for the second */
    WS_RETURN(WS_OUT(&self->a) + WS_OUT(&self->b));
    WS_END();
}

/* ---- registry ---- */
static void sequential_init(void *f, const wsx_args *args)
{
    sequential_main *self = f;
    WS_ASYNC_INIT(sequential_main, self);
    self->a_ms = args->num[0];
    self->b_ms = args->num[1];
}

static const wsx_param sequential_params[] = {
    { "a", "first fetch (ms)", WSX_MS, 100, 0, 60000, NULL },
    { "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },
};

const wsx_entry wsx_example_sequential = {
    "sequential", "Sequential awaits",
    "Two simulated fetches awaited one after the other: the elapsed time is the sum, a + b. "
    "The value is the bytes both returned.",
    sequential_params, 2, sizeof(sequential_main), sequential_init, 0, 1,
};
