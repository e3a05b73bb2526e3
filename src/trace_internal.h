/* trace_internal.h: recording trace events and interning strings (trace.c). Builds on ws_internal.h; every layer
 * above records through it. Not installed. */
#ifndef WS_TRACE_INTERNAL_H
#define WS_TRACE_INTERNAL_H

#include "ws_internal.h"

/* Records one event: a bounds check and a 32-byte store. */
void ws__trace_emit(ws_runtime *rt, ws_trace_kind kind, uint8_t detail, uint16_t depth, uint32_t task, uint32_t a,
                    uint32_t b, uint32_t c);
uint32_t ws__intern(ws_runtime *rt, const char *s);
/* The cache slot of a string's address: a multiplicative hash, because literals laid out next to each other
 * (a type name and its file name) must not fight over one slot, as they did with the address's low bits. */
static inline uint32_t ws__intern_slot(const char *s)
{
    return (uint32_t)(((uint32_t)(uintptr_t)s * 2654435761u) >> 25) & (WS_INTERN_CACHE - 1);
}
/* For strings with static storage (future type names, __FILE__): looked up by address, no compare; inline,
 * since a traced poll does it once or twice. */
static inline uint32_t ws__intern_static(ws_runtime *rt, const char *s)
{
    ws_intern *in = &rt->intern;
    uint32_t slot = ws__intern_slot(s);
    if (WS_LIKELY(in->cache_ptr[slot] == s && s))
        return in->cache_idx[slot];
    return ws__intern(rt, s); /* fills the cache */
}
/* Refreshes the time trace events are stamped with (only matters on a real clock). */
static inline void ws__trace_tick(ws_runtime *rt)
{
    if (rt->host.now)
        rt->trace_now = rt->host.now(rt->host.ud);
}
int ws__trace_init(ws_runtime *rt, uint32_t capacity, int keep_first);
void ws__trace_free(ws_runtime *rt);
uint32_t ws__trace_next_seq(const ws_runtime *rt);

/* An event site: one predictable branch when tracing is off. */
#define WS_TRACE(rt, kind, detail, depth, task, a, b, c)                                                        \
    do {                                                                                                        \
        if (WS_TRACING(rt))                                                                                     \
            ws__trace_emit((rt), (kind), (detail), (depth), (task), (a), (b), (c));                              \
    } while (0)

#endif
