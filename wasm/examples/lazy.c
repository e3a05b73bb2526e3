/* lazy: calling an async function builds a future and runs none of its body. */
#include "example.h"

/* The body counts its own runs, so we can tell whether it ever ran. */
WS_ASYNC(answer, { int64_t *runs; })
{
    WS_BEGIN();
    (*self->runs)++;
    WS_RETURN(42);
    WS_END();
}

static void answer_init(answer *f, int64_t *runs)
{
    WS_ASYNC_INIT(answer, f);
    f->runs = runs;
}

WS_ASYNC(lazy_main, { int64_t runs; answer dropped, awaited; })
{
    WS_BEGIN();
    answer_init(&self->dropped, &self->runs);        /* a future: nothing ran */
    ws_future_drop(cx->rt, &self->dropped.ws_base);     /* dropped unpolled: its body never runs */
    answer_init(&self->awaited, &self->runs);
    WS_AWAIT(&self->awaited);                        /* polled: now the body runs, once */
    WS_RETURN(self->runs);                           /* 1, although two futures were built */
    WS_END();
}

/* ---- registry ---- */
static void lazy_init(void *f, const wsx_args *args)
{
    (void)args;
    lazy_main *self = f;
    WS_ASYNC_INIT(lazy_main, self);
    self->runs = 0;
}

const wsx_entry wsx_example_lazy = {
    "lazy", "Lazy futures",
    "Two futures of the same async function are built; one is dropped without being polled, the other is "
    "awaited. The value is how many times the body ran: 1.",
    NULL, 0, sizeof(lazy_main), lazy_init, 0, 1,
};
