/* token: cooperative cancellation with a token (tokio-util's CancellationToken), and what dropping a join handle
 * does not do. Two workers tick until their token is cancelled: each awaits a select of "my token is cancelled"
 * against its next tick, so cancelling wakes it at once and it returns its count. Unlike an abort, the task itself
 * chooses where it stops, and it finishes normally. Each worker holds a child of the main task's token, so one
 * cancel of the parent reaches both. A third task, the logger, is spawned and its join handle dropped at once: that
 * only detaches it. Nothing cancels it; it runs on to its own end, after the others stopped. */
#include "example.h"

static void worker_drop(ws_runtime *rt, ws_future *f);

/* Counts ticks of `tick_ms` until `token` is cancelled. Owns its reference to `token` (given at spawn). */
WS_ASYNC_WITH_DROP(token_worker, worker_drop,
                   { int64_t tick_ms, count; ws_token *token; ws_cancelled stop; ws_sleep nap; ws_select race; })
{
    WS_BEGIN();
    for (;;) {
        ws_cancelled_init(&self->stop, self->token);
        ws_sleep_init(&self->nap, (uint64_t)self->tick_ms);
        ws_select2_init(&self->race, &self->stop.base, &self->nap.base, WS_SELECT_BIASED);
        WS_AWAIT(&self->race);                   /* the loser is dropped: the tick's timer, or the wait on the token */
        if (WS_OUT(&self->race) == 0)
            break;                               /* cancelled: stop here, cleanly */
        self->count++;
    }
    WS_RETURN(self->count);
    WS_END();
}

/* Runs once, after a normal finish too: gives back the token reference the worker was spawned with. */
static void worker_drop(ws_runtime *rt, ws_future *f)
{
    token_worker *self = (token_worker *)f;
    ws_async_drop(rt, f);
    ws_token_drop(self->token);
    self->token = NULL;
}

/* Ticks `n` times, then ends: detached, it owes nobody an answer. */
WS_ASYNC(token_logger, { int64_t tick_ms, n, i; ws_sleep nap; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        ws_sleep_init(&self->nap, (uint64_t)self->tick_ms);
        WS_AWAIT(&self->nap);
    }
    WS_RETURN(self->n);
    WS_END();
}

static void token_main_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(token_main, token_main_drop,
                   { int64_t cancel_ms, tick_ms, log_n; ws_token *root; ws_task_handle ha, hb; ws_sleep wait; })
{
    WS_BEGIN();
    if (ws_token_new(cx->rt, &self->root) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    for (int k = 0; k < 2; k++) {                /* workers ticking every 1x and 2x `tick` */
        token_worker w;
        WS_ASYNC_INIT(token_worker, &w);
        w.tick_ms = self->tick_ms * (k + 1);
        w.count = 0;
        if (ws_token_child(self->root, &w.token) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
        if (ws_spawn(cx->rt, &w.ws_base, sizeof w, k ? "worker b" : "worker a", k ? &self->hb : &self->ha) != WS_OK) {
            ws_token_drop(w.token);              /* not moved into a task: still ours */
            WS_RETURN_ERR(WS_ENOMEM);
        }
    }
    {
        token_logger l;
        ws_task_handle h;
        WS_ASYNC_INIT(token_logger, &l);
        l.tick_ms = self->tick_ms;
        l.n = self->log_n;
        if (ws_spawn(cx->rt, &l.ws_base, sizeof l, "logger", &h) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
        ws_future_drop(cx->rt, &h.base);         /* detaches the logger: it is not cancelled, it runs on */
    }
    ws_sleep_init(&self->wait, (uint64_t)self->cancel_ms);
    WS_AWAIT(&self->wait);
    ws_token_cancel(self->root);                 /* asks both workers to stop, through their child tokens */
    WS_AWAIT(&self->ha);
    WS_AWAIT(&self->hb);
    WS_RETURN(WS_OUT(&self->ha) + WS_OUT(&self->hb));
    WS_END();
}

/* Runs once, after a normal finish too: lets go of the handles (detaching any worker still running, as dropping a
 * JoinHandle does) and of the token. */
static void token_main_drop(ws_runtime *rt, ws_future *f)
{
    token_main *self = (token_main *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->ha.base);
    ws_future_drop(rt, &self->hb.base);
    if (self->root)
        ws_token_drop(self->root);
    self->root = NULL;
}

/* ---- registry ---- */
static void token_init(void *f, const wsx_args *args)
{
    token_main *self = f;
    WS_ASYNC_INIT(token_main, self);
    memset(&self->ha, 0, sizeof self->ha);      /* empty handles: dropping them is a no-op */
    memset(&self->hb, 0, sizeof self->hb);
    self->root = NULL;
    self->cancel_ms = args->num[0];
    self->tick_ms = args->num[1];
    self->log_n = args->num[2];
}

static const wsx_param token_params[] = {
    { "cancel", "cancel the token after (ms)", WSX_MS, 250, 0, 60000, NULL },
    { "tick", "tick (ms)", WSX_MS, 100, 1, 10000, NULL },
    { "log", "logger ticks", WSX_INT, 4, 0, 1000, NULL },
};

const wsx_entry wsx_example_token = {
    "token", "Cancellation token: ask tasks to stop; a dropped handle does not",
    "Two workers tick (every `tick` and 2x `tick` ms) until the main task cancels their parent token at `cancel` "
    "ms: each is woken at once, stops where it chooses and returns its count; the value is the sum. The logger's "
    "join handle is dropped at its spawn: that detaches it, and it ticks `log` times to its own end.",
    token_params, 3, sizeof(token_main), token_init, 0, 1,
};
