// The toolbox's trace events on the timeline (issue: the timeline as a teacher): a select's winner, semaphore
// waits, grants and releases, and a token's cancel with an arrow to every task it woke, each with a legend entry
// and a tooltip. Screenshots: tests/browser/artifacts/toolbox-*.png.
//   node --test --test-concurrency=1 tests/browser/toolbox-marks.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, artifact } from './harness.mjs';

const T = { timeout: 90_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const trace = (page) => page.evaluate(() => window.wasyncPlayground.run.trace);

test('token: a mark per cancelled token, an arrow to each task it woke, and the select each worker won', T, async () => {
  const { page, context, errors } = await h.open('?example=token');
  const tr = await trace(page);
  const tokens = tr.filter((e) => e.kind === 'token');
  assert.ok(tokens.length >= 3, 'the parent token and its two children');
  const marks = await page.$$eval('[data-testid=timeline] [data-testid=token-mark]', (ms) => ms.map((m) => Number(m.getAttribute('data-token'))));
  assert.deepEqual(marks.sort(), tokens.map((e) => e.token).sort());
  // One arrow per wake the cancel caused, each to the wake marker of the woken worker.
  const woken = tr.filter((e) => e.kind === 'wake' && e.cause === 'notify');
  assert.equal(woken.length, tokens.reduce((n, e) => n + e.woken, 0));
  const arrows = await page.$$eval('[data-testid=timeline] [data-testid=token-arrow]', (as) => as.map((a) => {
    const d = a.getAttribute('d');
    const nums = d.match(/-?[\d.]+/g).map(Number);
    return { wake: Number(a.getAttribute('data-wake')), end: [nums[nums.length - 2], nums[nums.length - 1]] };
  }));
  assert.deepEqual(arrows.map((a) => a.wake).sort((a, b) => a - b), woken.map((w) => w.seq));
  for (const a of arrows) {
    const w = woken.find((x) => x.seq === a.wake);
    const marker = await page.$eval(`[data-testid=timeline] [data-testid=wake][data-seq="${a.wake}"]`, (m) => { const b = m.getBBox(); return [b.x + b.width / 2, b.y + b.height / 2]; });
    assert.ok(Math.abs(marker[0] - a.end[0]) < 1 && Math.abs(marker[1] - a.end[1]) < 1, `arrow to wake #${a.wake} of task ${w.task} ends at its marker`);
  }
  // Each select's winner: a check per won select.
  const won = tr.filter((e) => e.kind === 'select' && e.outcome === 'won');
  assert.ok(won.length >= 3);
  assert.equal(await page.locator('[data-testid=timeline] [data-testid=select-win]').count(), won.length);
  // ... on the row of the branch that won: the sleep's ([1]) for a tick, the token's ([0]) at the cancel.
  const rowOfWin = await page.$$eval('[data-testid=timeline] [data-testid=select-win]', (ms) => ms.map((m) => {
    const y = m.getBBox().y + m.getBBox().height / 2;
    const lane = [...document.querySelectorAll('[data-testid=timeline] [data-testid=lane]')].find((l) => { const b = l.querySelector('rect').getBBox(); return y >= b.y && y <= b.y + b.height; });
    const rows = [...lane.querySelectorAll('[data-testid=subrow]')].map((t) => ({ name: t.textContent, y: t.getBBox().y + t.getBBox().height / 2 }));
    rows.sort((a, b) => Math.abs(a.y - y) - Math.abs(b.y - y));
    return [Number(m.getAttribute('data-seq')), rows[0].name.trim()];
  }));
  for (const [seq, row] of rowOfWin) {
    const e = tr.find((x) => x.seq === seq);
    assert.match(row, e.branch === 0 ? /cancelled\[0\]/ : /sleep\[1\]/, `select #${seq} won by branch ${e.branch}: check on ${row}`);
  }
  // Each select's loser is dropped on its own branch row, however many times round the loop: no extra rows.
  const subrows = await page.$$eval('[data-testid=timeline] [data-testid=subrow]', (ts) => ts.map((t) => t.textContent.trim()));
  assert.ok(!subrows.some((r) => /cancelled ✕|sleep ✕/.test(r)), `no row of a future "never polled": ${subrows}`);
  // Tooltip of a token mark, from the pointer.
  await page.locator('#timeline').scrollIntoViewIfNeeded();
  await page.hover(`[data-testid=timeline] [data-testid=token-mark][data-token="${tokens[1].token}"]`, { force: true });
  assert.match(await page.textContent('#timeline .tooltip'), /token #\d+ cancelled through its parent: 1 waiter\(s\) woken/);
  // Legend entries.
  const legend = await page.textContent('#legend');
  for (const s of ['select: the branch that won', 'semaphore: permit granted', 'token cancelled']) assert.ok(legend.includes(s), s);
  await page.locator('#timeline-card').screenshot({ path: artifact('toolbox-token') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('crawler: semaphore waits, grants (with the wait drawn) and releases on the task rows', T, async () => {
  const { page, context } = await h.open('?example=crawler&p.n=10&p.limit=2&p.timeout=500');
  const tr = await trace(page);
  const sem = tr.filter((e) => e.kind === 'semaphore');
  assert.ok(sem.some((e) => e.action === 'wait') && sem.some((e) => e.action === 'granted') && sem.some((e) => e.action === 'released'));
  await page.click('[data-testid=axis-order]');
  const drawn = await page.$$eval('[data-testid=timeline] [data-testid=semaphore-mark]', (ms) => ms.map((m) => [Number(m.getAttribute('data-seq')), m.getAttribute('data-action'), m.closest('svg') && m.getAttribute('class')]));
  assert.deepEqual(drawn.map((d) => d[0]).sort((a, b) => a - b), sem.map((e) => e.seq));
  for (const [seq, action] of drawn) assert.equal(action, sem.find((e) => e.seq === seq).action);
  // Every grant after a wait has its dashed wait line.
  const granted = sem.filter((e) => e.action === 'granted').length;
  assert.equal(await page.locator('[data-testid=timeline] .sem-wait-line').count(), granted);
  await page.locator('#timeline-card').screenshot({ path: artifact('toolbox-semaphore') });
  await context.close();
});
