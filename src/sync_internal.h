/* sync_internal.h: wait lists, shared by the synchronisation primitives (channel.c, notify.c). Builds on
 * task_internal.h: taking a waiter off a list wakes its task. Not installed. */
#ifndef WS_SYNC_INTERNAL_H
#define WS_SYNC_INTERNAL_H

#include "task_internal.h"

/* ---- wait lists (channel senders, notify waiters): intrusive, FIFO, O(1) unlink ---- */

typedef struct ws_waitlist {
    ws_waiter *head, *tail;
} ws_waitlist;

static inline void ws__waitlist_push(ws_waitlist *l, ws_waiter *w)
{
    assert(w->state != WS_WAITER_LINKED);
    w->next = NULL;
    w->prev = l->tail;
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
    w->state = WS_WAITER_LINKED;
}

static inline void ws__waitlist_unlink(ws_waitlist *l, ws_waiter *w)
{
    assert(w->state == WS_WAITER_LINKED);
    if (w->prev)
        w->prev->next = w->next;
    else
        l->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        l->tail = w->prev;
    w->prev = w->next = NULL;
    w->state = WS_WAITER_IDLE;
}

/* Unlinks the first waiter, marks it notified and wakes it. Returns 0 if the list was empty. */
static inline int ws__waitlist_wake_one(ws_waitlist *l, ws_cause cause, uint32_t source)
{
    ws_waiter *w = l->head;
    if (!w)
        return 0;
    ws__waitlist_unlink(l, w);
    w->state = WS_WAITER_NOTIFIED;
    ws_waker_wake(&w->waker, cause, source);
    return 1;
}

#endif
