/* blocking: a CPU-bound loop inside a task. Each item is pure computation and the next item is always ready,
 * so the loop never has to wait and never gives the executor back: the ticker task is starved until the loop
 * ends. (Only the cooperative budget can interrupt it: set it below the number of items and watch.) */
#include "ticker.h"

WS_ASYNC(cruncher, { int64_t items, unit_ms, i; ws_ready next; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->items; self->i++) {
        ws_ready_init(&self->next, self->i);            /* take the next item: always ready, so no Pending */
        WS_AWAIT(&self->next);
        ws_clock_busy(cx->rt, WS_MS(self->unit_ms));   /* CPU-bound work: nothing else runs meanwhile */
    }
    WS_RETURN(self->items);
    WS_END();
}

static void cruncher_init(void *w, int64_t items, int64_t unit_ms)
{
    cruncher *f = w;
    _Static_assert(sizeof(cruncher) <= 128, "the worker must fit ticker_demo's buffer");
    WS_ASYNC_INIT(cruncher, f);
    f->items = items;
    f->unit_ms = unit_ms;
}

/* ---- registry ---- */
static void blocking_main_init(void *f, const wsx_args *args)
{
    ticker_demo_init(f, args, cruncher_init, sizeof(cruncher), "cruncher");
}

const wsx_entry wsx_example_blocking = {
    "blocking", "A CPU-bound loop starves the executor",
    "A ticker wants to run every few ms while a worker crunches items in a loop that never waits. The worker's "
    "single long poll blocks the executor, so the ticker runs late. The value is the ticker's worst lateness "
    "in ms.",
    ticker_example_params, 4, sizeof(ticker_demo), blocking_main_init, 0, 1,
};
