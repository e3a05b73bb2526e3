/* cooperative: the same work, but the worker yields after every item. Each yield puts it at the back of the
 * run queue, and a tick that came due during the item runs first (timer wakes go to the front), so the ticker is
 * late by one item at most and nobody is starved; the work takes as long as before. */
#include "ticker.h"

WS_ASYNC(polite_cruncher, { int64_t items, unit_ms, i; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->items; self->i++) {
        ws_clock_busy(cx->rt, WS_MS(self->unit_ms));   /* the same CPU-bound work... */
        WS_YIELD();                                     /* ...then let the others run (yield_now) */
    }
    WS_RETURN(self->items);
    WS_END();
}

static void polite_cruncher_init(void *w, int64_t items, int64_t unit_ms)
{
    polite_cruncher *f = w;
    _Static_assert(sizeof(polite_cruncher) <= 128, "the worker must fit ticker_demo's buffer");
    WS_ASYNC_INIT(polite_cruncher, f);
    f->items = items;
    f->unit_ms = unit_ms;
}

/* ---- registry ---- */
static void cooperative_main_init(void *f, const wsx_args *args)
{
    ticker_demo_init(f, args, polite_cruncher_init, sizeof(polite_cruncher), "polite_cruncher");
}

const wsx_entry wsx_example_cooperative = {
    "cooperative", "Yielding keeps the executor responsive",
    "The blocking example's worker, with yield_now after every item: each poll is one item long, the ticker "
    "keeps its rhythm, and the value (worst lateness, ms) stays within one item's CPU time.",
    ticker_example_params, 4, sizeof(ticker_demo), cooperative_main_init, 0, 1,
};
