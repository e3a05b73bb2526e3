/* test_trace_events.c: the text timeline of every event kind, the task numbers events carry, empty names,
 * what ws_trace_clear resets, and the time stamp of events recorded after tracing is switched on mid-run.
 *
 * Each test names the mutants of scripts/mutate.py that motivated it (file, function, the change); each fails on
 * them. */
#include <stdio.h>

#include "test_util.h"

typedef struct text {
    char s[16384];
    size_t n;
} text;
static void sink(void *ud, const char *s, size_t n)
{
    text *t = ud;
    assert_true(t->n + n < sizeof t->s);
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
}
#define HAS(t, needle)                                                                                            \
    do {                                                                                                          \
        if (!strstr((t)->s, (needle)))                                                                            \
            fail_msg("no \"%s\" in the trace:\n%s", (needle), (t)->s);                                            \
    } while (0)

static ws_id g_ops[4];
static int g_nops;
static int keep_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)rt;
    (void)f;
    g_ops[g_nops++] = id;
    return WS_OK;
}
static const ws_op_type ok_type = { "okop", WS_CAUSE_HOST, keep_start, NULL, NULL };
static const ws_op_type bad_type = { "badop", WS_CAUSE_FETCH, keep_start, NULL, NULL };

WS_ASYNC(worker, { ws_sleep nap; ws_op a; ws_op b; ws_yield y1; ws_yield y2; ws_join j; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 10);
    WS_AWAIT(&self->nap);
    ws_op_init(&self->a, &ok_type, NULL);
    ws_op_init(&self->b, &bad_type, NULL);
    ws_join2_init(&self->j, &self->a.base, &self->b.base);
    WS_AWAIT(&self->j);
    ws_bytes_free(cx->rt, ws_bytes_of(WS_OUT(&self->a)));
    ws_bytes_free(cx->rt, ws_bytes_of(WS_OUT(&self->b)));
    ws_clock_busy(cx->rt, WS_MS(3)); /* longer than the slice */
    ws_yield_init(&self->y1);
    WS_AWAIT(&self->y1);
    WS_RETURN_ERR(WS_EUSER - 1);
    WS_END();
}

/* Every kind of event, formatted: spawn, first and later polls, nested child polls, pending at an await point,
 * ready, wakes by cause, timers with their deadline and task, host operations started, settled ok, failed or
 * ignored, completions ok, error and cancelled, abort, drop, and the yield of a used-up slice.
 * Motivating mutants: trace_text.c:43 line(): the `e->detail == 1 ? "ok" : e->detail == 0 ? "error" : "ignored"` and
 * `e->detail == 0 ? "ok" : e->detail == 1 ? "error" : "cancelled"` constants, `e->depth == 0` -> `== 1`, the
 * indent `e->depth * 2` -> `* 1`; task_internal.h:61 ws__yield_wake's slow path `ws__wake(..., WS_CAUSE_SELF, 0)` with
 * the source 0 -> 1; the
 * deadline's `((uint64_t)e->c << 32) | e->b` (`<< 31`, `&`); task.c:17 ws__task_serial `!rt->ring_cap` negated (every
 * timer and host event names task 0); trace.c:118 ws__intern `return 0` -> `return 1` for an empty name. */
static void test_format_every_kind(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 512, 1);
    assert_int_equal(ws_runtime_configure(rt, 0, WS_MS(1)), WS_OK);
    g_nops = 0;
    worker w;
    WS_ASYNC_INIT(worker, &w);
    ws_task_handle hw;
    assert_int_equal(ws_spawn(rt, &w.ws_base, sizeof w, "worker", &hw), WS_OK);
    tu_probe p;
    tu_probe_init(&p, NULL, NULL, -1, 0);
    ws_task_handle hp;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "", &hp), WS_OK); /* an empty name */
    ws_ready r;
    ws_ready_init(&r, 4);
    assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "quick", NULL), WS_OK);
    tu_run(rt); /* the worker sleeps 10 ms (the clock jumps), then starts both operations */
    assert_int_equal(g_nops, 2);
    assert_int_equal(ws_task_abort(rt, hp.task), WS_OK);
    assert_int_equal(ws_op_complete(rt, g_ops[0], WS_OK, ws_bytes_new(rt, "fine", 4)), WS_OK);
    assert_int_equal(ws_op_complete(rt, g_ops[1], WS_EHOST, ws_bytes_new(rt, "boom", 4)), WS_OK);
    assert_int_equal(ws_op_complete(rt, ((ws_id)9 << 32) | 7, WS_OK, NULL), WS_ESTALE);
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, hw.task), WS_TASK_DONE);
    assert_int_equal(ws_trace_lost(rt), 0);

    text t = { .n = 0 };
    ws_trace_format(rt, sink, &t);
    if (getenv("TRACE_DUMP"))
        fputs(t.s, stderr);
    HAS(&t, "spawn     task 1 \"worker\" (parent 0)");
    HAS(&t, "spawn     task 2 \"\" (parent 0)");
    HAS(&t, "poll      task 1 worker\n");
    HAS(&t, "poll      sleep\n");
    HAS(&t, "poll      host_op (child)");
    HAS(&t, "-> Pending at ");
    HAS(&t, "-> Pending\n"); /* a nested future with no await point of its own (trace_text.c `&&` -> `||`) */
    HAS(&t, "-> Ready");
    HAS(&t, "wake      task 1 by timer (source 1, from task 0)");
    HAS(&t, "wake      task 1 by fetch");
    HAS(&t, "wake      task 1 by self (source 0, from task 1)");
    /* nested polls are indented two spaces a level (the seq numbers are those of this program) */
    HAS(&t, "#7       poll      sleep\n");
    HAS(&t, "#21        poll      host_op (child)\n");
    HAS(&t, "timer     #1 armed by task 1 for 10.000 ms");
    HAS(&t, "host      op 0 \"okop\" started by task 1");
    HAS(&t, "host      op 1 \"badop\" started by task 1");
    HAS(&t, "settle    op 0 ok");
    HAS(&t, "settle    op 1 error");
    HAS(&t, "settle    op 7 ignored");
    HAS(&t, "complete  task 3 ok");
    HAS(&t, "complete  task 1 error");
    HAS(&t, "complete  task 2 cancelled");
    HAS(&t, "abort     task 2");
    HAS(&t, "drop      task 2");
    HAS(&t, "yield     to the host (time slice used)");
    ws_future_drop(rt, &hw.base);
    ws_future_drop(rt, &hp.base);
    tu_rt_free(rt);
}

/* A deadline past 2^32 ns (4.3 s) keeps its high bits in the formatted timer line.
 * Motivating mutants: trace_text.c `(uint64_t)e->c << 32` -> `<< 31`, `|` -> `&`. */
static void test_format_long_deadline(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 64, 1);
    ws_sleep s;
    ws_sleep_init(&s, 5000);
    assert_int_equal(ws_spawn(rt, &s.base, sizeof s, "long", NULL), WS_OK);
    tu_run(rt);
    text t = { .n = 0 };
    ws_trace_format(rt, sink, &t);
    HAS(&t, "timer     #1 armed by task 1 for 5000.000 ms");
    tu_rt_free(rt);
}

/* NULL runtimes read as empty; a clear restarts the fair-select rotation, so two runs of one program in one
 * runtime trace alike. Motivating mutants (trace.c): ws_trace_lost `if (!rt) return 0` -> `return 1`;
 * ws_trace_clear `rt->select_seq = 0` -> `= 1`. */
static int64_t fair_winner(ws_runtime *rt)
{
    ws_context cx = tu_cx(rt);
    ws_ready a, b;
    ws_ready_init(&a, 0);
    ws_ready_init(&b, 1);
    ws_select sel;
    ws_select2_init(&sel, &a.base, &b.base, WS_SELECT_FAIR);
    assert_int_equal(ws_future_poll(&sel.base, &cx), WS_READY);
    ws_future_drop(rt, &sel.base);
    return sel.base.out;
}

static void test_clear_and_null(void **state)
{
    (void)state;
    /* a timer armed from outside any task names task 0 (task.c:18 ws__task_serial `return 0` for WS_ID_NONE -> 1) */
    ws_runtime *rt0 = tu_rt_opts(128, 64, 1);
    ws_context cx = tu_cx(rt0);
    ws_sleep s;
    ws_sleep_init(&s, 1);
    assert_int_equal(ws_future_poll(&s.base, &cx), WS_PENDING);
    ws_trace_event ev;
    assert_int_equal(ws_trace_read(rt0, 0, &ev, 1), 1);
    assert_int_equal(ev.kind, WS_EV_TIMER);
    assert_int_equal(ev.task, 0);
    ws_future_drop(rt0, &s.base);
    tu_rt_free(rt0);

    assert_int_equal(ws_trace_lost(NULL), 0);
    assert_int_equal(ws_trace_count(NULL), 0);
    assert_int_equal(ws_trace_string_count(NULL), 0);
    assert_string_equal(ws_trace_string(NULL, 1), "");
    /* a keep-first ring that overflowed: the clear forgets the losses too (trace.c `rt->ring_lost = 0` deleted) */
    ws_runtime *kf = tu_rt_opts(128, 16, 1);
    for (int i = 0; i < 10; i++) {
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(kf, &r.base, sizeof r, "r", NULL), WS_OK);
    }
    assert_int_equal(ws_trace_lost(kf), 4);
    ws_trace_clear(kf);
    assert_int_equal(ws_trace_lost(kf), 0);
    assert_int_equal(ws_trace_count(kf), 0);
    tu_run(kf);
    tu_rt_free(kf);

    ws_runtime *rt = tu_rt_opts(128, 64, 0);
    assert_int_equal(fair_winner(rt), 0);
    assert_int_equal(fair_winner(rt), 1);
    ws_trace_clear(rt);
    assert_int_equal(fair_winner(rt), 0);
    tu_rt_free(rt);
}

/* ---- tracing switched on inside a run, on a real clock ---- */

static ws_time g_now;
static ws_time fake_now(void *ud)
{
    (void)ud;
    return g_now += WS_MS(1);
}

WS_ASYNC(enabler, { int unused; })
{
    WS_BEGIN();
    ws_trace_enable(cx->rt, 1);
    ws_ready r;
    ws_ready_init(&r, 0);
    assert_int_equal(ws_spawn(cx->rt, &r.base, sizeof r, "child", NULL), WS_OK);
    WS_RETURN(0);
    WS_END();
}

/* A run with no timer and no tracing reads no clock before its first poll (see ws_runtime_run); switching tracing
 * on in that poll reads it then, so the events that follow carry the time of now, not 0.
 * Motivating mutant: trace.c:227 ws_trace_enable `rt->trace_now = ws__now(rt)` deleted. */
static void test_enable_inside_a_run(void **state)
{
    (void)state;
    g_now = WS_MS(5000);
    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &tu_allocator;
    o.host.now = fake_now;
    o.trace_capacity = 64;
    ws_runtime *rt = NULL;
    assert_int_equal(ws_runtime_new(&o, &rt), WS_OK);
    ws_trace_enable(rt, 0);
    enabler e;
    WS_ASYNC_INIT(enabler, &e);
    assert_int_equal(ws_spawn(rt, &e.ws_base, sizeof e, "enabler", NULL), WS_OK);
    ws_runtime_run(rt);
    ws_trace_event ev;
    assert_int_equal(ws_trace_read(rt, 0, &ev, 1), 1);
    assert_int_equal(ev.kind, WS_EV_SPAWN);
    assert_true(ev.t >= WS_MS(5000));
    assert_int_equal(ws_runtime_free(rt), WS_OK);
    assert_int_equal(tu_mem.live, 0);
}

/* ---- why a task was polled: a wake while it runs ---- */

WS_ASYNC(yields_once, { int unused; })
{
    WS_BEGIN();
    WS_YIELD();
    WS_RETURN(0);
    WS_END();
}

/* A task that wakes itself while it runs (a yield) is polled again for that wake: its next poll names it.
 * Motivating mutant: task.c:324 ws__wake, the RUNNING case's `!(t->flags & TASK_WOKEN) && seq1` with `&` -> `|`
 * (the link is never recorded for a running task: the poll names no wake). */
static void test_wake_while_running_is_linked(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 64, 1);
    yields_once y;
    WS_ASYNC_INIT(yields_once, &y);
    assert_int_equal(ws_spawn(rt, &y.ws_base, sizeof y, "y", NULL), WS_OK);
    tu_run(rt);
    ws_trace_event ev[64];
    uint32_t n = ws_trace_read(rt, 0, ev, 64);
    int begins = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ev[i].kind != WS_EV_POLL_BEGIN || ev[i].depth != 0)
            continue;
        begins++;
        assert_int_not_equal(ev[i].a, 0); /* every poll names the wake that queued it */
        assert_true(ev[i].a - 1 < i);
        const ws_trace_event *w = &ev[ev[i].a - 1];
        assert_int_equal(w->kind, WS_EV_WAKE);
        assert_int_equal(w->detail, begins == 1 ? WS_CAUSE_SPAWN : WS_CAUSE_SELF);
    }
    assert_int_equal(begins, 2);
    tu_rt_free(rt);
}

/* ---- from mutation run 3 (seed 20261201 on the sources with the toolbox) ---- */

/* A ring that lost events says so at the end of the text timeline, with the count. Motivating mutant:
 * trace_text.c:89 ws_trace_format's `snprintf(buf, ..., "(%llu events lost: ...)")` deleted (the last event's line
 * is written a second time instead). */
static void test_lost_events_line(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 16, 1);
    for (int i = 0; i < 10; i++) {
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "r", NULL), WS_OK);
    }
    assert_int_equal(ws_trace_lost(rt), 4);
    static text t;
    t.n = 0;
    t.s[0] = 0;
    ws_trace_format(rt, sink, &t);
    HAS(&t, "(4 events lost: the trace ring was full)\n");
    tu_run(rt);
    tu_rt_free(rt);
}

/* ws_trace_clear forgets the recorded wake of every queued task, not only the one in slot 0: after the clear, the
 * first poll of each names no wake (the wake it would name is gone). Motivating mutant: trace.c:210 ws_trace_clear
 * `i++` -> `i--` (the loop stops after slot 0: the task in slot 1 points at an event of the new ring). */
static void test_clear_forgets_every_wake(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 256, 0);
    tu_probe p0, p1;
    tu_probe_init(&p0, NULL, NULL, 1, 0);
    tu_probe_init(&p1, NULL, NULL, 1, 0);
    ws_task_handle h0, h1;
    assert_int_equal(ws_spawn(rt, &p0.base, sizeof p0, "p0", &h0), WS_OK);
    assert_int_equal(ws_spawn(rt, &p1.base, sizeof p1, "p1", &h1), WS_OK);
    tu_run(rt); /* both pending, woken by nobody */
    assert_int_equal((uint32_t)h1.task, 1);
    for (int i = 0; i < 8; i++) { /* events, so that a stale wake seq names one of the new ring */
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "r", NULL), WS_OK);
    }
    tu_run(rt);
    assert_int_equal(ws_task_wake(rt, h1.task, WS_CAUSE_HOST, 0), WS_OK);
    assert_int_equal(ws_task_wake(rt, h0.task, WS_CAUSE_HOST, 0), WS_OK);
    ws_trace_clear(rt);
    for (int i = 0; i < 8; i++) {
        ws_ready r;
        ws_ready_init(&r, 0);
        assert_int_equal(ws_spawn(rt, &r.base, sizeof r, "r", NULL), WS_OK);
    }
    tu_run(rt);
    assert_int_equal(ws_task_state_of(rt, h0.task), WS_TASK_DONE);
    assert_int_equal(ws_task_state_of(rt, h1.task), WS_TASK_DONE);
    uint32_t n = ws_trace_count(rt);
    int seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        ws_trace_event e;
        assert_int_equal(ws_trace_read(rt, i, &e, 1), 1);
        if (e.kind != WS_EV_POLL_BEGIN || e.depth != 0)
            continue;
        const char *name = ws_trace_string(rt, e.b);
        if (!strcmp(name, "probe")) {
            assert_int_equal(e.a, 0); /* its wake was recorded before the clear */
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    ws_future_drop(rt, &h0.base);
    ws_future_drop(rt, &h1.base);
    tu_rt_free(rt);
}


/* ---- from mutation run 4 (seed 20261202) ---- */

WS_ASYNC(inner_nap, { ws_sleep nap; })
{
    WS_BEGIN();
    ws_sleep_init(&self->nap, 5);
    WS_AWAIT(&self->nap); /* the await point the trace names for this nested future */
    WS_RETURN(1);
    WS_END();
}
WS_ASYNC(outer_nap, { inner_nap in; })
{
    WS_BEGIN();
    WS_ASYNC_INIT(inner_nap, &self->in);
    WS_AWAIT(&self->in);
    WS_RETURN(WS_OUT(&self->in) + 1);
    WS_END();
}

/* A nested future that is pending records where it waits (its file and line) in its poll's end event; one that is
 * ready records none. Motivating mutant: future.c:24 poll_traced `(!r && rt->suspend_file)` -> `(r && ...)` (the
 * await point of a pending nested poll is dropped: the timeline cannot say where a child waits). */
static void test_nested_await_point(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 256, 0);
    outer_nap o;
    WS_ASYNC_INIT(outer_nap, &o);
    assert_int_equal(ws_spawn(rt, &o.ws_base, sizeof o, "outer", NULL), WS_OK);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).completed, 1);
    uint32_t n = ws_trace_count(rt);
    int pending = 0, ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        ws_trace_event e;
        assert_int_equal(ws_trace_read(rt, i, &e, 1), 1);
        if (e.kind != WS_EV_POLL_END || e.depth != 1)
            continue; /* the inner function's polls, nested in the task's */
        if (e.detail == WS_PENDING) {
            pending++;
            assert_int_not_equal(e.c, 0);
            assert_non_null(strstr(ws_trace_string(rt, e.c), "test_trace_events.c"));
            assert_int_not_equal(e.b, 0); /* the line */
        } else {
            ready++;
            assert_int_equal(e.c, 0);
        }
    }
    assert_int_equal(pending, 1);
    assert_int_equal(ready, 1);
    tu_rt_free(rt);
}


/* ---- from mutation run 5 (seed 20261203) ---- */

WS_ASYNC(two_recvs, { ws_channel *ch; ws_recv r; })
{
    WS_BEGIN();
    ws_recv_init(&self->r, self->ch);
    WS_AWAIT(&self->r);
    ws_recv_init(&self->r, self->ch);
    WS_AWAIT(&self->r); /* the budget of 1 is used up: a self-wake, then the next poll */
    WS_RETURN(WS_OUT(&self->r));
    WS_END();
}

/* A task whose budget runs out is woken by itself from no other source (the wake's source is 0); a poll that
 * leaves a plain future (not an async function) pending names no await point (file 0). Motivating mutants:
 * task.c:369 ws_budget_exhausted `ws__wake(..., WS_CAUSE_SELF, 0)` -> `1` (the wake claims a source);
 * executor.c:37 poll_task_traced `: 0` -> `: 1` (a pending poll without an await point names the first interned
 * string as its file). */
static void test_budget_wake_and_plain_pending_poll(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(1, 256, 0);
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 2, &ch), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 1), WS_OK);
    assert_int_equal(ws_channel_try_send(ch, 2), WS_OK);
    two_recvs t;
    WS_ASYNC_INIT(two_recvs, &t);
    t.ch = ch;
    assert_int_equal(ws_spawn(rt, &t.ws_base, sizeof t, "two", NULL), WS_OK);
    tu_probe p; /* pending once, then woken from outside */
    tu_probe_init(&p, NULL, NULL, 1, 0);
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "plain", NULL), WS_OK);
    tu_run(rt);
    ws_waker w = tu_last_waker;
    ws_waker_wake(&w, WS_CAUSE_HOST, 0);
    tu_run(rt);
    assert_int_equal(tu_stats(rt).completed, 2);
    int self_wakes = 0, plain_pending = 0;
    for (uint32_t i = 0; i < ws_trace_count(rt); i++) {
        ws_trace_event e;
        assert_int_equal(ws_trace_read(rt, i, &e, 1), 1);
        if (e.kind == WS_EV_WAKE && e.detail == WS_CAUSE_SELF) {
            self_wakes++;
            assert_int_equal(e.b, 0);
        }
        if (e.kind == WS_EV_POLL_END && e.depth == 0 && e.detail == WS_PENDING && e.task == 2) {
            plain_pending++;
            assert_int_equal(e.c, 0);
            assert_int_equal(e.b, 0);
        }
    }
    assert_true(self_wakes >= 1);
    assert_int_equal(plain_pending, 1);
    ws_channel_sender_drop(ch);
    ws_channel_receiver_drop(ch);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_format_every_kind),
        TU_TEST(test_format_long_deadline),
        TU_TEST(test_clear_and_null),
        TU_TEST(test_enable_inside_a_run),
        TU_TEST(test_wake_while_running_is_linked),
        TU_TEST(test_lost_events_line),
        TU_TEST(test_clear_forgets_every_wake),
        TU_TEST(test_nested_await_point),
        TU_TEST(test_budget_wake_and_plain_pending_poll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
