/* runtime.c: creating, configuring and freeing a runtime; names of errors and causes. */
#include "op_internal.h"
#include "time_internal.h"

#ifndef NDEBUG
#include <stdio.h> /* the default leak report; release builds (the wasm module) do without stdio */
#endif

/* The codes are -1, -2, ... in table order, with no gap: WS_EUSER and the JS side rely on it. */
#define CHECK(name, value, text) _Static_assert(WS_##name == -WS__ERRIX_##name - 1, "WS_ERRORS: " #name " out of order");
WS_ERRORS(CHECK)
#undef CHECK

const char *ws_strerror(int err)
{
    switch (err) {
    case WS_OK: return "ok";
#define CASE(name, value, text) case WS_##name: return text;
        WS_ERRORS(CASE)
#undef CASE
    default: return err <= WS_EUSER ? "application error" : "unknown error";
    }
}

const char *ws_cause_name(ws_cause cause)
{
    static const char *const names[WS_CAUSE_COUNT] = {
#define NAME(name, js) #js,
        WS_CAUSES(NAME)
#undef NAME
    };
    return (unsigned)cause < WS_CAUSE_COUNT ? names[cause] : "unknown";
}

void ws_runtime_options_init(ws_runtime_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->budget = 128;
}

int ws_runtime_new(const ws_runtime_options *opt, ws_runtime **out)
{
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    ws_runtime_options defaults;
    if (!opt) {
        ws_runtime_options_init(&defaults);
        opt = &defaults;
    }
    const ws_allocator *a = opt->allocator ? opt->allocator : &ws__default_allocator;
    if (!a->alloc || !a->realloc || !a->free || opt->trace_capacity > (1u << 26))
        return WS_EINVAL;
    ws_runtime *rt = a->alloc(a->ud, sizeof *rt);
    if (!rt)
        return WS_ENOMEM;
    memset(rt, 0, sizeof *rt);
    rt->alloc = *a;
    rt->host = opt->host;
    rt->poll_budget = opt->budget ? opt->budget : UINT32_MAX;
    rt->slice = opt->slice;
    rt->armed_deadline = WS_TIME_NEVER;
    rt->stats.bytes_live = sizeof *rt;
    if (opt->trace_capacity) {
        int rc = ws__trace_init(rt, opt->trace_capacity, opt->trace_keep_first);
        if (rc != WS_OK) {
            ws__trace_free(rt);
            a->free(a->ud, rt);
            return rc;
        }
    }
    *out = rt;
    return WS_OK;
}

int ws_runtime_free(ws_runtime *rt)
{
    if (!rt)
        return WS_EINVAL;
    if (rt->running)
        return WS_EBUSY;
    rt->running = 1; /* nothing may request a run while we tear down */
    ws__tasks_free(rt);
    ws__ops_free(rt);
    ws__timers_free(rt);
    ws__slots_free(rt); /* before the trace: whether trace pages exist is read from rt->ring_cap */
    ws__trace_free(rt);
    ws__slab_release_all(rt);
    /* everything else was given back, except what the program still holds (reported below) */
    assert(rt->stats.bytes_live == sizeof *rt + rt->stats.user_bytes);
    if (rt->stats.user_blocks) {
        if (rt->leak_hook)
            rt->leak_hook(rt, rt->stats.user_blocks, rt->stats.user_bytes, rt->leak_ud);
#ifndef NDEBUG
        else
            fprintf(stderr, "wasync: ws_runtime_free: %u block(s), %zu bytes from ws_alloc/ws_bytes_new never freed "
                    "(an aborted async function without a drop hook? see WS_ASYNC_WITH_DROP)\n",
                    (unsigned)rt->stats.user_blocks, rt->stats.user_bytes);
#endif
    }
    ws_allocator a = rt->alloc;
    a.free(a.ud, rt);
    return WS_OK;
}

int ws_runtime_configure(ws_runtime *rt, uint32_t budget, ws_time slice)
{
    if (!rt)
        return WS_EINVAL;
    if (rt->running)
        return WS_EBUSY;
    rt->poll_budget = budget ? budget : UINT32_MAX;
    rt->slice = slice;
    return WS_OK;
}

void ws_runtime_get_stats(const ws_runtime *rt, ws_runtime_stats *out)
{
    if (rt && out)
        *out = rt->stats;
}

uint64_t ws_runtime_tasks_finished(const ws_runtime *rt) { return rt ? rt->stats.completed + rt->stats.aborted : 0; }

void ws_runtime_set_leak_hook(ws_runtime *rt, void (*hook)(ws_runtime *rt, uint32_t blocks, size_t bytes, void *ud),
                              void *ud)
{
    if (rt) {
        rt->leak_hook = hook;
        rt->leak_ud = ud;
    }
}

void ws_runtime_set_data(ws_runtime *rt, void *data)
{
    if (rt)
        rt->user_data = data;
}

void *ws_runtime_data(const ws_runtime *rt) { return rt ? rt->user_data : NULL; }

ws_time ws_runtime_next_deadline(const ws_runtime *rt) { return rt ? ws__timers_next(rt) : WS_TIME_NEVER; }
