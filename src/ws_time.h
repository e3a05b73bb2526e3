/* ws_time.h: the clock and timers.
 *
 * The clock is an interface. With ws_host.now set, the runtime reads the host's monotonic clock; without it the
 * runtime keeps a virtual clock that only moves when told (ws_clock_advance) or when the runtime is idle and a
 * timer is the only thing left to wait for (then it jumps to that deadline). Under the virtual clock timing is
 * exact and reproducible: two runs of one program give byte-identical traces.
 *
 * All timers live in one binary min-heap ordered by deadline (ties broken by arming order). Arming and cancelling
 * are O(log n); the host is asked for one wake-up, at the earliest deadline, never one per timer. A timer is
 * armed on its future's first poll, and disarmed when it fires or its future is dropped.
 */
#ifndef WS_TIME_H
#define WS_TIME_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Now, on the runtime's clock (ns). */
ws_time ws_clock_now(const ws_runtime *rt);
/* Virtual clock only: moves time forward by `delta` and fires what became due at the next run. WS_EINVAL on a
 * real clock. */
int ws_clock_advance(ws_runtime *rt, ws_time delta);
/* 1 if the runtime runs on the virtual clock. */
int ws_clock_is_virtual(const ws_runtime *rt);
/* Simulated CPU work for examples and tests: spins for `ns` of real time, or on the virtual clock moves time
 * forward by `ns` without firing timers (as if the thread were busy). */
void ws_clock_busy(ws_runtime *rt, ws_time ns);

/* One timer-heap entry, embedded in the future that owns it (24 bytes on wasm32). Private. */
typedef struct ws_timer {
    ws_time deadline;  /* before the first poll of a relative sleep: its duration */
    ws_id task;        /* whom to wake */
    uint32_t slot;     /* heap position + 1; 0 when not in the heap */
    uint32_t id;       /* arming order: breaks deadline ties, and names the timer in the trace */
} ws_timer;

/* sleep: ready `ms` milliseconds after its first poll. out = 0. 40 bytes on wasm32. */
typedef struct ws_sleep {
    ws_future base;    /* base.resume: 0 not armed, 1 armed, 2 fired; plus flag 4: the deadline is absolute */
    ws_timer timer;    /* private */
} ws_sleep;
void ws_sleep_init(ws_sleep *f, uint64_t ms);
void ws_sleep_init_ns(ws_sleep *f, ws_time ns);
/* sleep_until: ready once the clock reaches `deadline` (ns). */
void ws_sleep_until_init(ws_sleep *f, ws_time deadline);

/* interval: ticks every `period`; the first tick is immediate (as tokio's). A late tick is not made up for with a
 * burst: the next one is due `period` after the late one was seen (tokio's MissedTickBehavior::Delay).
 * The interval itself is not a future: each tick is one, as tokio's `interval.tick()` returns one. Build the next
 * tick with ws_interval_tick() and await it; build a fresh one for every await (the same ws_tick struct may be
 * reused once the previous tick is ready or dropped). Await one tick of an interval at a time, and keep the
 * interval alive (and in place) while a tick of it is. Cancel safety: a tick dropped before it is ready does not
 * count, and the next tick built is due when the dropped one would have been. */
typedef struct ws_interval {
    /* read-only */
    ws_time period;
    uint64_t ticks;    /* ticks seen so far */
    ws_time due;       /* when the last tick seen was due (its deadline) */
    ws_time last;      /* when it was seen: the next tick is due `period` after this */
} ws_interval;
void ws_interval_init(ws_interval *iv, uint64_t period_ms);

/* The future of one tick. out = the tick's number (0, 1, 2, ...). */
typedef struct ws_tick {
    ws_sleep sleep;          /* private, except sleep.base (the future's header) */
    ws_interval *interval;   /* private */
} ws_tick;
/* Builds in `f` the future of `iv`'s next tick; returns f. */
ws_tick *ws_interval_tick(ws_interval *iv, ws_tick *f);

/* timeout: polls `inner` (which stays where the caller put it; the timeout drops it when done with it, as every
 * combinator does); ready with inner's out/err if inner finishes first, or with err WS_ETIMEDOUT after `ms`
 * (inner has then been dropped, i.e. cancelled). */
typedef struct ws_timeout {
    ws_future base;
    ws_future *inner;  /* private */
    ws_sleep sleep;    /* private */
} ws_timeout;
void ws_timeout_init(ws_timeout *f, ws_future *inner, uint64_t ms);

/* yield_now: pending once (waking itself, cause SELF), then ready. */
typedef struct ws_yield {
    ws_future base;
} ws_yield;
void ws_yield_init(ws_yield *f);

/* ready: an already-finished future with output `value`. It takes one unit of cooperative budget, like any leaf
 * operation that completes without waiting, so a loop over ready futures still yields. */
typedef struct ws_ready {
    ws_future base;
    int64_t value;     /* private */
} ws_ready;
void ws_ready_init(ws_ready *f, int64_t value);

/* pending: never ready and never wakes (a lost waker, on purpose; for tests and the lost-waker lint). */
typedef struct ws_never {
    ws_future base;
} ws_never;
void ws_never_init(ws_never *f);

#ifdef __cplusplus
}
#endif
#endif
