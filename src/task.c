/* task.c: tasks, their ids, join handles, abort and wake.
 *
 * A task is addressed by (slot, generation). The slot table holds the generation, so a stale id (its task finished
 * and the slot was reused) is recognised without touching the freed task. Every wake goes through ws__wake, which
 * queues a task at most once however many wakes arrive before it runs.
 */
#include "task_internal.h"

#define GEN_LIMIT (1u << 21) /* ids must stay exact as JavaScript numbers: 32 + 21 bits */

static inline ws_id make_id(uint32_t slot, uint32_t gen) { return ((ws_id)gen << 32) | slot; }


uint32_t ws__task_serial(const ws_runtime *rt, ws_id id)
{
    uint32_t slot = (uint32_t)id;
    if (!rt->ring_cap || id == WS_ID_NONE || slot >= rt->slot_count)
        return 0;
    return ws__slot_trace(rt, slot)->serial;
}

/* Adds a page of slots (and of their trace data, when tracing): WS_ENOMEM leaves everything as it was. */
static int slot_page_add(ws_runtime *rt)
{
    if (rt->page_count == rt->page_cap) {
        /* Both page arrays move together (new ones, then copy): a failure half-way changes nothing. */
        uint32_t cap = rt->page_cap ? rt->page_cap * 2 : 8;
        if (cap > UINT32_MAX / WS_SLOT_PAGE)
            return WS_ENOMEM;
        ws_slot **pages = ws__alloc(rt, cap * sizeof *pages);
        ws_slot_trace **tpages = rt->ring_cap ? ws__alloc(rt, cap * sizeof *tpages) : NULL;
        if (!pages || (rt->ring_cap && !tpages)) {
            ws__free(rt, pages, cap * sizeof *pages);
            ws__free(rt, tpages, cap * sizeof *tpages);
            return WS_ENOMEM;
        }
        if (rt->page_count) {
            memcpy(pages, rt->slot_pages, rt->page_count * sizeof *pages);
            if (tpages)
                memcpy(tpages, rt->slot_trace_pages, rt->page_count * sizeof *tpages);
        }
        ws__free(rt, rt->slot_pages, rt->page_cap * sizeof *pages);
        ws__free(rt, rt->slot_trace_pages, rt->page_cap * sizeof *tpages);
        rt->slot_pages = pages;
        rt->slot_trace_pages = tpages;
        rt->page_cap = cap;
    }
    ws_slot *page = ws__alloc(rt, WS_SLOT_PAGE * sizeof *page);
    if (!page)
        return WS_ENOMEM;
    if (rt->ring_cap) {
        ws_slot_trace *tpage = ws__alloc(rt, WS_SLOT_PAGE * sizeof *tpage);
        if (!tpage) {
            ws__free(rt, page, WS_SLOT_PAGE * sizeof *page);
            return WS_ENOMEM;
        }
        memset(tpage, 0, WS_SLOT_PAGE * sizeof *tpage);
        rt->slot_trace_pages[rt->page_count] = tpage;
    }
    rt->slot_pages[rt->page_count++] = page;
    return WS_OK;
}

static int slot_take(ws_runtime *rt, uint32_t *out)
{
    if (rt->free_slot) {
        uint32_t i = rt->free_slot - 1;
        rt->free_slot = (uint32_t)(ws__slot(rt, i)->ref >> 1);
        *out = i;
        return WS_OK;
    }
    if (rt->slot_count == rt->page_count * WS_SLOT_PAGE) {
        int rc = slot_page_add(rt);
        if (rc != WS_OK)
            return rc;
    }
    uint32_t i = rt->slot_count++;
    ws_slot *s = ws__slot(rt, i);
    s->ref = 1; /* free, end of list: not live until the task is stored */
    s->gen = 1;
    *out = i;
    return WS_OK;
}

void ws__slots_free(ws_runtime *rt)
{
    for (uint32_t p = 0; p < rt->page_count; p++) {
        ws__free(rt, rt->slot_pages[p], WS_SLOT_PAGE * sizeof **rt->slot_pages);
        if (rt->ring_cap)
            ws__free(rt, rt->slot_trace_pages[p], WS_SLOT_PAGE * sizeof **rt->slot_trace_pages);
    }
    ws__free(rt, rt->slot_pages, rt->page_cap * sizeof *rt->slot_pages);
    if (rt->ring_cap)
        ws__free(rt, rt->slot_trace_pages, rt->page_cap * sizeof *rt->slot_trace_pages);
    rt->slot_pages = NULL;
    rt->slot_trace_pages = NULL;
    rt->page_count = rt->page_cap = rt->slot_count = 0;
}

static void slot_release(ws_runtime *rt, uint32_t i)
{
    ws_slot *s = ws__slot(rt, i);
    s->gen = s->gen + 1 < GEN_LIMIT ? s->gen + 1 : 1;
    s->ref = ((uintptr_t)rt->free_slot << 1) | 1u;
    rt->free_slot = i + 1;
}


void ws__request_run_slow(ws_runtime *rt)
{
    if (rt->host.request_run) {
        rt->run_requested = 1;
        rt->host.request_run(rt->host.ud);
    }
}

/* ---- freeing ---- */

/* Frees a finished task whose handle is gone. `collected`: its output was taken by a join handle. */
static void task_release(ws_runtime *rt, ws_task *t, int collected)
{
    ws_future *f = TASK_FUTURE(t);
    assert(t->state == WS_TASK_DONE);
    if (!collected && !(t->flags & TASK_DROPPED) && f->type->free_output)
        f->type->free_output(rt, f);
    slot_release(rt, t->slot);
    ws__slab_free(rt, t, t->size_class);
    assert(rt->stats.tasks_live > 0);
    rt->stats.tasks_live--;
}

void ws__task_complete(ws_runtime *rt, ws_task *t, int err, int dropped)
{
    ws_future *f = TASK_FUTURE(t);
    uint32_t serial = rt->ring_cap ? ws__slot_trace(rt, t->slot)->serial : 0;
    assert(t->state != WS_TASK_DONE);
    t->state = WS_TASK_DONE; /* first, so wakes that the drop below causes for this task are ignored */
    if (dropped) {
        WS_TRACE(rt, WS_EV_DROP, 0, 0, serial, 0, 0, 0);
        ws_future_drop(rt, f);
        f->out = 0;
        f->err = (int8_t)err;
        t->flags |= TASK_DROPPED;
        if (err == WS_ECANCELED)
            rt->stats.aborted++;
    } else {
        ws_future_drop(rt, f); /* ready: releases what it holds, keeps the output */
        rt->stats.completed++;
    }
    WS_TRACE(rt, WS_EV_COMPLETE, dropped ? 2 : (f->err == WS_OK ? 0 : 1), 0, serial, 0, 0, 0);
    if (rt->host.task_done)
        rt->host.task_done(rt->host.ud, make_id(t->slot, ws__slot(rt, t->slot)->gen));
    if (t->waiter) {
        uint32_t w = t->waiter - 1;
        t->waiter = 0;
        ws__wake(rt, make_id(w, ws__slot(rt, w)->gen), WS_CAUSE_TASK, serial);
    }
    if (!(t->flags & TASK_HAS_HANDLE))
        task_release(rt, t, 0);
}

void ws__tasks_free(ws_runtime *rt)
{
    /* Nothing runs again: empty the run queue and mark every unfinished task running, so that the wakes the drops
     * below cause (a semaphore handing its permits on, a channel closing) only set a flag. Queued, a task would be
     * linked behind one that the loop frees. */
    rt->run_head = rt->run_tail = NULL;
    for (uint32_t i = 0; i < rt->slot_count; i++) {
        ws_task *t = WS_SLOT_TASK(ws__slot(rt, i));
        if (t && t->state != WS_TASK_DONE)
            t->state = WS_TASK_RUNNING;
    }
    /* Drop every unfinished future first (their drop hooks may still wake or touch other tasks), then free. */
    for (uint32_t i = 0; i < rt->slot_count; i++) {
        ws_task *t = WS_SLOT_TASK(ws__slot(rt, i));
        if (t && t->state != WS_TASK_DONE) {
            t->flags &= (uint8_t)~TASK_HAS_HANDLE; /* no handle can collect it any more */
            t->waiter = 0;
            ws__task_complete(rt, t, WS_ECLOSED, 1);
        }
    }
    for (uint32_t i = 0; i < rt->slot_count; i++) {
        ws_task *t = WS_SLOT_TASK(ws__slot(rt, i));
        if (t)
            task_release(rt, t, 0);
    }
    rt->run_head = rt->run_tail = NULL;
}

/* ---- spawn and join handles ---- */

static ws_poll handle_poll(ws_future *f, ws_context *cx);
static void handle_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type handle_type = { "join_handle", handle_poll, handle_drop, NULL };

int ws_spawn(ws_runtime *rt, const ws_future *future, size_t size, const char *name, ws_task_handle *handle)
{
    if (!rt || !future || !future->type || !future->type->poll || size < sizeof(ws_future) || size > (1u << 30))
        return WS_EINVAL;
    if (future->flags != 0)
        return WS_EINVAL; /* polled, finished or dropped futures cannot become tasks */
    uint32_t slot;
    int rc = slot_take(rt, &slot);
    if (rc != WS_OK)
        return rc;
    uint8_t size_class;
    ws_task *t = ws__slab_alloc(rt, sizeof(ws_task) + size, &size_class);
    if (!t) {
        ws__slot(rt, slot)->ref = ((uintptr_t)rt->free_slot << 1) | 1u; /* give the slot back untouched */
        rt->free_slot = slot + 1;
        return WS_ENOMEM;
    }
    memcpy(TASK_FUTURE(t), future, size);
    t->next = NULL;
    t->slot = slot;
    t->waiter = 0;
    t->state = WS_TASK_SCHEDULED;
    t->flags = handle ? TASK_HAS_HANDLE : 0;
    t->size_class = size_class;
    t->unused = 0;
    assert(((uintptr_t)t & 1u) == 0);
    ws__slot(rt, slot)->ref = (uintptr_t)t;
    rt->stats.spawned++;
    rt->stats.tasks_live++;
    ws_id id = make_id(slot, ws__slot(rt, slot)->gen);

    if (rt->ring_cap) {
        ws_slot_trace *st = ws__slot_trace(rt, slot);
        st->serial = ++rt->task_serial;
        st->wake_seq = 0;
        if (WS_TRACING(rt)) {
            uint32_t parent = rt->current ? ws__slot_trace(rt, rt->current->slot)->serial : 0;
            ws__trace_emit(rt, WS_EV_SPAWN, 0, 0, st->serial, parent, ws__intern(rt, name ? name : "task"), 0);
            st->wake_seq = ws__trace_next_seq(rt) + 1;
            ws__trace_emit(rt, WS_EV_WAKE, WS_CAUSE_SPAWN, 0, st->serial, parent, parent, 0);
        }
    }
    ws__enqueue(rt, t);
    ws__request_run(rt);
    if (handle) {
        ws_future_init(&handle->base, &handle_type);
        handle->task = id;
    }
    return WS_OK;
}

static ws_poll handle_poll(ws_future *f, ws_context *cx)
{
    ws_task_handle *h = (ws_task_handle *)f;
    ws_task *t = ws__task_get(cx->rt, h->task);
    if (!t || !(t->flags & TASK_HAS_HANDLE)) {
        f->err = WS_ESTALE;
        return WS_READY;
    }
    if (t->state != WS_TASK_DONE) {
        /* slot + 1 of the awaiting task; polled from outside any task (no waker): nobody to wake */
        t->waiter = cx->task != WS_ID_NONE ? (uint32_t)cx->task + 1 : 0;
        return WS_PENDING;
    }
    if (!ws_budget_take(cx))
        return WS_PENDING;
    ws_future *tf = TASK_FUTURE(t);
    f->out = tf->out;
    f->err = tf->err;
    t->flags &= (uint8_t)~TASK_HAS_HANDLE;
    task_release(cx->rt, t, 1);
    h->task = WS_ID_NONE;
    return WS_READY;
}

/* Dropping a handle detaches its task: it runs on, and is freed (with its output) when it finishes. */
static void handle_drop(ws_runtime *rt, ws_future *f)
{
    ws_task_handle *h = (ws_task_handle *)f;
    ws_task *t = ws__task_get(rt, h->task);
    h->task = WS_ID_NONE;
    if (!t || !(t->flags & TASK_HAS_HANDLE))
        return;
    t->flags &= (uint8_t)~TASK_HAS_HANDLE;
    t->waiter = 0;
    if (t->state == WS_TASK_DONE)
        task_release(rt, t, 0);
}

int ws_task_abort(ws_runtime *rt, ws_id id)
{
    if (!rt)
        return WS_EINVAL;
    ws_task *t = ws__task_get(rt, id);
    if (!t)
        return WS_ESTALE;
    if (t->state == WS_TASK_DONE || (t->flags & TASK_ABORTED))
        return WS_OK;
    t->flags |= TASK_ABORTED;
    WS_TRACE(rt, WS_EV_ABORT, 0, 0, ws__task_serial(rt, id), 0, 0, 0);
    ws__wake(rt, id, WS_CAUSE_ABORT, 0);
    return WS_OK;
}

ws_task_state ws_task_state_of(ws_runtime *rt, ws_id id)
{
    ws_task *t = ws__task_get(rt, id);
    return t ? (ws_task_state)t->state : WS_TASK_GONE;
}

ws_id ws_runtime_current_task(const ws_runtime *rt) { return rt && rt->current ? ws__task_id(rt, rt->current) : 0; }

/* ---- waking ---- */

int ws__wake(ws_runtime *rt, ws_id id, ws_cause cause, uint32_t source)
{
    ws_task *t = ws__task_get(rt, id);
    if (!t || t->state == WS_TASK_DONE) {
        rt->stats.stale_wakes++;
        return WS_ESTALE;
    }
    rt->stats.wakes++;
    uint32_t seq1 = 0;
    if (WS_TRACING(rt)) {
        uint32_t by = rt->current ? ws__slot_trace(rt, rt->current->slot)->serial : 0;
        seq1 = ws__trace_next_seq(rt) + 1;
        ws__trace_emit(rt, WS_EV_WAKE, (uint8_t)cause, 0, ws__slot_trace(rt, t->slot)->serial, by, source, 0);
    }
    switch (t->state) {
    case WS_TASK_IDLE:
        t->state = WS_TASK_SCHEDULED;
        if (seq1)
            ws__slot_trace(rt, t->slot)->wake_seq = seq1;
        ws__enqueue(rt, t);
        ws__request_run(rt);
        break;
    case WS_TASK_RUNNING:
        if (!(t->flags & TASK_WOKEN) && seq1)
            ws__slot_trace(rt, t->slot)->wake_seq = seq1;
        t->flags |= TASK_WOKEN;
        break;
    default: /* already scheduled: one queue entry is enough */
        break;
    }
    return WS_OK;
}

int ws_task_wake(ws_runtime *rt, ws_id id, ws_cause cause, uint32_t source)
{
    if (!rt || (unsigned)cause >= WS_CAUSE_COUNT)
        return WS_EINVAL;
    return ws__wake(rt, id, cause, source);
}

void ws_waker_wake_by_ref(const ws_waker *w, ws_cause cause, uint32_t source)
{
    if (w && w->rt && w->task != WS_ID_NONE)
        ws__wake(w->rt, w->task, cause, source);
}

void ws_waker_wake(ws_waker *w, ws_cause cause, uint32_t source)
{
    ws_waker_wake_by_ref(w, cause, source);
    if (w)
        ws_waker_drop(w);
}

/* ---- waking the task being polled ---- */

int ws_budget_exhausted(ws_context *cx)
{
    assert(cx->budget == 0);
    if (cx->task != WS_ID_NONE)
        ws__wake(cx->rt, cx->task, WS_CAUSE_SELF, 0);
    return 0;
}

void ws_yield_wake(ws_context *cx) { ws__yield_wake(cx); }
