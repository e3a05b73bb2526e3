/* ws_token.h: cancellation tokens (tokio-util's CancellationToken), in a tree.
 *
 * A token is cancelled once and stays cancelled. Cancelling a token cancels every token derived from it with
 * ws_token_child (at any depth), at once and in the same call; cancelling a child does not touch its parent.
 * Tasks learn of it by awaiting ws_cancelled (typically as one branch of a WS_SELECT) or by checking
 * ws_token_is_cancelled between steps; ws_run_until_cancelled wraps any future so that it is dropped (cancelled)
 * when the token is.
 *
 * Ownership: ws_token_new and ws_token_child give the caller one reference; ws_token_drop gives it back. Every
 * ws_cancelled and ws_run_until_cancelled future holds a reference while alive. A child keeps no reference on its
 * parent: if the parent is freed first, the child simply can no longer be cancelled through it.
 * Waiters are woken with cause WS_CAUSE_NOTIFY and the token's id.
 *
 * Trace: WS_EV_TOKEN for every token that becomes cancelled (detail 1 when it was through an ancestor), with the
 * number of waiters it woke.
 */
#ifndef WS_TOKEN_H
#define WS_TOKEN_H

#include "ws_sync.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_token ws_token;

int ws_token_new(ws_runtime *rt, ws_token **out);
/* A child of `parent`: cancelled when the parent is. A child of a cancelled token is born cancelled. */
int ws_token_child(ws_token *parent, ws_token **out);
/* Cancels t and all its descendants, waking every waiter. Idempotent. Returns WS_OK or WS_EINVAL. */
int ws_token_cancel(ws_token *t);
int ws_token_is_cancelled(const ws_token *t);
uint32_t ws_token_id(const ws_token *t);
/* Gives back the caller's reference (does not cancel: dropping a token is not cancelling it). */
void ws_token_drop(ws_token *t);

/* cancelled: ready (err WS_OK) once the token is cancelled; at once if it already is.
 * Cancel safety: cancel safe, nothing is consumed: awaiting a new ws_cancelled later sees the same state. */
typedef struct ws_cancelled {
    ws_future base;
    ws_token *token;    /* holds a reference until dropped */
    ws_waiter waiter;
} ws_cancelled;
void ws_cancelled_init(ws_cancelled *f, ws_token *t);

/* run_until_cancelled: polls `inner` (owned by the caller, dropped by this future when done) until it finishes,
 * ready with its out/err; if the token is cancelled first (or already is), inner is dropped and err is
 * WS_ECANCELED (out 0). The token is checked before inner on every poll, so once it is cancelled inner never runs again.
 * Cancel safety: dropping it drops inner (inner's own rule applies). */
typedef struct ws_until_cancelled {
    ws_future base;
    ws_cancelled cancelled;
    ws_future *inner;
} ws_until_cancelled;
void ws_run_until_cancelled_init(ws_until_cancelled *f, ws_token *t, ws_future *inner);

#ifdef __cplusplus
}
#endif
#endif
