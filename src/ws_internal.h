/* ws_internal.h: the runtime's private state, its memory and its clock: the bottom layer of the core. Not installed,
 * not for users.
 *
 * The core's files stack in layers: each calls only into its own file, the layers below, and the public API of the
 * layers below; the private header of a layer includes the one of the layer it builds on. tests/check_layers.sh
 * checks this on the compiled objects (a ctest):
 *
 *   0  alloc.c                       ws_internal.h     the runtime's state, memory (slab), the clock (inline)
 *   1  trace.c                       trace_internal.h  the event ring and the string table
 *   2  future.c                      (ws_future.h)     the future protocol: poll a child, drop, await
 *   3  task.c, combinators.c         task_internal.h   tasks, ids, the run queue, waking; join and select
 *   4  time.c, op.c, channel.c,      time_internal.h,  timers, host operations, the synchronisation
 *      notify.c, oneshot.c           op_internal.h,    primitives (the leaf futures that wait)
 *                                    sync_internal.h
 *   5  executor.c, runtime.c                           the run loop; create, configure, free
 *   6  trace_text.c                                    the trace as text (native only)
 */
#ifndef WS_INTERNAL_H
#define WS_INTERNAL_H

#include "wasync.h"

#include <assert.h>
#include <string.h>

/* A task: this header, then its future, in one slab block. 16 bytes on wasm32. */
typedef struct ws_task {
    struct ws_task *next;   /* run queue link */
    uint32_t slot;          /* index in the slot table; the id is (slot, ws__slot(rt, slot)->gen) */
    uint32_t waiter;        /* slot + 1 of the task that last polled our join handle; 0: none. Cleared by the
                               handle's drop. A handle moved to another task after a poll can leave it naming
                               the old one: the wake that follows is then spurious, which is harmless (the woken
                               task polls and stays pending), never unsafe: the slot's current id is used. */
    uint8_t state;          /* ws_task_state */
    uint8_t flags;          /* TASK_* */
    uint8_t size_class;     /* slab class of this block; 0: allocated directly, with its size stored in the
                               8 bytes before the task */
    uint8_t unused;
} ws_task;

enum {
    TASK_ABORTED = 1,       /* abort requested: drop at the next scheduling point */
    TASK_WOKEN = 2,         /* woken while running: queue again after this poll */
    TASK_HAS_HANDLE = 4,    /* a join handle may still collect the output */
    TASK_DROPPED = 8,       /* the future was dropped unfinished (aborted, or the runtime closed) */
    TASK_SLOW = 16          /* real clock: its last poll timed alone was long against the slice, so the run loop
                               reads the clock right after its polls instead of sampling (see executor.c) */
};

#define TASK_FUTURE(t) ((ws_future *)((char *)(t) + sizeof(ws_task)))

/* Slot table entry, 8 bytes on wasm32. The generation lives here, not in the task, so a stale id is detected
 * without touching freed memory. `ref` is the task's address (8-aligned, so its low bit is 0) while the slot is
 * live, and ((index + 1 of the next free slot) << 1 | 1) while it is on the free list. */
typedef struct ws_slot {
    uintptr_t ref;
    uint32_t gen;
} ws_slot;

#define WS_SLOT_PAGE 1024u      /* slots per page: 8 KiB on wasm32 */
#define WS_SLOT_LIVE(s) (((s)->ref & 1u) == 0 && (s)->ref != 0)
#define WS_SLOT_TASK(s) (WS_SLOT_LIVE(s) ? (ws_task *)(s)->ref : NULL)

/* Per-slot data only the trace needs, allocated only when tracing is configured. */
typedef struct ws_slot_trace {
    uint32_t serial;        /* task number in the trace */
    uint32_t wake_seq;      /* seq + 1 of the wake that last queued it; 0: none (first poll) */
} ws_slot_trace;

/* Slab: one free list per 16-byte size class, carved from chunks that double from 64 KiB to 1 MiB, so a runtime
 * that grows to a million tasks asks its allocator (and, in wasm, the host for memory) about a hundred times, not
 * thousands, while the unused tail of the newest chunk stays under 1 MiB. */
#define WS_SLAB_GRAIN 16u
#define WS_SLAB_CLASSES 32u   /* blocks up to 512 bytes; bigger ones are allocated directly */
#define WS_SLAB_CHUNK_MIN 65536u
#define WS_SLAB_CHUNK_MAX (1u << 20)

typedef struct ws_chunk {
    struct ws_chunk *next;
    size_t size;
} ws_chunk;                   /* the first WS_SLAB_GRAIN bytes of every chunk */

typedef struct ws_op_slot {
    ws_id task;             /* waiting task */
    uint32_t gen;
    uint32_t next_free;
    uint8_t state;          /* OP_FREE, OP_STARTED, OP_DONE (a dropped operation's slot goes back to OP_FREE) */
    int8_t err;
    uint8_t cause;
    ws_bytes *result;
    struct ws_op *op;       /* the future awaiting it, while started (ws_op_future) */
    /* A join's notice (see "child notices" below): while set, completing the operation appends the slot to
     * that join's ready list, and the join polls child `ready_index` and no other for it. */
    uint32_t *ready;        /* the join's ready list (ws_join.ready: head, tail), or NULL */
    uint32_t ready_index;   /* the child's index in that join */
    uint32_t ready_next;    /* the next slot in the list, + 1; 0 ends it */
} ws_op_slot;

enum { OP_FREE = 0, OP_STARTED, OP_DONE };

#define WS_INTERN_CACHE 128 /* a power of two */

typedef struct ws_intern {
    const char *cache_ptr[WS_INTERN_CACHE];
    uint32_t cache_idx[WS_INTERN_CACHE];
    char **strings;         /* strings[0] = NULL, meaning "" */
    uint32_t count, cap;
    uint32_t *table;        /* open addressing: index + 1 into strings; 0 empty */
    uint32_t table_cap;     /* power of two */
} ws_intern;

struct ws_runtime {
    ws_host host;
    ws_allocator alloc;
    void *user_data;

    /* tasks: the slot table in pages of WS_SLOT_PAGE slots, so it grows without copying and without a doubling's
     * slack (the slot table is per-task memory); the trace's side table is paged alike, only when tracing */
    ws_slot **slot_pages;
    ws_slot_trace **slot_trace_pages;
    uint32_t slot_count;         /* slots handed out so far (live or on the free list) */
    uint32_t page_count, page_cap;
    uint32_t free_slot;          /* index + 1 of the first free slot */
    ws_task *run_head, *run_tail;
    ws_task *current;            /* task being polled */
    int running;                 /* inside ws_runtime_run / ws_runtime_free */
    int run_requested;           /* request_run was called and ws_runtime_run has not run since */
    int run_more;                /* the last run returned WS_RUN_MORE: the next one reads the clock at its start */
    uint32_t poll_budget;        /* what each poll starts with: the configured budget, UINT32_MAX for unlimited (0) */
    ws_time slice;

    /* slab */
    void *free_blocks[WS_SLAB_CLASSES + 1];
    ws_chunk *chunks;
    char *chunk_cursor, *chunk_end;
    size_t chunk_next_size;

    /* time */
    ws_time vnow;                /* virtual clock */
    ws_timer **heap;
    uint32_t heap_len, heap_cap;
    uint32_t timer_seq;
    ws_time armed_deadline;      /* what the host was last asked for */

    /* host operations */
    ws_op_slot *ops;
    uint32_t op_count, op_cap, free_op;

    /* objects (channels, ...) */
    uint32_t object_seq;

    /* combinators */
    uint32_t select_seq;         /* where the next fair select starts (rotates, deterministic) */
    const ws_future *offer_to;   /* child notices: the join's child being polled now, or NULL (see below) */
    uint32_t *offer_list;        /* that join's ready list */
    uint32_t offer_index;        /* that child's index */

    /* trace */
    int trace_on;
    int trace_keep_first;
    ws_trace_event *ring;
    uint32_t ring_cap;           /* power of two, 0: no trace */
    uint64_t ring_written;       /* events written since the last clear */
    uint64_t ring_stop;          /* keep-first: ring_cap (stop when full); overwriting: never */
    uint64_t ring_lost;          /* keep-first: events refused */
    uint32_t task_serial;        /* last serial handed out */
    ws_time trace_t0;
    ws_time trace_now;           /* real clock: the time events are stamped with while the runtime runs, read at
                                    the end of each poll (one host call) instead of once per event */
    ws_intern intern;
    const char *suspend_file;    /* await point of the innermost suspension in this poll */
    unsigned suspend_line;
    uint16_t poll_depth;         /* tracing: depth of the nested poll running now (0: the task's own poll) */
    uint16_t cancel_depth;       /* tracing: depth of the future being dropped (0: none), for nested cancels */

    ws_runtime_stats stats;
    void (*leak_hook)(ws_runtime *rt, uint32_t blocks, size_t bytes, void *ud);
    void *leak_ud;
};

/* ---- memory (alloc.c) ---- */

void *ws__alloc(ws_runtime *rt, size_t size);
void *ws__realloc(ws_runtime *rt, void *p, size_t old_size, size_t new_size);
void ws__free(ws_runtime *rt, void *p, size_t size);
void *ws__user_alloc(ws_runtime *rt, size_t size);   /* counted in stats.user_blocks / user_bytes */
void ws__user_free(ws_runtime *rt, void *p, size_t size);
extern const ws_allocator ws__default_allocator;
void *ws__slab_alloc(ws_runtime *rt, size_t size, uint8_t *class_out);
void ws__slab_free(ws_runtime *rt, void *block, uint8_t size_class);
void ws__slab_release_all(ws_runtime *rt);

/* Slot i and its trace data (the latter only when tracing was configured: rt->ring_cap != 0). */
static inline ws_slot *ws__slot(const ws_runtime *rt, uint32_t i)
{
    return &rt->slot_pages[i / WS_SLOT_PAGE][i % WS_SLOT_PAGE];
}
static inline ws_slot_trace *ws__slot_trace(const ws_runtime *rt, uint32_t i)
{
    return &rt->slot_trace_pages[i / WS_SLOT_PAGE][i % WS_SLOT_PAGE];
}

/* The clock: the host's, or the virtual one. Inline: the run loop, sleeps and the trace read it. */
static inline ws_time ws__now(const ws_runtime *rt) { return rt->host.now ? rt->host.now(rt->host.ud) : rt->vnow; }

#ifdef WS_NO_TRACE
#define WS_TRACING(rt) 0
#else
#define WS_TRACING(rt) WS_UNLIKELY((rt)->trace_on)
#endif

/* ---- child notices: how a join learns which child a completion is for ----
 *
 * A join of N host operations would otherwise poll all N children each time one of them completes (O(N) per
 * completion, O(N^2) for a burst that spreads over several runs). Instead, just before polling child i, a join
 * offers a notice: rt->offer_to = that child, with the join's ready list and i. The child takes the offer only
 * if it is itself a host operation (op.c compares offer_to with its own address, so a future nested deeper never
 * takes an offer meant for its parent) and only when it returns Pending: it stores the list and i in its slot and
 * sets WS_FUTURE_NOTED on itself. ws_op_complete then appends the slot to the list (FIFO), before waking the
 * task as usual, and the join's next poll polls the children on its list instead of scanning all of them. A
 * child that did not take the offer (any other future: it may be woken by anything) is scanned on every poll as
 * before. The join clears the offer right after each child's poll, so no stale offer outlives it.
 *
 * The list runs through op slots, so it needs no memory of its own. It stays valid because a slot leaves it only
 * by being popped by its join (the child is then ready, and its poll releases the slot) or by the child being
 * dropped, which happens only when the join itself is dropped or done: a join's list is never read after that.
 * ws_join_all_init resets the list. */

static inline void ws__ready_push(ws_runtime *rt, uint32_t slot)
{
    uint32_t *list = rt->ops[slot].ready; /* its ready_next is 0: slots are zeroed when taken and released */
    if (list[1])
        rt->ops[list[1] - 1].ready_next = slot + 1;
    else
        list[0] = slot + 1;
    list[1] = slot + 1;
}

/* The child index of the oldest entry of `list`, removed from it; UINT32_MAX when it is empty. */
static inline uint32_t ws__ready_pop(ws_runtime *rt, uint32_t *list)
{
    if (!list[0])
        return UINT32_MAX;
    ws_op_slot *s = &rt->ops[list[0] - 1];
    list[0] = s->ready_next;
    if (!list[0])
        list[1] = 0;
    return s->ready_index;
}

#endif
