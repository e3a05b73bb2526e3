/* trace_text.c: the trace as a text timeline, for native tools and tests. (The JS package formats its own.) */
#include "ws_internal.h"

#include <stdio.h>

static void line(const ws_runtime *rt, const ws_trace_event *e, char *buf, size_t size)
{
    double ms = (double)e->t / 1e6;
    int n = snprintf(buf, size, "%10.3f ms  #%-5u %*s", ms, e->seq, e->depth * 2, "");
    if (n < 0 || (size_t)n >= size)
        return;
    char *p = buf + n;
    size_t left = size - (size_t)n;
    switch ((ws_trace_kind)e->kind) {
    case WS_EV_SPAWN:
        snprintf(p, left, "spawn     task %u \"%s\" (parent %u)\n", e->task, ws_trace_string(rt, e->b), e->a);
        break;
    case WS_EV_POLL_BEGIN:
        if (e->depth == 0)
            snprintf(p, left, "poll      task %u %s%s\n", e->task, ws_trace_string(rt, e->b),
                     e->a ? "" : " (first poll)");
        else
            snprintf(p, left, "poll      %s%s\n", ws_trace_string(rt, e->b), e->c ? " (child)" : "");
        break;
    case WS_EV_POLL_END:
        if (e->detail == 0 && e->b)
            snprintf(p, left, "-> Pending at %s:%u\n", ws_trace_string(rt, e->c), e->b);
        else
            snprintf(p, left, "-> %s\n", e->detail ? "Ready" : "Pending");
        break;
    case WS_EV_WAKE:
        snprintf(p, left, "wake      task %u by %s (source %u, from task %u)\n", e->task,
                 ws_cause_name((ws_cause)e->detail), e->b, e->a);
        break;
    case WS_EV_TIMER:
        snprintf(p, left, "timer     #%u armed by task %u for %.3f ms\n", e->a, e->task,
                 (double)(((uint64_t)e->c << 32) | e->b) / 1e6);
        break;
    case WS_EV_HOST:
        snprintf(p, left, "host      op %u \"%s\" started by task %u\n", e->a, ws_trace_string(rt, e->b), e->task);
        break;
    case WS_EV_SETTLE:
        snprintf(p, left, "settle    op %u %s\n", e->a, e->detail == 1 ? "ok" : e->detail == 0 ? "error" : "ignored");
        break;
    case WS_EV_COMPLETE:
        snprintf(p, left, "complete  task %u %s\n", e->task,
                 e->detail == 0 ? "ok" : e->detail == 1 ? "error" : "cancelled");
        break;
    case WS_EV_ABORT: snprintf(p, left, "abort     task %u\n", e->task); break;
    case WS_EV_DROP: snprintf(p, left, "drop      task %u\n", e->task); break;
    case WS_EV_YIELD: snprintf(p, left, "yield     to the host (time slice used)\n"); break;
    case WS_EV_CANCEL:
        snprintf(p, left, "cancel    %s dropped %s (task %u)\n", ws_trace_string(rt, e->b),
                 e->detail ? "before it was ready" : "unpolled", e->task);
        break;
    default: /* a kind without a line of its own here: its name and raw fields */
        snprintf(p, left, "%-9s task %u (a %u, b %u, c %u)\n", ws_trace_kind_name((ws_trace_kind)e->kind), e->task,
                 e->a, e->b, e->c);
        break;
    }
}

void ws_trace_format(const ws_runtime *rt, void (*write)(void *ud, const char *s, size_t n), void *ud)
{
    if (!rt || !write)
        return;
    char buf[256];
    ws_trace_event e;
    uint32_t count = ws_trace_count(rt);
    for (uint32_t i = 0; i < count; i++) {
        ws_trace_read(rt, i, &e, 1);
        line(rt, &e, buf, sizeof buf);
        write(ud, buf, strlen(buf));
    }
    if (ws_trace_lost(rt)) {
        snprintf(buf, sizeof buf, "(%llu events lost: the trace ring was full)\n", (unsigned long long)ws_trace_lost(rt));
        write(ud, buf, strlen(buf));
    }
}
