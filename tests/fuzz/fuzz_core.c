/* fuzz_core.c: libFuzzer target for the core. The input is a program of operations over a small world: up to
 * MAX_TASKS tasks of one generic "scripted" async function, a few channels and notifies, host operations, the
 * trace, and either the virtual clock or a fake real one (host hooks whose clock moves a fixed tick per reading,
 * which drives the real-clock paths: clock batching, lazy first reading, slices, the host timer). Invariants checked (abort() on violation, so libFuzzer reports it):
 *   - every join handle resolves at most once, and with its own task's output or WS_ECANCELED;
 *   - a host operation is cancelled at most once, never after it was completed;
 *   - the toolbox: a semaphore's available + held permits always equal the permits it was given, releasing more
 *     than are held fails with WS_ENOTHELD and changes nothing; a JoinSet returns each task at most once, with a
 *     code from its contract; a token seen cancelled by cancelled() reports itself cancelled; a broadcast receiver
 *     sees increasing values with gaps exactly equal to the WS_ELAGGED counts; a watch receiver sees increasing
 *     values;
 *   - stats stay consistent (tasks_live, spawned, completed + aborted);
 *   - after every step, every wait list (the senders blocked on each channel, the waiters of each notify) is a
 *     well-formed FIFO: one head, next and prev links that agree, every waiter marked linked is in its list;
 *   - after a run that left nothing runnable, no sender waits on a channel that has room (a lost wakeup);
 *     corpus/seed_channel_head_send leads straight to the state where issue 18's lost wakeup happened (three
 *     senders queued on a full channel, the second polled spuriously while the first was woken for the room);
 *   - when the world drops the sender of a oneshot, a watch or a broadcast, every task whose recv (changed) on it
 *     was pending is queued at once (a lost wakeup otherwise; the timeouts around them would hide it);
 *     corpus/seed_broadcast_last_sender and corpus/seed_oneshot_sender_drop reach it in a few steps (the mutants
 *     broadcast.c `--b->senders == 0` -> `== 1` and oneshot.c sender_drop's wake deleted fail there);
 *   - ws_runtime_free succeeds and every byte goes back to the allocator;
 *   - no stale access (ASan/UBSan, the core's own asserts are on in this build).
 * Build and run: tests/fuzz/run.sh SECONDS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasync.h"

#define MAX_TASKS 16
#define MAX_IDS 64
#define MAX_HANDLES 16
#define MAX_CH 4
#define MAX_NOTIFY 2
#define MAX_OPS 64
#define MAX_STEPS 6
#define MAX_TOKENS 4

#define CHECK(c)                                                                                                \
    do {                                                                                                        \
        if (!(c)) {                                                                                             \
            fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);                          \
            abort();                                                                                            \
        }                                                                                                       \
    } while (0)

/* ---- allocator: counts bytes, can fail one chosen allocation ---- */

static size_t mem_live;

/* The fake host of the real-clock mode. */
static struct {
    ws_time now, tick;
    ws_time armed;
    int arms, requests;
} FH;
static ws_time fh_now(void *ud)
{
    (void)ud;
    FH.now += FH.tick; /* every reading moves time, so a busy loop ends and timers come due */
    return FH.now;
}
static void fh_arm(void *ud, ws_time deadline)
{
    (void)ud;
    FH.armed = deadline;
    FH.arms++;
}
static void fh_request(void *ud)
{
    (void)ud;
    FH.requests++;
}
static uint64_t mem_calls, mem_fail_at;

static void *fz_alloc(void *ud, size_t size)
{
    (void)ud;
    if (++mem_calls == mem_fail_at)
        return NULL;
    size_t *p = malloc(size + 16);
    if (!p)
        return NULL;
    p[0] = size;
    mem_live += size;
    return (char *)p + 16;
}
static void fz_free(void *ud, void *ptr)
{
    (void)ud;
    if (!ptr)
        return;
    size_t *p = (size_t *)((char *)ptr - 16);
    CHECK(mem_live >= p[0]);
    mem_live -= p[0];
    free(p);
}
static void *fz_realloc(void *ud, void *ptr, size_t size)
{
    if (!ptr)
        return fz_alloc(ud, size);
    if (++mem_calls == mem_fail_at)
        return NULL;
    size_t *p = (size_t *)((char *)ptr - 16);
    size_t old = p[0];
    size_t *q = realloc(p, size + 16);
    if (!q)
        return NULL;
    q[0] = size;
    mem_live = mem_live - old + size;
    return (char *)q + 16;
}
static const ws_allocator fz_allocator = { fz_alloc, fz_realloc, fz_free, NULL };

/* ---- the world ---- */

enum { H_EMPTY = 0, H_WORLD, H_TASK };

typedef struct handle_slot {
    int state;              /* H_* */
    ws_task_handle h;       /* valid while H_WORLD */
    int task_idx;           /* the world task index it belongs to (its output is 1000 + idx) */
    int resolved;
} handle_slot;

/* The task_done host hook: counted, and checked against the runtime's own count of finished tasks. */
static uint64_t fz_done_calls;
static void fz_task_done(void *ud, ws_id task)
{
    (void)ud;
    CHECK(task != WS_ID_NONE);
    fz_done_calls++;
}

static struct world {
    ws_runtime *rt;
    ws_id ids[MAX_IDS];     /* every task id ever spawned (most are stale sooner or later) */
    int nids;
    int ntasks;             /* scripted tasks spawned (world task index) */
    uint64_t spawned;       /* successful spawns */
    handle_slot handles[MAX_HANDLES];
    ws_channel *ch[MAX_CH]; /* NULL once the world holds no reference */
    int ch_sender[MAX_CH], ch_receiver[MAX_CH];
    int nch;
    ws_notify *nt[MAX_NOTIFY];
    int nnt;
    ws_oneshot *os_pending;  /* a oneshot whose receiver nobody has taken yet (the world holds its sender too) */
    ws_oneshot *os_sender;   /* the world's sender, while it has one */
    ws_id ops[MAX_OPS];
    int op_completed[MAX_OPS], op_cancelled[MAX_OPS];
    int nops;
    uint32_t ch_cap[MAX_CH];         /* capacity of the channel created at each index */
    ws_channel *ch_made[MAX_CH];     /* ...and its address, even once the world has let go of it */
    ws_send *sends[MAX_TASKS];       /* the send each script task is waiting on, if any (inside the task) */
    ws_notified *notifieds[MAX_TASKS];
    /* the recv each script task is waiting on in a oneshot, watch or broadcast, and the task's id: when the world
     * drops the sender, each of them that is pending must have its task queued (no lost wakeup) */
    ws_oneshot_recv *os_recvs[MAX_TASKS];
    ws_changed *changeds[MAX_TASKS];
    ws_broadcast_recv *brecvs[MAX_TASKS];
    ws_id task_id[MAX_TASKS];
    /* the toolbox */
    ws_semaphore *sem;       /* while the world holds its reference */
    uint32_t sem_total;      /* permits given to it (initial + added) */
    uint32_t sem_held;       /* permits the world itself holds (try_acquire) */
    ws_token *tok[MAX_TOKENS];
    ws_watch *watch;         /* while the world holds the sender */
    int64_t watch_value;
    ws_broadcast *bc;        /* while the world holds the sender */
    int64_t bc_value;
    ws_joinset set;          /* the world's JoinSet (a freed one stays here: later calls must see WS_ECLOSED) */
    ws_id set_returned[MAX_IDS];
    int nset_returned;
} W;

static int find_op(ws_id id)
{
    for (int i = 0; i < W.nops; i++)
        if (W.ops[i] == id)
            return i;
    return -1;
}

static int op_start(ws_runtime *rt, ws_id id, ws_op *f)
{
    CHECK(find_op(id) < 0); /* a fresh id (generation-checked) */
    CHECK(ws_op_future(rt, id) == f);
    if (W.nops < MAX_OPS) {
        W.op_completed[W.nops] = W.op_cancelled[W.nops] = 0;
        W.ops[W.nops++] = id;
    }
    uintptr_t mode = (uintptr_t)f->arg;
    if (mode == 1)
        return WS_EHOST; /* start fails */
    if (mode == 2) {     /* completes at once */
        int i = find_op(id);
        int rc = ws_op_complete(rt, id, WS_OK, ws_bytes_new(rt, "sync", 4));
        CHECK(rc == WS_OK);
        if (i >= 0)
            W.op_completed[i]++;
    }
    return WS_OK;
}
static void op_cancel(ws_runtime *rt, ws_id id, ws_op *f)
{
    (void)f;
    CHECK(!ws_op_is_live(rt, id));
    int i = find_op(id);
    if (i >= 0) {
        CHECK(W.op_cancelled[i] == 0);
        CHECK(W.op_completed[i] == 0);
        W.op_cancelled[i]++;
    }
}
static const ws_op_type fz_op_type = { "fuzz_op", WS_CAUSE_HOST, op_start, op_cancel, NULL };

static void record_resolution(int k, int64_t out, int err)
{
    handle_slot *hs = &W.handles[k];
    CHECK(hs->resolved == 0);
    hs->resolved++;
    CHECK(err == WS_OK || err == WS_ECANCELED);
    if (err == WS_OK)
        CHECK(out == 1000 + hs->task_idx);
}

/* ---- the scripted task ---- */

enum { S_SLEEP, S_YIELD, S_SEND, S_RECV, S_NOTIFIED, S_TIMEOUT, S_SELECT, S_JOIN, S_HANDLE, S_OP, S_READY, S_SPAWN,
       S_ABORT_SELF, S_BUSY, S_ABORT_OTHER, S_WAKE_OTHER, S_INTERVAL, S_ONESHOT,
       S_WITH_PERMIT, S_ACQUIRE, S_CANCELLED, S_CHANGED, S_BRECV, S_JOIN_NEXT, S_COUNT };

static void script_drop(ws_runtime *rt, ws_future *f);

WS_ASYNC_WITH_DROP(script, script_drop, {
    int idx;
    uint8_t nsteps, pc;
    uint8_t op[MAX_STEPS], arg[MAX_STEPS];
    ws_channel *chs[MAX_CH];    /* channels we hold a sender reference to (which keeps them alive) */
    int handle_k;               /* world handle slot moved into us, or -1 */
    ws_task_handle h;
    int i;
    ws_semaphore *held_sem;     /* permits we hold from a raw acquire (the drop hook gives them back) */
    ws_semaphore *acq_sem;      /* the semaphore of the acquire in flight */
    uint32_t held_n;
    ws_token *tok;              /* our own child token (a reference), or NULL */
    ws_watch_rx wrx;            /* subscribed when wrx.w != NULL */
    uint8_t jops_live;          /* awaiting a join of host operations (u.jops): the drop hook frees their outputs */
    int64_t wlast;
    ws_broadcast_rx brx;        /* subscribed when brx.b != NULL */
    int64_t blast, blag;
    union {
        ws_sleep sleep;
        ws_yield y;
        ws_send send;
        ws_recv recv;
        ws_notified nf;
        struct { ws_timeout to; ws_recv r; } to;
        struct { ws_select sel; ws_recv r; ws_sleep s; } sel;
        struct { ws_join j; ws_sleep s; ws_recv r; } join;
        struct { ws_join j; ws_op o[2]; ws_sleep s; ws_future *c[3]; } jops;
        ws_op op;
        ws_ready ready;
        struct { ws_interval iv; ws_tick tick; } iv;
        ws_oneshot_recv os;
        struct { ws_with_permit wp; ws_sleep s; } wp;
        ws_acquire acq;
        struct { ws_selector sel; ws_cancelled c; ws_sleep s; } xs;
        struct { ws_timeout to; ws_changed ch; } wch;
        struct { ws_timeout to; ws_broadcast_recv r; } br;
        struct { ws_timeout to; ws_join_next n; } jn;
    } u;
})
{
    WS_BEGIN();
    for (self->pc = 0; self->pc < self->nsteps; self->pc++) {
        uint8_t op = self->op[self->pc], a = self->arg[self->pc];
        int k = a % MAX_CH;
        ws_channel *ch = self->chs[k];
        if (op == S_SLEEP) {
            ws_sleep_init(&self->u.sleep, a % 40);
            WS_AWAIT(&self->u.sleep);
        } else if (op == S_YIELD) {
            ws_yield_init(&self->u.y);
            WS_AWAIT(&self->u.y);
        } else if (op == S_SEND && ch) {
            ws_send_init(&self->u.send, ch, a);
            W.sends[self->idx] = &self->u.send; /* for the wait-list checks; the task does not move */
            WS_AWAIT(&self->u.send);
            W.sends[self->idx] = NULL;
        } else if (op == S_RECV && ch) {
            ws_recv_init(&self->u.recv, ch);
            WS_AWAIT(&self->u.recv);
        } else if (op == S_NOTIFIED && W.nt[a % MAX_NOTIFY]) {
            ws_notified_init(&self->u.nf, W.nt[a % MAX_NOTIFY]);
            W.notifieds[self->idx] = &self->u.nf;
            WS_AWAIT(&self->u.nf);
            W.notifieds[self->idx] = NULL;
        } else if (op == S_TIMEOUT && ch) {
            ws_recv_init(&self->u.to.r, ch);
            ws_timeout_init(&self->u.to.to, &self->u.to.r.base, a % 30);
            WS_AWAIT(&self->u.to.to);
        } else if (op == S_SELECT && ch) {
            ws_recv_init(&self->u.sel.r, ch);
            ws_sleep_init(&self->u.sel.s, a % 25);
            ws_select2_init(&self->u.sel.sel, &self->u.sel.r.base, &self->u.sel.s.base,
                            (a & 64) ? WS_SELECT_FAIR : WS_SELECT_BIASED);
            WS_AWAIT(&self->u.sel.sel);
        } else if (op == S_JOIN && ch) {
            ws_sleep_init(&self->u.join.s, a % 20);
            ws_recv_init(&self->u.join.r, ch);
            if (a & 128)
                ws_try_join2_init(&self->u.join.j, &self->u.join.s.base, &self->u.join.r.base);
            else
                ws_join2_init(&self->u.join.j, &self->u.join.s.base, &self->u.join.r.base);
            WS_AWAIT(&self->u.join.j);
        } else if (op == S_JOIN && !ch) {
            /* A join of two host operations (completed by the world, at once, or failing to start) and maybe a
             * sleep: the join polls each operation only once it completed (child notices), the sleep every time. */
            for (self->i = 0; self->i < 2; self->i++) {
                uintptr_t mode = (uintptr_t)((a >> (2 * self->i)) % 4);
                ws_op_init(&self->u.jops.o[self->i], &fz_op_type, (void *)(mode == 3 ? 0 : mode));
                self->u.jops.c[self->i] = &self->u.jops.o[self->i].base;
            }
            ws_sleep_init(&self->u.jops.s, a % 20);
            self->u.jops.c[2] = &self->u.jops.s.base;
            if (a & 128)
                CHECK(ws_try_join_all_init(&self->u.jops.j, self->u.jops.c, (a & 32) ? 3 : 2) == WS_OK);
            else
                CHECK(ws_join_all_init(&self->u.jops.j, self->u.jops.c, (a & 32) ? 3 : 2) == WS_OK);
            self->jops_live = 1;
            WS_AWAIT(&self->u.jops.j);
            self->jops_live = 0;
            /* (locals do not survive an await: the step's argument is read again) */
            CHECK(WS_ERR(&self->u.jops.j) != WS_OK || WS_OUT(&self->u.jops.j) == ((self->arg[self->pc] & 32) ? 3 : 2));
            for (self->i = 0; self->i < 2; self->i++) {
                ws_future *o = &self->u.jops.o[self->i].base;
                CHECK(ws_future_is_ready(o) || WS_ERR(&self->u.jops.j) != WS_OK); /* a join ends with all ready */
                if (ws_future_is_ready(o))
                    ws_bytes_free(cx->rt, ws_bytes_of(WS_OUT(o))); /* the outputs are ours */
            }
        } else if (op == S_HANDLE && self->handle_k >= 0) {
            WS_AWAIT(&self->h);
            record_resolution(self->handle_k, WS_OUT(&self->h), WS_ERR(&self->h));
            self->handle_k = -1;
        } else if (op == S_OP) {
            ws_op_init(&self->u.op, &fz_op_type, (void *)(uintptr_t)(a % 4 == 3 ? 0 : a % 4));
            WS_AWAIT(&self->u.op);
            if (WS_ERR(&self->u.op) == WS_OK || WS_OUT(&self->u.op))
                ws_bytes_free(cx->rt, ws_bytes_of(WS_OUT(&self->u.op))); /* the output is ours */
        } else if (op == S_READY) {
            for (self->i = 0; self->i < (self->arg[self->pc] % 8) * 40; self->i++) {
                ws_ready_init(&self->u.ready, self->i);
                WS_AWAIT(&self->u.ready);
                CHECK(WS_OUT(&self->u.ready) == self->i);
            }
        } else if (op == S_SPAWN) {
            ws_sleep s;
            ws_sleep_init(&s, a % 10);
            int rc = ws_spawn(cx->rt, &s.base, sizeof s, "child_sleep", NULL);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
            if (rc == WS_OK)
                W.spawned++;
        } else if (op == S_ABORT_SELF) {
            CHECK(ws_task_abort(cx->rt, cx->task) == WS_OK);
            CHECK(ws_task_state_of(cx->rt, cx->task) == WS_TASK_RUNNING);
            WS_YIELD(); /* never resumed: dropped at the next scheduling point */
            CHECK(0 && "resumed after aborting itself");
        } else if (op == S_INTERVAL) {
            ws_interval_init(&self->u.iv.iv, a % 7 + 1);
            for (self->i = 0; self->i < self->arg[self->pc] % 4; self->i++) {
                ws_interval_tick(&self->u.iv.iv, &self->u.iv.tick);
                WS_AWAIT(&self->u.iv.tick);
                CHECK(WS_OUT(&self->u.iv.tick) == self->i);
                CHECK(self->u.iv.iv.ticks == (uint64_t)self->i + 1);
            }
        } else if (op == S_ONESHOT && W.os_pending) {
            /* take the world's pending oneshot receiver; the world keeps (and may use or drop) the sender */
            ws_oneshot_recv_init(&self->u.os, W.os_pending);
            W.os_pending = NULL;
            W.os_recvs[self->idx] = &self->u.os;
            W.task_id[self->idx] = cx->task;
            WS_AWAIT(&self->u.os);
            W.os_recvs[self->idx] = NULL;
            CHECK(WS_ERR(&self->u.os) == WS_ECLOSED || (WS_ERR(&self->u.os) == WS_OK && WS_OUT(&self->u.os) == 77));
        } else if (op == S_WITH_PERMIT && W.sem) {
            ws_sleep_init(&self->u.wp.s, a % 20);
            ws_with_permit_init(&self->u.wp.wp, W.sem, a % 3, &self->u.wp.s.base);
            WS_AWAIT(&self->u.wp.wp);
            CHECK(WS_ERR(&self->u.wp.wp) == WS_OK || WS_ERR(&self->u.wp.wp) == WS_ECLOSED ||
                  WS_ERR(&self->u.wp.wp) == WS_ENOMEM); /* a timer that could not be armed */
        } else if (op == S_ACQUIRE && (self->held_sem || W.sem)) {
            if (self->held_sem) { /* give back what we hold; too many must fail without changing anything */
                uint32_t before = ws_semaphore_held(self->held_sem);
                CHECK(before >= self->held_n);
                CHECK(ws_semaphore_release(self->held_sem, before + 1) == WS_ENOTHELD);
                CHECK(ws_semaphore_held(self->held_sem) == before);
                ws_semaphore *s = self->held_sem;
                uint32_t n = self->held_n;
                self->held_sem = NULL;
                self->held_n = 0;
                CHECK(ws_semaphore_release(s, n) == WS_OK); /* may free it: s is not used after this */
            } else {
                ws_acquire_init(&self->u.acq, W.sem, a % 3);
                self->acq_sem = W.sem; /* the world may let go of it (or make another) while we wait */
                WS_AWAIT(&self->u.acq);
                if (WS_ERR(&self->u.acq) == WS_OK) { /* (locals such as `a` do not survive an await) */
                    self->held_n = self->arg[self->pc] % 3;
                    CHECK(WS_OUT(&self->u.acq) == self->held_n);
                    self->held_sem = self->acq_sem; /* held permits keep it alive even if nobody refers to it */
                    if (self->held_n == 0)
                        self->held_sem = NULL;
                } else {
                    CHECK(WS_ERR(&self->u.acq) == WS_ECLOSED);
                }
            }
        } else if (op == S_CANCELLED && (self->tok || W.tok[a % MAX_TOKENS])) {
            if (!self->tok) {
                int rc = ws_token_child(W.tok[a % MAX_TOKENS], &self->tok);
                CHECK(rc == WS_OK || rc == WS_ENOMEM);
            }
            if (self->tok) {
                ws_cancelled_init(&self->u.xs.c, self->tok);
                ws_sleep_init(&self->u.xs.s, a % 30);
                WS_SELECT(&self->u.xs.sel, (a & 64) ? WS_SELECT_FAIR : WS_SELECT_BIASED,
                          WS_BRANCH(&self->u.xs.c),
                          WS_BRANCH(&self->u.xs.s));
                CHECK(WS_SELECTED(&self->u.xs.sel) < 2);
                if (WS_SELECTED(&self->u.xs.sel) == 0)
                    CHECK(ws_token_is_cancelled(self->tok));
            }
        } else if (op == S_CHANGED && (self->wrx.w || W.watch)) {
            if (!self->wrx.w) {
                CHECK(ws_watch_subscribe(W.watch, &self->wrx) == WS_OK);
                self->wlast = ws_watch_borrow(&self->wrx);
            }
            ws_changed_init(&self->u.wch.ch, &self->wrx);
            ws_timeout_at_init(&self->u.wch.to, &self->u.wch.ch.base, ws_clock_now(cx->rt) + WS_MS(a % 30));
            W.changeds[self->idx] = &self->u.wch.ch;
            W.task_id[self->idx] = cx->task;
            WS_AWAIT(&self->u.wch.to);
            W.changeds[self->idx] = NULL;
            if (WS_ERR(&self->u.wch.to) == WS_OK) {
                CHECK(WS_OUT(&self->u.wch.to) > self->wlast); /* the world sends increasing values */
                self->wlast = WS_OUT(&self->u.wch.to);
            } else {
                CHECK(WS_ERR(&self->u.wch.to) == WS_ETIMEDOUT || WS_ERR(&self->u.wch.to) == WS_ECLOSED ||
                      WS_ERR(&self->u.wch.to) == WS_ENOMEM);
            }
        } else if (op == S_BRECV && (self->brx.b || W.bc)) {
            if (!self->brx.b)
                CHECK(ws_broadcast_subscribe(W.bc, &self->brx) == WS_OK);
            ws_broadcast_recv_init(&self->u.br.r, &self->brx);
            ws_timeout_init(&self->u.br.to, &self->u.br.r.base, a % 30);
            W.brecvs[self->idx] = &self->u.br.r;
            W.task_id[self->idx] = cx->task;
            WS_AWAIT(&self->u.br.to);
            W.brecvs[self->idx] = NULL;
            int err = WS_ERR(&self->u.br.to);
            int64_t v = WS_OUT(&self->u.br.to);
            if (err == WS_ELAGGED) {
                CHECK(v > 0);
                self->blag += v;
            } else if (err == WS_OK) {
                CHECK(self->blast == 0 || v == self->blast + 1 + self->blag); /* gaps are exactly the lags */
                self->blast = v;
                self->blag = 0;
            } else {
                CHECK(err == WS_ETIMEDOUT || err == WS_ECLOSED || err == WS_ENOMEM);
            }
        } else if (op == S_JOIN_NEXT) {
            ws_join_next_init(&self->u.jn.n, &W.set);
            ws_timeout_init(&self->u.jn.to, &self->u.jn.n.base, a % 30);
            WS_AWAIT(&self->u.jn.to);
            int err = WS_ERR(&self->u.jn.to);
            CHECK(err == WS_OK || err == WS_ECANCELED || err == WS_ECLOSED || err == WS_EEMPTY ||
                  err == WS_ETIMEDOUT || err == WS_ENOMEM);
            if (err == WS_OK || err == WS_ECANCELED) {
                ws_id id = self->u.jn.n.task;
                CHECK(id != WS_ID_NONE);
                for (int j = 0; j < W.nset_returned; j++)
                    CHECK(W.set_returned[j] != id); /* each task is returned once */
                if (W.nset_returned < MAX_IDS)
                    W.set_returned[W.nset_returned++] = id;
            }
        } else if (op == S_BUSY) {
            ws_clock_busy(cx->rt, WS_MS(a % 15));
        } else if (op == S_ABORT_OTHER && W.nids) {
            int rc = ws_task_abort(cx->rt, W.ids[a % W.nids]);
            CHECK(rc == WS_OK || rc == WS_ESTALE);
        } else if (op == S_WAKE_OTHER && W.nids) {
            int rc = ws_task_wake(cx->rt, W.ids[a % W.nids], WS_CAUSE_TASK, 0);
            CHECK(rc == WS_OK || rc == WS_ESTALE);
        }
    }
    WS_RETURN(1000 + self->idx);
    WS_END();
}

static void script_drop(ws_runtime *rt, ws_future *f)
{
    script *s = (script *)f;
    ws_async_drop(rt, f); /* first the child it waits on (it may point into a channel we keep alive) */
    if (s->jops_live) { /* the outputs of the join's operations that finished are ours */
        for (int i = 0; i < 2; i++)
            if (ws_future_is_ready(&s->u.jops.o[i].base))
                ws_bytes_free(rt, ws_bytes_of(WS_OUT(&s->u.jops.o[i])));
        s->jops_live = 0;
    }
    W.sends[s->idx] = NULL;
    W.notifieds[s->idx] = NULL;
    W.os_recvs[s->idx] = NULL;
    W.changeds[s->idx] = NULL;
    W.brecvs[s->idx] = NULL;
    if (s->handle_k >= 0) {
        ws_future_drop(rt, &s->h.base); /* never awaited to the end: detach */
        s->handle_k = -1;
    }
    for (int k = 0; k < MAX_CH; k++) {
        if (s->chs[k])
            ws_channel_sender_drop(s->chs[k]);
        s->chs[k] = NULL;
    }
    /* WS_ASYNC_WITH_DROP: what we hold across awaits goes back whatever state we are dropped in */
    if (s->held_sem) {
        CHECK(ws_semaphore_release(s->held_sem, s->held_n) == WS_OK);
        s->held_sem = NULL;
    }
    if (s->tok) {
        ws_token_drop(s->tok);
        s->tok = NULL;
    }
    ws_watch_rx_drop(&s->wrx);
    ws_broadcast_rx_drop(&s->brx);
}

/* ---- the interpreter ---- */

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static int next(input *in)
{
    if (!in->n)
        return -1;
    in->n--;
    return *in->p++;
}
static uint8_t byte(input *in)
{
    int b = next(in);
    return b < 0 ? 0 : (uint8_t)b;
}

static ws_context outside(void)
{
    ws_context cx = ws_context_outside(W.rt);
    return cx;
}

static int free_handle_slot(void)
{
    for (int k = 0; k < MAX_HANDLES; k++)
        if (W.handles[k].state == H_EMPTY && !W.handles[k].resolved)
            return k;
    return -1;
}

static void note_id(ws_id id)
{
    if (W.nids < MAX_IDS)
        W.ids[W.nids++] = id;
    else
        W.ids[id % MAX_IDS] = id;
}

static void do_spawn(input *in)
{
    uint8_t b0 = byte(in), flags = byte(in), chmask = byte(in);
    script f;
    WS_ASYNC_INIT(script, &f);
    f.idx = W.ntasks;
    f.nsteps = (uint8_t)(b0 % MAX_STEPS + 1);
    f.pc = 0;
    f.i = 0;
    for (int i = 0; i < f.nsteps; i++) {
        f.op[i] = byte(in) % S_COUNT;
        f.arg[i] = byte(in);
    }
    for (int k = 0; k < MAX_CH; k++) {
        f.chs[k] = NULL;
        if (((chmask >> k) & 1) && W.ch[k] && ws_channel_sender_clone(W.ch[k]) == WS_OK)
            f.chs[k] = W.ch[k];
    }
    f.handle_k = -1;
    f.jops_live = 0;
    f.held_sem = NULL;
    f.held_n = 0;
    f.tok = NULL;
    f.wrx.w = NULL;
    f.brx.b = NULL;
    f.wlast = f.blast = f.blag = 0;
    int move = -1;
    if (flags & 2) {
        int k = (flags >> 2) % MAX_HANDLES;
        if (W.handles[k].state == H_WORLD)
            move = k;
    }
    if (move >= 0) {
        f.h = W.handles[move].h; /* moved into the task: it awaits another task's handle */
        f.handle_k = move;
    }
    int slot = (flags & 1) ? free_handle_slot() : -1;
    ws_task_handle h;
    int rc = ws_spawn(W.rt, &f.ws_base, sizeof f, "script", slot >= 0 ? &h : NULL);
    CHECK(rc == WS_OK || rc == WS_ENOMEM);
    if (rc != WS_OK) {
        /* nothing was spawned: the references we took for it are still ours */
        for (int k = 0; k < MAX_CH; k++)
            if (f.chs[k])
                ws_channel_sender_drop(f.chs[k]);
        return;
    }
    W.spawned++;
    if (move >= 0)
        W.handles[move].state = H_TASK;
    if (slot >= 0) {
        W.handles[slot].state = H_WORLD;
        W.handles[slot].h = h;
        W.handles[slot].task_idx = W.ntasks;
        W.handles[slot].resolved = 0;
        note_id(h.task);
    }
    W.ntasks++;
}

static ws_id pick_id(input *in)
{
    uint8_t b = byte(in);
    if (b >= 250 || !W.nids)
        return ((ws_id)(b & 7) << 32) | (b >> 3); /* probably garbage */
    return W.ids[b % W.nids];
}

static void poll_handle(int k)
{
    handle_slot *hs = &W.handles[k];
    if (hs->state != H_WORLD)
        return;
    ws_context cx = outside();
    int done = ws_task_state_of(W.rt, hs->h.task) == WS_TASK_DONE;
    ws_poll r = ws_future_poll(&hs->h.base, &cx);
    CHECK(!done || r == WS_READY); /* a finished task's handle resolves */
    if (r == WS_READY) {
        record_resolution(k, hs->h.base.out, hs->h.base.err);
        ws_future_drop(W.rt, &hs->h.base);
        hs->state = H_EMPTY;
    }
}

static int trace_pristine; /* tracing on from the start and never toggled */

/* Every depth-0 poll after a task's first names the WAKE event that queued it ("why was I polled?"). */
static void check_trace_links(void)
{
    if (!trace_pristine || ws_trace_lost(W.rt) || !ws_trace_count(W.rt))
        return;
    static ws_trace_event ev[1024];
    uint32_t n = ws_trace_read(W.rt, 0, ev, 1024);
    static uint8_t seen[256];
    memset(seen, 0, sizeof seen);
    uint32_t polling = 0; /* the task whose own poll is open, 0: none */
    for (uint32_t i = 0; i < n; i++) {
        CHECK(ev[i].seq == i);
        if (ev[i].kind == WS_EV_POLL_BEGIN && ev[i].depth == 0)
            polling = ev[i].task;
        else if (ev[i].kind == WS_EV_POLL_END && ev[i].depth == 0)
            polling = 0;
        /* A cancel (a future dropped before it was ready) is recorded only inside its task's poll, below it. */
        if (ev[i].kind == WS_EV_CANCEL)
            CHECK(ev[i].task == polling && ev[i].depth >= 1 && ev[i].detail <= 1);
        if (ev[i].kind != WS_EV_POLL_BEGIN || ev[i].depth != 0 || ev[i].task >= 256)
            continue;
        if (seen[ev[i].task]) {
            CHECK(ev[i].a != 0 && ev[i].a - 1 < i);
            CHECK(ev[ev[i].a - 1].kind == WS_EV_WAKE && ev[ev[i].a - 1].task == ev[i].task);
        }
        seen[ev[i].task] = 1;
    }
}

/* The waiters of one object (a channel's blocked senders, or a notify's waiters), `n` of them, of which the
 * registered ones are all the fuzzer can see: every one marked linked is in one well-formed list with the others,
 * and the list holds nothing else. Returns the number linked. */
static int check_list(ws_waiter *const *ws, int n)
{
    int linked = 0, heads = 0;
    ws_waiter *head = NULL;
    for (int i = 0; i < n; i++) {
        ws_waiter *w = ws[i];
        if (w->state != WS_WAITER_LINKED)
            continue;
        linked++;
        CHECK(!w->prev || w->prev->next == w);
        CHECK(!w->next || w->next->prev == w);
        if (!w->prev) {
            heads++;
            head = w;
        }
    }
    CHECK(linked == 0 || heads == 1); /* a second head: a waiter marked linked that is no longer in the list */
    int walked = 0;
    for (ws_waiter *w = head; w; w = w->next) {
        CHECK(++walked <= linked); /* no cycle, and nothing in the list that is not one of ours */
        int ours = 0;
        for (int i = 0; i < n; i++)
            ours |= ws[i] == w;
        CHECK(ours && w->state == WS_WAITER_LINKED);
    }
    CHECK(walked == linked);
    return linked;
}

/* Every wait list is well formed; `settled` (a run just left nothing runnable): no sender waits for room that is
 * there, since each message taken wakes a waiting sender, and a woken sender that goes away passes the wake on. */
static void check_waitlists(int settled)
{
    ws_waiter *ws[MAX_TASKS];
    for (int k = 0; k < W.nch; k++) {
        ws_channel *ch = W.ch_made[k];
        int reused = 0; /* a channel made later at the same address (this one was freed): check that one */
        for (int j = k + 1; j < W.nch; j++)
            reused |= W.ch_made[j] == ch;
        if (!ch || reused)
            continue;
        int n = 0;
        for (int t = 0; t < MAX_TASKS; t++)
            if (W.sends[t] && W.sends[t]->ch == ch)
                ws[n++] = &W.sends[t]->waiter;
        if (check_list(ws, n) && settled)
            CHECK(ws_channel_len(ch) == W.ch_cap[k]);
    }
    for (int t = 0; t < MAX_TASKS; t++) {
        if (!W.notifieds[t] || !W.notifieds[t]->n)
            continue;
        int n = 0, first = 1;
        for (int u = 0; u < MAX_TASKS; u++) {
            if (W.notifieds[u] && W.notifieds[u]->n == W.notifieds[t]->n) {
                first &= u >= t;
                ws[n++] = &W.notifieds[u]->waiter;
            }
        }
        if (first)
            check_list(ws, n);
    }
}

/* The world is about to drop the last sender of `obj` (a oneshot, watch or broadcast): marks the script tasks whose
 * recv on it is pending (polled, waiting); woken_check then checks that the drop queued every one of them. */
static int g_must_wake[MAX_TASKS];
static void must_wake_mark(const void *obj)
{
    for (int t = 0; t < MAX_TASKS; t++) {
        g_must_wake[t] = 0;
        if (W.os_recvs[t] && W.os_recvs[t]->os == obj)
            g_must_wake[t] = (W.os_recvs[t]->base.flags & WS_FUTURE_POLLED) != 0;
        if (W.changeds[t] && W.changeds[t]->rx && W.changeds[t]->rx->w == obj)
            g_must_wake[t] = W.changeds[t]->waiter.state == WS_WAITER_LINKED;
        if (W.brecvs[t] && W.brecvs[t]->rx && W.brecvs[t]->rx->b == obj)
            g_must_wake[t] = W.brecvs[t]->waiter.state == WS_WAITER_LINKED;
    }
}
static void woken_check(void)
{
    for (int t = 0; t < MAX_TASKS; t++)
        if (g_must_wake[t])
            CHECK(ws_task_state_of(W.rt, W.task_id[t]) != WS_TASK_IDLE); /* a receiver left asleep: lost wakeup */
}

static void check_stats(void)
{
    ws_runtime_stats st;
    ws_runtime_get_stats(W.rt, &st);
    CHECK(st.spawned == W.spawned);
    CHECK(st.tasks_live <= st.spawned);
    CHECK(st.completed + st.aborted <= st.spawned);
    CHECK(st.bytes_live == mem_live);
    if (W.sem) {
        CHECK(ws_semaphore_available(W.sem) + ws_semaphore_held(W.sem) == W.sem_total);
        CHECK(ws_semaphore_held(W.sem) >= W.sem_held);
    }
}

/* The toolbox's world operations: one sub-operation per byte. */
static void toolbox_op(input *in)
{
    uint8_t v = byte(in), x = byte(in);
    switch (v % 13) {
    case 0:
        if (!W.sem) {
            int rc = ws_semaphore_new(W.rt, x % 4, &W.sem);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
            W.sem_total = rc == WS_OK ? x % 4 : 0;
            W.sem_held = 0;
        } else if (ws_semaphore_add_permits(W.sem, x % 3) == WS_OK) {
            W.sem_total += x % 3;
        }
        break;
    case 1:
        if (W.sem && (x & 1)) {
            int rc = ws_semaphore_try_acquire(W.sem, x % 3);
            CHECK(rc == WS_OK || rc == WS_EEMPTY || rc == WS_ECLOSED);
            if (rc == WS_OK)
                W.sem_held += x % 3;
        } else if (W.sem) {
            uint32_t held = ws_semaphore_held(W.sem), n = x % 3;
            if (n > W.sem_held) {
                /* more than the world holds; it fails unless other holders make up the difference */
                int rc = ws_semaphore_release(W.sem, held + 1);
                CHECK(rc == WS_ENOTHELD && ws_semaphore_held(W.sem) == held);
            } else {
                CHECK(ws_semaphore_release(W.sem, n) == WS_OK);
                W.sem_held -= n;
            }
        }
        break;
    case 2:
        if (W.sem)
            ws_semaphore_close(W.sem);
        break;
    case 3:
        if (W.sem) {
            ws_semaphore *s = W.sem;
            if (W.sem_held)
                CHECK(ws_semaphore_release(s, W.sem_held) == WS_OK);
            W.sem = NULL;
            W.sem_held = 0;
            ws_semaphore_drop(s);
        }
        break;
    case 4: {
        int k = x % MAX_TOKENS;
        if (!W.tok[k]) {
            int p = (x >> 2) % MAX_TOKENS;
            int rc = W.tok[p] && p != k ? ws_token_child(W.tok[p], &W.tok[k]) : ws_token_new(W.rt, &W.tok[k]);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
        }
        break;
    }
    case 5:
        if (W.tok[x % MAX_TOKENS]) {
            CHECK(ws_token_cancel(W.tok[x % MAX_TOKENS]) == WS_OK);
            CHECK(ws_token_is_cancelled(W.tok[x % MAX_TOKENS]));
        }
        break;
    case 6:
        if (W.tok[x % MAX_TOKENS]) {
            ws_token_drop(W.tok[x % MAX_TOKENS]);
            W.tok[x % MAX_TOKENS] = NULL;
        }
        break;
    case 7:
        if (!W.watch) {
            int rc = ws_watch_new(W.rt, ++W.watch_value, &W.watch);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
        } else {
            CHECK(ws_watch_send(W.watch, ++W.watch_value) == WS_OK);
        }
        break;
    case 8:
        if (W.watch) {
            must_wake_mark(W.watch);
            ws_watch_sender_drop(W.watch);
            woken_check();
            W.watch = NULL;
        }
        break;
    case 9:
        if (!W.bc) {
            int rc = ws_broadcast_new(W.rt, x % 4 + 1, &W.bc);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
        } else {
            int rc = ws_broadcast_send(W.bc, W.bc_value + 1);
            CHECK(rc == WS_OK || (rc == WS_ECLOSED && ws_broadcast_receivers(W.bc) == 0));
            if (rc == WS_OK)
                W.bc_value++; /* values a receiver can see are consecutive */
        }
        break;
    case 10:
        if (W.bc) {
            must_wake_mark(W.bc);
            ws_broadcast_sender_drop(W.bc);
            woken_check();
            W.bc = NULL;
        }
        break;
    case 11:
        if (W.set.state != WS_JOINSET_LIVE) {
            if (x & 1)
                ws_joinset_init(&W.set, W.rt);
        } else {
            ws_sleep sl;
            ws_sleep_init(&sl, x % 20);
            ws_id id;
            uint32_t len = ws_joinset_len(&W.set);
            int rc = ws_joinset_spawn(&W.set, &sl.base, sizeof sl, "member", &id);
            CHECK(rc == WS_OK || rc == WS_ENOMEM);
            CHECK(ws_joinset_len(&W.set) == len + (rc == WS_OK));
            if (rc == WS_OK) {
                W.spawned++;
                note_id(id);
            }
        }
        break;
    default: {
        ws_id id = pick_id(in);
        int live = W.set.state == WS_JOINSET_LIVE;
        int rc;
        switch (x % 4) {
        case 0: rc = ws_joinset_abort_all(&W.set); CHECK(rc == (live ? WS_OK : WS_ECLOSED)); break;
        case 1: rc = ws_joinset_abort(&W.set, id); CHECK(live ? rc == WS_OK || rc == WS_ESTALE : rc == WS_ECLOSED); break;
        case 2: rc = ws_joinset_detach(&W.set, id); CHECK(live ? rc == WS_OK || rc == WS_ESTALE : rc == WS_ECLOSED); break;
        default: ws_joinset_free(&W.set); CHECK(ws_joinset_len(&W.set) == 0); break;
        }
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&W, 0, sizeof W);
    mem_live = 0;
    mem_calls = 0;
    mem_fail_at = 0;
    input in = { data, size };

    ws_runtime_options o;
    ws_runtime_options_init(&o);
    o.allocator = &fz_allocator;
    o.host.task_done = fz_task_done;
    fz_done_calls = 0;
    uint8_t cfg = byte(&in);
    o.budget = (cfg & 3) == 0 ? 0 : (cfg & 3) * 16u;
    o.trace_capacity = (cfg & 4) ? 64u << ((cfg >> 3) & 3) : 0;
    o.trace_keep_first = (cfg >> 5) & 1;
    int real = (cfg >> 6) & 1;
    memset(&FH, 0, sizeof FH);
    if (real) {
        FH.now = WS_MS(1000);
        FH.armed = WS_TIME_NEVER;
        FH.tick = 10000 + (ws_time)byte(&in) * 4000; /* 10 us .. ~1 ms per reading */
        o.host.now = fh_now;
        o.host.arm_timer = fh_arm;
        o.host.request_run = fh_request;
    }
    CHECK(ws_runtime_new(&o, &W.rt) == WS_OK);
    CHECK(ws_clock_is_virtual(W.rt) == !real);
    trace_pristine = o.trace_capacity != 0;

    int steps = 0;
    for (int c; (c = next(&in)) >= 0 && steps < 400; steps++) {
        int settled = 0;
        switch (c % 20) {
        case 0:
        case 1:
            if (W.ntasks < MAX_TASKS)
                do_spawn(&in);
            break;
        case 2:
        case 3: {
            int st = ws_runtime_run(W.rt);
            CHECK(st == WS_RUN_IDLE || st == WS_RUN_WAIT || st == WS_RUN_MORE);
            settled = st != WS_RUN_MORE;
            if (real) /* after a run, the one host timer is armed for the earliest deadline (or disarmed) */
                CHECK(FH.armed == ws_runtime_next_deadline(W.rt));
            break;
        }
        case 4:
            if (real) {
                CHECK(ws_clock_advance(W.rt, 1) == WS_EINVAL); /* the host owns a real clock */
                FH.now += WS_MS(byte(&in) % 50);                /* time passes between runs */
            } else {
                CHECK(ws_clock_advance(W.rt, WS_MS(byte(&in) % 50)) == WS_OK);
            }
            break;
        case 5: {
            int rc = ws_task_wake(W.rt, pick_id(&in), (ws_cause)(byte(&in) % WS_CAUSE_COUNT), 0);
            CHECK(rc == WS_OK || rc == WS_ESTALE);
            break;
        }
        case 6: {
            ws_id id = pick_id(&in);
            int rc = ws_task_abort(W.rt, id);
            CHECK(rc == WS_OK || rc == WS_ESTALE);
            if (byte(&in) & 1) {
                int rc2 = ws_task_abort(W.rt, id);
                CHECK(rc2 == rc); /* the second abort changes nothing */
            }
            break;
        }
        case 7: {
            int k = byte(&in) % MAX_HANDLES;
            if (W.handles[k].state == H_WORLD) {
                ws_future_drop(W.rt, &W.handles[k].h.base); /* detach */
                W.handles[k].state = H_EMPTY;
                W.handles[k].resolved = 1; /* it will never resolve now */
            }
            break;
        }
        case 8:
            poll_handle(byte(&in) % MAX_HANDLES);
            break;
        case 9:
            if (W.nch < MAX_CH) {
                ws_channel *ch = NULL;
                uint32_t cap = byte(&in) % 3 + 1;
                int rc = ws_channel_new(W.rt, cap, &ch);
                CHECK(rc == WS_OK || rc == WS_ENOMEM);
                if (rc == WS_OK) {
                    W.ch[W.nch] = ch;
                    W.ch_sender[W.nch] = W.ch_receiver[W.nch] = 1;
                    W.ch_made[W.nch] = ch;
                    W.ch_cap[W.nch] = cap;
                }
                W.nch++;
            }
            break;
        case 10: {
            int k = byte(&in) % MAX_CH;
            uint8_t v = byte(&in);
            if (!W.ch[k])
                break;
            if (v & 1) {
                if (W.ch_sender[k]) {
                    int rc = ws_channel_try_send(W.ch[k], v);
                    CHECK(rc == WS_OK || rc == WS_EFULL || rc == WS_ECLOSED);
                }
            } else if (W.ch_receiver[k]) {
                int64_t m;
                int rc = ws_channel_try_recv(W.ch[k], &m);
                CHECK(rc == WS_OK || rc == WS_EEMPTY || rc == WS_ECLOSED);
            }
            break;
        }
        case 11: { /* close a side the world holds */
            int k = byte(&in) % MAX_CH;
            uint8_t v = byte(&in);
            if (!W.ch[k])
                break;
            if ((v & 1) && W.ch_sender[k]) {
                W.ch_sender[k] = 0;
                ws_channel *ch = W.ch[k];
                if (!W.ch_receiver[k])
                    W.ch[k] = NULL; /* our last reference: forget it before it may be freed */
                ws_channel_sender_drop(ch);
            } else if (!(v & 1) && W.ch_receiver[k]) {
                W.ch_receiver[k] = 0;
                ws_channel *ch = W.ch[k];
                if (!W.ch_sender[k])
                    W.ch[k] = NULL;
                ws_channel_receiver_drop(ch);
            }
            break;
        }
        case 12: {
            uint8_t v = byte(&in);
            int k = v % MAX_NOTIFY;
            if (!W.nt[k]) {
                if (W.nnt < 8) {
                    int rc = ws_notify_new(W.rt, &W.nt[k]);
                    CHECK(rc == WS_OK || rc == WS_ENOMEM);
                    W.nnt++;
                }
            } else if ((v >> 2) % 3 == 0) {
                ws_notify_one(W.nt[k]);
            } else if ((v >> 2) % 3 == 1) {
                ws_notify_waiters(W.nt[k]);
            } else {
                ws_notify *n = W.nt[k];
                W.nt[k] = NULL;
                ws_notify_close(n);
            }
            break;
        }
        case 13: { /* a host completion, possibly stale */
            uint8_t v = byte(&in), len = byte(&in);
            ws_id id = W.nops && v < 240 ? W.ops[v % W.nops] : ((ws_id)1 << 32) | (v & 15);
            ws_bytes *b = (len & 1) ? ws_bytes_new(W.rt, "payload-payload-payload", len % 24) : NULL;
            int live = ws_op_is_live(W.rt, id);
            /* the future of a live operation, read as a host would before completing it (under ASan: never a
             * dangling pointer, whatever was dropped before) */
            ws_op *fut = ws_op_future(W.rt, id);
            CHECK((fut != NULL) == live);
            if (fut)
                CHECK(fut->id == id && fut->type && fut->type->start == op_start);
            /* a host-side milestone first (a blocking job starting or finishing on a worker): recorded either way */
            CHECK(ws_op_trace(W.rt, id, (len & 4) ? WS_EV_JOB_START : WS_EV_JOB_FINISH, len & 3, v) == (live ? WS_OK : WS_ESTALE));
            int rc = ws_op_complete(W.rt, id, (len & 2) ? WS_EHOST : WS_OK, b);
            CHECK(rc == (live ? WS_OK : WS_ESTALE));
            int i = find_op(id);
            if (rc == WS_OK && i >= 0) {
                CHECK(W.op_cancelled[i] == 0);
                W.op_completed[i]++;
            }
            break;
        }
        case 14: {
            ws_runtime_stats st;
            ws_runtime_get_stats(W.rt, &st);
            /* wake links stay valid across a clear (a = 0 for wakes from before it), but serials restart at 1
             * even while older tasks live, so the per-serial bookkeeping of the check only holds if none do */
            if (st.tasks_live)
                trace_pristine = 0;
            ws_trace_clear(W.rt);
            break;
        }
        case 15:
            mem_fail_at = mem_calls + 1 + byte(&in) % 4; /* one of the next allocations fails */
            break;
        case 19: { /* oneshot: create, send, or drop the sender */
            uint8_t v = byte(&in);
            if (!W.os_sender && !W.os_pending) {
                ws_oneshot *os;
                int rc = ws_oneshot_new(W.rt, &os);
                CHECK(rc == WS_OK || rc == WS_ENOMEM);
                if (rc == WS_OK)
                    W.os_sender = W.os_pending = os;
            } else if (W.os_sender) {
                ws_oneshot *os = W.os_sender;
                W.os_sender = NULL;
                if (v & 1) {
                    int rc = ws_oneshot_send(os, 77);
                    CHECK(rc == WS_OK || rc == WS_ECLOSED);
                } else {
                    must_wake_mark(os);
                    ws_oneshot_sender_drop(os);
                    woken_check();
                }
                if (W.os_pending == os) { /* nobody took the receiver: drop it too (frees it) */
                    W.os_pending = NULL;
                    ws_oneshot_receiver_drop(os);
                }
            }
            break;
        }
        case 16: {
            ws_id id = pick_id(&in);
            ws_task_state st = ws_task_state_of(W.rt, id);
            CHECK(st <= WS_TASK_DONE && st != WS_TASK_RUNNING);
            break;
        }
        case 17:
            if (byte(&in) & 1) {
                ws_trace_enable(W.rt, !ws_trace_enabled(W.rt));
                trace_pristine = 0;
            }
            break;
        case 18:
            toolbox_op(&in);
            break;
        default: /* a few runs in a row, so that programs make progress */
            for (int i = 0; i < 3; i++)
                settled = ws_runtime_run(W.rt) != WS_RUN_MORE;
            break;
        }
        check_stats();
        check_waitlists(settled);
    }

    /* wind down: run, collect what finished, detach the rest, release the world's references */
    mem_fail_at = 0;
    ws_runtime_run(W.rt);
    for (int k = 0; k < MAX_HANDLES; k++) {
        poll_handle(k);
        if (W.handles[k].state == H_WORLD) {
            ws_future_drop(W.rt, &W.handles[k].h.base);
            W.handles[k].state = H_EMPTY;
        }
    }
    check_stats();
    check_trace_links();
    if (getenv("FUZZ_VERBOSE")) {
        ws_runtime_stats st;
        ws_runtime_get_stats(W.rt, &st);
        fprintf(stderr, "spawned %llu completed %llu aborted %llu polls %llu wakes %llu stale %llu live %u ops %d "
                "timers %u now %llu trace %u\n", (unsigned long long)st.spawned, (unsigned long long)st.completed,
                (unsigned long long)st.aborted, (unsigned long long)st.polls, (unsigned long long)st.wakes,
                (unsigned long long)st.stale_wakes, st.tasks_live, W.nops, st.timers_armed,
                (unsigned long long)ws_clock_now(W.rt), ws_trace_count(W.rt));
    }
    if (size & 1) {
        /* trace formatting and reading on whatever is in the ring */
        ws_trace_event ev[4];
        (void)ws_trace_read(W.rt, 0, ev, 4);
    }
    for (int k = 0; k < MAX_CH; k++) {
        ws_channel *ch = W.ch[k];
        if (!ch)
            continue;
        W.ch[k] = NULL;
        int s = W.ch_sender[k], r = W.ch_receiver[k];
        if (s && r) {
            ws_channel_sender_drop(ch); /* the receiver keeps it alive for the next call */
            ws_channel_receiver_drop(ch);
        } else if (s) {
            ws_channel_sender_drop(ch);
        } else if (r) {
            ws_channel_receiver_drop(ch);
        }
    }
    for (int k = 0; k < MAX_NOTIFY; k++)
        if (W.nt[k])
            ws_notify_close(W.nt[k]);
    ws_joinset_free(&W.set);
    if (W.sem) {
        if (W.sem_held)
            CHECK(ws_semaphore_release(W.sem, W.sem_held) == WS_OK);
        ws_semaphore_drop(W.sem);
    }
    for (int k = 0; k < MAX_TOKENS; k++)
        ws_token_drop(W.tok[k]);
    ws_watch_sender_drop(W.watch);
    ws_broadcast_sender_drop(W.bc);
    if (W.os_sender) {
        ws_oneshot *os = W.os_sender;
        int pending = W.os_pending == os;
        ws_oneshot_sender_drop(os);
        if (pending)
            ws_oneshot_receiver_drop(os);
    }
    ws_runtime_stats final;
    ws_runtime_get_stats(W.rt, &final);
    CHECK(fz_done_calls == ws_runtime_tasks_finished(W.rt)); /* once per finished task, none early */
    uint64_t spawned = final.spawned;
    CHECK(ws_runtime_free(W.rt) == WS_OK);
    CHECK(fz_done_calls == spawned); /* every task ends exactly once, the last ones with the runtime */
    CHECK(mem_live == 0);
    for (int i = 0; i < W.nops; i++)
        CHECK(W.op_cancelled[i] + W.op_completed[i] <= 1);
    return 0;
}
