/* ws_combinators.h: concurrency inside one task.
 *
 * join and select poll their children inside the poll of the task that awaits them: no new task, no allocation.
 * The children are owned by the caller (usually fields of the same async function) and must stay in place while
 * the combinator is alive; the combinator drops each child when it is done with it (a finished child at once, the
 * losers of a select and the rest of a failed try_join as soon as the outcome is known, all of them if the
 * combinator itself is dropped). Read a child's output with WS_OUT/WS_ERR after the combinator is ready.
 *
 * Every poll of a join/select polls each unfinished child (like tokio's join!), so each child registers its own
 * waker; the trace shows each of these polls as a nested poll with its child index.
 */
#ifndef WS_COMBINATORS_H
#define WS_COMBINATORS_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_JOIN_INLINE 4

/* join: ready when every child is. out = number of children, err = WS_OK.
 * try_join: the first child that finishes with err != WS_OK ends it: the others are dropped (cancelled) and the
 * join is ready with that err and out = that child's index. */
typedef struct ws_join {
    ws_future base;
    /* private */
    ws_future **children;
    ws_future *inline_children[WS_JOIN_INLINE];
    uint32_t count;
    uint32_t remaining;
    uint8_t try_mode;
} ws_join;

void ws_join2_init(ws_join *f, ws_future *a, ws_future *b);
/* `children` must stay valid while f is alive. count 0 is allowed (ready at once). WS_EINVAL on NULL pointers. */
int ws_join_all_init(ws_join *f, ws_future **children, uint32_t count);
int ws_try_join_all_init(ws_join *f, ws_future **children, uint32_t count);
void ws_try_join2_init(ws_join *f, ws_future *a, ws_future *b);

/* select: ready when the first child is; the others are dropped, which cancels them. out = the winner's index,
 * err = the winner's err. BIASED polls children in order every time (the first has priority); FAIR rotates the
 * starting child on every poll, and each new fair select starts one child further than the runtime's previous
 * one, so a child that is always ready cannot starve the others, even in a loop of fresh selects
 * (deterministic, no RNG, so traces stay reproducible). */
typedef enum ws_select_mode { WS_SELECT_BIASED = 0, WS_SELECT_FAIR = 1 } ws_select_mode;

typedef struct ws_select {
    ws_future base;
    /* private */
    ws_future **children;
    ws_future *inline_children[WS_JOIN_INLINE];
    uint32_t count;
    uint32_t next_start;
    uint8_t mode;
} ws_select;

void ws_select2_init(ws_select *f, ws_future *a, ws_future *b, ws_select_mode mode);
/* count must be >= 1. */
int ws_select_all_init(ws_select *f, ws_future **children, uint32_t count, ws_select_mode mode);

#ifdef __cplusplus
}
#endif
#endif
