/* timeout: race a slow operation against a timer with select. The first to finish wins; the loser is dropped,
 * and dropping a future cancels it (its timer is disarmed, nothing of it runs again). */
#include "fake_fetch.h"

WS_ASYNC(timeout_main, { int64_t work_ms, limit_ms; fake_fetch slow; ws_sleep limit; ws_select race; })
{
    WS_BEGIN();
    fake_fetch_init(&self->slow, self->work_ms);
    ws_sleep_init(&self->limit, (uint64_t)self->limit_ms);
    ws_select2_init(&self->race, &self->slow.ws_base, &self->limit.base, WS_SELECT_BIASED);
    WS_AWAIT(&self->race);                       /* ready when either is; the other is dropped */
    if (WS_OUT(&self->race) == 1)
        WS_RETURN(-1);                           /* the timer won: the slow operation was cancelled */
    WS_RETURN(WS_OUT(&self->slow));              /* the operation won: its bytes */
    WS_END();
}

/* ---- registry ---- */
static void timeout_init(void *f, const wsx_args *args)
{
    timeout_main *self = f;
    WS_ASYNC_INIT(timeout_main, self);
    self->work_ms = args->num[0];
    self->limit_ms = args->num[1];
}

static const wsx_param timeout_params[] = {
    { "work", "slow operation (ms)", WSX_MS, 300, 0, 60000, NULL },
    { "limit", "timeout (ms)", WSX_MS, 150, 0, 60000, NULL },
};

const wsx_entry wsx_example_timeout = {
    "timeout", "select: a timeout cancels the slow operation",
    "select races a slow operation against a sleep. If the sleep wins, the operation is dropped, which cancels "
    "it. The value is -1 on a timeout, else the operation's bytes.",
    timeout_params, 2, sizeof(timeout_main), timeout_init, 0, 1,
};
