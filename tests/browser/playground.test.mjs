// Browser tests for the playground against the real package (wasm/, built by scripts/build-wasm.sh): the local
// server in-process, Debian's Chromium driven by playwright-core.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/server.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const ARTIFACTS = path.join(HERE, 'artifacts');
const PKG_DIR = path.join(REPO, 'wasm');
const WASM = path.join(PKG_DIR, 'dist', 'wasync-examples.wasm'); // the playground's module
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = { timeout: 45_000 };

let server;
let browser;
let base;

before(async () => {
  if (!existsSync(WASM)) throw new Error(`${path.relative(REPO, WASM)} is missing: run scripts/build-wasm.sh first`);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  server = await startServer({ port: 0, host: '127.0.0.1', pkgDir: PKG_DIR });
  base = server.url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    timeout: 30_000,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// A fresh page that records console errors and uncaught exceptions.
async function openPage(query = '', { width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}${query}`);
  await waitRuns(page, 1);
  return { page, context, errors };
}

const runs = (page) => page.evaluate(() => Number(document.body.dataset.runs || 0));
const waitRuns = (page, n) => page.waitForFunction((k) => Number(document.body.dataset.runs || 0) >= k, n);

// Clicks a control that starts a run and waits until that run finished (or failed).
async function runVia(page, selector = '[data-testid=run]') {
  const n = await runs(page);
  await page.click(selector);
  await waitRuns(page, n + 1);
}

async function pickExample(page, name) {
  const n = await runs(page);
  await page.selectOption('[data-testid=example-picker]', name);
  await waitRuns(page, n + 1);
}

const text = (page, id) => page.textContent(`[data-testid=${id}]`);
const msOf = (s) => Number(String(s).replace(/[^\d.]/g, ''));
const errorShown = (page) => page.isVisible('[data-testid=error]');

test('page loads with no console errors', T, async () => {
  const { page, context, errors } = await openPage('');
  assert.ok(await page.isVisible('[data-testid=timeline]'));
  assert.ok((await page.locator('[data-testid=poll]').count()) > 0, 'polls drawn');
  assert.equal(await errorShown(page), false);
  await page.screenshot({ path: path.join(ARTIFACTS, 'main.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('every example runs and draws one lane per task in its trace', T, async () => {
  const { page, context, errors } = await openPage('');
  const names = await page.$$eval('[data-testid=example-picker] option', (os) => os.map((o) => o.value));
  for (const want of ['lazy', 'sequential', 'join', 'spawn', 'blocking', 'cooperative', 'offload', 'timeout', 'channel', 'fetch', 'crawler', 'abort', 'token']) {
    assert.ok(names.includes(want), `picker lists ${want}`);
  }
  for (const name of names) {
    // The page starts on join; the picker order puts lazy first, so every pick below is a change.
    await pickExample(page, name);
    assert.equal(await errorShown(page), false, `${name}: no error`);
    const tasks = await page.evaluate(() => [...new Set(window.wasyncPlayground.run.trace.filter((e) => e.task > 0).map((e) => e.task))].sort());
    const lanes = await page.$$eval('[data-testid=lane]', (ls) => ls.map((l) => Number(l.getAttribute('data-task'))).sort());
    assert.deepEqual(lanes, tasks, `${name}: lanes match trace tasks`);
    // (past 300 polls in view, as the crawler's, the timeline draws them as one path per row: poll-batch)
    assert.ok((await page.locator('[data-testid=poll], [data-testid=poll-batch]').count()) > 0, `${name}: polls drawn`);
    assert.match(await text(page, 'elapsed'), /\d+(\.\d+)? ms/);
  }
  // The crawler's failing pages (HTTP 500, a broken connection) are logged by the browser; they are the point.
  assert.deepEqual(errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  await context.close();
});

test('join has one lane with nested rows, spawn has three lanes', T, async () => {
  const { page, context } = await openPage('?example=join');
  assert.equal(await page.locator('[data-testid=lane]').count(), 1);
  // join -> fake_fetch [0] -> sleep, fake_fetch [1] -> sleep: a row per child, in tree order.
  const rows = await page.$$eval('[data-testid=subrow]', (rs) => rs.map((r) => r.textContent.replace(/^\W+/, '').trim()));
  assert.deepEqual(rows, ['join', 'fake_fetch[0]', 'sleep', 'fake_fetch[1]', 'sleep']);
  await pickExample(page, 'spawn');
  assert.equal(await page.locator('[data-testid=lane]').count(), 3);
  await context.close();
});

test('join takes the longer sleep, sequential the sum (virtual clock)', T, async () => {
  const { page, context } = await openPage('?example=join&p.a=100&p.b=200');
  assert.ok(Math.abs(msOf(await text(page, 'elapsed')) - 200) < 1, 'join ≈ 200 ms');
  await pickExample(page, 'sequential');
  await page.fill('[data-testid=param-a]', '100');
  await page.fill('[data-testid=param-b]', '200');
  await runVia(page);
  assert.ok(Math.abs(msOf(await text(page, 'elapsed')) - 300) < 1, 'sequential ≈ 300 ms');
  await context.close();
});

test('blocking shows the long-poll warning and lint; calm examples show no lints', T, async () => {
  const { page, context } = await openPage('?example=blocking');
  assert.ok(await page.locator('[data-testid=long-poll-warning]').first().isVisible(), 'warning on the long poll');
  const kinds = await page.$$eval('[data-testid=lint]', (ls) => ls.map((l) => l.dataset.lint));
  assert.deepEqual(kinds.sort(), ['long-poll', 'never-yielded'], `lints: ${kinds}`);
  const worst = await page.evaluate(() => Math.max(...window.wasyncPlayground.run.trace.filter((e) => e.kind === 'poll' && !e.depth).map((e) => e.dur)));
  assert.ok(Math.abs(worst - 80) < 1, `the worker's one poll is ~80 ms: ${worst}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'blocking.png'), fullPage: true });
  for (const name of ['join', 'sequential', 'spawn', 'cooperative', 'timeout', 'channel', 'lazy']) {
    await pickExample(page, name);
    const got = await page.$$eval('[data-testid=lint]', (ls) => ls.map((l) => l.dataset.lint));
    assert.deepEqual(got, [], `${name} has no lints`);
    assert.equal(await page.locator('[data-testid=long-poll-warning]').count(), 0, `${name}: no long polls`);
  }
  await context.close();
});

test('a budget of 4 cuts the blocking worker into ~8 ms polls: the long-poll lint disappears', T, async () => {
  const { page, context } = await openPage('?example=blocking');
  assert.ok((await page.locator('[data-testid=lint][data-lint=long-poll]').count()) === 1);
  await page.click('#knobs summary');
  const n = await runs(page);
  await page.fill('[data-testid=knob-budget]', '4');
  await page.press('[data-testid=knob-budget]', 'Tab');
  await waitRuns(page, n + 1);
  assert.equal(await page.locator('[data-testid=lint]').count(), 0, 'no lints with budget 4');
  assert.equal(await page.locator('[data-testid=long-poll-warning]').count(), 0);
  const durs = await page.evaluate(() => window.wasyncPlayground.run.trace.filter((e) => e.kind === 'poll' && !e.depth && e.task === 3).map((e) => e.dur));
  assert.equal(durs.length, 10, `cruncher polls: ${durs}`);
  assert.ok(durs.every((d) => Math.abs(d - 8) < 0.5), `~8 ms each: ${durs}`);
  assert.match(page.url(), /budget=4/);
  await context.close();
});

test('real clock: the blocking worker really spins its 80 ms and the page stays usable', T, async () => {
  const { page, context } = await openPage('?example=blocking&clock=real');
  assert.equal(await page.inputValue('[data-testid=clock-mode]'), 'real');
  const polls = await page.evaluate(() => window.wasyncPlayground.run.trace.filter((e) => e.kind === 'poll' && !e.depth).map((e) => ({ task: e.task, dur: e.dur })));
  // The cruncher (task 3) does its ten 8 ms items in one poll, and on the real clock that poll really lasts them:
  // at least 80 ms (75: clock granularity). A lower bound only: how much longer a loaded machine makes it is speed,
  // which bench/ measures, not behaviour.
  const cruncher = polls.filter((p) => p.task === 3);
  assert.equal(cruncher.length, 1, `one cruncher poll: ${JSON.stringify(polls)}`);
  assert.ok(cruncher[0].dur >= 75, `real poll ${cruncher[0].dur} ms`);
  assert.ok(await page.locator('[data-testid=long-poll-warning]').first().isVisible());
  // Another run while clicking around: the page answers between drains.
  const n = await runs(page);
  await page.click('[data-testid=run]');
  await page.click('[data-testid=theme]');
  await waitRuns(page, n + 1);
  assert.equal(await errorShown(page), false);
  await context.close();
});

test('fetch example hits the local server', T, async () => {
  const { page, context } = await openPage('?example=join');
  await fetch(`${base}api/stats/reset`, { method: 'POST' });
  await pickExample(page, 'fetch');
  assert.equal(await errorShown(page), false, 'no error');
  const stats = await (await fetch(`${base}api/stats`)).json();
  assert.ok(stats.requests >= 2, `server saw ${stats.requests} requests`);
  const url = await page.inputValue('[data-testid=param-a]');
  assert.ok(url.startsWith(`${base}api/delay?`), `default URL resolved on this server: ${url}`);
  assert.match(await text(page, 'value'), /HTTP 200, 2000 bytes.*HTTP 200, 4000 bytes/);
  assert.ok((await page.locator('[data-testid=wake][data-cause=fetch]').count()) >= 1, 'fetch wakes drawn');
  await context.close();
});

test('a failed fetch shows the error and its trace; the page keeps working', T, async () => {
  const { page, context, errors } = await openPage('?example=fetch');
  const first = page.locator('[data-testid=param-a]');
  await first.fill('/api/close');
  await runVia(page);
  assert.ok(await errorShown(page), 'error shown for a rejected run');
  assert.match(await text(page, 'error'), /EHOST/);
  assert.equal((await page.evaluate(() => window.wasyncPlayground.run.error?.code)), 'EHOST');
  assert.ok((await page.locator('[data-testid=poll]').count()) > 0, 'the trace up to the failure is drawn');
  await first.fill(`${base}api/delay?ms=10&bytes=10`);
  await runVia(page);
  assert.equal(await errorShown(page), false);
  assert.deepEqual(errors.filter((e) => !/api\/close|ERR_EMPTY_RESPONSE|Failed to load resource/.test(e)), []);
  await context.close();
});

test('step-through moves the cursor and the task console follows', T, async () => {
  const { page, context } = await openPage('?example=spawn');
  const states = () => page.$$eval('[data-testid=task-console] tbody tr', (rs) => rs.map((r) => `${r.dataset.task}:${r.dataset.state}`).join(','));
  // The replay starts at the first event.
  assert.match(await text(page, 'step-index'), /^1 \//);
  const startStates = await states();
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('End');
  const endIdx = await text(page, 'step-index');
  const endStates = await states();
  assert.match(endStates, /1:done/);
  assert.notEqual(startStates, endStates);
  await page.click('[data-testid=step-back]');
  assert.notEqual(await text(page, 'step-index'), endIdx);
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('Home');
  assert.match(await text(page, 'step-index'), /^1 \//);
  assert.equal(await states(), startStates);
  await page.click('[data-testid=step-forward]');
  assert.match(await text(page, 'step-index'), /^2 \//);
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press(']');
  assert.match(await text(page, 'step-index'), /^3 \//);
  await page.keyboard.press('End');
  assert.equal(await text(page, 'step-index'), endIdx);
  assert.equal(await page.locator('[data-testid=cursor]').count(), 1);
  await context.close();
});

test('selecting a poll explains its wake and marks the source line', T, async () => {
  const { page, context } = await openPage('?example=join');
  // The second top-level poll was woken by the first timer.
  const seq = await page.evaluate(() => window.wasyncPlayground.run.trace.filter((e) => e.kind === 'poll' && e.depth === 0)[1].seq);
  await page.click(`[data-testid=poll][data-seq="${seq}"]`, { force: true });
  const why = await text(page, 'why');
  assert.match(why, /timer/);
  assert.ok((await page.locator('#code-c .ln.suspend, #code-c .ln.resume').count()) >= 1, 'source line marked');
  assert.ok((await page.locator('.arrow.hl').count()) >= 1, 'wake arrow highlighted');
  // A nested fake_fetch poll suspended in the header: its tab opens at that line.
  const nested = await page.evaluate(() => window.wasyncPlayground.run.trace.find((e) => e.kind === 'poll' && e.future === 'fake_fetch' && e.site).seq);
  await page.click(`[data-testid=poll][data-seq="${nested}"]`, { force: true });
  assert.equal(await page.getAttribute('[data-testid=c-file-tab][aria-selected=true]', 'data-file'), 'fake_fetch.h');
  assert.equal(await page.getAttribute('pre[data-file="fake_fetch.h"] .ln.suspend', 'data-line'), '12');
  // Hovering that line highlights every poll suspended there: each fake_fetch poll that returned Pending (3).
  const at12 = await page.evaluate(() => window.wasyncPlayground.run.trace.filter((e) => e.kind === 'poll' && e.site?.file.endsWith('/fake_fetch.h') && e.site.line === 12).length);
  assert.equal(at12, 3);
  await page.hover('pre[data-file="fake_fetch.h"] .ln[data-line="12"]');
  assert.equal(await page.locator('.poll.site-hl').count(), at12);
  await page.click('[data-testid=c-file-tab][data-file="join.c"]');
  await page.hover('#code-c .ln[data-line="11"]');
  assert.equal(await page.locator('.poll.site-hl').count(), 2, 'join.c:11: the two pending task polls');
  await context.close();
});

test('the source tabs show the real example and its headers', T, async () => {
  const { page, context } = await openPage('?example=blocking');
  const files = await page.$$eval('[data-testid=c-file-tab]', (ts) => ts.map((t) => t.dataset.file));
  assert.deepEqual(files, ['blocking.c', 'ticker.h']);
  const real = await (await fetch(`${base}pkg/examples/blocking.c`)).text();
  const shown = await page.$$eval('#code-c .ln .c', (ls) => ls.map((l) => l.textContent.replace(/^ $/, '')).join('\n'));
  assert.equal(shown.trim(), real.trim());
  assert.match(await page.textContent('[data-testid=source-rs]'), /tokio::spawn\(ticker/);
  await context.close();
});

test('compare shows two timelines and both elapsed times', T, async () => {
  const { page, context } = await openPage('?example=sequential&p.a=100&p.b=200');
  await runVia(page, '[data-testid=compare]');
  const a = await text(page, 'elapsed-a');
  const b = await text(page, 'elapsed-b');
  assert.ok(Math.abs(msOf(a) - 300) < 1, `sequential ${a}`);
  assert.ok(Math.abs(msOf(b) - 200) < 1, `join ${b}`);
  assert.ok(await page.isVisible('[data-testid=timeline-a]'));
  assert.ok(await page.isVisible('[data-testid=timeline-b]'));
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare.png'), fullPage: true });
  const n = await runs(page);
  await page.selectOption('[data-testid=compare-pair]', 'blocking-cooperative');
  await waitRuns(page, n + 1);
  assert.match(await text(page, 'elapsed-a'), /ms/);
  await context.close();
});

test('exported Chrome JSON has X slices and thread names; text export works', T, async () => {
  const { page, context } = await openPage('?example=spawn');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-chrome]')]);
  const json = JSON.parse(await fs.readFile(await dl.path(), 'utf8'));
  assert.ok(Array.isArray(json.traceEvents));
  assert.ok(json.traceEvents.some((e) => e.ph === 'X'), 'X slices');
  assert.ok(json.traceEvents.some((e) => e.ph === 'M' && e.name === 'thread_name'), 'thread names');
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-text]')]);
  assert.ok((await fs.readFile(await dl2.path(), 'utf8')).length > 0);
  await context.close();
});

test('a bad parameter shows an error; a valid run afterwards works', T, async () => {
  const { page, context } = await openPage('?example=join');
  await page.fill('[data-testid=param-a]', '-5');
  await runVia(page);
  assert.ok(await errorShown(page));
  assert.equal(await page.getAttribute('[data-testid=error]', 'role'), 'alert');
  await page.fill('[data-testid=param-a]', '1.5');
  await runVia(page);
  assert.ok(await errorShown(page));
  await page.fill('[data-testid=param-a]', '50');
  await page.focus('[data-testid=param-a]');
  const n = await runs(page);
  await page.keyboard.press('Control+Enter');
  await waitRuns(page, n + 1);
  assert.equal(await errorShown(page), false);
  assert.ok(Math.abs(msOf(await text(page, 'elapsed')) - 200) < 1);
  await context.close();
});

test('knobs recreate the runtime; a small trace capacity shows the truncation banner', T, async () => {
  const { page, context } = await openPage('?example=spawn');
  assert.equal(await page.isVisible('[data-testid=truncated]'), false);
  await page.click('#knobs summary');
  const n = await runs(page);
  await page.fill('[data-testid=knob-capacity]', '16');
  await page.press('[data-testid=knob-capacity]', 'Tab');
  await waitRuns(page, n + 1);
  assert.ok(await page.isVisible('[data-testid=truncated]'), 'banner visible');
  assert.ok((await page.locator('[data-testid=poll]').count()) > 0, 'partial trace drawn');
  assert.match(page.url(), /cap=16/);
  const n2 = await runs(page);
  await page.selectOption('[data-testid=clock-mode]', 'real');
  await waitRuns(page, n2 + 1);
  assert.match(page.url(), /clock=real/);
  await context.close();
});

test('a link reproduces the example and params; embed mode shows only the timeline', T, async () => {
  const { page, context } = await openPage('?example=sequential&p.a=30&p.b=40');
  assert.equal(await page.inputValue('[data-testid=example-picker]'), 'sequential');
  assert.ok(Math.abs(msOf(await text(page, 'elapsed')) - 70) < 1);
  await page.goto(`${base}?embed=1&example=join`);
  await waitRuns(page, 1);
  assert.ok(await page.isVisible('[data-testid=timeline]'));
  assert.equal(await page.isVisible('[data-testid=example-picker]'), false);
  assert.equal(await page.isVisible('[data-testid=run]'), false);
  await context.close();
});

test('narrow viewport (400px) has no horizontal overflow', T, async () => {
  const { page, context, errors } = await openPage('?example=blocking', { width: 400, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `overflow ${overflow}px`);
  assert.ok(await page.isVisible('[data-testid=timeline]'));
  await page.screenshot({ path: path.join(ARTIFACTS, 'narrow.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('dark theme follows the OS and the toggle switches it', T, async () => {
  const { page, context } = await openPage('?example=blocking', { colorScheme: 'dark' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await bg();
  await page.screenshot({ path: path.join(ARTIFACTS, 'dark.png'), fullPage: true });
  await page.click('[data-testid=theme]');
  assert.notEqual(await bg(), dark);
  await page.click('[data-testid=theme]');
  assert.equal(await bg(), dark);
  await context.close();
});

test('a 20k-event trace renders fast with a bounded number of DOM nodes', T, async () => {
  const { page, context } = await openPage('?example=join');
  const r = await page.evaluate(async () => {
    const { buildModel } = await import('/js/model.js');
    const { computeLints } = await import('/js/lints.js');
    const { Timeline } = await import('/js/timeline.js');
    // Synthetic run: 8 tasks, each woken by a timer and polled over and over.
    const trace = [];
    let seq = 0;
    const push = (e) => trace.push({ seq: seq++, ...e });
    for (let k = 1; k <= 8; k++) push({ t: 0, kind: 'spawn', task: k, name: `t${k}`, parent: 0 });
    let t = 0;
    let timer = 1;
    while (trace.length < 20000) {
      for (let k = 1; k <= 8 && trace.length < 20000; k++) {
        const w = seq;
        push({ t, kind: 'wake', task: k, cause: 'timer', by: 0, source: timer - 1 });
        push({ t, kind: 'poll', task: k, dur: 0.01, result: 'pending', depth: 0, future: `t${k}`, index: -1, site: { file: 'examples/x.c', line: 3 }, wake: w });
        push({ t, kind: 'timer', task: k, deadline: t + 1, timer: timer++ });
        t += 0.02;
      }
    }
    const div = document.createElement('div');
    div.style.width = '1200px';
    document.body.append(div);
    const t0 = performance.now();
    const model = buildModel(trace);
    const tl = new Timeline(div, { testid: 'perf-timeline', idPrefix: 'perf' });
    tl.setData(model, { lints: computeLints(model), threshold: 10 });
    tl.setCursor(trace[10000].seq);
    const ms = performance.now() - t0;
    const nodes = div.querySelectorAll('*').length;
    div.remove();
    return { ms, nodes };
  });
  assert.ok(r.nodes < 15000, `DOM nodes: ${r.nodes}`);
  assert.ok(r.ms < 3000, `render took ${r.ms} ms`);
  await context.close();
});
