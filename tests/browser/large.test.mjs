// Large traces (issue: the timeline as a teacher, item 5): what keeps them smooth must not lose anything. With
// 10 000 events in view the timeline draws polls, wakes and bars as one path per row and kind (few DOM nodes
// whatever the zoom), and pointing at a batched poll still explains it and selects it.
// Screenshots: tests/browser/artifacts/large-*.png.
//   node --test --test-concurrency=1 tests/browser/large.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, artifact } from './harness.mjs';

const T = { timeout: 120_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const nodes = (page) => page.evaluate(() => document.querySelector('[data-testid=timeline]').querySelectorAll('*').length);

// The client point at the middle of the first subpath of a batched path: "M x,y h w v h ...".
async function firstBatchedPoint(page, sel) {
  return page.evaluate((s) => {
    const svg = document.querySelector('[data-testid=timeline]');
    const path = svg.querySelector(s);
    const [, x, y, w, hh] = path.getAttribute('d').match(/^M([\d.-]+),([\d.-]+)h([\d.-]+)v([\d.-]+)/).map(Number);
    const r = svg.getBoundingClientRect();
    const k = r.width / svg.viewBox.baseVal.width;
    return { x: r.left + (x + w / 2) * k, y: r.top + (y + hh / 2) * k };
  }, sel);
}

for (const axis of ['time', 'order']) test(`channel with 1000 messages, ${axis} axis: batched polls, few nodes, and pointing still works`, T, async () => {
  const { page, context, errors } = await h.open(`?example=channel&p.count=1000&p.capacity=2&p.work=20&axis=${axis}`);
  const events = await page.evaluate(() => window.wasyncPlayground.run.trace.length);
  assert.ok(events >= 10000, `${events} events`);
  // At Fit every poll is in view: drawn as paths, merged where closer than a pixel, and the note says so.
  assert.equal(await page.locator('[data-testid=timeline] rect[data-testid=poll]').count(), 0);
  assert.ok(await page.locator('[data-testid=timeline] [data-testid=poll-batch]').count() > 0);
  assert.match(await page.textContent('#tl-note'), /closer than a pixel/);
  const counts = [await nodes(page)];
  for (let i = 0; i < 8; i++) { await page.click('#zoom-in'); counts.push(await nodes(page)); }
  // Bounded however many polls are in view: lanes and labels, the few single shapes (the selected poll, ...),
  // and one path per row and kind.
  assert.ok(Math.max(...counts) < 600, `SVG nodes per zoom step: ${counts.join(' ')}`);
  await page.click('#zoom-fit');
  await page.locator('#timeline-card').screenshot({ path: artifact(`large-fit-${axis}`) });

  // Hover a batched poll: the tooltip explains a poll; a click selects it (the cursor moves onto a poll).
  await page.locator('#timeline').scrollIntoViewIfNeeded();
  const pt = await firstBatchedPoint(page, 'path.poll.batch');
  await page.mouse.move(pt.x, pt.y);
  await page.waitForSelector('#timeline .tooltip:not([hidden])');
  assert.match(await page.textContent('#timeline .tooltip'), /^#\d+ poll/);
  const before = await page.textContent('[data-testid=step-index]');
  await page.mouse.click(pt.x, pt.y);
  const after = await page.textContent('[data-testid=step-index]');
  assert.notEqual(after, before, 'the click moved the cursor');
  const seq = await page.evaluate(() => { const m = /#(\d+) \((\w+)\)/.exec(document.getElementById('cursor-time').textContent); return m && m[2]; });
  assert.equal(seq, 'poll', 'onto a poll');
  // The selected poll is drawn on its own, on top of the batch.
  assert.equal(await page.locator('[data-testid=timeline] rect.poll.sel').count(), 1);

  // Zoomed in far enough, polls are single rects again, with their data attributes.
  for (let i = 0; i < 14; i++) await page.click('#zoom-in');
  const single = await page.locator('[data-testid=timeline] rect[data-testid=poll]').count();
  assert.ok(single > 0 && single <= 300, `${single} single polls`);
  assert.equal(await page.locator('[data-testid=timeline] [data-testid=poll-batch]').count(), 0);
  await page.locator('#timeline-card').screenshot({ path: artifact(`large-zoomed-${axis}`) });
  assert.deepEqual(errors, []);
  await context.close();
});
