/* offload: the blocking example's work, moved off the executor with spawn_blocking. Each item is real CPU work
 * (counting primes) that runs on a worker of the blocking pool, a Web Worker or a worker_threads thread with its own
 * instance of this module, while the offloader task waits for it like for any host operation. The executor is
 * free meanwhile, so the ticker keeps its rhythm: tokio's other fix for CPU-bound work, tokio::task::spawn_blocking. */
#include "ticker.h"
#include "../src/ws_blocking.h"

/* About 1 ms of prime counting per this many numbers, on a desktop CPU of today (it differs from machine to
 * machine: the lesson is the ticker's rhythm, not the exact length of an item). */
#define NUMBERS_PER_MS 50000

WS_ASYNC(offloader, { int64_t items, unit_ms, i, primes; char input[24]; ws_spawn_blocking job; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->items; self->i++) {
        {
            int64_t n = (self->unit_ms ? self->unit_ms : 1) * NUMBERS_PER_MS;
            char tmp[24];
            int len = 0;
            do {
                tmp[len++] = (char)('0' + n % 10);
                n /= 10;
            } while (n);
            for (int j = 0; j < len; j++)
                self->input[j] = tmp[len - 1 - j];
            self->input[len] = 0;
            ws_spawn_blocking_init(&self->job, "count_primes", self->input, (uint32_t)len);
        }
        WS_AWAIT(&self->job);                    /* Pending while a worker counts: the ticker runs meanwhile */
        {
            ws_bytes *out = ws_bytes_of(WS_OUT(&self->job)); /* the count, or a failed job's message: ours */
            if (WS_ERR(&self->job) != WS_OK) {
                ws_bytes_free(cx->rt, out);
                WS_RETURN_ERR(WS_ERR(&self->job));
            }
            int64_t v = 0;
            for (uint32_t j = 0; out && j < out->len; j++)
                v = v * 10 + (out->data[j] - '0');
            self->primes += v;
            ws_bytes_free(cx->rt, out);
        }
    }
    WS_RETURN(self->items);
    WS_END();
}

static void offloader_init(void *w, int64_t items, int64_t unit_ms)
{
    offloader *f = w;
    _Static_assert(sizeof(offloader) <= 128, "the worker must fit ticker_demo's buffer");
    WS_ASYNC_INIT(offloader, f);
    f->items = items;
    f->unit_ms = unit_ms;
    f->primes = 0;
}

/* ---- registry ---- */
static void offload_main_init(void *f, const wsx_args *args)
{
    ticker_demo_init(f, args, offloader_init, sizeof(offloader), "offloader");
}

const wsx_entry wsx_example_offload = {
    "offload", "spawn_blocking moves the work to a worker",
    "The blocking example's worker, with each item's CPU work (counting primes) run on the blocking pool with "
    "spawn_blocking: the executor stays free, the ticker keeps its rhythm, and the value (worst lateness, ms) "
    "stays near 0 while the items really compute on another thread.",
    ticker_example_params, 4, sizeof(ticker_demo), offload_main_init, 0, 1,
};
