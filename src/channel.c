/* channel.c: the bounded multi-producer, single-consumer channel.
 *
 * A ring buffer of int64 messages, one receiver waker, and a FIFO wait list of senders blocked on a full buffer.
 * Each message taken off the buffer wakes one waiting sender; a sender that was woken but is dropped before it
 * sends passes the wake on, so room is never left unused while someone waits (no lost wakeups).
 */
#include "sync_internal.h"

struct ws_channel {
    ws_runtime *rt;
    int64_t *buf;
    uint32_t cap, head, len;
    uint32_t senders;
    uint8_t receiver_alive;
    uint32_t id;
    ws_waker recv_waker;
    ws_waitlist send_waiters;
    void (*free_msg)(ws_runtime *rt, int64_t msg, void *ud);
    void *free_ud;
};

int ws_channel_new(ws_runtime *rt, uint32_t capacity, ws_channel **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt || capacity == 0 || capacity > (1u << 24))
        return WS_EINVAL;
    ws_channel *ch = ws__alloc(rt, sizeof *ch);
    if (!ch)
        return WS_ENOMEM;
    memset(ch, 0, sizeof *ch);
    ch->buf = ws__alloc(rt, capacity * sizeof *ch->buf);
    if (!ch->buf) {
        ws__free(rt, ch, sizeof *ch);
        return WS_ENOMEM;
    }
    ch->rt = rt;
    ch->cap = capacity;
    ch->senders = 1;
    ch->receiver_alive = 1;
    ch->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = ch;
    return WS_OK;
}

static void channel_maybe_free(ws_channel *ch)
{
    if (ch->senders || ch->receiver_alive)
        return;
    ws_runtime *rt = ch->rt;
    assert(!ch->send_waiters.head);
    for (uint32_t i = 0; i < ch->len; i++) {
        if (ch->free_msg)
            ch->free_msg(rt, ch->buf[(ch->head + i) % ch->cap], ch->free_ud);
    }
    ws__free(rt, ch->buf, ch->cap * sizeof *ch->buf);
    ws__free(rt, ch, sizeof *ch);
    rt->stats.objects_live--;
}

void ws_channel_set_free_hook(ws_channel *ch, void (*free_msg)(ws_runtime *rt, int64_t msg, void *ud), void *ud)
{
    if (ch) {
        ch->free_msg = free_msg;
        ch->free_ud = ud;
    }
}

int ws_channel_sender_clone(ws_channel *ch)
{
    if (!ch || ch->senders == 0 || ch->senders == UINT32_MAX)
        return WS_EINVAL;
    ch->senders++;
    return WS_OK;
}

void ws_channel_sender_drop(ws_channel *ch)
{
    if (!ch || ch->senders == 0)
        return;
    if (--ch->senders == 0)
        ws_waker_wake(&ch->recv_waker, WS_CAUSE_CHANNEL, ch->id); /* the receiver will see Closed */
    channel_maybe_free(ch);
}

void ws_channel_receiver_drop(ws_channel *ch)
{
    if (!ch || !ch->receiver_alive)
        return;
    ch->receiver_alive = 0;
    ws_waker_drop(&ch->recv_waker);
    while (ws__waitlist_wake_one(&ch->send_waiters, WS_CAUSE_CHANNEL, ch->id)) {
        /* every blocked sender wakes to see Closed */
    }
    channel_maybe_free(ch);
}

uint32_t ws_channel_len(const ws_channel *ch) { return ch ? ch->len : 0; }
uint32_t ws_channel_id(const ws_channel *ch) { return ch ? ch->id : 0; }

/* Ring indexes wrap by a comparison, not `%`: no division per message. */
static void push(ws_channel *ch, int64_t msg)
{
    assert(ch->len < ch->cap);
    uint32_t i = ch->head + ch->len;
    ch->buf[i >= ch->cap ? i - ch->cap : i] = msg;
    ch->len++;
    ws_waker_wake(&ch->recv_waker, WS_CAUSE_CHANNEL, ch->id); /* an empty waker (no receiver waiting): no-op */
}

static int64_t pop(ws_channel *ch)
{
    assert(ch->len > 0);
    int64_t msg = ch->buf[ch->head];
    ch->head = ch->head + 1 == ch->cap ? 0 : ch->head + 1;
    ch->len--;
    ws__waitlist_wake_one(&ch->send_waiters, WS_CAUSE_CHANNEL, ch->id); /* room for one more */
    return msg;
}

int ws_channel_try_send(ws_channel *ch, int64_t msg)
{
    if (!ch || ch->senders == 0)
        return WS_EINVAL;
    if (!ch->receiver_alive)
        return WS_ECLOSED;
    if (ch->len == ch->cap)
        return WS_EFULL;
    push(ch, msg);
    return WS_OK;
}

int ws_channel_try_recv(ws_channel *ch, int64_t *msg)
{
    if (!ch || !msg || !ch->receiver_alive)
        return WS_EINVAL;
    if (ch->len) {
        *msg = pop(ch);
        return WS_OK;
    }
    return ch->senders ? WS_EEMPTY : WS_ECLOSED;
}

/* ---- send ---- */

static ws_poll send_poll(ws_future *f, ws_context *cx);
static void send_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type send_type = { "send", send_poll, send_drop, NULL };

void ws_send_init(ws_send *f, ws_channel *ch, int64_t msg)
{
    ws_future_init(&f->base, &send_type);
    f->ch = ch;
    f->msg = msg;
    f->waiter.state = WS_WAITER_IDLE; /* the rest is written when it is linked */
}

static ws_poll send_poll(ws_future *f, ws_context *cx)
{
    ws_send *s = (ws_send *)f;
    ws_channel *ch = s->ch;
    if (!ch) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    int notified = s->waiter.state == WS_WAITER_NOTIFIED;
    if (notified)
        s->waiter.state = WS_WAITER_IDLE;
    if (!ch->receiver_alive) {
        if (s->waiter.state == WS_WAITER_LINKED)
            ws__waitlist_unlink(&ch->send_waiters, &s->waiter);
        f->out = s->msg; /* not delivered: hand it back */
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    /* Room, and we were woken for it, or nobody is queued ahead of us: send. A newcomer does not overtake. */
    int turn = notified || !ch->send_waiters.head || ch->send_waiters.head == &s->waiter;
    if (ch->len < ch->cap && turn) {
        if (!ws_budget_take(cx)) {
            if (notified)
                s->waiter.state = WS_WAITER_NOTIFIED; /* keep our claim on the room for the next poll */
            return WS_PENDING;
        }
        if (s->waiter.state == WS_WAITER_LINKED)
            ws__waitlist_unlink(&ch->send_waiters, &s->waiter);
        push(ch, s->msg);
        f->out = 0;
        f->err = WS_OK;
        return WS_READY;
    }
    s->waiter.waker = ws_context_waker(cx);
    if (s->waiter.state != WS_WAITER_LINKED)
        ws__waitlist_push(&ch->send_waiters, &s->waiter);
    return WS_PENDING;
}

static void send_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_send *s = (ws_send *)f;
    ws_channel *ch = s->ch;
    if (!ch)
        return;
    if (s->waiter.state == WS_WAITER_LINKED)
        ws__waitlist_unlink(&ch->send_waiters, &s->waiter);
    else if (s->waiter.state == WS_WAITER_NOTIFIED && ch->len < ch->cap)
        ws__waitlist_wake_one(&ch->send_waiters, WS_CAUSE_CHANNEL, ch->id); /* pass the wake on */
    s->waiter.state = WS_WAITER_IDLE;
}

/* ---- recv ---- */

static ws_poll recv_poll(ws_future *f, ws_context *cx);
static void recv_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type recv_type = { "recv", recv_poll, recv_drop, NULL };

void ws_recv_init(ws_recv *f, ws_channel *ch)
{
    ws_future_init(&f->base, &recv_type);
    f->ch = ch;
}

static ws_poll recv_poll(ws_future *f, ws_context *cx)
{
    ws_channel *ch = ((ws_recv *)f)->ch;
    if (!ch || !ch->receiver_alive) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (ch->len) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        f->out = pop(ch);
        f->err = WS_OK;
        return WS_READY;
    }
    if (ch->senders == 0) {
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    ch->recv_waker = ws_context_waker(cx);
    return WS_PENDING;
}

static void recv_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_channel *ch = ((ws_recv *)f)->ch;
    if (ch && ch->receiver_alive && (f->flags & WS_FUTURE_POLLED) && !(f->flags & WS_FUTURE_READY))
        ws_waker_drop(&ch->recv_waker);
}
