/* ws_joinset.h: JoinSet (tokio's), and scopes: child tasks that cannot outlive their parent.
 *
 * A JoinSet owns the tasks spawned into it. ws_join_next yields them in the order they finish (output, error, or
 * WS_ECANCELED if aborted, with the task's id); ws_joinset_abort_all aborts them all; freeing the set aborts
 * every task still in it. A task leaves the set when ws_join_next returns it, or when it is detached
 * (ws_joinset_detach): only then can it outlive the set (an orphan, asked for by name).
 *
 * Scopes: a set that lives in an async function's frame and is freed by the frame's drop hook makes that
 * function a scope: when it finishes, fails, is aborted or is dropped, its drop hook runs and every child still
 * in the set is aborted. WS_ASYNC_SCOPE declares such a function with a set named `scope` (initialised on its
 * first poll, freed by its drop):
 *
 *     WS_ASYNC_SCOPE(parent, { ws_join_next next; int i; })
 *     {
 *         WS_BEGIN();
 *         for (self->i = 0; self->i < 3; self->i++) {
 *             child c; WS_ASYNC_INIT(child, &c);
 *             if (ws_joinset_spawn(&self->scope, &c.ws_base, sizeof c, "child", NULL) != WS_OK)
 *                 WS_RETURN_ERR(WS_ENOMEM);
 *         }
 *         ws_join_next_init(&self->next, &self->scope);
 *         WS_AWAIT(&self->next);                  // the first child to finish
 *         WS_RETURN(WS_OUT(&self->next));         // returning aborts the two others
 *         WS_END();
 *     }
 *
 * Ownership: the ws_joinset struct is the caller's (a field of an async function, or a local of a native program)
 * and must not move after its first spawn (its tasks point at it). ws_joinset_free releases what it holds and
 * marks it freed: every later call on it fails with WS_ECLOSED (ws_join_next: err WS_ECLOSED) instead of touching
 * freed memory, until it is initialised again. Outputs of finished tasks nobody collected are freed with their
 * future type's free_output hook.
 *
 * Costs: a spawn into a set is a plain spawn plus one entry in the set's table (amortised O(1)); each member task
 * carries a small wrapper future (its poll shows in the trace as "joinset_task" around the task's own future).
 */
#ifndef WS_JOINSET_H
#define WS_JOINSET_H

#include "ws_async.h"
#include "ws_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_joinset_entry ws_joinset_entry;

typedef struct ws_joinset {
    ws_runtime *rt;
    ws_joinset_entry *entries;
    uint32_t cap;
    uint32_t len;           /* tasks in the set (running, or finished and not yet returned by ws_join_next) */
    uint32_t free_head;     /* index + 1 of the first free entry */
    uint32_t done_head, done_tail; /* index + 1: finished tasks in the order they finished */
    uint32_t state;         /* WS_JOINSET_LIVE while usable */
    ws_waker waiter;        /* the task awaiting ws_join_next */
} ws_joinset;

#define WS_JOINSET_LIVE 0x4a534554u /* "JSET" */

void ws_joinset_init(ws_joinset *s, ws_runtime *rt);
/* Spawns `future` (as ws_spawn: copied, must not have been polled) into the set. *id (may be NULL) receives the
 * task's id. WS_OK, WS_EINVAL, WS_ENOMEM (nothing spawned), WS_ECLOSED (the set was freed). */
int ws_joinset_spawn(ws_joinset *s, const ws_future *future, size_t size, const char *name, ws_id *id);
/* Tasks in the set (0 for a freed set). */
uint32_t ws_joinset_len(const ws_joinset *s);
/* Aborts every task in the set; they stay in it until ws_join_next returns them (err WS_ECANCELED). */
int ws_joinset_abort_all(ws_joinset *s);
/* Aborts one member. WS_ESTALE if `task` is not in the set (never was, or already returned or detached). */
int ws_joinset_abort(ws_joinset *s, ws_id task);
/* Takes a member out of the set without aborting it: it runs on as an orphan (its output is freed when it
 * finishes). WS_ESTALE if it is not in the set. */
int ws_joinset_detach(ws_joinset *s, ws_id task);
/* Aborts every task still in the set, frees the set's memory, and marks it freed. Idempotent. */
void ws_joinset_free(ws_joinset *s);

/* join_next: the next task of the set to finish. Ready with out/err = that task's output (err WS_ECANCELED if it
 * was aborted, WS_ECLOSED if the runtime dropped it) and `task` = its id; err WS_EEMPTY (task 0) if the set has
 * no task; err WS_ECLOSED if the set was freed.
 * Cancel safety: cancel safe. A finished task is removed from the set only when join_next is ready with it, so
 * dropping a pending join_next loses nothing; a later join_next returns the same task. */
typedef struct ws_join_next {
    ws_future base;
    ws_joinset *set;
    ws_id task;
} ws_join_next;
void ws_join_next_init(ws_join_next *f, ws_joinset *s);

/* An async function whose frame owns a JoinSet `scope`: see above. Its drop hook drops what it awaits, then frees
 * the scope (aborting the children left in it). WS_ASYNC_SCOPE_WITH_DROP adds a hook of your own, dropfn(rt, f),
 * run first, for what the function holds besides its children (a semaphore reference, memory): as with
 * WS_ASYNC_WITH_DROP it runs once, also after a normal finish, and must check WS_FUTURE_POLLED before trusting
 * fields the body sets. It must not call ws_async_drop (the scope's hook does). */
void ws__scope_drop(ws_runtime *rt, ws_future *f, ws_joinset *scope);
/* Before the body's first statement ran: not yet suspended at any await, not finished. */
#if WS_ASYNC_LABELS
#define WS__ASYNC_FIRST_POLL(self) ((self)->ws_resume_at == NULL && (self)->ws_base.resume == WS_ASYNC_START)
#else
#define WS__ASYNC_FIRST_POLL(self) ((self)->ws_base.resume == WS_ASYNC_START)
#endif
static inline void ws__scope_no_drop(ws_runtime *rt, ws_future *f)
{
    (void)rt;
    (void)f;
}
#define WS_ASYNC_SCOPE(name, ...) WS_ASYNC_SCOPE_WITH_DROP(name, ws__scope_no_drop, __VA_ARGS__)
#define WS_ASYNC_SCOPE_WITH_DROP(name, dropfn, ...)                                                                 \
    typedef struct name {                                                                                           \
        WS__ASYNC_HEADER_FIELDS                                                                                     \
        ws_joinset scope;                                                                                           \
        struct __VA_ARGS__;                                                                                         \
    } name;                                                                                                         \
    static void name##_scope_drop(ws_runtime *rt, ws_future *f)                                                     \
    {                                                                                                               \
        dropfn(rt, f);                                                                                              \
        ws__scope_drop(rt, f, &((name *)f)->scope);                                                                 \
    }                                                                                                               \
    static ws_poll name##_body(name *self, ws_context *cx);                                                         \
    static ws_poll name##_poll(ws_future *f, ws_context *cx)                                                        \
    {                                                                                                               \
        if (WS__ASYNC_FIRST_POLL((name *)f))                                                                        \
            ws_joinset_init(&((name *)f)->scope, cx->rt);                                                           \
        return name##_body((name *)f, cx);                                                                          \
    }                                                                                                               \
    static const ws_future_type name##_type = { #name, name##_poll, name##_scope_drop, NULL };                      \
    static ws_poll name##_body(name *self, ws_context *cx)

#ifdef __cplusplus
}
#endif
#endif
