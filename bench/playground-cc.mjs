// playground-cc.mjs: what compiling in the page costs a learner (docs/playground.md, "Your own C"): bytes
// downloaded and time to the first result with an empty HTTP cache (cold) and with a warm one (the browser closed
// and opened again on the same profile), and the time of each edit, compile and run once the toolchain is loaded. A benchmark: it reports,
// it asserts nothing.
//
//   node bench/playground-cc.mjs [--edits 8]
//
// Needs what the browser tests need (bash scripts/build-wasm.sh, npm ci, Chromium at /usr/bin/chromium or
// $CHROMIUM). The local server runs in this process and counts the bytes it sends (a response the browser's cache
// answered is never sent; no compression: the local server sends files as they are); times are wall-clock, from the
// click to the run shown on the page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../web/server.js';
import { numberOption } from './common/cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EDITS = numberOption('edits', 8);

const server = await startServer({ port: 0, host: '127.0.0.1', pkgDir: path.join(root, 'wasm') });
// Bytes on the wire, headers included: every socket's count (a closed one keeps its last).
const sockets = [];
server.server.on('connection', (sock) => sockets.push(sock));
const wire = () => sockets.reduce((n, sock) => n + sock.bytesWritten, 0);
// A profile on disk, as a learner's browser has: its HTTP cache keeps the toolchain between visits (an incognito
// context's in-memory cache does not keep files this large).
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-bench-profile-'));
const launch = () => chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
let context = await launch();

const runs = (page) => page.evaluate(() => Number(document.body.dataset.runs || 0));
const waitRuns = (page, n) => page.waitForFunction((k) => Number(document.body.dataset.runs || 0) >= k, n, { timeout: 300_000 });

// One visit: the page with join, the editor opened, the example compiled and run. Times from navigation and from
// the click on "Edit the C"; bytes the server sent during the visit.
async function visit() {
  const page = await context.newPage();
  const b0 = wire();
  const t0 = Date.now();
  await page.goto(`${server.url}?example=join`);
  await waitRuns(page, 1);
  const tPage = Date.now();
  await page.click('[data-testid=edit-open]');
  await page.waitForSelector('[data-testid=editor] .cm-content');
  const tOpen = Date.now();
  await page.click('[data-testid=compile-run]');
  await waitRuns(page, 2);
  const tRun = Date.now();
  const elapsed = await page.textContent('[data-testid=elapsed]');
  const { loadMs, compileMs, linkMs } = await page.evaluate(() => ({ ...document.querySelector('#editor-card').dataset }));
  return { page, bytes: wire() - b0, pageMs: tPage - t0, firstResultMs: tRun - tOpen, fromLoadMs: tRun - t0, elapsed, loadMs, compileMs, linkMs };
}

const mb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} KB`);
const cold = await visit();
// Warm: the browser closed and opened again on the same profile, a learner coming back.
await context.close();
context = await launch();
const warm = await visit();
// Edits in the warm tab: each changes the second fetch's delay, compiles, links and runs.
const page = warm.page;
const base = await page.evaluate(() => window.wasyncPlayground.source);
const times = [];
const shown = [];
const parts = []; // per edit: { compileMs, linkMs, runMs } as the page measured them
for (let i = 0; i < EDITS; i++) {
  const ms = 210 + i * 10;
  await page.click('[data-testid=editor] .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(base.replace('WSX_MS, 200,', `WSX_MS, ${ms},`));
  const n = await runs(page);
  // In the page: from the click event to the first frame after the run is shown (the click's own timestamp, so
  // Playwright's checks before it dispatches the click are not counted, nor its polling after).
  await page.evaluate(() => {
    window.benchShown = new Promise((resolve) => {
      let clickAt = null;
      document.querySelector('[data-testid=compile-run]').addEventListener('click', (e) => { clickAt = e.timeStamp; }, { capture: true, once: true });
      const n0 = Number(document.body.dataset.runs || 0);
      const mo = new MutationObserver(() => {
        if (Number(document.body.dataset.runs || 0) <= n0) return;
        mo.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - clickAt)));
      });
      mo.observe(document.body, { attributes: true, attributeFilter: ['data-runs'] });
    });
  });
  const t = Date.now();
  await page.click('[data-testid=compile-run]');
  await waitRuns(page, n + 1);
  times.push(Date.now() - t);
  shown.push(Math.round(await page.evaluate(() => window.benchShown)));
  parts.push(await page.evaluate(() => ({ ...document.querySelector('#editor-card').dataset })));
  const got = await page.textContent('[data-testid=elapsed]');
  if (got.replace(/[^\d.]/g, '') !== String(ms)) console.log(`edit ${i}: elapsed ${got}, expected ${ms} ms`);
}
const sorted = (a) => [...a].sort((x, y) => x - y);
const med = (a) => sorted(a)[Math.floor(a.length / 2)];
const line = (v) => `${mb(v.bytes)} downloaded; page ${v.pageMs} ms; first result ${v.firstResultMs} ms after opening the editor `
  + `(toolchain fetched and compiled ${v.loadMs} ms, first compile ${v.compileMs} ms, link ${v.linkMs} ms), ${v.fromLoadMs} ms after navigation`;
console.log(`playground-cc: cold (empty cache): ${line(cold)}; elapsed shown ${cold.elapsed}`);
console.log(`playground-cc: warm (browser reopened, same profile): ${line(warm)}`);
const part = (k) => med(parts.map((p) => Number(p[k])));
console.log(`playground-cc: edit, compile and run, ${EDITS} times: median ${med(times)} ms (min ${Math.min(...times)}, max ${Math.max(...times)}) from Playwright's click to the run shown; `
  + `in the page, from the click event to the frame after the run is shown: median ${med(shown)} ms (min ${Math.min(...shown)}, max ${Math.max(...shown)}); `
  + `medians of its parts: compile ${part('compileMs')} ms, link ${part('linkMs')} ms, from the click to the compiled module back in the page ${part('compiledMs')} ms `
  + `(of which outside the compiler's runs: ${med(parts.map((p) => p.compiledMs - p.compileMs - p.linkMs))} ms), from there to the run shown ${part('runMs')} ms (of which the program's Worker: ${part('ranMs')} ms)`);
console.log(`playground-cc: toolchain served: ${mb(Object.values(await (await fetch(`${server.url}vendor/index.json`)).json())[0]?.bytes ?? 0)}; machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
await context.close();
await server.close();
fs.rmSync(profile, { recursive: true, force: true });
