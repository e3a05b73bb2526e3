/* test_limits.c: paths that only long runs or real clocks reach: the busy loops of a real clock, the growth of the
 * trace's string table, the wrap of slot generations, and the memory policy of the task slab (chunks that double,
 * blocks reused, slot pages added every WS_SLOT_PAGE tasks).
 *
 * Each test names the mutants of scripts/mutate.py that motivated it (file, function, the change); each fails on
 * them. */
#include <stdio.h>

#include "test_util.h"

/* ---- a fake real clock: every reading moves it one tick (as the fuzzer's host does) ---- */

static ws_time g_now, g_tick;
static uint64_t g_reads;
static ws_time tick_now(void *ud)
{
    (void)ud;
    g_reads++;
    g_now += g_tick;
    return g_now;
}

static ws_runtime *rt_on_tick_clock(ws_time start, ws_time tick)
{
    g_now = start;
    g_tick = tick;
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.now = tick_now; /* no sleep_until: ws_block_on has to spin */
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    return rt;
}

/* ws_clock_busy on a real clock spins from its first reading until a reading at or past `ns` later: exactly `ns`
 * when the tick divides it. Motivating mutants: time.c:33 ws_clock_busy `ws__now(rt) + ns` -> `- ns`, the loop
 * condition `<` -> `>=` (returns at once) or `<=` (one reading too many), negated (spins forever: killed by the time
 * limit), `if (!rt->host.now)` negated (moves the virtual clock instead). */
static void test_busy_on_a_real_clock(void **state)
{
    (void)state;
    ws_runtime *rt = rt_on_tick_clock(WS_MS(1000), WS_MS(1));
    ws_time before = g_now;
    ws_clock_busy(rt, WS_MS(5));
    /* the first reading is before + 1 tick; the last is the first at or past it + 5 ms */
    assert_int_equal(g_now - (before + WS_MS(1)), WS_MS(5));
    ws_clock_busy(NULL, WS_MS(5)); /* ignored */
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);

    /* on the virtual clock it moves time, and due timers wait for the executor */
    rt = tu_rt();
    ws_clock_busy(rt, WS_MS(3));
    assert_int_equal(ws_clock_now(rt), WS_MS(3));
    tu_rt_free(rt);
}

/* ws_block_on on a real clock without sleep_until spins until the next deadline, then runs the timer's task.
 * Motivating mutants: executor.c:247 ws_block_on, the spin `while (ws__now(rt) < next)` negated (spins forever),
 * `else if (rt->host.sleep_until)` negated (calls a NULL hook), `if (!rt->host.now)` negated (moves the virtual
 * clock of a runtime that has a real one: the sleep would end before its time). */
static void test_block_on_spins_without_sleep_until(void **state)
{
    (void)state;
    ws_runtime *rt = rt_on_tick_clock(WS_MS(2000), WS_MS(1));
    ws_sleep s;
    ws_sleep_init(&s, 20);
    int64_t out = -1;
    int err = -1;
    ws_time start = g_now;
    assert_int_equal(ws_block_on(rt, &s.base, sizeof s, "nap", &out, &err), WS_OK);
    assert_int_equal(err, WS_OK);
    assert_int_equal(out, 0);
    /* the sleep's deadline is its first poll's reading + 20 ms: some ticks after start, and not many more */
    assert_true(g_now >= start + WS_MS(20));
    assert_true(g_now <= start + WS_MS(30));
    assert_int_equal(tu_stats(rt).timers_armed, 0);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);
}

/* ---- the trace's string table ---- */

/* Interning hundreds of distinct names grows both the string array (from 64) and the hash table (from 128, at half
 * full); every name keeps its index, and the same text from another buffer finds it again.
 * Motivating mutants (trace.c): table_grow `h = (h + 1) & (cap - 1)` with `+ 1` -> `- 1` (a probe loop that never
 * ends: killed by the time limit), `in->table_cap * 2` -> `/ 2`; ws__intern `in->count * 2 >= in->table_cap` ->
 * `<` or `>`, `in->count == in->cap` -> `!=`, `in->cap * 2` -> `/ 2`, `memcpy(copy, s, len + 1)` deleted; table_grow's
 * rehash `& (cap - 1)` -> `& (cap - 2)` (strings from before the growth are no longer found). */
static void test_trace_string_table_growth(void **state)
{
    (void)state;
    enum { N = 300 };
    ws_runtime *rt = tu_rt_opts(128, 4096, 1);
    size_t before = tu_stats(rt).bytes_live;
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "task-%d", i); /* one buffer: interned by content */
        ws_ready r;
        ws_ready_init(&r, i);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, name, NULL), WS_OK);
        /* what that costs at any point: the tasks (one 64 KiB slab chunk, a slot page) and the strings, a few
         * KiB; not a table that doubles on every name (trace.c:137 ws__intern `in->count == in->cap` -> `!=`) */
        if (tu_stats(rt).bytes_live - before > 256 * 1024)
            fail_msg("after %d names: %zu bytes", i + 1, tu_stats(rt).bytes_live - before);
    }
    assert_int_equal(ws_trace_string_count(rt), 1 + N); /* index 0 is "" */
    static ws_trace_event ev[2 * N];
    assert_int_equal(ws_trace_read(rt, 0, ev, 2 * N), 2 * N); /* a spawn and its wake per task */
    for (int i = 0; i < N; i++) {
        const ws_trace_event *e = &ev[2 * i];
        assert_int_equal(e->kind, WS_EV_SPAWN);
        snprintf(name, sizeof name, "task-%d", i);
        assert_string_equal(ws_trace_string(rt, e->b), name);
    }
    /* the same texts again, from another buffer, after the table grew: found, no new string */
    for (int i = 0; i < N; i++) {
        char again[32];
        snprintf(again, sizeof again, "task-%d", i);
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, again, NULL), WS_OK);
    }
    assert_int_equal(ws_trace_string_count(rt), 1 + N);
    static ws_trace_event ev2[2 * N];
    assert_int_equal(ws_trace_read(rt, 2 * N, ev2, 2 * N), 2 * N);
    for (int i = 0; i < N; i++)
        assert_int_equal(ev2[2 * i].b, ev[2 * i].b);
    assert_string_equal(ws_trace_string(rt, 0), "");
    assert_string_equal(ws_trace_string(rt, 1 + N), ""); /* out of range */
    tu_run(rt);
    tu_rt_free(rt);
}

/* ---- generation wrap ---- */

#define GEN_LIMIT (1u << 21) /* ids are (slot, generation) in 32 + 21 bits: exact as JavaScript numbers */

/* One slot used 2^21 times: its generation runs 1, 2, ..., 2^21 - 1, then wraps to 1 (never 0, so an id is never
 * WS_ID_NONE, and never 2^21, so it stays within 53 bits).
 * Motivating mutants: task.c:103 slot_release `s->gen + 1 < GEN_LIMIT ? s->gen + 1 : 1` with `<` -> `<=` (reaches
 * 2^21), `: 1` -> `: 0` (an id of 0 for slot 0), `#define GEN_LIMIT (1u << 21)` -> `<< 20` / `<< 22`; slot_take
 * `s->gen = 1` -> `0` or `2`. */
static void test_task_generation_wrap(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    for (uint32_t k = 0; k < GEN_LIMIT; k++) {
        ws_ready r;
        ws_ready_init(&r, 0);
        ws_task_handle h;
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, &h), WS_OK);
        ws_id id = h.task;
        uint32_t gen = (uint32_t)(id >> 32), want = k < GEN_LIMIT - 1 ? k + 1 : 1;
        if (gen != want || (uint32_t)id != 0) /* checked per spawn without a cmocka call each: 2 million */
            fail_msg("spawn %u: id %llx, want slot 0 generation %u", k, (unsigned long long)id, want);
        ws_future_drop(rt, &h.base); /* detached */
        ws_runtime_run(rt);          /* finishes it: the slot goes back to the free list */
    }
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    tu_rt_free(rt);
}

static ws_id g_last_op;
static int op_start_now(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)f;
    g_last_op = id;
    return ws_op_complete(rt, id, WS_OK, NULL); /* settles at once: the op is ready on its first poll */
}
static const ws_op_type now_type = { "now", WS_CAUSE_HOST, op_start_now, NULL, NULL };

/* The same for host operation slots. Motivating mutants: op.c:40 op_release `s->gen + 1 < OP_GEN_LIMIT` -> `<=`,
 * `: 1` -> `: 0`; op_take `rt->ops[*out].gen = 1` -> `0`. */
static void test_op_generation_wrap(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    ws_context cx = tu_cx(rt);
    for (uint32_t k = 0; k < GEN_LIMIT; k++) {
        ws_op op;
        ws_op_init(&op, &now_type, NULL);
        if (ws_future_poll(&op.base, &cx) != WS_READY || op.base.err != WS_OK)
            fail_msg("op %u did not finish", k);
        uint32_t gen = (uint32_t)(g_last_op >> 32), want = k < GEN_LIMIT - 1 ? k + 1 : 1;
        if (gen != want || (uint32_t)g_last_op != 0)
            fail_msg("op %u: id %llx, want slot 0 generation %u", k, (unsigned long long)g_last_op, want);
        ws_future_drop(rt, &op.base);
    }
    tu_rt_free(rt);
}

/* ---- memory policy ---- */

/* Records the size of every allocation the runtime makes (through the counting allocator of test_util.h). */
static size_t g_sizes[1 << 16];
static uint32_t g_nsizes;
static void *rec_alloc(void *ud, size_t size)
{
    if (g_nsizes < (1u << 16))
        g_sizes[g_nsizes++] = size;
    return tu_alloc_fn(ud, size);
}
static void *rec_realloc(void *ud, void *p, size_t size)
{
    if (g_nsizes < (1u << 16))
        g_sizes[g_nsizes++] = size;
    return tu_realloc_fn(ud, p, size);
}
static const ws_allocator rec_allocator = { rec_alloc, rec_realloc, tu_free_fn, NULL };

/* Spawning 40000 small tasks (none runs): the slab asks for chunks of 64 KiB, 128, 256, 512 KiB, then 1 MiB each
 * (never more), and carves blocks of one size from the current chunk until the next would not fit; a slot page
 * is added at the first task and every WS_SLOT_PAGE (1024) tasks after, and nothing else is allocated; bytes_live
 * is what the allocator holds. Once they have finished, as many new tasks take the freed blocks and slots and
 * allocate nothing.
 * Motivating mutants (alloc.c): ws__slab_alloc `chunk_size * 2` -> `/ 2`, `chunk_size < WS_SLAB_CHUNK_MAX` -> `<=`
 * (a 2 MiB chunk), `#define WS_SLAB_CHUNK_MIN 65536u` / `WS_SLAB_CHUNK_MAX (1u << 20)` changed, `rt->chunk_cursor
 * += bytes` deleted, the free-list pop `rt->free_blocks[c] = *(void **)block` deleted; ws__slab_free's push;
 * task.c:72 slot_take `rt->slot_count == rt->page_count * WS_SLOT_PAGE` -> `!=`/`>=`, slot_page_add `rt->page_cap * 2`
 * -> `/ 2`; ws__alloc / ws__free `bytes_live` accounting. */
static void test_memory_policy(void **state)
{
    (void)state;
    enum { N = 40000 };
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &rec_allocator;
    g_nsizes = 0;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live);

    size_t chunk_sizes[32];
    uint32_t chunk_at[32], nchunks = 0; /* the spawn (0-based) that allocated each chunk */
    size_t page_size = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t first = g_nsizes;
        ws_ready r;
        ws_ready_init(&r, i);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, NULL), WS_OK);
        int pages = 0;
        for (uint32_t k = first; k < g_nsizes; k++) {
            if (g_sizes[k] >= 65536) {
                assert_true(nchunks < 32);
                chunk_sizes[nchunks] = g_sizes[k];
                chunk_at[nchunks++] = i;
            } else if (g_sizes[k] >= 1024) { /* a slot page (page arrays are a few pointers) */
                if (!page_size)
                    page_size = g_sizes[k];
                assert_int_equal(g_sizes[k], page_size);
                pages++;
            }
        }
        /* slot pages, and page arrays, only when a page fills up */
        if (i % 1024 == 0)
            assert_int_equal(pages, 1);
        else if (g_nsizes != first)
            assert_int_equal(g_nsizes - first, 1); /* only a chunk */
        if (g_nsizes != first && tu_stats(rt).bytes_live != tu_mem.live)
            fail_msg("spawn %u: bytes_live %zu, allocator %zu", i, tu_stats(rt).bytes_live, tu_mem.live);
    }
    assert_int_equal(tu_stats(rt).bytes_live, tu_mem.live);
    /* chunks double from 64 KiB to 1 MiB, then stay at 1 MiB */
    assert_true(nchunks >= 6);
    for (uint32_t c = 0; c < nchunks; c++)
        assert_int_equal(chunk_sizes[c], c < 4 ? (size_t)65536 << c : (size_t)1 << 20);
    /* every chunk is used up before the next: the tasks it served times the block size fill it to less than one
     * block from its end (after its 16-byte header) */
    assert_int_equal(chunk_at[0], 0);
    uint32_t per_chunk0 = chunk_at[1] - chunk_at[0];
    size_t block = 0;
    for (size_t b = 16; b <= 512; b += 16)
        if ((65536 - 16) / b == per_chunk0)
            block = b;
    assert_int_not_equal(block, 0);
    for (uint32_t c = 0; c + 1 < nchunks; c++)
        assert_int_equal(chunk_at[c + 1] - chunk_at[c], (chunk_sizes[c] - 16) / block);

    /* they finish; the same number of tasks again reuses their blocks and slots: no allocation at all */
    tu_run(rt);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    size_t live = tu_stats(rt).bytes_live;
    uint32_t calls = g_nsizes;
    for (uint32_t i = 0; i < N; i++) {
        ws_ready r;
        ws_ready_init(&r, i);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, NULL, NULL), WS_OK);
    }
    assert_int_equal(g_nsizes, calls);
    assert_int_equal(tu_stats(rt).bytes_live, live);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).completed, 2 * N);
    tu_rt_free(rt);
}

/* ---- task blocks hold their whole future ---- */

/* Futures of every size from 21 to 84 bytes, three of each, spawned side by side: each keeps every byte of its
 * copy (a block a byte too small would let the next task's header overwrite the last one).
 * Motivating mutant: alloc.c:59 size_class_of `(size + WS_SLAB_GRAIN - 1) / WS_SLAB_GRAIN` -> `- 2`. */
typedef struct blob {
    ws_future base;
    uint32_t size;
    unsigned char bytes[64];
} blob;
static int g_blob_ok;
static ws_poll blob_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    blob *b = (blob *)f;
    size_t n = b->size - offsetof(blob, bytes);
    for (size_t i = 0; i < n; i++)
        if (b->bytes[i] != (unsigned char)(0xA0 + b->size + i))
            return WS_READY; /* not counted */
    g_blob_ok++;
    return WS_READY;
}
static const ws_future_type blob_type = { "blob", blob_poll, NULL, NULL };

static void test_task_blocks_hold_their_future(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    g_blob_ok = 0;
    int spawned = 0;
    /* up to the end of bytes[], not sizeof(blob): the struct's tail padding is not part of the array (UBSan) */
    for (uint32_t size = offsetof(blob, bytes) + 1; size <= offsetof(blob, bytes) + sizeof(((blob *)0)->bytes); size++) {
        for (int k = 0; k < 3; k++) {
            blob b;
            memset(&b, 0, sizeof b);
            ws_future_init(&b.base, &blob_type);
            b.size = size;
            for (size_t i = 0; i < size - offsetof(blob, bytes); i++)
                b.bytes[i] = (unsigned char)(0xA0 + size + i);
            assert_int_equal(ws_spawn(rt, &b.base, size, "blob", NULL), WS_OK);
            spawned++;
        }
    }
    tu_run(rt);
    assert_int_equal(g_blob_ok, spawned);
    tu_rt_free(rt);
}

/* ---- a slice on a real clock, after a run that started without reading it ---- */

WS_ASYNC(nap_then_forever, { ws_sleep s; ws_yield y; })
{
    WS_BEGIN();
    ws_sleep_init(&self->s, 1);
    WS_AWAIT(&self->s);
    for (;;) {
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
    }
    WS_END();
}

/* A run with no timer and no trace skips the clock until a second poll is due (see ws_runtime_run); a task that
 * then arms a timer, is woken by it and yields forever must still be cut off by the slice.
 * Motivating mutant: executor.c:124 clock_after_poll, `c->until_read = 1` in the lazy-reading branch -> `0` (the
 * countdown wraps and the clock is never read again: the run never returns). */
static void test_slice_after_lazy_start(void **state)
{
    (void)state;
    ws_runtime *rt = rt_on_tick_clock(WS_MS(100), WS_MS(1));
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(5)), WS_OK);
    nap_then_forever f;
    WS_ASYNC_INIT(nap_then_forever, &f);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "forever", &h), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(ws_task_abort(rt, h.task), WS_OK);
    ws_future_drop(rt, &h.base);
    ws_runtime_run(rt);
    assert_int_equal(tu_stats(rt).tasks_live, 0);
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);
}

/* ---- how often a run reads a real clock ---- */

WS_ASYNC(yield_n, { int n; int i; ws_yield y; int busy_at; ws_time busy_ns; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < self->n; self->i++) {
        if (self->i == self->busy_at) { /* one slow poll */
            if (ws_clock_is_virtual(cx->rt))
                ws_clock_busy(cx->rt, self->busy_ns);
            else
                g_now += self->busy_ns; /* the fake real clock: time passes without a reading */
        }
        ws_yield_init(&self->y);
        WS_AWAIT(&self->y);
    }
    WS_RETURN(0);
    WS_END();
}

/* Runs a 99-poll task whose 20th poll takes 1 ms with a `slice_ms` slice, and returns how often the second run
 * read the clock (the first run hands back after its first poll without reading it). */
static int reads_with_one_slow_poll(ws_runtime *rt, int slice_ms)
{
    yield_n f;
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(slice_ms)), WS_OK);
    WS_ASYNC_INIT(yield_n, &f);
    f.n = 99;
    f.busy_at = 20;
    f.busy_ns = WS_MS(1);
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "slow", NULL), WS_OK);
    g_reads = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(g_reads, 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    return g_reads;
}

/* A reading is a host call, so a run reads the clock once per batch of polls: batches of 1, 2, 4, 8, ... up to 128
 * while polls are quick against the slice, back to 1 after a slow one. Nothing is armed or traced here, so the
 * first run reads no clock before its first poll; that poll yields, so the run cannot measure its slice and hands
 * back after it (WS_RUN_MORE). The next run continues a busy one: it reads the clock at its start, then after its
 * polls 1, 3, 7, 15, 31, 63, 127, 255, 383, 511, 639, 767, 895: 14 times for the 999 polls left. The clock stands
 * still unless a task is busy.
 * Motivating mutants (executor.c clock_after_poll): the batch update `batch = now - before <= quick ? ... : 1`
 * deleted, `now - before` -> `now + before`, `batch * 2` -> `/ 2`; `#define MAX_CLOCK_BATCH 128` -> 127 / 129;
 * clock_start `c->batch = 1` constant. */
static void test_clock_read_batches(void **state)
{
    (void)state;
    ws_runtime *rt = rt_on_tick_clock(WS_MS(100), 0);
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(1000)), WS_OK);
    yield_n f;
    WS_ASYNC_INIT(yield_n, &f);
    f.n = 999; /* 999 yields and the final poll: 1000 polls */
    f.busy_at = -1;
    f.busy_ns = 0;
    assert_int_equal(ws_spawn(rt, &f.ws_base, sizeof f, "quick", NULL), WS_OK);
    g_reads = 0;
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls, 1);
    assert_int_equal(g_reads, 0);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_IDLE);
    assert_int_equal(tu_stats(rt).polls, 1000);
    assert_int_equal(g_reads, 14);

    /* one slow poll (1 ms, against a quick limit of 1/16 of the 8 ms slice) in the second run's batch of polls
     * 16..31: after the first run's one poll, the second reads at its start and after its polls 1, 3, 7, 15, 31;
     * the batch drops to 1 there (and the task is marked slow, so its next poll is timed alone: quick, unmarked),
     * then doubles again: 32, 34, 38, 46, 62, 94 of its 99 polls. */
    assert_int_equal(reads_with_one_slow_poll(rt, 8), 12);

    /* the same with a 16 ms slice: 1 ms is exactly 1/16 of it, which still counts as quick: the first run hands
     * back after its first poll, the next reads at its start and after its polls 1, 3, 7, 15, 31, 63: 7 times
     * (executor.c:112 `c->quick = rt->slice / 16` -> `/ 17` makes the 1 ms poll slow and the count higher) */
    assert_int_equal(reads_with_one_slow_poll(rt, 16), 7);
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);
}

/* ---- the slice ends when exactly used up ---- */

/* A first poll that takes exactly the slice (10 ms of virtual time) ends the run, with the second task still
 * queued. Motivating mutant: executor.c:166 slice_used_up `c->now - c->start >= rt->slice` -> `>`. */
static void test_slice_boundary(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt();
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(10)), WS_OK);
    yield_n a, b;
    WS_ASYNC_INIT(yield_n, &a);
    a.n = 1;
    a.busy_at = 0;
    a.busy_ns = WS_MS(10);
    WS_ASYNC_INIT(yield_n, &b);
    b.n = 1;
    b.busy_at = -1;
    assert_int_equal(ws_spawn(rt, &a.ws_base, sizeof a, "a", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &b.ws_base, sizeof b, "b", NULL), WS_OK);
    assert_int_equal(ws_runtime_run(rt), WS_RUN_MORE);
    assert_int_equal(tu_stats(rt).polls, 1);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).completed, 2);
    tu_rt_free(rt);
}

/* ---- task blocks: the smallest class that holds them, up to 512 bytes ---- */

/* Records where the slab's chunks are and how big the allocator's blocks are (through the counting allocator). */
static char *g_chunk;
static size_t g_big_alloc; /* the size of the last allocation that was neither a chunk nor a slot page */
static void *blk_alloc(void *ud, size_t size)
{
    void *p = tu_alloc_fn(ud, size);
    if (size >= 65536)
        g_chunk = p;
    else if (size > 256 && size < 1024)
        g_big_alloc = size;
    return p;
}
static const ws_allocator blk_allocator = { blk_alloc, tu_realloc_fn, tu_free_fn, NULL };

typedef struct addr_probe {
    ws_future base;
    unsigned char pad[600];
} addr_probe;
static char *g_addrs[2];
static int g_naddrs;
static ws_poll addr_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    g_addrs[g_naddrs++] = (char *)f;
    return WS_READY;
}
static const ws_future_type addr_type = { "addr", addr_poll, NULL, NULL };

/* Two tasks whose futures are `size` bytes, spawned into a fresh runtime and run: where their futures lie. */
static void two_tasks(size_t size, char **chunk, char **a, char **b, size_t *direct)
{
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &blk_allocator;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    g_chunk = NULL;
    g_big_alloc = 0;
    g_naddrs = 0;
    static addr_probe p;
    ws_future_init(&p.base, &addr_type);
    assert_true(size <= sizeof p);
    assert_int_equal(ws_spawn(rt, &p.base, size, "a", NULL), WS_OK);
    assert_int_equal(ws_spawn(rt, &p.base, size, "b", NULL), WS_OK);
    tu_run(rt);
    assert_int_equal(g_naddrs, 2);
    *chunk = g_chunk;
    *a = g_addrs[0];
    *b = g_addrs[1];
    *direct = g_big_alloc;
    tu_rt_free(rt);
}

/* A task's block is the smallest multiple of 16 that holds the task and its future: two tasks in a fresh chunk
 * lie one block apart, a block of exactly 256 or 512 bytes is carved from the chunk, and a task of 520 bytes is
 * allocated by itself (blocks up to 512 bytes only come from the slab).
 * Motivating mutants: alloc.c:81 size_class_of `(size + WS_SLAB_GRAIN - 1)` -> `- 0` (a task of exactly 16k bytes
 * takes a block of 16k + 16, and one of 512 bytes is allocated by itself); ws_internal.h:74 `#define
 * WS_SLAB_CLASSES 32u` -> `33u` (blocks of up to 528 bytes come from the slab). */
static void test_block_sizes(void **state)
{
    (void)state;
    char *chunk, *a, *b;
    size_t direct;
    two_tasks(sizeof(ws_future), &chunk, &a, &b, &direct);
    assert_non_null(chunk);
    assert_true(a > chunk);
    size_t header = (size_t)(a - (chunk + 16)); /* the task's own fields, before its future */
    assert_true(header > 0 && header < 256 && header % 8 == 0);
    for (size_t block = 256; block <= 512; block += 256) {
        two_tasks(block - header, &chunk, &a, &b, &direct);
        assert_ptr_equal(a, chunk + 16 + header); /* from the chunk... */
        assert_int_equal(b - a, block);           /* ...one block apart */
        assert_int_equal(direct, 0);
    }
    two_tasks(520 - header, &chunk, &a, &b, &direct);
    assert_int_equal(direct, 520 + 8); /* by itself, with its size in front */
    assert_true(chunk == NULL || a < chunk || a >= chunk + 65536);
}


/* ---- from mutation run 4 (seed 20261202) ---- */

/* When the string table cannot grow (its allocation fails), the new name is recorded as "" (index 0) and the spawn
 * goes on; once memory is back, the next new name grows the table and is recorded. Motivating mutant: trace.c:100
 * table_grow `return WS_ENOMEM` -> `return 0` (a failed growth counts as done, and ws__intern retries it forever:
 * a stack overflow). */
static void test_trace_table_growth_fails(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 1);
    char name[32];
    /* index 0 is "", so 63 names fill the 128-slot table to half: the next new name needs a bigger one */
    for (int i = 0; i < 63; i++) {
        snprintf(name, sizeof name, "n%d", i);
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, name, NULL), WS_OK);
    }
    assert_int_equal(ws_trace_string_count(rt), 64);
    uint32_t at = ws_trace_count(rt);
    tu_mem.fail_from = tu_mem.calls + 1;
    ws_ready r;
    ws_ready_init(&r, 0);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "one too many", NULL), WS_OK); /* no allocation needed but the name's */
    tu_mem.fail_from = 0;
    ws_trace_event e;
    assert_int_equal(ws_trace_read(rt, at, &e, 1), 1);
    assert_int_equal(e.kind, WS_EV_SPAWN);
    assert_int_equal(e.b, 0); /* recorded without its name */
    assert_int_equal(ws_trace_string_count(rt), 64);
    ws_ready_init(&r, 0);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "later", NULL), WS_OK);
    assert_int_equal(ws_trace_string_count(rt), 65);
    assert_int_equal(ws_trace_read(rt, at + 2, &e, 1), 1);
    assert_int_equal(e.kind, WS_EV_SPAWN);
    assert_string_equal(ws_trace_string(rt, e.b), "later");
    tu_run(rt);
    tu_rt_free(rt);
}


/* As above, but the table grows and the array of strings cannot (the second allocation of the spawn fails): the
 * name is recorded as "" (index 0), not as some other name. Motivating mutant: trace.c:141 ws__intern
 * `return 0` after a failed ws__realloc -> `return 1` (the event names the first string interned). */
static void test_trace_strings_growth_fails(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 1);
    char name[32];
    for (int i = 0; i < 63; i++) { /* the array of strings (64) is full, and the table half full */
        snprintf(name, sizeof name, "n%d", i);
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, name, NULL), WS_OK);
    }
    uint32_t at = ws_trace_count(rt);
    tu_mem.fail_at = tu_mem.calls + 2; /* the table grows, the array does not */
    ws_ready r;
    ws_ready_init(&r, 0);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "one too many", NULL), WS_OK);
    assert_int_equal(tu_mem.failures, 1);
    tu_mem.fail_at = 0;
    ws_trace_event e;
    assert_int_equal(ws_trace_read(rt, at, &e, 1), 1);
    assert_int_equal(e.kind, WS_EV_SPAWN);
    assert_int_equal(e.b, 0);
    assert_int_equal(ws_trace_string_count(rt), 64);
    tu_run(rt);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_busy_on_a_real_clock),
        TU_TEST(test_block_on_spins_without_sleep_until),
        TU_TEST(test_trace_string_table_growth),
        TU_TEST(test_task_generation_wrap),
        TU_TEST(test_op_generation_wrap),
        TU_TEST(test_memory_policy),
        TU_TEST(test_task_blocks_hold_their_future),
        TU_TEST(test_slice_after_lazy_start),
        TU_TEST(test_clock_read_batches),
        TU_TEST(test_slice_boundary),
        TU_TEST(test_block_sizes),
        TU_TEST(test_trace_table_growth_fails),
        TU_TEST(test_trace_strings_growth_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
