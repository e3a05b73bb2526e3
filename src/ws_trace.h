/* ws_trace.h: poll traces.
 *
 * With tracing on (ws_runtime_options.trace_capacity > 0), the runtime writes one fixed-size record per event into
 * a ring buffer in its own memory. Nothing is formatted or allocated on the hot path; strings (task names, future
 * names, source files) are interned once and referenced by index. Hosts read the ring in bulk (the wasm bridge
 * maps it as a typed array: no call per event). With tracing off every event site costs one predictable branch;
 * building with -DWS_NO_TRACE removes the sites altogether (for measuring that branch).
 *
 * Tasks appear in the trace by serial number (1, 2, 3, ... in spawn order), not by id, so that two runs of the
 * same program on the virtual clock give byte-identical traces.
 */
#ifndef WS_TRACE_H
#define WS_TRACE_H

#include "ws_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_trace_kind {
    WS_EV_SPAWN = 1,   /* a = parent serial (0: spawned from outside), b = name string */
    WS_EV_POLL_BEGIN,  /* depth 0: the task's poll; depth >= 1: a nested future. a = wake seq + 1 (0: none),
                          b = future type name string, c = child index + 1 (0: not a combinator child) */
    WS_EV_POLL_END,    /* detail = WS_PENDING/WS_READY, depth as in the begin, b = await line, c = await file
                          string (both 0 when ready or unknown) */
    WS_EV_WAKE,        /* task = the woken task, detail = ws_cause, a = waker task serial (0: none),
                          b = source id (timer id, channel id, task serial, op index) */
    WS_EV_TIMER,       /* a timer was armed. a = timer id, b/c = deadline ns (low/high 32 bits) */
    WS_EV_HOST,        /* a host operation started. a = op index, b = name string, detail = ws_cause */
    WS_EV_SETTLE,      /* a host operation settled. a = op index, detail = 1 ok, 0 error, 2 ignored (stale),
                          3 cancelled: its future was dropped while it was in flight (the host is told to abort) */
    WS_EV_COMPLETE,    /* detail = 0 ok, 1 error, 2 cancelled */
    WS_EV_ABORT,       /* abort requested */
    WS_EV_DROP,        /* the task's future was dropped unfinished */
    WS_EV_YIELD,       /* the executor returned to the host with work left (time slice used) */
    WS_EV_SEMAPHORE,   /* detail 0: a task starts waiting, 1: granted after waiting, 2: permits released;
                          a = semaphore id, b = permits, c = permits held after */
    WS_EV_TOKEN,       /* a cancellation token was cancelled. detail 0: directly, 1: through its parent;
                          a = token id, b = waiters woken */
    WS_EV_SELECT,      /* detail 0: a select's winner, 1: a loser dropped (cancelled), 2: a loser that had not
                          been polled, dropped; a = branch index, b = branch count */
    WS_EV_KIND_COUNT
} ws_trace_kind;

typedef struct ws_trace_event {
    uint32_t seq;
    uint8_t kind;
    uint8_t detail;
    uint16_t depth;
    uint32_t task;     /* serial number, 0: none */
    uint32_t a, b, c;
    ws_time t;         /* ns on the runtime's clock */
} ws_trace_event;      /* 32 bytes, layout fixed: the JS reader depends on it */

/* The number of events recorded and still in the ring, and the number lost (overwritten, or not recorded once a
 * keep-first ring was full). */
uint32_t ws_trace_count(const ws_runtime *rt);
uint64_t ws_trace_lost(const ws_runtime *rt);
/* Copies up to `max` events, oldest first, starting at the `from`-th event in the ring. Returns the number copied. */
uint32_t ws_trace_read(const ws_runtime *rt, uint32_t from, ws_trace_event *out, uint32_t max);
/* Empties the ring, restarts seq at 0 and task serials at 1, and makes timestamps relative to now. Interned
 * strings are kept. Tasks alive across a clear keep their old serial, so a new task may share it: clear between
 * runs, when the previous run's tasks are done (as the JS bridge does). */
void ws_trace_clear(ws_runtime *rt);
/* Turns recording on or off (capacity must have been given at creation). */
void ws_trace_enable(ws_runtime *rt, int on);
int ws_trace_enabled(const ws_runtime *rt);
/* The interned string with this index ("" for 0 or an unknown index). */
const char *ws_trace_string(const ws_runtime *rt, uint32_t index);
uint32_t ws_trace_string_count(const ws_runtime *rt);
/* The raw ring, for hosts that map it directly: base pointer, capacity (a power of two), and the total number
 * of events written (the oldest kept event is at index (written - count) & (capacity - 1)). */
const ws_trace_event *ws_trace_ring(const ws_runtime *rt, uint32_t *capacity, uint64_t *written);

const char *ws_trace_kind_name(ws_trace_kind kind);

/* Formats the trace as a text timeline, one line per event, through `write` (native tools and tests). */
void ws_trace_format(const ws_runtime *rt, void (*write)(void *ud, const char *s, size_t n), void *ud);

#ifdef __cplusplus
}
#endif
#endif
