// The playground against links a careless or hostile user writes: keys of Object.prototype as a comparison,
// executor settings out of range or of the wrong form, an unknown example. The page must run anyway, with the
// defaults, and say in a visible note what it did instead.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/server.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PKG_DIR = path.join(REPO, 'wasm');
const WASM = path.join(PKG_DIR, 'dist', 'wasync-examples.wasm');
const T = { timeout: 45_000 };

let server;
let browser;
before(async () => {
  if (!existsSync(WASM)) throw new Error(`${path.relative(REPO, WASM)} is missing: run scripts/build-wasm.sh first`);
  server = await startServer({ port: 0, host: '127.0.0.1', pkgDir: PKG_DIR });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    timeout: 30_000,
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Opens the page at `query` and waits for its first run; records uncaught errors.
async function open(query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}${query}`);
  await page.waitForFunction(() => Number(document.body.dataset.runs || 0) >= 1);
  return { page, context, errors };
}

const note = async (page) => ((await page.isVisible('[data-testid=url-note]')) ? page.textContent('[data-testid=url-note]') : null);
const elapsedMs = async (page) => Number((await page.textContent('[data-testid=elapsed]')).replace(/[^\d.]/g, ''));

// After the note, the page still works: another example runs and takes its virtual time.
async function stillRuns(page) {
  const n = await page.evaluate(() => Number(document.body.dataset.runs));
  await page.selectOption('[data-testid=example-picker]', 'sequential');
  await page.waitForFunction((k) => Number(document.body.dataset.runs) > k, n);
  assert.equal(await page.isVisible('[data-testid=error]'), false, 'no error');
  assert.ok(Math.abs((await elapsedMs(page)) - 300) < 1, 'sequential takes 100 + 200 ms');
}

test('?compare=__proto__ or toString runs the page and names the unknown comparison', T, async () => {
  for (const key of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
    const { page, context, errors } = await open(`?compare=${key}`);
    assert.deepEqual(errors, [], `${key}: no uncaught error`);
    assert.equal(await note(page),
      `✕There is no comparison "${key}" (there are sequential-join, join-spawn, blocking-cooperative, blocking-offload, blocking-cooperative-offload, cooperative-offload, budget, timeout-win, custom, or a list of two or three examples).`);
    assert.equal(await page.isVisible('#compare-card'), false, 'compare stays off');
    assert.equal(await page.inputValue('[data-testid=example-picker]'), 'join');
    await stillRuns(page);
    await context.close();
  }
  // a list of examples (?compare=blocking,cooperative,offload) with an unknown name, or more than three
  for (const [list, msg] of [['join,__proto__', 'There is no example "__proto__" to compare.'], ['join,join,join,join', 'A comparison has at most three variants, not 4.']]) {
    const { page, context, errors } = await open(`?compare=${list}`);
    assert.deepEqual(errors, [], `${list}: no uncaught error`);
    assert.equal(await note(page), `✕${msg}`);
    assert.equal(await page.isVisible('#compare-card'), false, 'compare stays off');
    await stillRuns(page);
    await context.close();
  }
});

test('a known comparison from the link still opens, with no note', T, async () => {
  const { page, context, errors } = await open('?compare=sequential-join');
  assert.deepEqual(errors, []);
  assert.equal(await note(page), null);
  assert.ok(await page.isVisible('#compare-card'));
  await context.close();
});

test('executor settings out of range fall back to the defaults, with a note naming the refused value', T, async () => {
  const cases = {
    '?slice=99999999999': /sliceMs must be a number from 0 to 60000/,
    '?cap=1': /traceCapacity/,
    '?budget=99999999999': /budget/,
  };
  for (const [query, why] of Object.entries(cases)) {
    const { page, context, errors } = await open(`${query}&example=join`);
    assert.deepEqual(errors, [], `${query}: no uncaught error`);
    const text = await note(page);
    assert.match(text, /^✕The link's executor settings were refused \(.*\): using the defaults\.$/, query);
    assert.match(text, why, `${query}: the package's reason is quoted`);
    assert.equal(await page.inputValue('[data-testid=knob-slice]'), '4');
    assert.equal(await page.inputValue('[data-testid=knob-capacity]'), '65536');
    assert.equal(await page.inputValue('[data-testid=knob-budget]'), '128');
    assert.ok(Math.abs((await elapsedMs(page)) - 200) < 1, `${query}: join ran on the defaults`);
    await stillRuns(page);
    await context.close();
  }
});

test('executor settings of the wrong form fall back one by one, each with its own note', T, async () => {
  const { page, context, errors } = await open('?budget=abc&slice=-3&clock=bogus&thr=x&cap=32');
  assert.deepEqual(errors, []);
  assert.equal(await note(page), '✕' + [
    'The link\'s clock "bogus" is not valid: using the default, virtual.',
    'The link\'s budget "abc" is not valid: using the default, 128.',
    'The link\'s time slice "-3" is not valid: using the default, 4.',
    'The link\'s long-poll threshold "x" is not valid: using the default, 10.',
  ].join(''));
  assert.equal(await page.inputValue('[data-testid=knob-capacity]'), '32', 'the valid one is kept');
  assert.equal(await page.inputValue('[data-testid=knob-budget]'), '128');
  assert.equal(await page.inputValue('[data-testid=clock-mode]'), 'virtual');
  await stillRuns(page);
  await context.close();
});

test('an unknown ?example= says so and shows join; a long name is cut in the note', T, async () => {
  const { page, context, errors } = await open('?example=nope');
  assert.deepEqual(errors, []);
  assert.equal(await note(page), '✕There is no example "nope": showing join.');
  assert.equal(await page.inputValue('[data-testid=example-picker]'), 'join');
  await page.click('[data-testid=url-note] .close');
  assert.equal(await note(page), null, 'the note can be dismissed');
  await stillRuns(page);
  await page.goto(`${server.url}?example=${'x'.repeat(5000)}`);
  await page.waitForFunction(() => Number(document.body.dataset.runs || 0) >= 1);
  assert.equal(await note(page), `✕There is no example "${'x'.repeat(40)}…": showing join.`);
  await context.close();
});

test('a plain link shows no note', T, async () => {
  const { page, context, errors } = await open('?example=sequential&slice=8&budget=4');
  assert.deepEqual(errors, []);
  assert.equal(await note(page), null);
  assert.equal(await page.inputValue('[data-testid=knob-slice]'), '8');
  await context.close();
});
