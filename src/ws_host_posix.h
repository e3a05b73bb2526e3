/* ws_host_posix.h: a real monotonic clock and sleeping, for native programs (not built for wasm). */
#ifndef WS_HOST_POSIX_H
#define WS_HOST_POSIX_H

#include "ws_runtime.h"

/* A host with now() = CLOCK_MONOTONIC and sleep_until() = nanosleep. Put it in ws_runtime_options.host to run
 * on real time; leave the host zeroed for the virtual clock. */
ws_host ws_host_posix(void);

#endif
