/* notify.c: wake one or all waiting tasks, with a stored permit (tokio's Notify). */
#include "sync_internal.h"

struct ws_notify {
    ws_runtime *rt;
    uint32_t refs;
    uint32_t id;
    uint8_t permit, closed;
    ws_waitlist waiters;
};

enum { NOTIFIED_BY_ONE = WS_WAITER_NOTIFIED, NOTIFIED_BY_ALL = WS_WAITER_NOTIFIED + 1 };

int ws_notify_new(ws_runtime *rt, ws_notify **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt)
        return WS_EINVAL;
    ws_notify *n = ws__alloc(rt, sizeof *n);
    if (!n)
        return WS_ENOMEM;
    memset(n, 0, sizeof *n);
    n->rt = rt;
    n->refs = 1;
    n->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = n;
    return WS_OK;
}

static void notify_unref(ws_notify *n)
{
    assert(n->refs > 0);
    if (--n->refs)
        return;
    assert(!n->waiters.head);
    ws_runtime *rt = n->rt;
    ws__free(rt, n, sizeof *n);
    rt->stats.objects_live--;
}

void ws_notify_one(ws_notify *n)
{
    if (!n || n->closed)
        return;
    if (!ws__waitlist_wake_one(&n->waiters, WS_CAUSE_NOTIFY, n->id))
        n->permit = 1;
}

static void wake_all(ws_notify *n)
{
    ws_waiter *w;
    while ((w = n->waiters.head) != NULL) {
        ws__waitlist_unlink(&n->waiters, w);
        w->state = NOTIFIED_BY_ALL;
        ws_waker_wake(&w->waker, WS_CAUSE_NOTIFY, n->id);
    }
}

void ws_notify_waiters(ws_notify *n)
{
    if (n && !n->closed)
        wake_all(n);
}

void ws_notify_close(ws_notify *n)
{
    if (!n || n->closed)
        return;
    n->closed = 1;
    n->permit = 0;
    wake_all(n); /* ...and every waiter sees Closed */
    notify_unref(n);
}

static ws_poll notified_poll(ws_future *f, ws_context *cx);
static void notified_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type notified_type = { "notified", notified_poll, notified_drop, NULL };

void ws_notified_init(ws_notified *f, ws_notify *n)
{
    ws_future_init(&f->base, &notified_type);
    memset(&f->waiter, 0, sizeof f->waiter);
    f->n = n;
    if (n)
        n->refs++;
}

static ws_poll notified_poll(ws_future *f, ws_context *cx)
{
    ws_notified *nf = (ws_notified *)f;
    ws_notify *n = nf->n;
    if (!n) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (n->closed) {
        if (nf->waiter.state == WS_WAITER_LINKED)
            ws__waitlist_unlink(&n->waiters, &nf->waiter);
        nf->waiter.state = WS_WAITER_IDLE;
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    if (nf->waiter.state >= WS_WAITER_NOTIFIED || n->permit) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        if (nf->waiter.state < WS_WAITER_NOTIFIED)
            n->permit = 0;
        nf->waiter.state = WS_WAITER_IDLE;
        f->err = WS_OK;
        return WS_READY;
    }
    nf->waiter.waker = ws_context_waker(cx);
    if (nf->waiter.state != WS_WAITER_LINKED)
        ws__waitlist_push(&n->waiters, &nf->waiter);
    return WS_PENDING;
}

static void notified_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_notified *nf = (ws_notified *)f;
    ws_notify *n = nf->n;
    if (!n)
        return;
    if (nf->waiter.state == WS_WAITER_LINKED)
        ws__waitlist_unlink(&n->waiters, &nf->waiter);
    else if (nf->waiter.state == NOTIFIED_BY_ONE && !(f->flags & WS_FUTURE_READY))
        ws_notify_one(n); /* a notify_one we never observed goes to the next waiter (or back to the permit) */
    nf->waiter.state = WS_WAITER_IDLE;
    nf->n = NULL;
    notify_unref(n);
}
