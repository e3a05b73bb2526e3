/* broadcast.c: the broadcast channel (see ws_broadcast in ws_watch.h).
 *
 * One ring of `cap` messages numbered by a 64-bit sequence; message s lives at buf[s % cap] until s + cap is sent.
 * A receiver is just the sequence number it reads next, so subscribing, receiving and lagging cost no allocation
 * and a send is O(1) plus one wake per waiting receiver.
 */
#include "sync_internal.h"

struct ws_broadcast {
    ws_runtime *rt;
    int64_t *buf;
    uint32_t cap;
    uint32_t senders;
    uint32_t receivers;
    uint32_t id;
    uint64_t tail;      /* sequence number of the next message sent */
    ws_waitlist waiters;
};

int ws_broadcast_new(ws_runtime *rt, uint32_t capacity, ws_broadcast **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt || capacity == 0 || capacity > (1u << 24))
        return WS_EINVAL;
    ws_broadcast *b = ws__alloc(rt, sizeof *b);
    if (!b)
        return WS_ENOMEM;
    memset(b, 0, sizeof *b);
    b->buf = ws__alloc(rt, capacity * sizeof *b->buf);
    if (!b->buf) {
        ws__free(rt, b, sizeof *b);
        return WS_ENOMEM;
    }
    b->rt = rt;
    b->cap = capacity;
    b->senders = 1;
    b->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = b;
    return WS_OK;
}

static void maybe_free(ws_broadcast *b)
{
    if (b->senders || b->receivers)
        return;
    assert(!b->waiters.head);
    ws_runtime *rt = b->rt;
    ws__free(rt, b->buf, b->cap * sizeof *b->buf);
    ws__free(rt, b, sizeof *b);
    rt->stats.objects_live--;
}

static void wake_all(ws_broadcast *b)
{
    while (ws__waitlist_wake_one(&b->waiters, WS_CAUSE_CHANNEL, b->id)) {
    }
}

int ws_broadcast_send(ws_broadcast *b, int64_t msg)
{
    if (!b)
        return WS_EINVAL;
    if (!b->senders || !b->receivers)
        return WS_ECLOSED;
    b->buf[b->tail % b->cap] = msg;
    b->tail++;
    wake_all(b);
    return WS_OK;
}

int ws_broadcast_sender_clone(ws_broadcast *b)
{
    if (!b || b->senders == 0 || b->senders == UINT32_MAX)
        return WS_EINVAL;
    b->senders++;
    return WS_OK;
}

void ws_broadcast_sender_drop(ws_broadcast *b)
{
    if (!b || b->senders == 0)
        return;
    if (--b->senders == 0)
        wake_all(b); /* receivers see Closed once they have read what is left */
    maybe_free(b);
}

uint32_t ws_broadcast_receivers(const ws_broadcast *b) { return b ? b->receivers : 0; }
uint32_t ws_broadcast_id(const ws_broadcast *b) { return b ? b->id : 0; }

int ws_broadcast_subscribe(ws_broadcast *b, ws_broadcast_rx *rx)
{
    if (!b || !rx || b->receivers == UINT32_MAX)
        return WS_EINVAL;
    rx->b = b;
    rx->next = b->tail;
    b->receivers++;
    return WS_OK;
}

void ws_broadcast_rx_drop(ws_broadcast_rx *rx)
{
    if (!rx || !rx->b)
        return;
    ws_broadcast *b = rx->b;
    rx->b = NULL;
    assert(b->receivers > 0);
    b->receivers--;
    maybe_free(b);
}

int ws_broadcast_try_recv(ws_broadcast_rx *rx, int64_t *msg)
{
    if (!rx || !rx->b || !msg)
        return WS_EINVAL;
    ws_broadcast *b = rx->b;
    uint64_t oldest = b->tail > b->cap ? b->tail - b->cap : 0;
    if (rx->next < oldest) {
        *msg = (int64_t)(oldest - rx->next);
        rx->next = oldest;
        return WS_ELAGGED;
    }
    if (rx->next < b->tail) {
        *msg = b->buf[rx->next % b->cap];
        rx->next++;
        return WS_OK;
    }
    return b->senders ? WS_EEMPTY : WS_ECLOSED;
}

static ws_poll brecv_poll(ws_future *f, ws_context *cx);
static void brecv_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type brecv_type = { "broadcast_recv", brecv_poll, brecv_drop, NULL };

void ws_broadcast_recv_init(ws_broadcast_recv *f, ws_broadcast_rx *rx)
{
    ws_future_init(&f->base, &brecv_type);
    memset(&f->waiter, 0, sizeof f->waiter);
    f->rx = rx;
}

static ws_poll brecv_poll(ws_future *f, ws_context *cx)
{
    ws_broadcast_recv *r = (ws_broadcast_recv *)f;
    ws_broadcast *b = r->rx ? r->rx->b : NULL;
    if (!b) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (r->rx->next < b->tail || !b->senders) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        if (r->waiter.state == WS_WAITER_LINKED)
            ws__waitlist_unlink(&b->waiters, &r->waiter);
        r->waiter.state = WS_WAITER_IDLE;
        int64_t v = 0;
        int rc = ws_broadcast_try_recv(r->rx, &v);
        assert(rc != WS_EEMPTY);
        f->out = rc == WS_ECLOSED ? 0 : v;
        f->err = (int8_t)rc;
        return WS_READY;
    }
    r->waiter.waker = ws_context_waker(cx);
    if (r->waiter.state != WS_WAITER_LINKED)
        ws__waitlist_push(&b->waiters, &r->waiter);
    return WS_PENDING;
}

static void brecv_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_broadcast_recv *r = (ws_broadcast_recv *)f;
    if (r->waiter.state == WS_WAITER_LINKED && r->rx && r->rx->b)
        ws__waitlist_unlink(&r->rx->b->waiters, &r->waiter);
    r->waiter.state = WS_WAITER_IDLE;
}
