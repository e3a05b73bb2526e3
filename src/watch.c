/* watch.c: the watch channel (see ws_watch.h): one value, a version counter, and the receivers waiting for the
 * version to move. */
#include "sync_internal.h"

struct ws_watch {
    ws_runtime *rt;
    int64_t value;
    uint64_t version;
    uint32_t refs;      /* the sender (while open) and every subscribed receiver */
    uint32_t id;
    uint8_t closed;
    ws_waitlist waiters;
};

static void wake_all(ws_waitlist *l, uint32_t id)
{
    while (ws__waitlist_wake_one(l, WS_CAUSE_CHANNEL, id)) {
    }
}

int ws_watch_new(ws_runtime *rt, int64_t initial, ws_watch **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt)
        return WS_EINVAL;
    ws_watch *w = ws__alloc(rt, sizeof *w);
    if (!w)
        return WS_ENOMEM;
    memset(w, 0, sizeof *w);
    w->rt = rt;
    w->value = initial;
    w->version = 1;
    w->refs = 1;
    w->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = w;
    return WS_OK;
}

static void watch_unref(ws_watch *w)
{
    assert(w->refs > 0);
    if (--w->refs)
        return;
    assert(!w->waiters.head);
    ws_runtime *rt = w->rt;
    ws__free(rt, w, sizeof *w);
    rt->stats.objects_live--;
}

int ws_watch_send(ws_watch *w, int64_t value)
{
    if (!w)
        return WS_EINVAL;
    if (w->closed)
        return WS_ECLOSED;
    w->value = value;
    w->version++;
    wake_all(&w->waiters, w->id);
    return WS_OK;
}

void ws_watch_sender_drop(ws_watch *w)
{
    if (!w || w->closed)
        return;
    w->closed = 1;
    wake_all(&w->waiters, w->id); /* to see Closed */
    watch_unref(w);
}

uint32_t ws_watch_id(const ws_watch *w) { return w ? w->id : 0; }

int ws_watch_subscribe(ws_watch *w, ws_watch_rx *rx)
{
    if (!w || !rx)
        return WS_EINVAL;
    rx->w = w;
    rx->seen = w->version;
    w->refs++;
    return WS_OK;
}

int64_t ws_watch_borrow(ws_watch_rx *rx)
{
    if (!rx || !rx->w)
        return 0;
    rx->seen = rx->w->version;
    return rx->w->value;
}

int ws_watch_has_changed(const ws_watch_rx *rx) { return rx && rx->w && rx->seen != rx->w->version; }

void ws_watch_rx_drop(ws_watch_rx *rx)
{
    if (!rx || !rx->w)
        return;
    ws_watch *w = rx->w;
    rx->w = NULL;
    watch_unref(w);
}

static ws_poll changed_poll(ws_future *f, ws_context *cx);
static void changed_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type changed_type = { "changed", changed_poll, changed_drop, NULL };

void ws_changed_init(ws_changed *f, ws_watch_rx *rx)
{
    ws_future_init(&f->base, &changed_type);
    memset(&f->waiter, 0, sizeof f->waiter);
    f->rx = rx;
}

static ws_poll changed_poll(ws_future *f, ws_context *cx)
{
    ws_changed *c = (ws_changed *)f;
    ws_watch *w = c->rx ? c->rx->w : NULL;
    if (!w) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (c->rx->seen != w->version || w->closed) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        if (c->waiter.state == WS_WAITER_LINKED)
            ws__waitlist_unlink(&w->waiters, &c->waiter);
        c->waiter.state = WS_WAITER_IDLE;
        if (c->rx->seen != w->version) {
            c->rx->seen = w->version;
            f->out = w->value;
            f->err = WS_OK;
        } else {
            f->err = WS_ECLOSED;
        }
        return WS_READY;
    }
    c->waiter.waker = ws_context_waker(cx);
    if (c->waiter.state != WS_WAITER_LINKED)
        ws__waitlist_push(&w->waiters, &c->waiter);
    return WS_PENDING;
}

static void changed_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_changed *c = (ws_changed *)f;
    if (c->waiter.state == WS_WAITER_LINKED && c->rx && c->rx->w)
        ws__waitlist_unlink(&c->rx->w->waiters, &c->waiter);
    c->waiter.state = WS_WAITER_IDLE;
}
