/* time_internal.h: the timer heap, for the run loop and the runtime (time.c). Builds on task_internal.h: a timer
 * that fires wakes its task. Not installed. */
#ifndef WS_TIME_INTERNAL_H
#define WS_TIME_INTERNAL_H

#include "task_internal.h"

/* Fires every timer due at `now`: wakes their tasks and moves them to the front of the run queue, in deadline
 * order. Returns the number fired. */
uint32_t ws__timers_fire(ws_runtime *rt, ws_time now);
/* The earliest deadline, or WS_TIME_NEVER. */
ws_time ws__timers_next(const ws_runtime *rt);
void ws__timers_free(ws_runtime *rt);
/* Asks the host for one wake-up at the earliest deadline, only when that deadline changed. */
void ws__host_arm(ws_runtime *rt);

#endif
