/* channel: a fast producer and a slow consumer over a bounded channel. When the channel is full the producer's
 * send is Pending until the consumer takes a message: backpressure, with no busy waiting. */
#include "example.h"

static void producer_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(producer, producer_drop, { ws_channel *tx; int64_t count, i; ws_send send; })
{
    WS_BEGIN();
    for (self->i = 1; self->i <= self->count; self->i++) {
        ws_send_init(&self->send, self->tx, self->i);
        WS_AWAIT(&self->send);                   /* Pending while the channel is full */
    }
    WS_RETURN(self->count);                      /* our drop closes the sending side */
    WS_END();
}

static void producer_drop(ws_runtime *rt, ws_future *f)
{
    producer *self = (producer *)f;
    ws_async_drop(rt, f);
    ws_channel_sender_drop(self->tx);            /* the consumer then sees Closed once it has drained */
    self->tx = NULL;
}

static void channel_main_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(channel_main, channel_main_drop,
                   { int64_t count, capacity, work_ms, sum; ws_channel *rx; ws_task_handle hp; ws_recv recv;
                     ws_sleep work; })
{
    WS_BEGIN();
    if (ws_channel_new(cx->rt, (uint32_t)self->capacity, &self->rx) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    {
        producer p;
        WS_ASYNC_INIT(producer, &p);
        p.tx = self->rx;                         /* the channel's one sender reference goes to the producer */
        p.count = self->count;
        if (ws_spawn(cx->rt, &p.ws_base, sizeof p, "producer", &self->hp) != WS_OK) {
            ws_channel_sender_drop(self->rx);
            WS_RETURN_ERR(WS_ENOMEM);
        }
    }
    for (;;) {
        ws_recv_init(&self->recv, self->rx);
        WS_AWAIT(&self->recv);                   /* Pending while the channel is empty */
        if (WS_ERR(&self->recv) == WS_ECLOSED)
            break;                               /* the producer is done and everything was received */
        self->sum += WS_OUT(&self->recv);
        ws_sleep_init(&self->work, (uint64_t)self->work_ms);
        WS_AWAIT(&self->work);                   /* a slow consumer */
    }
    WS_AWAIT(&self->hp);
    WS_RETURN(self->sum);
    WS_END();
}

static void channel_main_drop(ws_runtime *rt, ws_future *f)
{
    channel_main *self = (channel_main *)f;
    ws_async_drop(rt, f);
    ws_future_drop(rt, &self->hp.base);
    if (self->rx)
        ws_channel_receiver_drop(self->rx);
    self->rx = NULL;
}

/* ---- registry ---- */
static void channel_init(void *f, const wsx_args *args)
{
    channel_main *self = f;
    WS_ASYNC_INIT(channel_main, self);
    memset(&self->hp, 0, sizeof self->hp);
    self->rx = NULL;
    self->sum = 0;
    self->count = args->num[0];
    self->capacity = args->num[1];
    self->work_ms = args->num[2];
}

static const wsx_param channel_params[] = {
    { "count", "messages", WSX_INT, 6, 1, 10000, NULL },
    { "capacity", "channel capacity", WSX_INT, 2, 1, 1024, NULL },
    { "work", "consumer time per message (ms)", WSX_MS, 20, 0, 10000, NULL },
};

const wsx_entry wsx_example_channel = {
    "channel", "A bounded channel: backpressure",
    "A producer sends numbered messages as fast as it can; the consumer takes one, works on it, takes the next. "
    "With the channel full, the producer waits. The value is the sum of the messages received.",
    channel_params, 3, sizeof(channel_main), channel_init, 0, 1,
};
