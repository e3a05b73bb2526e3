/* wasync.h: everything a program needs. See each header for its contract:
 *   ws_base.h         ids, times, error codes, allocator hooks
 *   ws_future.h       the poll protocol: futures, wakers, the poll context, the cooperative budget
 *   ws_async.h        WS_ASYNC / WS_AWAIT: async functions as stackless state machines
 *   ws_runtime.h      the executor: run, spawn, join handles, abort, block_on
 *   ws_time.h         the clock (real or virtual), sleep, interval, timeout, yield_now
 *   ws_combinators.h  join, join_all, try_join, select
 *   ws_sync.h         channel, oneshot, notify
 *   ws_semaphore.h    semaphore (FIFO fair), with_permit
 *   ws_token.h        cancellation tokens (a tree), cancelled, run_until_cancelled
 *   ws_watch.h        watch and broadcast channels
 *   ws_joinset.h      JoinSet, join_next, scopes (WS_ASYNC_SCOPE)
 *   ws_op.h           operations completed by the host (JS promises, fetch)
 *   ws_trace.h        poll traces
 */
#ifndef WASYNC_H
#define WASYNC_H

#define WASYNC_VERSION "0.1.0"

#include "ws_base.h"
#include "ws_future.h"
#include "ws_async.h"
#include "ws_runtime.h"
#include "ws_time.h"
#include "ws_combinators.h"
#include "ws_sync.h"
#include "ws_semaphore.h"
#include "ws_token.h"
#include "ws_watch.h"
#include "ws_joinset.h"
#include "ws_op.h"
#include "ws_trace.h"

#endif
