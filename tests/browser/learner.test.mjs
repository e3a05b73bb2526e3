// What a learner tripped on (issue: the timeline as a teacher, item 4): each test walks the page the way a reader
// would and checks the fix; screenshots go to tests/browser/artifacts/learner-*.png.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, runs, waitRuns, text, shot, pickEvent, artifact } from './harness.mjs';

const T = { timeout: 60_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const boxOf = (page, sel) => page.locator(sel).first().boundingBox();
const traceOf = (page) => page.evaluate(() => window.wasyncPlayground.run.trace);

test('spawn: task wakes point from the finished task, and "why" names it', T, async () => {
  const { page, context, errors } = await h.open('?example=spawn');
  const trace = await traceOf(page);
  const wake = trace.find((e) => e.kind === 'wake' && e.cause === 'task');
  const poll = trace.find((e) => e.kind === 'poll' && e.wake === wake.seq);
  await pickEvent(page, poll.seq);
  const why = await text(page, 'why');
  assert.match(why, new RegExp(`task ${wake.source} \\(fetch a\\) finished`));
  // The arrow of that wake starts in the finishing task's lane (below) and ends in the woken task's lane.
  const arrow = await boxOf(page, `[data-testid=timeline] path.arrow[data-wake="${wake.seq}"]`);
  const from = await boxOf(page, `[data-testid=lane][data-task="${wake.source}"]`);
  const to = await boxOf(page, `[data-testid=lane][data-task="${wake.task}"]`);
  assert.ok(arrow, 'the task-wake arrow is drawn');
  assert.ok(arrow.y < to.y + to.height && arrow.y + arrow.height > from.y, `arrow spans both lanes (${JSON.stringify({ arrow, from, to })})`);
  await shot(page, 'learner-spawn-why');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the replay cursor starts at the first event; tasks are running during their nested polls', T, async () => {
  const { page, context } = await h.open('?example=spawn');
  assert.match(await text(page, 'step-index'), /^1 \//);
  const state = (task) => page.getAttribute(`[data-testid=task-console] tr[data-task="${task}"]`, 'data-state');
  const trace = await traceOf(page);
  // A join_handle polled inside task 1's poll, and the sleep inside task 2's: each task is running there.
  const jh = trace.find((e) => e.kind === 'poll' && e.task === 1 && e.depth === 1);
  await pickEvent(page, jh.seq);
  assert.equal(await state(1), 'running');
  const sl = trace.find((e) => e.kind === 'poll' && e.task === 2 && e.depth === 1);
  await pickEvent(page, sl.seq);
  assert.equal(await state(2), 'running');
  assert.equal(await state(1), 'idle');
  // The timer armed inside that sleep's poll: still running.
  const tm = trace.find((e) => e.kind === 'timer' && e.task === 2);
  await pickEvent(page, tm.seq);
  assert.equal(await state(2), 'running');
  await shot(page, 'learner-tasks-at-cursor');
  await context.close();
});

test('a nested future that returned ready is explained as such', T, async () => {
  const { page, context } = await h.open('?example=timeout');
  const trace = await traceOf(page);
  const won = trace.find((e) => e.kind === 'poll' && e.depth === 2 && e.future === 'sleep' && e.result === 'ready');
  await pickEvent(page, won.seq);
  const why = await text(page, 'why');
  assert.match(why, /returned ready to its parent/);
  assert.doesNotMatch(why, /Then\s*suspended at/);
  await context.close();
});

test('timer bars sit on the row of the sleep that armed them', T, async () => {
  const { page, context } = await h.open('?example=join');
  const rows = await page.$$eval('[data-testid=timeline] [data-testid=subrow]', (rs) => rs.map((r) => ({ name: r.textContent, y: Number(r.getAttribute('y')) })));
  const bars = await page.$$eval('[data-testid=timeline] rect.tbar', (bs) => bs.map((b) => Number(b.getAttribute('y')) + Number(b.getAttribute('height')) / 2));
  assert.equal(bars.length, 2);
  const sleeps = rows.filter((r) => /sleep/.test(r.name)).map((r) => r.y);
  // A sub-row's label sits on its baseline (row bottom - 2), rows are 12 px high.
  for (const mid of bars) assert.ok(sleeps.some((y) => mid > y - 12 && mid < y + 2), `bar at ${mid} on a sleep row (${sleeps})`);
  await shot(page, 'learner-timer-rows');
  await context.close();
});

test('"why" keeps the source line in view and the Rust pane marks the matching line', T, async () => {
  const { page, context } = await h.open('?example=channel', { height: 800 });
  const trace = await traceOf(page);
  // channel.c:52 (the consumer's sleep) is far down the file: the code box has to scroll to it.
  const p = trace.find((e) => e.kind === 'poll' && !e.depth && e.site?.line === 52);
  await pickEvent(page, p.seq);
  const inBox = (pre) => page.evaluate((sel) => {
    const box = document.querySelector(sel);
    const ln = box.querySelector('.ln.suspend');
    if (!ln) return null;
    const a = box.getBoundingClientRect();
    const b = ln.getBoundingClientRect();
    return { inside: b.top >= a.top && b.bottom <= a.bottom, text: ln.textContent };
  }, pre);
  const c = await inBox('#c-files pre:not([hidden])');
  assert.ok(c?.inside, `C line in view: ${JSON.stringify(c)}`);
  assert.match(c.text, /WS_AWAIT\(&self->work\)/);
  const rs = await inBox('#code-rs');
  assert.ok(rs?.inside, `Rust line in view: ${JSON.stringify(rs)}`);
  assert.match(rs.text, /sleep\(Duration::from_millis\(work_ms\)\)\.await/);
  // Stepping moves both marks: the producer's poll suspends at its send.
  const q = trace.find((e) => e.kind === 'poll' && !e.depth && e.site?.line === 12 && e.seq > p.seq);
  await pickEvent(page, q.seq);
  assert.match((await inBox('#code-rs')).text, /tx\.send\(i\)\.await/);
  await page.locator('#sources-card').scrollIntoViewIfNeeded();
  await shot(page, 'learner-source-marks', { fullPage: false });
  await context.close();
});

test('zooming out stops at the whole run', T, async () => {
  const { page, context } = await h.open('?example=join');
  const maxTick = () => page.$$eval('[data-testid=timeline] .axis text', (ts) => Math.max(...ts.map((t) => parseFloat(t.textContent))));
  const fit = await maxTick();
  for (let i = 0; i < 6; i++) await page.click('[data-testid=zoom-out]');
  assert.equal(await maxTick(), fit, 'no axis past the run');
  assert.ok(fit <= 210, `axis ends near the 200 ms run (${fit})`);
  await context.close();
});

test('a restored link with budget 4 opens the settings and says the run differs', T, async () => {
  const { page, context } = await h.open('?example=blocking&budget=4');
  assert.equal(await page.inputValue('[data-testid=knob-budget]'), '4');
  assert.equal(await page.evaluate(() => document.querySelector('#knobs').open), true);
  const note = await text(page, 'variant-note');
  assert.match(note, /budget 4 \(default 128\)/);
  assert.match(note, /short ones/);
  await shot(page, 'learner-restored-budget');
  await context.close();
});

test('compare: the same example at two budgets, then edited parameters round-trip through the link', T, async () => {
  const { page, context, errors } = await h.open('?example=blocking');
  let n = await runs(page);
  await page.click('[data-testid=compare]');
  await waitRuns(page, n + 1);
  n = await runs(page);
  await page.selectOption('[data-testid=compare-pair]', 'budget');
  await waitRuns(page, n + 1);
  assert.equal(await page.inputValue('[data-testid=cmp-a-budget]'), '128');
  assert.equal(await page.inputValue('[data-testid=cmp-b-budget]'), '4');
  assert.ok((await page.locator('[data-testid=timeline-a] [data-testid=long-poll-warning]').count()) > 0, 'A: a long poll');
  assert.equal(await page.locator('[data-testid=timeline-b] [data-testid=long-poll-warning]').count(), 0, 'B: none at budget 4');
  await shot(page, 'learner-compare-budget');
  // Edit B: fewer items. The comparison becomes "your own" and the link carries both variants.
  await page.fill('[data-testid=cmp-b-param-items]', '20');
  await page.press('[data-testid=cmp-b-param-items]', 'Tab');
  assert.equal(await page.inputValue('[data-testid=compare-pair]'), 'custom');
  n = await runs(page);
  await page.click('[data-testid=compare-run]');
  await waitRuns(page, n + 1);
  const url = page.url();
  assert.match(url, /compare=custom/);
  assert.match(decodeURIComponent(url), /cb=blocking;budget=4;items=20/);
  const { page: p2, context: c2 } = await h.open(new URL(url).search);
  assert.equal(await p2.inputValue('[data-testid=cmp-b-param-items]'), '20');
  assert.equal(await p2.inputValue('[data-testid=cmp-b-budget]'), '4');
  assert.equal(await p2.inputValue('[data-testid=cmp-a-example]'), 'blocking');
  // The cruncher's value is its item count.
  assert.ok(Number((await text(p2, 'elapsed-b')).replace(/[^\d.]/g, '')) > 0);
  await c2.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('390 px wide: no horizontal overflow and whole lane labels', T, async () => {
  const { page, context } = await h.open('?example=spawn', { width: 390, height: 844 });
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(over, 0, 'no horizontal overflow');
  const cut = await page.evaluate(() => {
    const svg = document.querySelector('[data-testid=timeline]');
    const plotX = Number(svg.querySelector('.label-bg').getAttribute('width'));
    return [...svg.querySelectorAll('[data-testid=lane] text')].filter((t) => t.getBBox().x + t.getBBox().width > plotX + 1).map((t) => t.textContent);
  });
  assert.deepEqual(cut, [], 'lane labels fit their column');
  await shot(page, 'learner-390');
  await context.close();
});

// No panel scrolls sideways at 390 px: every column of "Tasks at the cursor" and of the events table is visible.
// The only sideways scroll containers are the source panes (code lines do not wrap), which take keyboard focus.
for (const ex of ['spawn', 'cooperative']) test(`390 px wide, ${ex}: every table column visible, no panel scrolls sideways`, T, async () => {
  const { page, context } = await h.open(`?example=${ex}`, { width: 390, height: 844 });
  await page.click('#events-details summary');
  await page.keyboard.press('End'); // the widest figures: every task's polls, wakes and busy time at the end
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('End');
  const r = await page.evaluate(() => {
    const overflowing = [...document.querySelectorAll('body *')]
      .filter((el) => el.offsetParent && !el.classList.contains('sr-only') && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => getComputedStyle(el).overflowX !== 'visible' || el.tagName === 'TABLE');
    const cols = (id) => {
      const wrap = document.getElementById(id).closest('.table-wrap').getBoundingClientRect();
      return [...document.querySelectorAll(`#${id} th`)].filter((th) => th.getBoundingClientRect().right > wrap.right + 0.5).map((th) => th.textContent);
    };
    return {
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      scrollers: overflowing.map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}|tab=${el.tabIndex}`),
      taskCut: cols('task-console'),
      eventCut: cols('event-list'),
    };
  });
  assert.equal(r.overflow, 0, 'no horizontal overflow of the page');
  assert.deepEqual(r.taskCut, [], 'every column of "Tasks at the cursor" is visible');
  assert.deepEqual(r.eventCut, [], 'every column of the events table is visible');
  for (const s of r.scrollers) assert.match(s, /^pre(#[\w-]+)?\.code\|tab=0$/, `only the focusable source panes scroll sideways: ${s}`);
  await page.locator('#tasks-card').screenshot({ path: artifact(`learner-390-tasks-${ex}`) });
  await page.locator('#events-details').screenshot({ path: artifact(`learner-390-events-${ex}`) });
  await context.close();
});

test('arrow keys on the example picker do not start a run per option; Enter runs the one chosen', T, async () => {
  const { page, context } = await h.open('?example=lazy');
  const n = await runs(page);
  await page.focus('[data-testid=example-picker]');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.inputValue('[data-testid=example-picker]'), 'spawn');
  assert.equal(await runs(page), n, 'no run while moving through the options');
  assert.ok(await page.isVisible('[data-testid=picker-hint]'));
  await page.keyboard.press('Enter');
  await waitRuns(page, n + 1);
  assert.equal(await page.evaluate(() => new Set(window.wasyncPlayground.run.trace.map((e) => e.task).filter(Boolean)).size), 3, 'the spawn example ran');
  assert.equal(await runs(page), n + 1, 'exactly one run');
  // Keyboard-only run and step: focus the timeline, step with the arrows.
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await text(page, 'step-index'), /^3 \//);
  await context.close();
});
