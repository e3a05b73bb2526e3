/* combinators.c: join, try_join and select, polling their children inside the current task. */
#include "ws_internal.h"
#include "trace_internal.h"

/* Children are stored inline for small counts. The inline array is found through `children == NULL` rather
 * than a pointer into the struct itself, so a join may be copied (spawned) before its first poll. */
static ws_future **join_children(ws_join *j) { return j->children ? j->children : j->inline_children; }
static ws_future **select_children(ws_select *s) { return s->children ? s->children : s->inline_children; }

/* ---- join ---- */

static ws_poll join_poll(ws_future *f, ws_context *cx);
static void join_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type join_type = { "join", join_poll, join_drop, NULL };
static const ws_future_type try_join_type = { "try_join", join_poll, join_drop, NULL };

static void join_setup(ws_join *j, const ws_future_type *type, ws_future **children, uint32_t count, int try_mode)
{
    ws_future_init(&j->base, type);
    j->children = children;
    j->count = count;
    j->remaining = count;
    j->ready[0] = j->ready[1] = 0;
    j->untracked = 0;
    j->scanned = 0;
    j->try_mode = (uint8_t)try_mode;
}

void ws_join2_init(ws_join *f, ws_future *a, ws_future *b)
{
    join_setup(f, &join_type, NULL, 2, 0);
    f->inline_children[0] = a;
    f->inline_children[1] = b;
}

void ws_try_join2_init(ws_join *f, ws_future *a, ws_future *b)
{
    join_setup(f, &try_join_type, NULL, 2, 1);
    f->inline_children[0] = a;
    f->inline_children[1] = b;
}

static int join_all_setup(ws_join *f, ws_future **children, uint32_t count, int try_mode)
{
    if (!f || (count && !children))
        return WS_EINVAL;
    for (uint32_t i = 0; i < count; i++)
        if (!children[i] || !children[i]->type)
            return WS_EINVAL;
    join_setup(f, try_mode ? &try_join_type : &join_type, count ? children : NULL, count, try_mode);
    return WS_OK;
}

int ws_join_all_init(ws_join *f, ws_future **children, uint32_t count) { return join_all_setup(f, children, count, 0); }
int ws_try_join_all_init(ws_join *f, ws_future **children, uint32_t count) { return join_all_setup(f, children, count, 1); }

/* Child i is ready: releases what it holds. Returns 1 when that ends the join (a try_join's first error: the join
 * is then ready and has dropped its children), else 0. */
static int join_child_ready(ws_join *j, ws_future **c, uint32_t i, ws_runtime *rt)
{
    j->remaining--;
    ws_future_drop(rt, c[i]); /* finished: release what it holds now, keep its output */
    if (j->try_mode && c[i]->err != WS_OK) {
        j->base.out = i;
        j->base.err = c[i]->err;
        join_drop(rt, &j->base); /* the first error cancels the rest */
        return 1;
    }
    return 0;
}

static ws_poll join_poll(ws_future *f, ws_context *cx)
{
    ws_join *j = (ws_join *)f;
    ws_future **c = join_children(j);
    ws_runtime *rt = cx->rt;
    uint32_t i;
    /* The children whose completion was noticed, in the order they completed. Each is a host operation that has
     * completed, so its poll is ready: no notice is offered (and one that were still pending would be scanned). */
    while (j->remaining && (i = ws__ready_pop(rt, j->ready)) != UINT32_MAX) {
        if (c[i]->flags & WS_FUTURE_READY)
            continue;
        cx->child_index = (int16_t)(i < INT16_MAX ? i : INT16_MAX);
        if (ws_future_poll(c[i], cx) == WS_PENDING)
            j->untracked++;
        else if (join_child_ready(j, c, i, rt))
            return WS_READY;
    }
    /* Every child on the first poll; after that only those that took no notice (they may be woken by anything).
     * Each is offered the join's notice (ws_internal.h, "child notices"). */
    if (j->remaining && (!j->scanned || j->untracked)) {
        uint32_t untracked = 0;
        for (i = 0; i < j->count && j->remaining; i++) {
            if (c[i]->flags & (WS_FUTURE_READY | WS_FUTURE_NOTED))
                continue;
            cx->child_index = (int16_t)(i < INT16_MAX ? i : INT16_MAX);
            rt->offer_to = c[i];
            rt->offer_list = j->ready;
            rt->offer_index = i;
            ws_poll r = ws_future_poll(c[i], cx);
            rt->offer_to = NULL;
            if (r == WS_PENDING)
                untracked += !(c[i]->flags & WS_FUTURE_NOTED);
            else if (join_child_ready(j, c, i, rt))
                return WS_READY;
        }
        j->untracked = untracked;
        j->scanned = 1;
    }
    if (j->remaining)
        return WS_PENDING;
    f->out = j->count;
    f->err = WS_OK;
    return WS_READY;
}

static void join_drop(ws_runtime *rt, ws_future *f)
{
    ws_join *j = (ws_join *)f;
    ws_future **c = join_children(j);
    if (j->remaining == 0)
        return; /* every child was dropped as it finished (join_child_ready) */
    for (uint32_t i = 0; i < j->count; i++)
        ws_future_drop(rt, c[i]);
}

/* ---- select ---- */

static ws_poll select_poll(ws_future *f, ws_context *cx);
static void select_drop(ws_runtime *rt, ws_future *f);
static const ws_future_type select_type = { "select", select_poll, select_drop, NULL };

void ws_select2_init(ws_select *f, ws_future *a, ws_future *b, ws_select_mode mode)
{
    ws_future_init(&f->base, &select_type);
    f->children = NULL;
    f->inline_children[0] = a;
    f->inline_children[1] = b;
    f->count = 2;
    f->next_start = 0;
    f->mode = (uint8_t)mode;
}

int ws_select_all_init(ws_select *f, ws_future **children, uint32_t count, ws_select_mode mode)
{
    if (!f || !children || count == 0 || (mode != WS_SELECT_BIASED && mode != WS_SELECT_FAIR))
        return WS_EINVAL;
    for (uint32_t i = 0; i < count; i++)
        if (!children[i] || !children[i]->type)
            return WS_EINVAL;
    ws_future_init(&f->base, &select_type);
    f->children = children;
    f->count = count;
    f->next_start = 0;
    f->mode = (uint8_t)mode;
    return WS_OK;
}

/* The winner, then each loser about to be dropped: polled and pending (its wait is cancelled) or never polled. */
static void trace_outcome(ws_context *cx, ws_select *s, uint32_t winner)
{
    ws_future **c = select_children(s);
    ws__trace_emit(cx->rt, WS_EV_SELECT, 0, cx->depth, cx->serial, winner, s->count, 0);
    for (uint32_t i = 0; i < s->count; i++)
        if (i != winner && !(c[i]->flags & WS_FUTURE_DROPPED))
            ws__trace_emit(cx->rt, WS_EV_SELECT, (c[i]->flags & WS_FUTURE_POLLED) ? 1 : 2, cx->depth, cx->serial, i,
                           s->count, 0);
}

static ws_poll select_poll(ws_future *f, ws_context *cx)
{
    ws_select *s = (ws_select *)f;
    ws_future **c = select_children(s);
    uint32_t start = 0;
    if (s->mode == WS_SELECT_FAIR) {
        if (f->resume == 0) {
            /* First poll: start where the runtime's previous fair select did not, so that a loop of fresh
             * selects does not always favour child 0 (deterministic: no RNG, traces stay reproducible). */
            f->resume = 1;
            s->next_start = cx->rt->select_seq++ % s->count;
        }
        start = s->next_start;
        s->next_start = (s->next_start + 1) % s->count;
    }
    for (uint32_t k = 0; k < s->count; k++) {
        uint32_t i = (start + k) % s->count;
        cx->child_index = (int16_t)(i < INT16_MAX ? i : INT16_MAX);
        if (ws_future_poll(c[i], cx) == WS_READY) {
            f->out = i;
            f->err = c[i]->err;
            if (WS_TRACING(cx->rt))
                trace_outcome(cx, s, i);
            select_drop(cx->rt, f); /* the losers are dropped, which cancels them */
            return WS_READY;
        }
    }
    return WS_PENDING;
}

static void select_drop(ws_runtime *rt, ws_future *f)
{
    ws_select *s = (ws_select *)f;
    ws_future **c = select_children(s);
    for (uint32_t i = 0; i < s->count; i++)
        ws_future_drop(rt, c[i]);
}

/* ---- WS_SELECT ---- */

static ws_poll invalid_select_poll(ws_future *f, ws_context *cx)
{
    (void)cx;
    f->out = 0;
    f->err = WS_EINVAL;
    return WS_READY;
}
static const ws_future_type invalid_select_type = { "select", invalid_select_poll, NULL, NULL };

void ws_selector_init(ws_selector *s, ws_select_mode mode, ws_future *const *branches, uint32_t count)
{
    s->invalid = 0;
    if (branches && count && count <= WS_SELECT_MAX) {
        memcpy(s->branch, branches, count * sizeof *branches);
        if (ws_select_all_init(&s->sel, s->branch, count, mode) == WS_OK)
            return;
    }
    s->invalid = 1; /* ready at once with WS_EINVAL; the branches are the caller's to drop */
    ws_future_init(&s->sel.base, &invalid_select_type);
}
