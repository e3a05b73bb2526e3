/* spawn: the same two fetches handed to the executor as tasks of their own. Each runs independently (it would
 * even outlive us); we await their join handles. Three tasks in all, where join used one. */
#include "fake_fetch.h"

static void spawn_main_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(spawn_main, spawn_main_drop, { int64_t a_ms, b_ms; ws_task_handle ha, hb; })
{
    WS_BEGIN();
    {
        fake_fetch a, b;                         /* built here, moved into their tasks by ws_spawn */
        fake_fetch_init(&a, self->a_ms);
        fake_fetch_init(&b, self->b_ms);
        if (ws_spawn(cx->rt, &a.ws_base, sizeof a, "fetch a", &self->ha) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
        if (ws_spawn(cx->rt, &b.ws_base, sizeof b, "fetch b", &self->hb) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    WS_AWAIT(&self->ha);                         /* both tasks are already running */
    WS_AWAIT(&self->hb);
    WS_RETURN(WS_OUT(&self->ha) + WS_OUT(&self->hb));
    WS_END();
}

/* Dropped early (aborted): let go of both handles, which detaches the tasks, as dropping a JoinHandle does. */
static void spawn_main_drop(ws_runtime *rt, ws_future *f)
{
    spawn_main *self = (spawn_main *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->ha.base);
    ws_future_drop(rt, &self->hb.base);
}

/* ---- registry ---- */
static void spawn_init(void *f, const wsx_args *args)
{
    spawn_main *self = f;
    WS_ASYNC_INIT(spawn_main, self);
    memset(&self->ha, 0, sizeof self->ha);      /* empty handles: dropping them is a no-op */
    memset(&self->hb, 0, sizeof self->hb);
    self->a_ms = args->num[0];
    self->b_ms = args->num[1];
}

static const wsx_param spawn_params[] = {
    { "a", "first fetch (ms)", WSX_MS, 100, 0, 60000, NULL },
    { "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },
};

const wsx_entry wsx_example_spawn = {
    "spawn", "spawn: separate tasks",
    "The two simulated fetches spawned as tasks of their own, then their join handles awaited: three tasks, "
    "and the elapsed time is still max(a, b).",
    spawn_params, 2, sizeof(spawn_main), spawn_init, 0, 1,
};
