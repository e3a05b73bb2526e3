/* abort: structured cancellation. The parent runs three workers as children in its scope (a JoinSet owned by its
 * frame). Aborting the parent drops its frame, and dropping the scope aborts every child still in it: nothing the
 * parent started outlives it, so the workers may even point into the parent's frame. */
#include "example.h"

/* Ticks every `tick_ms`, `n` times, counting into the parent's frame (safe: a child cannot outlive it). */
WS_ASYNC(worker, { int64_t tick_ms, n, i; int64_t *count; ws_sleep nap; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        ws_sleep_init(&self->nap, (uint64_t)self->tick_ms);
        WS_AWAIT(&self->nap);
        (*self->count)++;
    }
    WS_RETURN(self->i);
    WS_END();
}

WS_ASYNC_SCOPE(parent, { int64_t tick_ms, n, count; int k; ws_join_next next; })
{
    WS_BEGIN();
    for (self->k = 0; self->k < 3; self->k++) {
        worker w;
        WS_ASYNC_INIT(worker, &w);
        w.tick_ms = self->tick_ms * (self->k + 1); /* 1x, 2x, 3x the tick */
        w.n = self->n;
        w.count = &self->count;
        if (ws_joinset_spawn(&self->scope, &w.ws_base, sizeof w, "worker", NULL) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    do {                                         /* wait for all three */
        ws_join_next_init(&self->next, &self->scope);
        WS_AWAIT(&self->next);
    } while (WS_ERR(&self->next) != WS_EEMPTY);
    WS_RETURN(self->count);
    WS_END();
}

/* Starts the parent (in a scope of its own, so it cannot outlive this function either), aborts it after
 * `abort_ms`, and reports what it got: the ticks, or -1 if it was aborted. */
WS_ASYNC_SCOPE(abort_main, { int64_t abort_ms, tick_ms, n; ws_id parent_id; ws_sleep wait; ws_join_next done; })
{
    WS_BEGIN();
    {
        parent p;
        WS_ASYNC_INIT(parent, &p);
        p.tick_ms = self->tick_ms;
        p.n = self->n;
        p.count = 0;
        if (ws_joinset_spawn(&self->scope, &p.ws_base, sizeof p, "parent", &self->parent_id) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    ws_sleep_init(&self->wait, (uint64_t)self->abort_ms);
    WS_AWAIT(&self->wait);
    ws_joinset_abort(&self->scope, self->parent_id); /* no effect if it has already finished */
    ws_join_next_init(&self->done, &self->scope);
    WS_AWAIT(&self->done);
    WS_RETURN(WS_ERR(&self->done) == WS_ECANCELED ? -1 : WS_OUT(&self->done));
    WS_END();
}

/* ---- registry ---- */
static void abort_init(void *f, const wsx_args *args)
{
    abort_main *self = f;
    WS_ASYNC_INIT(abort_main, self);
    self->abort_ms = args->num[0];
    self->tick_ms = args->num[1];
    self->n = args->num[2];
}

static const wsx_param abort_params[] = {
    { "abort", "abort the parent after (ms)", WSX_MS, 250, 0, 60000, NULL },
    { "tick", "worker tick (ms)", WSX_MS, 100, 1, 10000, NULL },
    { "n", "ticks per worker", WSX_INT, 5, 0, 1000, NULL },
};

const wsx_entry wsx_example_abort = {
    "abort", "Scopes: aborting the parent cancels its children",
    "The parent runs three workers in its scope (they tick every 1x, 2x and 3x `tick` ms, `n` times). Aborting "
    "the parent aborts the workers with it, at the same instant. The value is -1 if the parent was aborted, else "
    "the ticks its workers made; set `abort` past 3 x tick x n to let it finish.",
    abort_params, 3, sizeof(abort_main), abort_init, 0, 1,
};
