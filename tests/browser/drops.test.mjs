// Drops and cancellations (issue: the timeline as a teacher, item 3): the core records a future dropped before it
// was ready (`cancel`), and the timeline, the events table, "why" and the executor view show it; a task's abort
// and drop are drawn too. Screenshots: tests/browser/artifacts/drops-*.png.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, text, shot, pickEvent } from './harness.mjs';

const T = { timeout: 60_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('lazy: the future built and dropped unpolled shows on a row of its own, in the table and in "why"', T, async () => {
  const { page, context, errors } = await h.open('?example=lazy');
  const marks = page.locator('[data-testid=timeline] [data-testid=cancel]');
  assert.equal(await marks.count(), 1);
  const rows = await page.$$eval('[data-testid=timeline] [data-testid=subrow]', (rs) => rs.map((r) => r.textContent.trim()));
  assert.deepEqual(rows, ['↳ answer ✕', '↳ answer'], 'the dropped future first, then the awaited one');
  // The mark sits on the first answer row.
  const markBox = await marks.first().boundingBox();
  const rowY = await page.$eval('[data-testid=timeline] [data-testid=subrow]', (r) => r.getBoundingClientRect().bottom);
  assert.ok(Math.abs(markBox.y + markBox.height / 2 - (rowY - 5)) < 8, `mark on the row (${markBox.y} vs ${rowY})`);
  const seq = Number(await marks.first().getAttribute('data-seq'));
  await pickEvent(page, seq);
  assert.match(await text(page, 'why'), /answer was dropped .* before it was ready/);
  assert.match(await text(page, 'why'), /without ever being polled, so none of its body ran/);
  assert.match(await page.textContent(`#event-list tr[data-seq="${seq}"]`), /cancel\s*answer dropped unpolled/);
  await shot(page, 'drops-lazy');
  assert.deepEqual(errors, []);
  await context.close();
});

test('timeout: the select drops the slow fetch and its sleep; its timer stops there and leaves the heap', T, async () => {
  const { page, context } = await h.open('?example=timeout');
  const marks = await page.$$eval('[data-testid=timeline] [data-testid=cancel]', (ms) => ms.map((m) => Number(m.dataset.seq)));
  assert.equal(marks.length, 2);
  const trace = await page.evaluate(() => window.wasyncPlayground.run.trace);
  assert.deepEqual(marks.map((s) => trace[s].future).sort(), ['fake_fetch', 'sleep']);
  // The loser's timer (armed by the sleep under fake_fetch[0]) is drawn as dropped, ending at the drop.
  const tm = await page.evaluate(() => [...window.wasyncPlayground.model.timers.values()].map((t) => ({ id: t.id, cancelled: t.cancelled, endSeq: t.endSeq })));
  const loser = tm.find((t) => t.cancelled);
  assert.ok(loser, JSON.stringify(tm));
  assert.ok(marks.includes(loser.endSeq), 'the bar ends at a drop');
  assert.equal(await page.locator(`[data-testid=timeline] rect.tbar.cancelled[data-timer="${loser.id}"]`).count(), 1);
  // Step to the loser's drop: its timer has left the heap, and no waker is left for it.
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('Home');
  const first = Math.min(...marks);
  for (let i = 0; i < first; i++) await page.keyboard.press('ArrowRight');
  const heap = await page.$$eval('[data-testid=timer-heap] .ex-item', (ls) => ls.map((l) => l.dataset.timer));
  assert.deepEqual(heap, [], `heap after the drop: ${heap}`);
  await page.keyboard.press('ArrowLeft');
  assert.ok((await page.$$eval('[data-testid=timer-heap] .ex-item', (ls) => ls.length)) >= 1, 'before it, the loser\'s timer was armed');
  await shot(page, 'drops-timeout');
  await context.close();
});

test('a task aborted and dropped is drawn on its lane (trace given to the timeline directly)', T, async () => {
  const { page, context } = await h.open('?example=join');
  const r = await page.evaluate(async () => {
    const { buildModel } = await import('/js/model.js');
    const { Timeline } = await import('/js/timeline.js');
    // The shape of the package's trace for an aborted job: spawn, first poll pending, abort, drop, complete.
    const trace = [
      { seq: 0, t: 0, kind: 'spawn', task: 1, name: 'never', parent: 0 },
      { seq: 1, t: 0, kind: 'wake', task: 1, cause: 'spawn', by: 0, source: 0 },
      { seq: 2, t: 0, kind: 'poll', task: 1, dur: 0, result: 'pending', depth: 0, future: 'never', index: -1, site: null, wake: 1, last: 2 },
      { seq: 3, t: 5, kind: 'abort', task: 1 },
      { seq: 4, t: 5, kind: 'drop', task: 1 },
      { seq: 5, t: 5, kind: 'complete', task: 1, result: 'cancelled' },
    ];
    const div = document.createElement('div');
    div.style.width = '900px';
    document.body.append(div);
    const tl = new Timeline(div, { testid: 'abort-timeline', idPrefix: 'ab' });
    for (const axis of ['order', 'time']) tl.setData(buildModel(trace), { axis });
    const out = { abort: div.querySelectorAll('[data-testid=abort]').length, drop: div.querySelectorAll('[data-testid=task-drop]').length };
    div.remove();
    return out;
  });
  assert.deepEqual(r, { abort: 1, drop: 1 });
  await context.close();
});
