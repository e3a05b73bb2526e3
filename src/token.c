/* token.c: cancellation tokens in a tree (see ws_token.h).
 *
 * The tree is intrusive: each token links to its parent, its first child and its siblings, so deriving a child
 * allocates only the child and cancelling walks the subtree without recursion (a deep chain of children cannot
 * overflow the stack) and without allocating. Wakes only queue tasks, so the walk runs no user code.
 */
#include "sync_internal.h"

struct ws_token {
    ws_runtime *rt;
    uint32_t refs;
    uint32_t id;
    uint8_t cancelled;
    struct ws_token *parent, *first_child, *next_sibling, *prev_sibling;
    ws_waitlist waiters;
};

static int token_alloc(ws_runtime *rt, ws_token **out)
{
    ws_token *t = ws__alloc(rt, sizeof *t);
    if (!t)
        return WS_ENOMEM;
    memset(t, 0, sizeof *t);
    t->rt = rt;
    t->refs = 1;
    t->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = t;
    return WS_OK;
}

int ws_token_new(ws_runtime *rt, ws_token **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt)
        return WS_EINVAL;
    return token_alloc(rt, out);
}

int ws_token_child(ws_token *parent, ws_token **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!parent)
        return WS_EINVAL;
    ws_token *c;
    int rc = token_alloc(parent->rt, &c);
    if (rc != WS_OK)
        return rc;
    c->cancelled = parent->cancelled;
    c->parent = parent;
    c->next_sibling = parent->first_child;
    if (parent->first_child)
        parent->first_child->prev_sibling = c;
    parent->first_child = c;
    *out = c;
    return WS_OK;
}

static void cancel_one(ws_token *t, int by_parent)
{
    if (t->cancelled)
        return;
    t->cancelled = 1;
    uint32_t woken = 0;
    while (ws__waitlist_wake_one(&t->waiters, WS_CAUSE_NOTIFY, t->id))
        woken++;
    ws_runtime *rt = t->rt;
    WS_TRACE(rt, WS_EV_TOKEN, (uint8_t)by_parent, 0,
             rt->current && rt->ring_cap ? ws__slot_trace(rt, rt->current->slot)->serial : 0, t->id, woken, 0);
}

int ws_token_cancel(ws_token *t)
{
    if (!t)
        return WS_EINVAL;
    /* Pre-order walk of t's subtree. A child of a cancelled token was born cancelled or cancelled with it, so a
     * cancelled token's subtree is skipped. */
    if (t->cancelled)
        return WS_OK;
    ws_token *n = t;
    for (;;) {
        int skip = n != t && n->cancelled;
        cancel_one(n, n != t);
        if (!skip && n->first_child) {
            n = n->first_child;
            continue;
        }
        while (n != t && !n->next_sibling)
            n = n->parent;
        if (n == t)
            break;
        n = n->next_sibling;
    }
    return WS_OK;
}

int ws_token_is_cancelled(const ws_token *t) { return t ? t->cancelled : 1; }
uint32_t ws_token_id(const ws_token *t) { return t ? t->id : 0; }

static void token_unref(ws_token *t)
{
    assert(t->refs > 0);
    if (--t->refs)
        return;
    assert(!t->waiters.head);
    /* Out of the parent's list; the children become roots. */
    if (t->prev_sibling)
        t->prev_sibling->next_sibling = t->next_sibling;
    else if (t->parent)
        t->parent->first_child = t->next_sibling;
    if (t->next_sibling)
        t->next_sibling->prev_sibling = t->prev_sibling;
    for (ws_token *c = t->first_child, *next; c; c = next) {
        next = c->next_sibling;
        c->parent = NULL;
        c->prev_sibling = c->next_sibling = NULL;
    }
    ws_runtime *rt = t->rt;
    ws__free(rt, t, sizeof *t);
    rt->stats.objects_live--;
}

void ws_token_drop(ws_token *t)
{
    if (t)
        token_unref(t);
}

/* ---- cancelled ---- */

static ws_poll cancelled_poll(ws_future *f, ws_context *cx);
static void cancelled_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type cancelled_type = { "cancelled", cancelled_poll, cancelled_drop, NULL };

void ws_cancelled_init(ws_cancelled *f, ws_token *t)
{
    ws_future_init(&f->base, &cancelled_type);
    memset(&f->waiter, 0, sizeof f->waiter);
    f->token = t;
    if (t)
        t->refs++;
}

static ws_poll cancelled_poll(ws_future *f, ws_context *cx)
{
    ws_cancelled *c = (ws_cancelled *)f;
    ws_token *t = c->token;
    if (!t) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (t->cancelled) {
        assert(c->waiter.state != WS_WAITER_LINKED);
        c->waiter.state = WS_WAITER_IDLE;
        f->err = WS_OK;
        return WS_READY;
    }
    c->waiter.waker = ws_context_waker(cx);
    if (c->waiter.state != WS_WAITER_LINKED)
        ws__waitlist_push(&t->waiters, &c->waiter);
    return WS_PENDING;
}

static void cancelled_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_cancelled *c = (ws_cancelled *)f;
    ws_token *t = c->token;
    if (!t)
        return;
    if (c->waiter.state == WS_WAITER_LINKED)
        ws__waitlist_unlink(&t->waiters, &c->waiter);
    c->waiter.state = WS_WAITER_IDLE;
    c->token = NULL;
    token_unref(t);
}

/* ---- run_until_cancelled ---- */

static ws_poll until_poll(ws_future *f, ws_context *cx);
static void until_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type until_type = { "run_until_cancelled", until_poll, until_drop, NULL };

void ws_run_until_cancelled_init(ws_until_cancelled *f, ws_token *t, ws_future *inner)
{
    ws_future_init(&f->base, &until_type);
    ws_cancelled_init(&f->cancelled, t);
    f->inner = inner;
}

static ws_poll until_poll(ws_future *f, ws_context *cx)
{
    ws_until_cancelled *u = (ws_until_cancelled *)f;
    if (!u->inner || !u->cancelled.token) {
        until_drop(cx->rt, f);
        f->err = WS_EINVAL;
        return WS_READY;
    }
    cx->child_index = 0;
    if (ws_future_poll(&u->cancelled.base, cx) == WS_READY) {
        f->out = 0;
        f->err = WS_ECANCELED;
        until_drop(cx->rt, f);
        return WS_READY;
    }
    cx->child_index = 1;
    if (ws_future_poll(u->inner, cx) == WS_READY) {
        f->out = u->inner->out;
        f->err = u->inner->err;
        until_drop(cx->rt, f);
        return WS_READY;
    }
    return WS_PENDING;
}

static void until_drop(ws_runtime *rt, ws_future *f)
{
    ws_until_cancelled *u = (ws_until_cancelled *)f;
    if (u->inner)
        ws_future_drop(rt, u->inner);
    ws_future_drop(rt, &u->cancelled.base);
}
