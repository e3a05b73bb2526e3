/* trace.c: the event ring and the string table.
 *
 * Recording an event is a store of 32 bytes into a power-of-two ring: no allocation, no formatting. The string
 * table interns every name once; a small direct-mapped cache keyed by pointer turns the common case (the same
 * string literal again) into one strcmp instead of a hash and a probe.
 */
#include "trace_internal.h"

/* The record layout JS reads (ws_trace.h) is the struct's layout. */
#define CHECK(field, offset, type) _Static_assert(offsetof(ws_trace_event, field) == offset, "trace record: " #field);
WS_TRACE_RECORD(CHECK)
#undef CHECK
_Static_assert(sizeof(ws_trace_event) == WS_TRACE_RECORD_SIZE, "trace record size");

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

int ws__trace_init(ws_runtime *rt, uint32_t capacity, int keep_first)
{
    rt->ring_cap = pow2_at_least(capacity < 16 ? 16 : capacity);
    rt->ring = ws__alloc(rt, (size_t)rt->ring_cap * sizeof *rt->ring);
    if (!rt->ring) {
        rt->ring_cap = 0;
        return WS_ENOMEM;
    }
    rt->trace_keep_first = keep_first;
    rt->ring_stop = keep_first ? rt->ring_cap : UINT64_MAX;
    ws_intern *in = &rt->intern;
    in->cap = 64;
    in->strings = ws__alloc(rt, in->cap * sizeof *in->strings);
    in->table_cap = 128;
    in->table = ws__alloc(rt, in->table_cap * sizeof *in->table);
    if (!in->strings || !in->table)
        return WS_ENOMEM; /* the caller frees what was allocated */
    memset(in->table, 0, in->table_cap * sizeof *in->table);
    in->strings[0] = NULL; /* index 0: "" */
    in->count = 1;
    rt->trace_on = 1;
    return WS_OK;
}

void ws__trace_free(ws_runtime *rt)
{
    ws_intern *in = &rt->intern;
    for (uint32_t i = 1; i < in->count; i++)
        ws__free(rt, in->strings[i], strlen(in->strings[i]) + 1);
    ws__free(rt, in->strings, in->cap * sizeof *in->strings);
    ws__free(rt, in->table, in->table_cap * sizeof *in->table);
    memset(in, 0, sizeof *in);
    ws__free(rt, rt->ring, (size_t)rt->ring_cap * sizeof *rt->ring);
    rt->ring = NULL;
    rt->ring_cap = 0;
    rt->trace_on = 0;
}

uint32_t ws__trace_next_seq(const ws_runtime *rt) { return (uint32_t)rt->ring_written; }

/* Not inline: it has some twenty call sites, and code size counts in wasm. */
void ws__trace_emit(ws_runtime *rt, ws_trace_kind kind, uint8_t detail, uint16_t depth, uint32_t task, uint32_t a,
                    uint32_t b, uint32_t c)
{
    if (WS_UNLIKELY(rt->ring_written >= rt->ring_stop)) {
        rt->ring_lost++;
        return;
    }
    ws_trace_event *e = &rt->ring[rt->ring_written & (rt->ring_cap - 1)];
    e->seq = (uint32_t)rt->ring_written++;
    e->kind = (uint8_t)kind;
    e->detail = detail;
    e->depth = depth;
    e->task = task;
    e->a = a;
    e->b = b;
    e->c = c;
    /* On a real clock, the reading of the current poll (no host call per event); clocks never go back. */
    e->t = (rt->host.now ? (rt->running ? rt->trace_now : rt->host.now(rt->host.ud)) : rt->vnow) - rt->trace_t0;
}

/* ---- strings ---- */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static int table_grow(ws_runtime *rt)
{
    ws_intern *in = &rt->intern;
    uint32_t cap = in->table_cap * 2;
    uint32_t *t = ws__alloc(rt, cap * sizeof *t);
    if (!t)
        return WS_ENOMEM;
    memset(t, 0, cap * sizeof *t);
    for (uint32_t i = 1; i < in->count; i++) {
        uint32_t h = hash_str(in->strings[i]) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = i;
    }
    ws__free(rt, in->table, in->table_cap * sizeof *in->table);
    in->table = t;
    in->table_cap = cap;
    return WS_OK;
}

uint32_t ws__intern(ws_runtime *rt, const char *s)
{
    ws_intern *in = &rt->intern;
    if (!s || !*s || !in->table)
        return 0;
    /* The cache is keyed by pointer: only safe for strings that do not change while the runtime lives, which
     * is why names passed to ws_spawn are interned by content below and the cache only short-cuts the lookup
     * when the pointed-to text still matches. */
    uint32_t slot = ws__intern_slot(s);
    if (in->cache_ptr[slot] == s && strcmp(in->strings[in->cache_idx[slot]], s) == 0)
        return in->cache_idx[slot];

    uint32_t h = hash_str(s) & (in->table_cap - 1);
    for (; in->table[h]; h = (h + 1) & (in->table_cap - 1)) {
        uint32_t i = in->table[h];
        if (strcmp(in->strings[i], s) == 0)
            goto found;
    }
    if (in->count * 2 >= in->table_cap) {
        if (table_grow(rt) != WS_OK)
            return 0;
        return ws__intern(rt, s);
    }
    if (in->count == in->cap) {
        uint32_t cap = in->cap * 2;
        char **strings = ws__realloc(rt, in->strings, in->cap * sizeof *strings, cap * sizeof *strings);
        if (!strings)
            return 0;
        in->strings = strings;
        in->cap = cap;
    }
    size_t len = strlen(s);
    char *copy = ws__alloc(rt, len + 1);
    if (!copy)
        return 0;
    memcpy(copy, s, len + 1);
    in->strings[in->count] = copy;
    in->table[h] = in->count++;
found:
    in->cache_ptr[slot] = s;
    in->cache_idx[slot] = in->table[h];
    return in->table[h];
}

/* ---- public reading API ---- */

uint32_t ws_trace_count(const ws_runtime *rt)
{
    if (!rt || !rt->ring_cap)
        return 0;
    return rt->ring_written < rt->ring_cap ? (uint32_t)rt->ring_written : rt->ring_cap;
}

uint64_t ws_trace_lost(const ws_runtime *rt)
{
    if (!rt)
        return 0;
    /* A keep-first ring counts what it refused; an overwriting ring lost whatever it wrote over. */
    return rt->trace_keep_first ? rt->ring_lost : (rt->ring_written > rt->ring_cap ? rt->ring_written - rt->ring_cap : 0);
}

uint32_t ws_trace_read(const ws_runtime *rt, uint32_t from, ws_trace_event *out, uint32_t max)
{
    uint32_t count = ws_trace_count(rt);
    if (!out || from >= count)
        return 0;
    /* keep-first rings never wrap; overwriting rings start at the oldest surviving event */
    uint64_t first = rt->trace_keep_first ? 0 : rt->ring_written - count;
    uint32_t n = 0;
    for (uint32_t i = from; i < count && n < max; i++, n++)
        out[n] = rt->ring[(first + i) & (rt->ring_cap - 1)];
    return n;
}

const ws_trace_event *ws_trace_ring(const ws_runtime *rt, uint32_t *capacity, uint64_t *written)
{
    if (!rt)
        return NULL;
    if (capacity)
        *capacity = rt->ring_cap;
    if (written)
        *written = rt->trace_keep_first && rt->ring_written > rt->ring_cap ? rt->ring_cap : rt->ring_written;
    return rt->ring;
}

void ws_trace_clear(ws_runtime *rt)
{
    if (!rt)
        return;
    rt->ring_written = 0;
    rt->ring_lost = 0;
    rt->task_serial = 0;
    rt->trace_t0 = ws__now(rt);
    /* Wakes recorded before the clear are gone: a task queued by one must not point at whatever event takes its
     * seq in the new ring ("why was I polled?" then says: no recorded wake). */
    if (rt->ring_cap)
        for (uint32_t i = 0; i < rt->slot_count; i++)
            ws__slot_trace(rt, i)->wake_seq = 0;
    /* Restart the ids that appear in the trace, where that cannot confuse live objects, so that two runs of one
     * program in one runtime give the same trace. */
    if (rt->heap_len == 0)
        rt->timer_seq = 0;
    if (rt->stats.objects_live == 0)
        rt->object_seq = 0;
    rt->select_seq = 0;
}

void ws_trace_enable(ws_runtime *rt, int on)
{
    if (!rt)
        return;
    rt->trace_on = on && rt->ring_cap;
    if (rt->trace_on && rt->running)
        rt->trace_now = ws__now(rt); /* the run may not have read the clock yet (see ws_runtime_run) */
}

int ws_trace_enabled(const ws_runtime *rt) { return rt && rt->trace_on; }

const char *ws_trace_string(const ws_runtime *rt, uint32_t index)
{
    if (!rt || index == 0 || index >= rt->intern.count)
        return "";
    return rt->intern.strings[index];
}

uint32_t ws_trace_string_count(const ws_runtime *rt) { return rt ? rt->intern.count : 0; }

const char *ws_trace_kind_name(ws_trace_kind kind)
{
    static const char *const names[WS_EV_KIND_COUNT] = {
        "?",
#define NAME(name, js, detail, a, b, c) #js,
        WS_TRACE_KINDS(NAME)
#undef NAME
    };
    return (unsigned)kind < WS_EV_KIND_COUNT ? names[kind] : "?";
}
