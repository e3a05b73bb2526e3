/* ws_watch.h: watch and broadcast channels (tokio's watch and broadcast).
 *
 * watch: one value, the latest. The sender replaces it; each receiver sees the value current when it looks and
 * can wait for the next change. Intermediate values a receiver did not look at are skipped, by design.
 *
 * broadcast: every receiver sees every message sent after it subscribed, through a bounded ring of `capacity`
 * messages shared by all receivers. Sending never waits: it overwrites the oldest message. A receiver that falls
 * more than `capacity` messages behind gets WS_ELAGGED once, with out = the number of messages it missed, and then
 * continues from the oldest message still kept.
 *
 * Messages are int64_t values shared by every receiver (numbers, or pointers to data that outlives the channel:
 * no receiver owns them, so neither channel has a free hook).
 *
 * Ownership: *_new gives the caller the sender reference (ws_*_sender_drop closes the channel: receivers get
 * WS_ECLOSED after what is left); each subscribed receiver is a small struct of the caller's holding a
 * reference until ws_*_rx_drop. Receive futures borrow their receiver: drop the future before the receiver.
 * Wakes have cause WS_CAUSE_CHANNEL and the channel's id.
 */
#ifndef WS_WATCH_H
#define WS_WATCH_H

#include "ws_sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- watch ----------------------------------------------------------------------------------------------------- */

typedef struct ws_watch ws_watch;
int ws_watch_new(ws_runtime *rt, int64_t initial, ws_watch **out);
/* Replaces the value and wakes every receiver waiting in ws_changed. WS_OK, or WS_ECLOSED after the sender was
 * dropped, WS_EINVAL on NULL. Sending with no receiver stores the value all the same (a later subscriber sees it). */
int ws_watch_send(ws_watch *w, int64_t value);
void ws_watch_sender_drop(ws_watch *w);
uint32_t ws_watch_id(const ws_watch *w);

typedef struct ws_watch_rx {
    ws_watch *w;
    uint64_t seen;      /* the version this receiver last looked at */
} ws_watch_rx;
/* Subscribes: the current value counts as seen, so ws_changed waits for the next send. WS_OK, WS_EINVAL. */
int ws_watch_subscribe(ws_watch *w, ws_watch_rx *rx);
/* The current value, which is marked seen. */
int64_t ws_watch_borrow(ws_watch_rx *rx);
/* 1 if a value was sent that this receiver has not seen. */
int ws_watch_has_changed(const ws_watch_rx *rx);
void ws_watch_rx_drop(ws_watch_rx *rx);

/* changed: ready with out = the new value (marked seen) once a value this receiver has not seen is there; at once
 * if there already is one. err WS_ECLOSED once the sender is gone and nothing unseen is left.
 * Cancel safety: cancel safe. Nothing is marked seen until it is ready, so a dropped changed loses nothing: the
 * next one sees the same change. */
typedef struct ws_changed {
    ws_future base;
    ws_watch_rx *rx;
    ws_waiter waiter;
} ws_changed;
void ws_changed_init(ws_changed *f, ws_watch_rx *rx);

/* ---- broadcast ------------------------------------------------------------------------------------------------- */

typedef struct ws_broadcast ws_broadcast;
/* capacity: 1 .. 2^24 messages kept for slow receivers. */
int ws_broadcast_new(ws_runtime *rt, uint32_t capacity, ws_broadcast **out);
/* Sends to every current receiver; never waits. WS_OK, WS_ECLOSED if there is no receiver (the message is
 * dropped) or the sender side was closed, WS_EINVAL on NULL. */
int ws_broadcast_send(ws_broadcast *b, int64_t msg);
/* Another sender reference; the channel closes when the last is dropped. */
int ws_broadcast_sender_clone(ws_broadcast *b);
void ws_broadcast_sender_drop(ws_broadcast *b);
uint32_t ws_broadcast_receivers(const ws_broadcast *b);
uint32_t ws_broadcast_id(const ws_broadcast *b);

typedef struct ws_broadcast_rx {
    ws_broadcast *b;
    uint64_t next;      /* sequence number of the next message for this receiver */
} ws_broadcast_rx;
/* Subscribes: receives what is sent from now on. WS_OK, WS_EINVAL. */
int ws_broadcast_subscribe(ws_broadcast *b, ws_broadcast_rx *rx);
void ws_broadcast_rx_drop(ws_broadcast_rx *rx);
/* Non-blocking: WS_OK (*msg), WS_EEMPTY, WS_ELAGGED (*msg = messages missed; the next call continues from the
 * oldest kept), WS_ECLOSED (sender gone and nothing left), WS_EINVAL. */
int ws_broadcast_try_recv(ws_broadcast_rx *rx, int64_t *msg);

/* recv: the next message (out), or err WS_ELAGGED with out = the number missed, or WS_ECLOSED.
 * Cancel safety: cancel safe. A message is consumed only when recv is ready with it. */
typedef struct ws_broadcast_recv {
    ws_future base;
    ws_broadcast_rx *rx;
    ws_waiter waiter;
} ws_broadcast_recv;
void ws_broadcast_recv_init(ws_broadcast_recv *f, ws_broadcast_rx *rx);

#ifdef __cplusplus
}
#endif
#endif
