/* semaphore.c: a FIFO-fair counting semaphore (see ws_semaphore.h).
 *
 * Releases assign permits to queued acquirers before they run (the waiter is marked NOTIFIED with its permits
 * already counted as held), so a newcomer can never take permits that a queued task was woken for. An acquirer
 * that is dropped after being assigned permits but before observing them releases them again, which passes them
 * to the next in line: no permit is lost and no wake is lost.
 */
#include "sync_internal.h"

#define MAX_PERMITS (1u << 30)

struct ws_semaphore {
    ws_runtime *rt;
    uint32_t refs;
    uint32_t id;
    uint32_t available;
    uint32_t held;
    uint32_t waiting;       /* acquirers in the queue */
    uint8_t closed;
    ws_waitlist queue;
};

#define ACQ_OF(w) ((ws_acquire *)((char *)(w) - offsetof(ws_acquire, waiter)))

static uint32_t serial_now(ws_runtime *rt)
{
    return rt->current && rt->ring_cap ? ws__slot_trace(rt, rt->current->slot)->serial : 0;
}

int ws_semaphore_new(ws_runtime *rt, uint32_t permits, ws_semaphore **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt || permits > MAX_PERMITS)
        return WS_EINVAL;
    ws_semaphore *s = ws__alloc(rt, sizeof *s);
    if (!s)
        return WS_ENOMEM;
    memset(s, 0, sizeof *s);
    s->rt = rt;
    s->refs = 1;
    s->available = permits;
    s->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = s;
    return WS_OK;
}

static void sem_maybe_free(ws_semaphore *s)
{
    if (s->refs || s->held)
        return;
    assert(!s->queue.head);
    ws_runtime *rt = s->rt;
    ws__free(rt, s, sizeof *s);
    rt->stats.objects_live--;
}

static void sem_unref(ws_semaphore *s)
{
    assert(s->refs > 0);
    s->refs--;
    sem_maybe_free(s);
}

void ws_semaphore_drop(ws_semaphore *s)
{
    if (s)
        sem_unref(s);
}

/* Hands available permits to the head of the queue, in order, while the head's request fits. */
static void grant_queued(ws_semaphore *s)
{
    ws_waiter *w;
    while (!s->closed && (w = s->queue.head) != NULL && ACQ_OF(w)->n <= s->available) {
        ws_acquire *a = ACQ_OF(w);
        s->available -= a->n;
        s->held += a->n;
        s->waiting--;
        WS_TRACE(s->rt, WS_EV_SEMAPHORE, 1, 0, ws__task_serial(s->rt, w->waker.task), s->id, a->n, s->held);
        ws__waitlist_wake_one(&s->queue, WS_CAUSE_NOTIFY, s->id);
    }
}

void ws_semaphore_close(ws_semaphore *s)
{
    if (!s || s->closed)
        return;
    s->closed = 1;
    ws_waiter *w;
    while ((w = s->queue.head) != NULL) { /* every waiter wakes to see Closed */
        s->waiting--;
        ws__waitlist_wake_one(&s->queue, WS_CAUSE_NOTIFY, s->id);
        w->state = WS_WAITER_IDLE; /* woken by close, not granted: nothing to give back */
    }
}

int ws_semaphore_try_acquire(ws_semaphore *s, uint32_t n)
{
    if (!s)
        return WS_EINVAL;
    if (s->closed)
        return WS_ECLOSED;
    if (n == 0)
        return WS_OK;
    if (s->queue.head || s->available < n)
        return WS_EEMPTY;
    s->available -= n;
    s->held += n;
    return WS_OK;
}

static void release(ws_semaphore *s, uint32_t n)
{
    s->held -= n;
    s->available += n;
    WS_TRACE(s->rt, WS_EV_SEMAPHORE, 2, 0, serial_now(s->rt), s->id, n, s->held);
    grant_queued(s);
}

int ws_semaphore_release(ws_semaphore *s, uint32_t n)
{
    if (!s)
        return WS_EINVAL;
    if (n > s->held)
        return WS_ENOTHELD;
    if (n == 0)
        return WS_OK;
    release(s, n);
    sem_maybe_free(s); /* the last held permit of a semaphore nobody refers to */
    return WS_OK;
}

int ws_semaphore_add_permits(ws_semaphore *s, uint32_t n)
{
    if (!s || n > MAX_PERMITS || (uint64_t)s->available + s->held + n > MAX_PERMITS)
        return WS_EINVAL;
    s->available += n;
    grant_queued(s);
    return WS_OK;
}

uint32_t ws_semaphore_available(const ws_semaphore *s) { return s ? s->available : 0; }
uint32_t ws_semaphore_held(const ws_semaphore *s) { return s ? s->held : 0; }
uint32_t ws_semaphore_waiters(const ws_semaphore *s) { return s ? s->waiting : 0; }
int ws_semaphore_is_closed(const ws_semaphore *s) { return s ? s->closed : 1; }
uint32_t ws_semaphore_id(const ws_semaphore *s) { return s ? s->id : 0; }

/* ---- acquire ---- */

static ws_poll acquire_poll(ws_future *f, ws_context *cx);
static void acquire_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type acquire_type = { "acquire", acquire_poll, acquire_drop, NULL };

void ws_acquire_init(ws_acquire *f, ws_semaphore *s, uint32_t n)
{
    ws_future_init(&f->base, &acquire_type);
    memset(&f->waiter, 0, sizeof f->waiter);
    f->sem = s;
    f->n = n;
    if (s)
        s->refs++;
}

static ws_poll acquire_poll(ws_future *f, ws_context *cx)
{
    ws_acquire *a = (ws_acquire *)f;
    ws_semaphore *s = a->sem;
    if (!s) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (a->waiter.state == WS_WAITER_NOTIFIED) { /* a release assigned our permits to us */
        a->waiter.state = WS_WAITER_IDLE;
        f->out = a->n;
        f->err = WS_OK;
        return WS_READY;
    }
    if (s->closed) {
        assert(a->waiter.state != WS_WAITER_LINKED); /* close unlinked everyone */
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    if (a->waiter.state == WS_WAITER_LINKED) {
        a->waiter.waker = ws_context_waker(cx); /* polled again (by a select, say): keep our place */
        return WS_PENDING;
    }
    if (a->n == 0 || (!s->queue.head && s->available >= a->n)) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        s->available -= a->n;
        s->held += a->n;
        f->out = a->n;
        f->err = WS_OK;
        return WS_READY;
    }
    a->waiter.waker = ws_context_waker(cx);
    ws__waitlist_push(&s->queue, &a->waiter);
    s->waiting++;
    WS_TRACE(cx->rt, WS_EV_SEMAPHORE, 0, 0, cx->serial ? cx->serial : serial_now(cx->rt), s->id, a->n, s->held);
    return WS_PENDING;
}

static void acquire_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_acquire *a = (ws_acquire *)f;
    ws_semaphore *s = a->sem;
    if (!s)
        return;
    a->sem = NULL;
    if (a->waiter.state == WS_WAITER_LINKED) {
        ws__waitlist_unlink(&s->queue, &a->waiter);
        s->waiting--;
        grant_queued(s); /* we may have been the large request blocking smaller ones behind us */
    } else if (a->waiter.state == WS_WAITER_NOTIFIED) {
        a->waiter.state = WS_WAITER_IDLE;
        release(s, a->n); /* assigned to us, never observed: to the next in line */
    }
    sem_unref(s);
}

/* ---- with_permit ---- */

static ws_poll with_permit_poll(ws_future *f, ws_context *cx);
static void with_permit_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type with_permit_type = { "with_permit", with_permit_poll, with_permit_drop, NULL };

void ws_with_permit_init(ws_with_permit *f, ws_semaphore *s, uint32_t n, ws_future *inner)
{
    ws_future_init(&f->base, &with_permit_type);
    ws_acquire_init(&f->acquire, s, n);
    f->inner = inner;
    f->holding = 0;
}

/* The acquire future stays undropped after it is ready, so its reference keeps the semaphore alive until the
 * permits are released. */
static ws_poll with_permit_poll(ws_future *f, ws_context *cx)
{
    ws_with_permit *w = (ws_with_permit *)f;
    if (!w->inner) {
        ws_future_drop(cx->rt, &w->acquire.base);
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (!w->holding) {
        cx->child_index = 0;
        if (ws_future_poll(&w->acquire.base, cx) == WS_PENDING)
            return WS_PENDING;
        if (w->acquire.base.err != WS_OK) {
            f->err = w->acquire.base.err;
            with_permit_drop(cx->rt, f);
            return WS_READY;
        }
        w->holding = 1;
    }
    cx->child_index = 1;
    if (ws_future_poll(w->inner, cx) == WS_PENDING)
        return WS_PENDING;
    f->out = w->inner->out;
    f->err = w->inner->err;
    with_permit_drop(cx->rt, f);
    return WS_READY;
}

static void with_permit_drop(ws_runtime *rt, ws_future *f)
{
    ws_with_permit *w = (ws_with_permit *)f;
    if (w->inner)
        ws_future_drop(rt, w->inner); /* first: inner may be using what the permit guards */
    if (w->holding) {
        w->holding = 0;
        ws_semaphore_release(w->acquire.sem, w->acquire.n);
    }
    ws_future_drop(rt, &w->acquire.base);
}
