/* test_trace.c: poll traces: join vs spawn, wake causes, await points, reproducibility, ring modes, text. */
#include "test_util.h"

static const unsigned JOIN_AWAIT_LINE = __LINE__ + 9; /* the WS_AWAIT(&self->j) below */

WS_ASYNC(join_naps, { ws_sleep a, b; ws_join j; })
{
    WS_BEGIN();
    ws_sleep_init(&self->a, 100);
    ws_sleep_init(&self->b, 200);
    ws_join2_init(&self->j, &self->a.base, &self->b.base);

    WS_AWAIT(&self->j);
    WS_RETURN(0);
    WS_END();
}

WS_ASYNC(spawn_naps, { ws_task_handle ha, hb; })
{
    WS_BEGIN();
    {
        ws_sleep s;
        ws_sleep_init(&s, 100);
        assert_int_equal(ws_spawn(cx->rt, &s.base, sizeof s, "nap100", &self->ha), WS_OK);
        ws_sleep_init(&s, 200);
        assert_int_equal(ws_spawn(cx->rt, &s.base, sizeof s, "nap200", &self->hb), WS_OK);
    }
    WS_AWAIT(&self->ha);
    WS_AWAIT(&self->hb);
    WS_RETURN(0);
    WS_END();
}

static uint32_t read_all(ws_runtime *rt, ws_trace_event **out)
{
    uint32_t n = ws_trace_count(rt);
    *out = calloc(n ? n : 1, sizeof **out);
    assert_non_null(*out);
    assert_int_equal(ws_trace_read(rt, 0, *out, n), n);
    return n;
}

static int count_kind(const ws_trace_event *e, uint32_t n, int kind)
{
    int c = 0;
    for (uint32_t i = 0; i < n; i++)
        c += e[i].kind == kind;
    return c;
}

/* Every depth-0 poll after a task's first names the wake that queued it. */
static void check_wake_links(ws_runtime *rt, const ws_trace_event *e, uint32_t n)
{
    (void)rt;
    uint8_t seen[64] = { 0 };
    int checked = 0;
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(e[i].seq, i); /* a fresh ring: seq == index */
        if (e[i].kind != WS_EV_POLL_BEGIN || e[i].depth != 0)
            continue;
        assert_true(e[i].task < 64);
        if (seen[e[i].task]) {
            assert_true(e[i].a != 0);
            uint32_t w = e[i].a - 1;
            assert_true(w < i);
            assert_int_equal(e[w].kind, WS_EV_WAKE);
            assert_int_equal(e[w].task, e[i].task);
            assert_true(e[w].detail < WS_CAUSE_COUNT);
            checked++;
        }
        seen[e[i].task] = 1;
    }
    assert_true(checked > 0);
}

static void test_join_one_task(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    join_naps f;
    WS_ASYNC_INIT(join_naps, &f);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "join", NULL, NULL), WS_OK);
    ws_trace_event *e;
    uint32_t n = read_all(rt, &e);
    assert_int_equal(ws_trace_lost(rt), 0);
    assert_int_equal(count_kind(e, n, WS_EV_SPAWN), 1);
    assert_int_equal(e[0].kind, WS_EV_SPAWN);
    assert_string_equal(ws_trace_string(rt, e[0].b), "join");
    assert_int_equal(e[0].a, 0);
    /* inside the task's polls (depth 0), nested polls of the two sleeps as children 1 and 2 */
    int in_poll = 0, child1 = 0, child2 = 0, depth0 = 0, pending_ends = 0;
    for (uint32_t i = 0; i < n; i++) {
        assert_true(e[i].task == 1 || e[i].task == 0);
        if (e[i].kind == WS_EV_POLL_BEGIN && e[i].depth == 0) {
            assert_false(in_poll);
            in_poll = 1;
            depth0++;
            assert_string_equal(ws_trace_string(rt, e[i].b), "join_naps");
        } else if (e[i].kind == WS_EV_POLL_END && e[i].depth == 0) {
            in_poll = 0;
            if (e[i].detail == WS_PENDING) {
                pending_ends++;
                assert_int_equal(e[i].b, JOIN_AWAIT_LINE);
                assert_string_equal(ws_trace_string(rt, e[i].c), __FILE__);
            } else {
                assert_int_equal(e[i].b, 0);
            }
        } else if (e[i].kind == WS_EV_POLL_BEGIN) {
            assert_true(in_poll);
            assert_true(e[i].depth >= 1);
            if (!strcmp(ws_trace_string(rt, e[i].b), "sleep")) {
                assert_int_equal(e[i].depth, 2);
                if (e[i].c == 1)
                    child1++;
                else if (e[i].c == 2)
                    child2++;
                else
                    fail_msg("sleep polled with child index %u", e[i].c);
            } else {
                assert_string_equal(ws_trace_string(rt, e[i].b), "join");
                assert_int_equal(e[i].depth, 1);
            }
        }
    }
    assert_int_equal(depth0, 3);
    assert_int_equal(pending_ends, 2);
    assert_int_equal(child1, 2); /* first poll, then the poll that finds it done */
    assert_int_equal(child2, 3);
    check_wake_links(rt, e, n);
    assert_int_equal(count_kind(e, n, WS_EV_TIMER), 2);
    assert_int_equal(count_kind(e, n, WS_EV_COMPLETE), 1);
    free(e);
    tu_rt_free(rt);
}

static void test_spawn_three_tasks(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    spawn_naps f;
    WS_ASYNC_INIT(spawn_naps, &f);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "main", NULL, NULL), WS_OK);
    ws_trace_event *e;
    uint32_t n = read_all(rt, &e);
    assert_int_equal(count_kind(e, n, WS_EV_SPAWN), 3);
    int children = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind != WS_EV_SPAWN)
            continue;
        if (e[i].task == 1) {
            assert_int_equal(e[i].a, 0);
        } else {
            assert_true(e[i].task == 2 || e[i].task == 3);
            assert_int_equal(e[i].a, 1); /* spawned by task 1 */
            assert_string_equal(ws_trace_string(rt, e[i].b), e[i].task == 2 ? "nap100" : "nap200");
            children++;
        }
    }
    assert_int_equal(children, 2);
    assert_int_equal(count_kind(e, n, WS_EV_COMPLETE), 3);
    /* task 1 is woken by its children finishing (cause TASK, source = the child's serial) */
    int task_wakes = 0;
    for (uint32_t i = 0; i < n; i++)
        if (e[i].kind == WS_EV_WAKE && e[i].task == 1 && e[i].detail == WS_CAUSE_TASK) {
            assert_true(e[i].b == 2 || e[i].b == 3);
            task_wakes++;
        }
    assert_int_equal(task_wakes, 2);
    check_wake_links(rt, e, n);
    free(e);
    tu_rt_free(rt);
}

/* ---- reproducibility ---- */

WS_ASYNC(chan_prog, { ws_channel *ch; ws_recv rx; ws_send tx; int i; ws_sleep s; int role; })
{
    WS_BEGIN();
    for (self->i = 0; self->i < 4; self->i++) {
        if (self->role == 0) {
            ws_send_init(&self->tx, self->ch, self->i);
            WS_AWAIT(&self->tx);
            ws_sleep_init(&self->s, 7);
            WS_AWAIT(&self->s);
        } else {
            ws_recv_init(&self->rx, self->ch);
            WS_AWAIT(&self->rx);
            WS_YIELD();
        }
    }
    if (self->role == 0)
        ws_channel_sender_drop(self->ch);
    WS_RETURN(0);
    WS_END();
}

static void run_program(ws_runtime *rt)
{
    uint32_t live0 = tu_stats(rt).tasks_live;
    join_naps j;
    WS_ASYNC_INIT(join_naps, &j);
    assert_int_equal(ws_spawn(rt, &j.ws_base, sizeof j, "join", NULL), WS_OK);
    spawn_naps s;
    WS_ASYNC_INIT(spawn_naps, &s);
    assert_int_equal(ws_spawn(rt, &s.ws_base, sizeof s, "spawner", NULL), WS_OK);
    ws_channel *ch;
    assert_int_equal(ws_channel_new(rt, 1, &ch), WS_OK);
    for (int role = 0; role < 2; role++) {
        chan_prog c;
        WS_ASYNC_INIT(chan_prog, &c);
        c.ch = ch;
        c.role = role;
        assert_int_equal(ws_spawn(rt, &c.ws_base, sizeof c, role ? "consumer" : "producer", NULL), WS_OK);
    }
    tu_run(rt);
    ws_channel_receiver_drop(ch);
    assert_int_equal(tu_stats(rt).tasks_live, live0);
    assert_int_equal(tu_stats(rt).objects_live, 0);
}

static char *format(ws_runtime *rt, size_t *len);

static void test_reproducible(void **state)
{
    (void)state;
    ws_runtime *r1 = tu_rt_opts(128, 4096, 1);
    ws_runtime *r2 = tu_rt_opts(128, 4096, 1);
    run_program(r1);
    run_program(r2);
    ws_trace_event *e1, *e2;
    uint32_t n1 = read_all(r1, &e1), n2 = read_all(r2, &e2);
    assert_int_equal(ws_trace_lost(r1), 0);
    assert_int_equal(n1, n2);
    assert_true(n1 > 50);
    assert_memory_equal(e1, e2, n1 * sizeof *e1);
    assert_int_equal(ws_trace_string_count(r1), ws_trace_string_count(r2));
    for (uint32_t i = 0; i < ws_trace_string_count(r1); i++)
        assert_string_equal(ws_trace_string(r1, i), ws_trace_string(r2, i));
    size_t l1, l2;
    char *t1 = format(r1, &l1), *t2 = format(r2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    free(t1);
    free(t2);

    /* again in r1, after ws_trace_clear: the same bytes */
    ws_trace_clear(r1);
    assert_int_equal(ws_trace_count(r1), 0);
    run_program(r1);
    ws_trace_event *e3;
    uint32_t n3 = read_all(r1, &e3);
    assert_int_equal(n3, n1);
    assert_memory_equal(e1, e3, n1 * sizeof *e1);
    t1 = format(r1, &l1);
    t2 = format(r2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    free(t1);
    free(t2);
    free(e1);
    free(e2);
    free(e3);
    assert_int_equal(ws_runtime_free(r1), WS_OK);
    tu_rt_free(r2); /* both gone: every byte back */
}

/* ws_trace_clear while tasks are alive: polls after the clear never point at an event from before it. */
static void test_clear_with_live_tasks(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    int polls = 0;
    tu_probe p;
    tu_probe_init(&p, &polls, NULL, -1, 0);
    ws_task_handle h;
    assert_int_equal(ws_spawn(rt, &p.base, sizeof p, "old", &h), WS_OK);
    run_program(rt); /* lots of events */
    uint32_t before = ws_trace_count(rt);
    assert_true(before > 100);
    assert_int_equal(ws_task_wake(rt, h.task, WS_CAUSE_HOST, 0), WS_OK); /* a WAKE late in the old trace */
    ws_trace_clear(rt);
    ws_sleep s;
    ws_sleep_init(&s, 1);
    assert_int_equal(ws_spawn(rt, &s.base, sizeof s, "new", NULL), WS_OK);
    tu_run(rt);
    assert_int_equal(polls, 2);
    ws_trace_event *e;
    uint32_t n = read_all(rt, &e);
    int old_polls = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind == WS_EV_POLL_BEGIN && e[i].depth == 0) {
            if (!strcmp(ws_trace_string(rt, e[i].b), "probe")) {
                old_polls++;
                assert_int_equal(e[i].a, 0); /* its wake was recorded before the clear */
            }
            if (e[i].a) { /* if it names a wake, it is a wake of this task in this trace */
                assert_true(e[i].a - 1 < i);
                assert_int_equal(e[e[i].a - 1].kind, WS_EV_WAKE);
                assert_int_equal(e[e[i].a - 1].task, e[i].task);
            }
        }
    }
    assert_int_equal(old_polls, 1);
    free(e);
    ws_future_drop(rt, &h.base);
    tu_rt_free(rt);
}

/* ---- ring modes ---- */

static void test_ring_modes(void **state)
{
    (void)state;
    /* how many events the program makes */
    ws_runtime *big = tu_rt_opts(128, 4096, 1);
    run_program(big);
    uint32_t total = ws_trace_count(big);
    ws_trace_event *all;
    read_all(big, &all);
    tu_rt_free(big);
    assert_true(total > 32);

    ws_runtime *kf = tu_rt_opts(128, 20, 1); /* rounded up to 32 */
    run_program(kf);
    uint32_t cap = 0;
    uint64_t written = 0;
    assert_non_null(ws_trace_ring(kf, &cap, &written));
    assert_int_equal(cap, 32);
    assert_int_equal(ws_trace_count(kf), 32);
    assert_int_equal(ws_trace_lost(kf), total - 32);
    ws_trace_event *e;
    read_all(kf, &e);
    assert_memory_equal(e, all, 32 * sizeof *e); /* the start of the run survives */
    free(e);
    tu_rt_free(kf);

    ws_runtime *ow = tu_rt_opts(128, 32, 0);
    run_program(ow);
    assert_int_equal(ws_trace_count(ow), 32);
    assert_int_equal(ws_trace_lost(ow), total - 32);
    assert_non_null(ws_trace_ring(ow, &cap, &written));
    assert_int_equal(written, total);
    read_all(ow, &e);
    for (uint32_t i = 0; i < 32; i++) {
        assert_int_equal(e[i].seq, total - 32 + i); /* the newest, oldest first */
        assert_memory_equal(&e[i], &all[total - 32 + i], sizeof *e);
    }
    assert_int_equal(ws_trace_read(ow, 30, e, 10), 2);
    assert_int_equal(ws_trace_read(ow, 32, e, 10), 0);
    free(e);
    free(all);
    tu_rt_free(ow);
}

/* ---- text ---- */

static void sink(void *ud, const char *s, size_t n)
{
    struct { char *p; size_t len, cap; } *b = ud;
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static char *format(ws_runtime *rt, size_t *len)
{
    struct { char *p; size_t len, cap; } b = { NULL, 0, 0 };
    sink(&b, "", 0);
    ws_trace_format(rt, sink, &b);
    *len = b.len;
    return b.p;
}

static void test_format(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    spawn_naps f;
    WS_ASYNC_INIT(spawn_naps, &f);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "main", NULL, NULL), WS_OK);
    size_t len;
    char *t = format(rt, &len);
    assert_true(len > 100);
    assert_non_null(strstr(t, "spawn"));
    assert_non_null(strstr(t, "poll"));
    assert_non_null(strstr(t, "wake"));
    assert_non_null(strstr(t, "\"nap100\""));
    assert_non_null(strstr(t, "by timer"));
    assert_non_null(strstr(t, "Pending at "));
    assert_non_null(strstr(t, "200.000 ms"));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += t[i] == '\n';
    assert_int_equal(lines, ws_trace_count(rt));
    free(t);
    assert_string_equal(ws_trace_kind_name(WS_EV_WAKE), "wake");
    assert_string_equal(ws_cause_name(WS_CAUSE_TIMER), "timer");
    tu_rt_free(rt);
}

/* A select whose slow side (a join of two sleeps) loses, and a sleep built and dropped without a poll. */
WS_ASYNC(race_and_drop, { ws_sleep idle, fast, slow_a, slow_b; ws_join slow; ws_select race; })
{
    WS_BEGIN();
    ws_sleep_init(&self->idle, 5);
    ws_future_drop(cx->rt, &self->idle.base); /* never polled */
    ws_sleep_init(&self->slow_a, 300);
    ws_sleep_init(&self->slow_b, 400);
    ws_join2_init(&self->slow, &self->slow_a.base, &self->slow_b.base);
    ws_sleep_init(&self->fast, 100);
    ws_select2_init(&self->race, &self->slow.base, &self->fast.base, WS_SELECT_BIASED);
    WS_AWAIT(&self->race);
    WS_RETURN(0);
    WS_END();
}

/* Dropping a future that is not ready inside a task's poll is a `cancel` event: the select's loser at the depth of
 * the select's children, what it was awaiting one deeper, a future dropped unpolled with polled = 0. A ready
 * future dropped, and the task's own future, are not cancels. */
static void test_cancel_events(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt_opts(128, 1024, 0);
    race_and_drop f;
    WS_ASYNC_INIT(race_and_drop, &f);
    assert_int_equal(ws_block_on(rt, &f.ws_base, sizeof f, "race", NULL, NULL), WS_OK);
    ws_trace_event *e;
    uint32_t n = read_all(rt, &e);
    int seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].kind != WS_EV_CANCEL)
            continue;
        const char *name = ws_trace_string(rt, e[i].b);
        assert_int_equal(e[i].task, 1);
        if (seen == 0) { /* the unpolled sleep, dropped by the task's own poll */
            assert_string_equal(name, "sleep");
            assert_int_equal(e[i].detail, 0);
            assert_int_equal(e[i].depth, 1);
            assert_int_equal(e[i].t, 0);
        } else if (seen == 1) { /* the select's loser, dropped while the select (depth 1) is polled */
            assert_string_equal(name, "join");
            assert_int_equal(e[i].detail, 1);
            assert_int_equal(e[i].depth, 2);
            assert_int_equal(e[i].t, 100 * WS_MS(1));
        } else { /* what the loser held, its two sleeps: one deeper */
            assert_string_equal(name, "sleep");
            assert_int_equal(e[i].detail, 1);
            assert_int_equal(e[i].depth, 3);
        }
        seen++;
    }
    assert_int_equal(seen, 4);
    assert_int_equal(count_kind(e, n, WS_EV_DROP), 0);
    free(e);
    size_t len;
    char *t = format(rt, &len);
    assert_non_null(strstr(t, "cancel    sleep dropped unpolled (task 1)"));
    assert_non_null(strstr(t, "cancel    join dropped before it was ready (task 1)"));
    free(t);
    tu_rt_free(rt);
}

static void test_tracing_off(void **state)
{
    (void)state;
    ws_runtime *rt = tu_rt(); /* capacity 0 */
    assert_false(ws_trace_enabled(rt));
    ws_trace_enable(rt, 1); /* no ring: stays off */
    assert_false(ws_trace_enabled(rt));
    run_program(rt);
    assert_int_equal(ws_trace_count(rt), 0);
    assert_int_equal(ws_trace_lost(rt), 0);
    size_t len;
    char *t = format(rt, &len);
    assert_int_equal(len, 0);
    free(t);
    tu_rt_free(rt);

    rt = tu_rt_opts(128, 256, 0);
    assert_true(ws_trace_enabled(rt));
    ws_trace_enable(rt, 0);
    run_program(rt);
    assert_int_equal(ws_trace_count(rt), 0);
    ws_trace_enable(rt, 1);
    ws_sleep s;
    ws_sleep_init(&s, 1);
    assert_int_equal(ws_block_on(rt, &s.base, sizeof s, "on", NULL, NULL), WS_OK);
    assert_true(ws_trace_count(rt) > 0);
    tu_rt_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU_TEST(test_join_one_task),
        TU_TEST(test_spawn_three_tasks),
        TU_TEST(test_reproducible),
        TU_TEST(test_clear_with_live_tasks),
        TU_TEST(test_ring_modes),
        TU_TEST(test_format),
        TU_TEST(test_tracing_off),
        TU_TEST(test_cancel_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
