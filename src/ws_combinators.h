/* ws_combinators.h: concurrency inside one task.
 *
 * join and select poll their children inside the poll of the task that awaits them: no new task, no allocation.
 * The children are owned by the caller (usually fields of the same async function) and must stay in place while
 * the combinator is alive; the combinator drops each child when it is done with it (a finished child at once, the
 * losers of a select and the rest of a failed try_join as soon as the outcome is known, all of them if the
 * combinator itself is dropped). Read a child's output with WS_OUT/WS_ERR after the combinator is ready.
 *
 * A select polls each unfinished child on every poll (like tokio's select!), so each child registers its own
 * waker. A join polls every child on its first poll; after that, a child that is a host operation (ws_op, such as
 * a JS host call or a fetch) is polled again only once it has completed, and any other unfinished child on every
 * poll, as before. So a join of N host operations costs O(1) per completion, not O(N), however the completions
 * spread over runs (tokio's FuturesUnordered idea, without its allocation: ws_internal.h, "child notices"). The
 * trace shows each child poll as a nested poll with its child index; a join's children completed in the same run
 * are polled in the order they completed.
 */
#ifndef WS_COMBINATORS_H
#define WS_COMBINATORS_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_JOIN_INLINE 4

/* Cancel safety of join, try_join and select: as their children's. Dropping one drops every child it still holds,
 * and each loses what its own header says (the losers of a finished select likewise).
 *
 * join: ready when every child is. out = number of children, err = WS_OK.
 * try_join: the first child that finishes with err != WS_OK ends it: the others are dropped (cancelled) and the
 * join is ready with that err and out = that child's index. */
typedef struct ws_join {
    ws_future base;
    /* private */
    ws_future **children;
    ws_future *inline_children[WS_JOIN_INLINE];
    uint32_t count;
    uint32_t remaining;
    uint32_t ready[2];      /* children whose completion was noticed: op slots + 1, head and tail (0: none) */
    uint32_t untracked;     /* pending children that took no notice: scanned on every poll */
    uint8_t scanned;        /* every child was polled once */
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

/* WS_SELECT: tokio's select! for async functions, one branch per line. Branches are futures the caller owns
 * (fields of the same async function, initialised just before); the first to be ready wins, the others are
 * dropped (cancelled) before the statement ends. The trace records the winner and every dropped loser.
 *
 *     ws_sleep_init(&self->tick, 100);
 *     ws_recv_init(&self->rx, self->ch);
 *     ws_cancelled_init(&self->stop, self->token);
 *     WS_SELECT(&self->sel, WS_SELECT_BIASED,
 *               WS_BRANCH(&self->stop),      // 0: checked first on every poll (biased)
 *               WS_BRANCH(&self->rx),        // 1
 *               WS_BRANCH(&self->tick));     // 2
 *     switch (WS_SELECTED(&self->sel)) {     // which branch won; no WS_AWAIT inside (ws_async.h rule 2)
 *     case 0: WS_RETURN_ERR(WS_ECANCELED);
 *     case 1: self->got = WS_SELECTED_OUT(&self->sel); break;   // the winner's output (and WS_SELECTED_ERR)
 *     case 2: break;
 *     }
 *
 * WS_SELECT is two statements (an init and a WS_AWAIT): put it in braces under an if. Up to WS_SELECT_MAX branches
 * (checked at compile time). A NULL branch makes it ready at once with err WS_EINVAL and WS_SELECTED() ==
 * WS_SELECT_NONE. Cancel safety: the select itself is as cancel safe as its least safe branch: dropping it drops
 * every branch, and each loses what its own header says it loses; losers of a finished select are likewise
 * dropped, so a branch that is not cancel safe loses its partial progress when another branch wins (as with
 * tokio: in a loop, select over cancel-safe futures such as recv, acquire, cancelled, changed, sleep). */
#define WS_SELECT_MAX 8
#define WS_SELECT_NONE UINT32_MAX
typedef struct ws_selector {
    ws_select sel;
    ws_future *branch[WS_SELECT_MAX];
    uint8_t invalid;
} ws_selector;
void ws_selector_init(ws_selector *s, ws_select_mode mode, ws_future *const *branches, uint32_t count);
#define WS_BRANCH(f) ((ws_future *)(f))
#define WS__SELECT_COUNT(...) ((uint32_t)(sizeof((ws_future *[]){ __VA_ARGS__ }) / sizeof(ws_future *)))
#define WS_SELECT(s, mode, ...)                                                                                     \
    ws_selector_init((s), (mode), (ws_future *const[]){ __VA_ARGS__ },                                              \
                     WS__SELECT_COUNT(__VA_ARGS__) +                                                                \
                         0 * (uint32_t)sizeof(char[WS__SELECT_COUNT(__VA_ARGS__) <= WS_SELECT_MAX ? 1 : -1]));       \
    WS_AWAIT(&(s)->sel)
#define WS_SELECTED(s) ((s)->invalid ? WS_SELECT_NONE : (uint32_t)(s)->sel.base.out)
#define WS_SELECTED_OUT(s) ((s)->invalid ? 0 : (s)->branch[(s)->sel.base.out]->out)
#define WS_SELECTED_ERR(s) ((s)->invalid ? WS_EINVAL : (int)(s)->branch[(s)->sel.base.out]->err)

#ifdef __cplusplus
}
#endif
#endif
