// What the tests of the page's editor share: opening it, replacing its text as a user would, Compile & run until
// the page shows the run, and reading the run's elapsed time.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runs, text, startHarness, REPO } from './harness.mjs';

export const COMPILE_MS = 150_000; // the toolchain's first load and compile, on a machine shared with other work

// The page's harness, once the editor's build outputs are there (a missing one is named, not a timeout later).
export async function startEditorHarness() {
  for (const f of ['wasm/dist/cc-kit.json', 'playground/dist/codemirror.js']) {
    if (!existsSync(path.join(REPO, f))) throw new Error(`${f} is missing: run bash scripts/build-wasm.sh first`);
  }
  return startHarness();
}

export async function openEditor(page) {
  await page.click('[data-testid=edit-open]');
  await page.waitForSelector('[data-testid=editor] .cm-content');
}
export const source = (page) => page.evaluate(() => window.wasyncPlayground.source);
export const waitRunsFor = (page, n, timeout) => page.waitForFunction((k) => Number(document.body.dataset.runs || 0) >= k, n, { timeout });
// Replaces the editor's text as a user would: select all, then type (one insertion: a paste).
export async function setSource(page, textValue) {
  await page.click('[data-testid=editor] .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(textValue);
  assert.equal(await source(page), textValue);
}
// Compile & run, until the page shows the run.
export async function compileRun(page) {
  const n = await runs(page);
  await page.click('[data-testid=compile-run]');
  await waitRunsFor(page, n + 1, COMPILE_MS);
}
export const elapsedMs = async (page) => Number((await text(page, 'elapsed')).replace(/[^\d.]/g, ''));
