/* ws_sync.h: channels and notification between tasks.
 *
 * Messages are int64_t values (a number, or a pointer the receiver takes ownership of). Objects are allocated
 * from the runtime and reference-counted by their sides: each function that creates a side gives the caller one
 * reference, each *_drop gives it back, and the object is freed when the last side is gone. Messages still in a
 * channel when it is freed are passed to its free hook (if set), so an owned pointer in flight is not leaked.
 *
 * Closing: when every sender is dropped, the receiver drains what is buffered and then gets WS_ECLOSED. When the
 * receiver is dropped, sends fail with WS_ECLOSED and senders waiting for room are woken to see it.
 * All wakes from here have cause WS_CAUSE_CHANNEL (WS_CAUSE_NOTIFY for ws_notify) and carry the object's id.
 *
 * ws_send and ws_recv futures borrow the channel: they hold no reference, so whoever owns them must keep a side
 * (a sender or the receiver) alive for as long as such a future does (drop the future first, then the side).
 * ws_oneshot_recv and ws_notified, by contrast, hold a reference of their own.
 */
#ifndef WS_SYNC_H
#define WS_SYNC_H

#include "ws_future.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An entry in a wait list, embedded in the waiting future (no allocation to wait). Private. */
typedef struct ws_waiter {
    struct ws_waiter *prev, *next;
    ws_waker waker;
    uint8_t state;      /* WS_WAITER_IDLE, _LINKED (in the list), _NOTIFIED (woken and unlinked, not yet polled) */
} ws_waiter;
enum { WS_WAITER_IDLE = 0, WS_WAITER_LINKED, WS_WAITER_NOTIFIED };

/* ---- bounded multi-producer, single-consumer channel ---------------------------------------------------- */

typedef struct ws_channel ws_channel;

/* Creates a channel holding up to `capacity` (>= 1) messages, with one sender and one receiver reference. */
int ws_channel_new(ws_runtime *rt, uint32_t capacity, ws_channel **out);
void ws_channel_set_free_hook(ws_channel *ch, void (*free_msg)(int64_t msg));
/* Another sender reference (multi-producer). */
int ws_channel_sender_clone(ws_channel *ch);
void ws_channel_sender_drop(ws_channel *ch);
void ws_channel_receiver_drop(ws_channel *ch);
uint32_t ws_channel_len(const ws_channel *ch);
uint32_t ws_channel_id(const ws_channel *ch);

/* Non-blocking: WS_OK, WS_EFULL, WS_ECLOSED (receiver gone; msg not taken). */
int ws_channel_try_send(ws_channel *ch, int64_t msg);
/* Non-blocking: WS_OK, WS_EEMPTY, WS_ECLOSED (no senders and nothing buffered); WS_EINVAL once the receiver
 * was dropped. */
int ws_channel_try_recv(ws_channel *ch, int64_t *msg);

/* send: waits while the channel is full (backpressure). err WS_OK, or WS_ECLOSED if the receiver is gone (the
 * message was not delivered; out = the message, so the caller can reclaim it). */
typedef struct ws_send {
    ws_future base;
    /* private */
    ws_channel *ch;
    int64_t msg;
    ws_waiter waiter;
} ws_send;
void ws_send_init(ws_send *f, ws_channel *ch, int64_t msg);

/* recv: waits for a message. out = the message, err WS_OK; or err WS_ECLOSED once every sender is gone and the
 * buffer is empty. */
typedef struct ws_recv {
    ws_future base;
    ws_channel *ch;     /* private */
} ws_recv;
void ws_recv_init(ws_recv *f, ws_channel *ch);

/* ---- oneshot: one value, once ----------------------------------------------------------------------------- */

typedef struct ws_oneshot ws_oneshot;
/* One sender and one receiver reference. */
int ws_oneshot_new(ws_runtime *rt, ws_oneshot **out);
/* Sends and drops the sender. WS_ECLOSED if the receiver is gone (the value was not taken). WS_EINVAL if the
 * sender was already used. */
int ws_oneshot_send(ws_oneshot *os, int64_t value);
/* Drops the sender without sending: the receiver gets WS_ECLOSED. */
void ws_oneshot_sender_drop(ws_oneshot *os);
/* Drops the receiver (if no ws_oneshot_recv future holds it). */
void ws_oneshot_receiver_drop(ws_oneshot *os);

/* Receiving takes over the receiver reference: dropping this future drops the receiver. */
typedef struct ws_oneshot_recv {
    ws_future base;
    ws_oneshot *os;     /* private */
} ws_oneshot_recv;
void ws_oneshot_recv_init(ws_oneshot_recv *f, ws_oneshot *os);

/* ---- notify ------------------------------------------------------------------------------------------------ */

/* Like tokio's Notify: notify_one wakes one waiter, or stores a single permit if nobody waits (the next
 * notified() completes at once); notify_waiters wakes everyone waiting now and stores nothing. */
typedef struct ws_notify ws_notify;
int ws_notify_new(ws_runtime *rt, ws_notify **out);
void ws_notify_one(ws_notify *n);
void ws_notify_waiters(ws_notify *n);
/* Closes it: current and future waiters complete with WS_ECLOSED. Then drops the caller's reference: this is
 * also how the creator lets go of a notify (ws_notified futures keep it alive until they are dropped). */
void ws_notify_close(ws_notify *n);

typedef struct ws_notified {
    ws_future base;
    /* private */
    ws_notify *n;       /* holds a reference while alive */
    ws_waiter waiter;
} ws_notified;
void ws_notified_init(ws_notified *f, ws_notify *n);

#ifdef __cplusplus
}
#endif
#endif
