// The event-order axis (issue: the timeline as a teacher, item 1): chosen by default when polls take no time,
// switchable with the time axis, and lanes, rows, arrows, selection, stepping and compare work on both.
// Screenshots: tests/browser/artifacts/axis-*.png.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, runs, waitRuns, text, shot } from './harness.mjs';

const T = { timeout: 60_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const pressed = (page, k) => page.getAttribute(`[data-testid=axis-${k}]`, 'aria-pressed');
const polls = (page, sel = '[data-testid=timeline]') => page.$$eval(`${sel} [data-testid=poll]`, (ps) => ps.map((p) => ({
  seq: Number(p.dataset.seq), depth: Number(p.dataset.depth), task: Number(p.dataset.task), x: Number(p.getAttribute('x')), w: Number(p.getAttribute('width')),
})));

test('lazy: on the event-order axis the task poll and the nested poll are distinct steps', T, async () => {
  const { page, context, errors } = await h.open('?example=lazy');
  assert.equal(await pressed(page, 'order'), 'true', 'order is the default on the virtual clock');
  const ps = await polls(page);
  assert.equal(ps.length, 2);
  const [outer, inner] = ps.sort((a, b) => a.depth - b.depth);
  assert.ok(inner.x > outer.x + 5, `the nested poll starts a step later (${outer.x} -> ${inner.x})`);
  assert.ok(outer.x + outer.w >= inner.x + inner.w, 'and lies inside its parent');
  await shot(page, 'axis-lazy-order');
  await page.click('[data-testid=axis-time]');
  assert.equal(await pressed(page, 'time'), 'true');
  const tp = await polls(page);
  assert.equal(new Set(tp.map((p) => p.x)).size, 1, 'on the time axis both polls collapse to one x');
  assert.match(page.url(), /axis=time/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('channel: every task poll has its own x, with labelled gaps where the clock moved', T, async () => {
  const { page, context } = await h.open('?example=channel');
  const top = (await polls(page)).filter((p) => p.depth === 0);
  assert.equal(new Set(top.map((p) => Math.round(p.x))).size, top.length, 'distinct steps');
  assert.ok((await page.locator('[data-testid=clock-gap]').count()) > 0, 'gaps drawn');
  const labels = await page.$$eval('[data-testid=timeline] .axis text', (ts) => ts.map((t) => t.textContent));
  assert.ok(labels.includes('0 ms') && labels.includes('20 ms'), `time labels at the gaps: ${labels}`);
  // Channel wake arrows between the two lanes are drawn, not vertical lines: they end at a later x.
  const arrows = await page.$$eval('[data-testid=timeline] path.arrow', (as) => as.map((a) => a.getBBox().width));
  assert.ok(arrows.filter((w) => w > 10).length >= 4, 'arrows run left to right');
  await shot(page, 'axis-channel-order');
  await context.close();
});

test('both axes: arrows, selection, stepping and the cursor', T, async () => {
  const { page, context, errors } = await h.open('?example=spawn');
  for (const axis of ['order', 'time']) {
    await page.click(`[data-testid=axis-${axis}]`);
    assert.equal(await page.locator('[data-testid=lane]').count(), 3, `${axis}: lanes`);
    assert.equal(await page.locator('[data-testid=subrow]').count(), 3, `${axis}: nested rows`);
    assert.ok((await page.locator('[data-testid=timeline] path.arrow').count()) >= 4, `${axis}: wake arrows`);
    // Select a poll by clicking it: on the order axis every poll has room to be clicked.
    if (axis === 'order') {
      await page.click('[data-testid=timeline] [data-testid=poll][data-seq="19"]');
      assert.match(await text(page, 'why'), /Poll #19/);
      assert.match(await text(page, 'step-index'), /^20 \//);
    }
    await page.focus('[data-testid=timeline]');
    await page.keyboard.press('Home');
    const x0 = Number(await page.getAttribute('[data-testid=cursor]', 'x1'));
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const x3 = Number(await page.getAttribute('[data-testid=cursor]', 'x1'));
    if (axis === 'order') assert.ok(x3 > x0 + 10, `order: stepping moves the cursor (${x0} -> ${x3})`);
    else assert.equal(x3, x0, 'time: those steps all happen at 0 ms');
    await shot(page, `axis-spawn-${axis}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('CPU work keeps the time axis by default; ?axis=order and compare follow the choice', T, async () => {
  const { page, context } = await h.open('?example=blocking');
  assert.equal(await pressed(page, 'time'), 'true', 'polls with CPU time: time axis');
  const { page: p2, context: c2 } = await h.open('?example=blocking&axis=order');
  assert.equal(await pressed(p2, 'order'), 'true');
  const n = await runs(p2);
  await p2.click('[data-testid=compare]');
  await waitRuns(p2, n + 1);
  for (const side of ['a', 'b']) {
    assert.equal(await p2.getAttribute(`[data-testid=timeline-${side}] .axis`, 'data-axis'), 'order', `compare ${side} on the order axis`);
  }
  await shot(p2, 'axis-compare-order');
  await c2.close();
  await context.close();
});
