/* A task that wants to run every `tick_ms` and measures how late each tick was: a stand-in for an animation or
 * a heartbeat. Shared by the blocking and cooperative examples. Output: the worst lateness, in ms. */
#ifndef TICKER_H
#define TICKER_H

#include "example.h"

WS_ASYNC(ticker, { int64_t ticks, tick_ms, worst_ns; ws_interval every; ws_tick tick; })
{
    WS_BEGIN();
    ws_interval_init(&self->every, (uint64_t)self->tick_ms);
    while (self->ticks-- > 0) {
        ws_interval_tick(&self->every, &self->tick); /* a tick is a future of its own, one per await */
        WS_AWAIT(&self->tick);
        {
            ws_time due = self->every.due, now = ws_clock_now(cx->rt); /* due: a read-only field */
            if (now > due && (int64_t)(now - due) > self->worst_ns)
                self->worst_ns = (int64_t)(now - due);
        }
    }
    WS_RETURN(self->worst_ns / 1000000);
    WS_END();
}

static inline void ticker_init(ticker *f, int64_t ticks, int64_t tick_ms)
{
    WS_ASYNC_INIT(ticker, f);
    f->ticks = ticks;
    f->tick_ms = tick_ms;
    f->worst_ns = 0;
}

/* The main task of both examples: start the ticker, then the worker (built by `worker_init` into a buffer and
 * moved into its task), and report the ticker's worst lateness. */
typedef void (*worker_init_fn)(void *worker, int64_t items, int64_t unit_ms);

static void ticker_demo_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(ticker_demo, ticker_demo_drop, {
    int64_t items, unit_ms, ticks, tick_ms;
    worker_init_fn worker_init;
    uint32_t worker_size;
    const char *worker_name;
    ws_task_handle ht, hw;
})
{
    WS_BEGIN();
    {
        ticker t;
        _Alignas(8) unsigned char w[128];
        ticker_init(&t, self->ticks, self->tick_ms);
        self->worker_init(w, self->items, self->unit_ms);
        if (ws_spawn(cx->rt, &t.ws_base, sizeof t, "ticker", &self->ht) != WS_OK ||
            ws_spawn(cx->rt, (ws_future *)w, self->worker_size, self->worker_name, &self->hw) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    WS_AWAIT(&self->hw);
    if (WS_ERR(&self->hw) != WS_OK) { /* the worker failed (offload: a job that could not run): the run fails with
                                         its error, rather than report the lateness of a run that did no work */
        ws_task_abort(cx->rt, self->ht.task);
        WS_RETURN_ERR(WS_ERR(&self->hw));
    }
    WS_AWAIT(&self->ht);
    WS_RETURN(WS_OUT(&self->ht));
    WS_END();
}

static void ticker_demo_drop(ws_runtime *rt, ws_future *f)
{
    ticker_demo *self = (ticker_demo *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->ht.base);
    ws_future_drop(rt, &self->hw.base);
}

static inline void ticker_demo_init(ticker_demo *self, const wsx_args *args, worker_init_fn worker_init,
                                    uint32_t worker_size, const char *worker_name)
{
    WS_ASYNC_INIT(ticker_demo, self);
    memset(&self->ht, 0, sizeof self->ht);
    memset(&self->hw, 0, sizeof self->hw);
    self->items = args->num[0];
    self->unit_ms = args->num[1];
    self->ticks = args->num[2];
    self->tick_ms = args->num[3];
    self->worker_init = worker_init;
    self->worker_size = worker_size;
    self->worker_name = worker_name;
}

static const wsx_param ticker_example_params[] = {
    { "items", "work items", WSX_INT, 40, 1, 1000, NULL },
    { "unit", "CPU time per item (ms)", WSX_MS, 2, 0, 50, NULL },
    { "ticks", "ticker ticks", WSX_INT, 10, 1, 1000, NULL },
    { "tick", "tick period (ms)", WSX_MS, 5, 1, 1000, NULL },
};

#endif
