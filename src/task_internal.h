/* task_internal.h: tasks, their ids, the run queue and waking (task.c). Builds on trace_internal.h and on the
 * future protocol (future.c); timers, host operations, wait lists and the run loop build on it. Not installed. */
#ifndef WS_TASK_INTERNAL_H
#define WS_TASK_INTERNAL_H

#include "trace_internal.h"

/* The run queue: FIFO, intrusive through task->next. */
static inline void ws__enqueue(ws_runtime *rt, ws_task *t)
{
    t->next = NULL;
    if (rt->run_tail)
        rt->run_tail->next = t;
    else
        rt->run_head = t;
    rt->run_tail = t;
}

void ws__task_complete(ws_runtime *rt, ws_task *t, int err, int dropped);
void ws__tasks_free(ws_runtime *rt);
void ws__slots_free(ws_runtime *rt);

/* The task a live id names, or NULL. Inline: every wake looks its task up. */
static inline ws_task *ws__task_get(const ws_runtime *rt, ws_id id)
{
    uint32_t slot = (uint32_t)id;
    if (!rt || slot >= rt->slot_count)
        return NULL;
    const ws_slot *s = ws__slot(rt, slot);
    return s->gen == (uint32_t)(id >> 32) ? WS_SLOT_TASK(s) : NULL;
}
static inline ws_id ws__task_id(const ws_runtime *rt, const ws_task *t)
{
    return ((ws_id)ws__slot(rt, t->slot)->gen << 32) | t->slot; /* inline: every task poll computes it */
}
uint32_t ws__task_serial(const ws_runtime *rt, ws_id id);
/* Wake by id with a cause; `source` for the trace. Returns WS_OK or WS_ESTALE. */
int ws__wake(ws_runtime *rt, ws_id id, ws_cause cause, uint32_t source);
/* Asks the host for a run, once, when work becomes ready outside ws_runtime_run. */
void ws__request_run_slow(ws_runtime *rt);
static inline void ws__request_run(ws_runtime *rt)
{
    if (!rt->running && !rt->run_requested)
        ws__request_run_slow(rt);
}

/* Wakes the task being polled (cause SELF): yield_now and WS_YIELD. The common case, a task waking itself while it
 * runs, is just the mark (no id lookup: cx->task names the running task, so its slot alone identifies it); inline
 * in yield_poll, as it is one yield each. */
static inline void ws__yield_wake(ws_context *cx)
{
    ws_runtime *rt = cx->rt;
    ws_task *t = rt->current;
    if (cx->task == WS_ID_NONE)
        return;
    if (t && !WS_TRACING(rt) && (uint32_t)cx->task == t->slot) {
        rt->stats.wakes++;
        t->flags |= TASK_WOKEN;
        return;
    }
    ws__wake(rt, cx->task, WS_CAUSE_SELF, 0);
}

#endif
