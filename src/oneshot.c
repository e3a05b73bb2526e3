/* oneshot.c: a single value sent once from one side to the other. */
#include "task_internal.h"

struct ws_oneshot {
    ws_runtime *rt;
    int64_t value;
    uint8_t has_value, sender_alive, receiver_alive;
    uint32_t id;
    ws_waker waker;     /* the receiver's */
};

int ws_oneshot_new(ws_runtime *rt, ws_oneshot **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!rt)
        return WS_EINVAL;
    ws_oneshot *os = ws__alloc(rt, sizeof *os);
    if (!os)
        return WS_ENOMEM;
    memset(os, 0, sizeof *os);
    os->rt = rt;
    os->sender_alive = os->receiver_alive = 1;
    os->id = ++rt->object_seq;
    rt->stats.objects_live++;
    *out = os;
    return WS_OK;
}

static void oneshot_maybe_free(ws_oneshot *os)
{
    if (os->sender_alive || os->receiver_alive)
        return;
    ws_runtime *rt = os->rt;
    ws__free(rt, os, sizeof *os);
    rt->stats.objects_live--;
}

int ws_oneshot_send(ws_oneshot *os, int64_t value)
{
    if (!os || !os->sender_alive)
        return WS_EINVAL;
    os->sender_alive = 0;
    if (!os->receiver_alive) {
        oneshot_maybe_free(os);
        return WS_ECLOSED;
    }
    os->value = value;
    os->has_value = 1;
    ws_waker_wake(&os->waker, WS_CAUSE_CHANNEL, os->id);
    return WS_OK;
}

void ws_oneshot_sender_drop(ws_oneshot *os)
{
    if (!os || !os->sender_alive)
        return;
    os->sender_alive = 0;
    ws_waker_wake(&os->waker, WS_CAUSE_CHANNEL, os->id); /* the receiver will see Closed */
    oneshot_maybe_free(os);
}

void ws_oneshot_receiver_drop(ws_oneshot *os)
{
    if (!os || !os->receiver_alive)
        return;
    os->receiver_alive = 0;
    ws_waker_drop(&os->waker);
    oneshot_maybe_free(os);
}

static ws_poll oneshot_recv_poll(ws_future *f, ws_context *cx);
static void oneshot_recv_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type oneshot_recv_type = { "oneshot_recv", oneshot_recv_poll, oneshot_recv_drop, NULL };

void ws_oneshot_recv_init(ws_oneshot_recv *f, ws_oneshot *os)
{
    ws_future_init(&f->base, &oneshot_recv_type);
    f->os = os;
}

static ws_poll oneshot_recv_poll(ws_future *f, ws_context *cx)
{
    ws_oneshot *os = ((ws_oneshot_recv *)f)->os;
    if (!os || !os->receiver_alive) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (os->has_value) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        os->has_value = 0;
        f->out = os->value;
        f->err = WS_OK;
        return WS_READY;
    }
    if (!os->sender_alive) {
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    os->waker = ws_context_waker(cx);
    return WS_PENDING;
}

static void oneshot_recv_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    ws_oneshot_recv *r = (ws_oneshot_recv *)f;
    ws_oneshot_receiver_drop(r->os); /* the future owned the receiver */
    r->os = NULL;
}
