/* crawler: fetch N pages, at most `limit` in flight, each with its own timeout, and summarise the outcome as JSON.
 * Every page is a task in the crawler's scope (a JoinSet owned by its frame) and waits for one of `limit` semaphore
 * permits before it fetches; the crawler collects the pages as they finish. If the crawler is aborted, the scope
 * aborts every page, which aborts its fetch (the host's AbortController) and gives its permit back. */
#include "example.h"
#include "../src/ws_js.h"

static void url_of(char *url, size_t size, const char *base, int64_t i);
struct crawler;
static ws_poll summary(ws_runtime *rt, struct crawler *c);
static int64_t status_and_length(ws_runtime *rt, const ws_future *done);
static void crawler_drop(ws_runtime *rt, ws_future *f);

/* One page: with a permit, a fetch raced against the timeout. out = HTTP status << 32 | body bytes. */
WS_ASYNC(crawl_page, { char url[160]; int64_t timeout_ms; ws_semaphore *sem; ws_fetch get; ws_timeout limit;
                       ws_with_permit permit; })
{
    WS_BEGIN();
    ws_fetch_init(&self->get, &(ws_fetch_request){ "GET", self->url, NULL, NULL, 0 });
    ws_timeout_init(&self->limit, &self->get.op.base, (uint64_t)self->timeout_ms);
    ws_with_permit_init(&self->permit, self->sem, 1, &self->limit.base);
    WS_AWAIT(&self->permit);                     /* a permit, then the fetch or WS_ETIMEDOUT (the fetch aborted) */
    {
        int64_t v = status_and_length(cx->rt, &self->permit.base); /* and frees the response block */
        if (WS_ERR(&self->permit) != WS_OK)
            WS_RETURN_ERR(WS_ERR(&self->permit));
        WS_RETURN(v);
    }
    WS_END();
}

WS_ASYNC_SCOPE_WITH_DROP(crawler, crawler_drop, { const char *prefix; int64_t n, limit, timeout_ms, i;
                                                  ws_semaphore *sem; ws_join_next next;
                                                  int64_t ok, http_errors, timeouts, failed, bytes; })
{
    WS_BEGIN();
    if (ws_semaphore_new(cx->rt, (uint32_t)self->limit, &self->sem) != WS_OK)
        WS_RETURN_ERR(WS_ENOMEM);
    for (self->i = 0; self->i < self->n; self->i++) {
        crawl_page page;                         /* copied into the new task by the spawn */
        WS_ASYNC_INIT(crawl_page, &page);
        page.timeout_ms = self->timeout_ms;
        page.sem = self->sem;
        url_of(page.url, sizeof page.url, self->prefix, self->i);
        if (ws_joinset_spawn(&self->scope, &page.ws_base, sizeof page, "page", NULL) != WS_OK)
            WS_RETURN_ERR(WS_ENOMEM);
    }
    for (;;) {
        ws_join_next_init(&self->next, &self->scope);
        WS_AWAIT(&self->next);                   /* whichever page finishes first */
        int64_t out = WS_OUT(&self->next);
        if (WS_ERR(&self->next) == WS_EEMPTY)
            break;                               /* all collected */
        if (WS_ERR(&self->next) == WS_ETIMEDOUT)
            self->timeouts++;
        else if (WS_ERR(&self->next) != WS_OK)
            self->failed++;                      /* a network error */
        else if ((out >> 32) >= 400)
            self->http_errors++;
        else
            self->ok++, self->bytes += out & 0xffffffff;
    }
    return summary(cx->rt, self);                /* ready with the JSON text (a ws_bytes), or WS_ENOMEM */
    WS_END();
}

/* Finished or aborted: let go of the semaphore (pages still waiting on it hold references of their own). */
static void crawler_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    crawler *self = (crawler *)f;
    if ((f->flags & WS_FUTURE_POLLED) && self->sem)
        ws_semaphore_drop(self->sem);
}

/* ---- helpers and registry ---- */

/* base + decimal i, truncated to fit (no stdio in the module). */
static void url_of(char *url, size_t size, const char *base, int64_t i)
{
    char digits[24];
    int n = 0;
    do
        digits[n++] = (char)('0' + i % 10);
    while ((i /= 10) > 0 && n < 20);
    size_t len = strlen(base);
    if (len + (size_t)n + 1 > size)
        len = size - (size_t)n - 1;
    memcpy(url, base, len);
    while (n)
        url[len++] = digits[--n];
    url[len] = 0;
}

static void field(wsx_buf *b, const char *name, int64_t v, int last)
{
    wsx_buf_json_str(b, name);
    wsx_buf_str(b, ": ");
    wsx_buf_int(b, v);
    wsx_buf_str(b, last ? "}" : ", ");
}

/* A finished fetch's (or timeout's, or permit holder's) output: HTTP status << 32 | body length, or 0 when it
 * failed. Frees the block it carried (the response, or a network error's message). */
static int64_t status_and_length(ws_runtime *rt, const ws_future *done)
{
    ws_bytes *b = ws_bytes_of(done->out);
    ws_fetch_response r;
    int64_t v = done->err == WS_OK && ws_fetch_response_view(b, &r) == WS_OK ? (int64_t)r.status << 32 | r.body_len : 0;
    ws_bytes_free(rt, b);
    return v;
}

static ws_poll summary(ws_runtime *rt, crawler *c)
{
    wsx_buf b;
    wsx_buf_init(rt, &b);
    wsx_buf_str(&b, "{");
    field(&b, "urls", c->n, 0);
    field(&b, "ok", c->ok, 0);
    field(&b, "http_errors", c->http_errors, 0);
    field(&b, "timeouts", c->timeouts, 0);
    field(&b, "failed", c->failed, 0);
    field(&b, "bytes", c->bytes, 1);
    c->ws_base.out = (int64_t)(intptr_t)wsx_buf_finish(&b);
    c->ws_base.err = c->ws_base.out ? WS_OK : WS_ENOMEM;
    return WS_READY;
}

static void crawler_init(void *f, const wsx_args *args)
{
    crawler *self = f;
    WS_ASYNC_INIT(crawler, self);
    self->prefix = args->str[0];
    self->n = args->num[1];
    self->limit = args->num[2];
    self->timeout_ms = args->num[3];
    self->i = self->ok = self->http_errors = self->timeouts = self->failed = self->bytes = 0;
    self->sem = NULL;
}

static const wsx_param crawler_params[] = {
    { "base", "URL prefix (the page number is appended)", WSX_URL, 0, 0, 0, "/api/page/" },
    { "n", "pages", WSX_INT, 50, 0, 1000, NULL },
    { "limit", "in flight at most", WSX_INT, 4, 1, 64, NULL },
    { "timeout", "timeout per page (ms)", WSX_MS, 500, 1, 60000, NULL },
};

const wsx_entry wsx_example_crawler = {
    "crawler", "JoinSet: 50 pages, 4 in flight, a timeout each",
    "A crawler: fetches n pages (base + page number), each a task in a JoinSet holding one of `limit` semaphore "
    "permits while it fetches, raced against its own timeout, and returns a JSON summary. The playground's /api/page/N pages are "
    "deterministic: every tenth from 3 answers HTTP 500, every tenth from 7 takes 1500 ms (past the timeout), "
    "24 and 49 break the connection, the rest answer 100 + N bytes within 100 ms.",
    crawler_params, 4, sizeof(crawler), crawler_init, 1, 1,
};
