// spawn_blocking from a program compiled in the page: the offload example's C, edited and compiled by the in-page
// toolchain, runs its CPU work on the blocking pool from inside the program's disposable Worker (the pool's Workers
// are nested in it), and the run shows the worker lanes like the built-in offload.
//   node --test tests/browser/editor-offload.test.mjs
// Needs what tests/browser/editor.test.mjs needs (bash scripts/build-wasm.sh, npm ci).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, runs, text } from './harness.mjs';

const T = { timeout: 240_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('offload.c compiled in the page: each item a job on a worker, lanes and arrows drawn, the ticker kept on time', T, async () => {
  const { page, context, errors } = await h.open('?example=offload');
  await page.click('[data-testid=edit-open]');
  await page.waitForSelector('[data-testid=editor] .cm-content');
  const original = await page.evaluate(() => window.wasyncPlayground.source);
  assert.match(original, /spawn_blocking_init/, 'the editor has the real offload.c');
  // The form is left as it is, so the program runs with its parameters' defaults: make the run small by editing the C
  // (at most 6 items of 1 ms instead of the default 40 of 2 ms): six jobs, not forty, say the run is this build's.
  const edited = original
    .replace('f->items = items;', 'f->items = items < 6 ? items : 6;')
    .replace('f->unit_ms = unit_ms;', 'f->unit_ms = unit_ms ? 1 : 0;');
  assert.notEqual(edited, original);
  await page.click('[data-testid=editor] .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(edited);
  const n = await runs(page);
  await page.click('[data-testid=compile-run]');
  await page.waitForFunction((k) => Number(document.body.dataset.runs || 0) >= k, n + 1, { timeout: 150_000 });
  assert.match(await text(page, 'compile-status'), /Compiled in \d+ ms, ran offload: done/);

  const run = await page.evaluate(() => window.wasyncPlayground.run);
  const starts = run.trace.filter((e) => e.kind === 'job_start');
  const finishes = run.trace.filter((e) => e.kind === 'job_finish');
  assert.equal(starts.length, 6, 'six jobs started on the pool');
  assert.equal(finishes.length, 6);
  assert.ok(finishes.every((e) => e.outcome === 0), JSON.stringify(finishes)); // 0: ok (ws_trace.h)
  const offloader = run.trace.find((e) => e.kind === 'spawn' && e.name === 'offloader');
  assert.ok(offloader, 'the offloader task was spawned');
  const workers = new Set(starts.map((e) => e.worker));
  assert.equal(await page.locator('[data-testid=worker-lane]').count(), workers.size);
  assert.equal(await page.locator('[data-testid=job]').count(), 6);
  assert.equal(await page.locator('[data-testid=job-arrow]').count(), 6);
  assert.equal(await page.isVisible('[data-testid=error]'), false);
  assert.deepEqual(errors, []);
  await context.close();
});
