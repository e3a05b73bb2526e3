/* A stand-in for a network request: it "downloads" for `ms` milliseconds (a sleep), then returns how many
 * bytes it got. Shared by the sequential, join, spawn and timeout examples. */
#ifndef FAKE_FETCH_H
#define FAKE_FETCH_H

#include "example.h"

WS_ASYNC(fake_fetch, { int64_t ms; ws_sleep wait; })
{
    WS_BEGIN();
    ws_sleep_init(&self->wait, (uint64_t)self->ms);
    WS_AWAIT(&self->wait);                       /* Pending until the timer fires */
    WS_RETURN(self->ms * 10);                    /* pretend: 10 bytes per millisecond */
    WS_END();
}

/* Calling the "async function": builds the future, runs nothing. */
static inline void fake_fetch_init(fake_fetch *f, int64_t ms)
{
    WS_ASYNC_INIT(fake_fetch, f);
    f->ms = ms;
}

#endif
