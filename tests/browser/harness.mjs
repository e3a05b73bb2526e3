// Shared set-up for the browser tests: the local server in-process on an ephemeral port, Debian's Chromium driven
// by playwright-core, and helpers to open the playground and wait for its runs.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/server.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const ARTIFACTS = path.join(HERE, 'artifacts');
const PKG_DIR = path.join(REPO, 'wasm');
const WASM = path.join(PKG_DIR, 'dist', 'wasync-examples.wasm');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function startHarness() {
  if (!existsSync(WASM)) throw new Error(`${path.relative(REPO, WASM)} is missing: run scripts/build-wasm.sh first`);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  // PLAYGROUND_ROOT: serve another copy of playground/ (the page of an older commit, to measure before and after).
  const server = await startServer({ port: 0, host: '127.0.0.1', pkgDir: PKG_DIR, root: process.env.PLAYGROUND_ROOT || undefined });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    timeout: 30_000,
  });
  const h = {
    base: server.url,
    browser,
    async close() { await browser.close(); await server.close(); },
    // A fresh page that records console errors and uncaught exceptions, after its first run.
    async open(query = '', { width = 1280, height = 900, colorScheme = 'light' } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}${query}`);
      await waitRuns(page, 1);
      return { page, context, errors };
    },
  };
  return h;
}

export const runs = (page) => page.evaluate(() => Number(document.body.dataset.runs || 0));
export const waitRuns = (page, n) => page.waitForFunction((k) => Number(document.body.dataset.runs || 0) >= k, n);
export const text = (page, id) => page.textContent(`[data-testid=${id}]`);
export const artifact = (name) => path.join(ARTIFACTS, `${name}.png`);
export const shot = (page, name, opts = {}) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, ...opts });

// Clicks a control that starts a run and waits until that run finished (or failed).
export async function runVia(page, selector) {
  const n = await runs(page);
  await page.click(selector);
  await waitRuns(page, n + 1);
}

// Moves the replay cursor to event `seq` the way a reader can: through the events table (text view).
export async function pickEvent(page, seq) {
  if (!(await page.evaluate(() => document.querySelector('#events-details').open))) await page.click('#events-details summary');
  await page.click(`#event-list button[data-seq="${seq}"]`);
}
