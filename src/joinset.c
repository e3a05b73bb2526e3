/* joinset.c: JoinSet and scopes (see ws_joinset.h).
 *
 * Each member task runs a small wrapper future ("joinset_task") in front of its own: when the task finishes or is
 * dropped (aborted, or the runtime closes), the wrapper's drop hook appends the member to the set's done list and
 * wakes whoever awaits ws_join_next. That keeps completion order without a hook in the executor. The set keeps a
 * join handle per member, so a finished task (and its output) lives until ws_join_next collects it. When the set
 * is freed it first unhooks the wrappers of its running members (they must not report to freed memory), then
 * aborts them and drops the handles (so they are released when they finish).
 */
#include "task_internal.h"

enum { ENTRY_FREE = 0, ENTRY_RUNNING, ENTRY_DONE };

struct ws_joinset_entry {
    ws_task_handle handle;
    uint32_t next;      /* index + 1: the free list, or the done list */
    uint8_t state;
};

typedef struct member {
    ws_future base;
    ws_joinset *set;    /* NULL once detached or the set is freed */
    uint32_t index;
    _Alignas(8) unsigned char inner[]; /* the task's own future */
} member;

#define MEMBER_INNER(m) ((ws_future *)(void *)(m)->inner)

static ws_poll member_poll(ws_future *f, ws_context *cx);
static void member_drop(ws_runtime *rt, ws_future *f);
static void member_free_output(ws_runtime *rt, ws_future *f);
static const ws_future_type member_type = { "joinset_task", member_poll, member_drop, member_free_output };

void ws_joinset_init(ws_joinset *s, ws_runtime *rt)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    s->rt = rt;
    s->state = rt ? WS_JOINSET_LIVE : 0;
    s->waiter = WS_WAKER_NONE;
}

static int live(const ws_joinset *s) { return s && s->state == WS_JOINSET_LIVE && s->rt; }

static int entry_take(ws_joinset *s, uint32_t *out)
{
    if (!s->free_head) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        if (cap > (1u << 26))
            return WS_ENOMEM;
        ws_joinset_entry *e = ws__realloc(s->rt, s->entries, s->cap * sizeof *e, cap * sizeof *e);
        if (!e)
            return WS_ENOMEM;
        for (uint32_t i = s->cap; i < cap; i++) {
            e[i].state = ENTRY_FREE;
            e[i].next = i + 1 < cap ? i + 2 : 0;
        }
        s->free_head = s->cap + 1;
        s->entries = e;
        s->cap = cap;
    }
    uint32_t i = s->free_head - 1;
    s->free_head = s->entries[i].next;
    *out = i;
    return WS_OK;
}

static void entry_release(ws_joinset *s, uint32_t i)
{
    s->entries[i].state = ENTRY_FREE;
    s->entries[i].next = s->free_head;
    s->free_head = i + 1;
}

int ws_joinset_spawn(ws_joinset *s, const ws_future *future, size_t size, const char *name, ws_id *id)
{
    if (id)
        *id = WS_ID_NONE;
    if (!s)
        return WS_EINVAL;
    if (!live(s))
        return WS_ECLOSED;
    if (!future || !future->type || size < sizeof(ws_future) || size > (1u << 29))
        return WS_EINVAL;
    uint32_t i;
    int rc = entry_take(s, &i);
    if (rc != WS_OK)
        return rc;
    /* The wrapper and the future in one contiguous block, which ws_spawn copies into the task. */
    size_t total = sizeof(member) + size;
    _Alignas(16) unsigned char stack[256];
    member *m = total <= sizeof stack ? (member *)(void *)stack : ws__alloc(s->rt, total);
    if (!m) {
        entry_release(s, i);
        return WS_ENOMEM;
    }
    ws_future_init(&m->base, &member_type);
    m->set = s;
    m->index = i;
    memcpy(m->inner, future, size);
    ws_joinset_entry *e = &s->entries[i];
    rc = ws_spawn(s->rt, &m->base, total, name ? name : future->type->name, &e->handle);
    if ((unsigned char *)m != stack)
        ws__free(s->rt, m, total);
    if (rc != WS_OK) {
        entry_release(s, i);
        return rc;
    }
    e->state = ENTRY_RUNNING;
    e->next = 0;
    s->len++;
    if (id)
        *id = e->handle.task;
    return WS_OK;
}

uint32_t ws_joinset_len(const ws_joinset *s) { return live(s) ? s->len : 0; }

static member *member_of(ws_joinset *s, uint32_t i)
{
    ws_task *t = ws__task_get(s->rt, s->entries[i].handle.task);
    return t && t->state != WS_TASK_DONE ? (member *)TASK_FUTURE(t) : NULL;
}

int ws_joinset_abort_all(ws_joinset *s)
{
    if (!s)
        return WS_EINVAL;
    if (!live(s))
        return WS_ECLOSED;
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->entries[i].state == ENTRY_RUNNING)
            ws_task_abort(s->rt, s->entries[i].handle.task);
    return WS_OK;
}

/* The entry of a member id, or cap if it is not one. */
static uint32_t find(const ws_joinset *s, ws_id task)
{
    uint32_t i = 0;
    if (task != WS_ID_NONE)
        for (; i < s->cap; i++)
            if (s->entries[i].state != ENTRY_FREE && s->entries[i].handle.task == task)
                break;
    return task == WS_ID_NONE ? s->cap : i;
}

/* The argument checks of abort and detach: the set exists and is live, and `task` is one of its entries (*i). */
static int entry_of(ws_joinset *s, ws_id task, uint32_t *i)
{
    if (!s)
        return WS_EINVAL;
    if (!live(s))
        return WS_ECLOSED;
    *i = find(s, task);
    return *i == s->cap ? WS_ESTALE : WS_OK;
}

int ws_joinset_abort(ws_joinset *s, ws_id task)
{
    uint32_t i;
    int rc = entry_of(s, task, &i);
    if (rc != WS_OK)
        return rc;
    return s->entries[i].state == ENTRY_RUNNING ? ws_task_abort(s->rt, task) : WS_OK;
}

/* Unlinks entry i from the done list (it is on it). */
static void done_unlink(ws_joinset *s, uint32_t i)
{
    uint32_t prev = 0;
    for (uint32_t k = s->done_head; k; prev = k, k = s->entries[k - 1].next) {
        if (k - 1 != i)
            continue;
        if (prev)
            s->entries[prev - 1].next = s->entries[i].next;
        else
            s->done_head = s->entries[i].next;
        if (s->done_tail == i + 1)
            s->done_tail = prev;
        return;
    }
    assert(0 && "a done entry is on the done list");
}

int ws_joinset_detach(ws_joinset *s, ws_id task)
{
    uint32_t i;
    int rc = entry_of(s, task, &i);
    if (rc != WS_OK)
        return rc;
    if (s->entries[i].state == ENTRY_RUNNING) {
        member *m = member_of(s, i);
        if (m)
            m->set = NULL;
    } else {
        done_unlink(s, i);
    }
    ws_future_drop(s->rt, &s->entries[i].handle.base); /* detaches, or releases a finished task */
    entry_release(s, i);
    s->len--;
    return WS_OK;
}

void ws_joinset_free(ws_joinset *s)
{
    if (!live(s))
        return;
    ws_runtime *rt = s->rt;
    for (uint32_t i = 0; i < s->cap; i++) {
        ws_joinset_entry *e = &s->entries[i];
        if (e->state == ENTRY_FREE)
            continue;
        if (e->state == ENTRY_RUNNING) {
            member *m = member_of(s, i);
            if (m)
                m->set = NULL; /* before the abort: it must not report back to this set */
            ws_task_abort(rt, e->handle.task);
        }
        ws_future_drop(rt, &e->handle.base);
    }
    ws__free(rt, s->entries, s->cap * sizeof *s->entries);
    ws_waker w = s->waiter;
    memset(s, 0, sizeof *s); /* state is no longer LIVE: later calls fail with WS_ECLOSED */
    ws_waker_wake(&w, WS_CAUSE_TASK, 0); /* a pending join_next sees it */
}

/* ---- the member wrapper ---- */

static ws_poll member_poll(ws_future *f, ws_context *cx)
{
    member *m = (member *)f;
    ws_future *inner = MEMBER_INNER(m);
    if (ws_future_poll(inner, cx) == WS_PENDING)
        return WS_PENDING;
    f->out = inner->out;
    f->err = inner->err;
    return WS_READY;
}

/* Runs when the task finishes (ready) or is dropped unfinished: report to the set, in finishing order. */
static void member_drop(ws_runtime *rt, ws_future *f)
{
    member *m = (member *)f;
    ws_future_drop(rt, MEMBER_INNER(m));
    ws_joinset *s = m->set;
    if (!s)
        return;
    m->set = NULL;
    assert(live(s) && m->index < s->cap && s->entries[m->index].state == ENTRY_RUNNING);
    ws_joinset_entry *e = &s->entries[m->index];
    e->state = ENTRY_DONE;
    e->next = 0;
    if (s->done_tail)
        s->entries[s->done_tail - 1].next = m->index + 1;
    else
        s->done_head = m->index + 1;
    s->done_tail = m->index + 1;
    ws_waker_wake_by_ref(&s->waiter, WS_CAUSE_TASK, ws__task_serial(rt, e->handle.task));
}

static void member_free_output(ws_runtime *rt, ws_future *f)
{
    ws_future *inner = MEMBER_INNER((member *)f);
    if (inner->type->free_output)
        inner->type->free_output(rt, inner);
}

/* ---- join_next ---- */

static ws_poll join_next_poll(ws_future *f, ws_context *cx);
static const ws_future_type join_next_type = { "join_next", join_next_poll, NULL, NULL };

void ws_join_next_init(ws_join_next *f, ws_joinset *s)
{
    ws_future_init(&f->base, &join_next_type);
    f->set = s;
    f->task = WS_ID_NONE;
}

static ws_poll join_next_poll(ws_future *f, ws_context *cx)
{
    ws_join_next *n = (ws_join_next *)f;
    ws_joinset *s = n->set;
    if (!s) {
        f->err = WS_EINVAL;
        return WS_READY;
    }
    if (!live(s)) {
        f->err = WS_ECLOSED;
        return WS_READY;
    }
    if (s->done_head) {
        if (!ws_budget_take(cx))
            return WS_PENDING;
        uint32_t i = s->done_head - 1;
        ws_joinset_entry *e = &s->entries[i];
        s->done_head = e->next;
        if (!s->done_head)
            s->done_tail = 0;
        n->task = e->handle.task;
        ws_context outside = ws_context_outside(cx->rt);
        ws_poll r = ws_future_poll(&e->handle.base, &outside); /* finished: ready at once, frees the task */
        assert(r == WS_READY);
        (void)r;
        f->out = e->handle.base.out;
        f->err = e->handle.base.err;
        ws_future_drop(cx->rt, &e->handle.base);
        entry_release(s, i);
        s->len--;
        return WS_READY;
    }
    if (s->len == 0) {
        f->err = WS_EEMPTY;
        return WS_READY;
    }
    s->waiter = ws_context_waker(cx);
    return WS_PENDING;
}

/* ---- scopes ---- */

void ws__scope_drop(ws_runtime *rt, ws_future *f, ws_joinset *scope)
{
    ws_async_drop(rt, f);
    if (f->flags & WS_FUTURE_POLLED) /* never polled: the scope was never initialised */
        ws_joinset_free(scope);
}
