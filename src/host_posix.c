/* host_posix.c: the native host: CLOCK_MONOTONIC and nanosleep. */
#define _POSIX_C_SOURCE 200809L
#include "ws_host_posix.h"

#include <errno.h>
#include <time.h>

static ws_time posix_now(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ws_time)ts.tv_sec * 1000000000u + (ws_time)ts.tv_nsec;
}

static void posix_sleep_until(void *ud, ws_time deadline)
{
    ws_time now = posix_now(ud);
    if (deadline <= now)
        return;
    ws_time d = deadline - now;
    struct timespec ts = { (time_t)(d / 1000000000u), (long)(d % 1000000000u) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

ws_host ws_host_posix(void)
{
    ws_host h = { 0 };
    h.now = posix_now;
    h.sleep_until = posix_sleep_until;
    return h;
}
