// Your own C's parameters (js/editor.js, main.js's params hook): after a compile the page's parameter form shows the
// compiled entry's parameters, its values go into the program's run, a value out of range is refused with the
// built-ins' one-line message, a parameter added in the C shows after the next compile, and the built-in Run keeps
// the example's own values.
//   node --test --test-concurrency=1 tests/browser/editor-params.test.mjs
// Needs wasm/dist/cc-kit.json and playground/dist/codemirror.js (bash scripts/build-wasm.sh) and @yowasp/clang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runs, waitRuns, text, shot, artifact } from './harness.mjs';
import { COMPILE_MS, startEditorHarness, openEditor, source, waitRunsFor, setSource, compileRun, elapsedMs } from './editor-helpers.mjs';

const T = { timeout: 240_000 };
let h;
before(async () => { h = await startEditorHarness(); });
after(async () => { await h?.close(); });

const paramNames = (page) => page.$$eval('#params input', (els) => els.map((e) => e.name));

test('the compiled program runs with the form\'s values; a new param shows; out of range is refused; Run keeps the example\'s', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const original = await source(page);

  // First compile: the form shows the compiled join's parameters, at their defaults.
  await compileRun(page);
  assert.equal(await elapsedMs(page), 200);
  assert.deepEqual(await paramNames(page), ['a', 'b']);
  assert.equal(await page.isVisible('[data-testid=params-for]'), true, 'the form says it is your program\'s');

  // b = 350 in the form, compile & run again: the program runs with it.
  await page.fill('[data-testid=param-b]', '350');
  await compileRun(page);
  assert.equal(await elapsedMs(page), 350, 'elapsed = max(100, 350)');
  assert.equal(await text(page, 'value'), '4500', '(100 + 350) * 10 bytes');
  assert.equal(await page.inputValue('[data-testid=param-b]'), '350', 'the value set stays');
  assert.equal(await page.isVisible('[data-testid=error]'), false);

  // A new parameter in the C (c, default 50, added to b) shows in the form after the compile and is used.
  const withC = original
    .replace('{ "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },',
      '{ "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },\n    { "c", "extra (ms)", WSX_MS, 50, 0, 1000, NULL },')
    .replace('join_params, 2,', 'join_params, 3,')
    .replace('self->b_ms = args->num[1];', 'self->b_ms = args->num[1] + args->num[2];');
  assert.notEqual(withC, original);
  await setSource(page, withC);
  await compileRun(page);
  assert.deepEqual(await paramNames(page), ['a', 'b', 'c'], 'the new parameter is in the form');
  assert.equal(await page.inputValue('[data-testid=param-c]'), '50', 'at its default');
  assert.equal(await elapsedMs(page), 400, 'b 350 kept, + c 50');
  await shot(page, 'editor-params-new');

  // Out of range: the built-ins' one-line message, the field marked, nothing runs; the page keeps working.
  await page.fill('[data-testid=param-c]', '5000');
  await compileRun(page);
  assert.match(await text(page, 'error'), /(^|✕)extra \(ms\): 5000 is out of range: from 0 to 1000\.$/);
  assert.equal(await page.getAttribute('[data-testid=param-c]', 'aria-invalid'), 'true');
  assert.match(await text(page, 'compile-status'), /not run: extra \(ms\): 5000 is out of range/);
  await shot(page, 'editor-params-refused');
  await page.locator('#run-form').screenshot({ path: artifact('editor-params-form') });
  // Enter in a field of your program's parameters runs your program (not the built-in example ▶ Run stands for).
  await page.fill('[data-testid=param-c]', '0');
  const before = await runs(page);
  await page.press('[data-testid=param-c]', 'Enter');
  await waitRuns(page, before + 1);
  assert.equal(await elapsedMs(page), 350);
  assert.equal(await page.isVisible('[data-testid=error]'), false);
  assert.deepEqual(await paramNames(page), ['a', 'b', 'c'], 'still your program\'s form');

  // The built-in Run: join as shipped, with its own parameters and values.
  const n = await runs(page);
  await page.click('[data-testid=run]');
  await waitRuns(page, n + 1);
  assert.deepEqual(await paramNames(page), ['a', 'b']);
  assert.equal(await page.inputValue('[data-testid=param-b]'), '200');
  assert.equal(await elapsedMs(page), 200);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shared link carries the form\'s values as p.*: reloading runs the example with the ones it has, your program with all', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const withC = (await source(page))
    .replace('{ "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },',
      '{ "b", "second fetch (ms)", WSX_MS, 200, 0, 60000, NULL },\n    { "c", "extra (ms)", WSX_MS, 50, 0, 1000, NULL },')
    .replace('join_params, 2,', 'join_params, 3,')
    .replace('self->b_ms = args->num[1];', 'self->b_ms = args->num[1] + args->num[2];');
  await setSource(page, withC);
  await compileRun(page);
  assert.equal(await elapsedMs(page), 250);
  await page.fill('[data-testid=param-b]', '350');
  await page.fill('[data-testid=param-c]', '20');
  await compileRun(page);
  assert.equal(await elapsedMs(page), 370);
  const link = page.url();
  assert.match(link, /[?&]p\.b=350&p\.c=20[&#]/);
  const again = await context.newPage();
  await again.goto(link);
  await waitRunsFor(again, 1, COMPILE_MS);
  assert.equal(await elapsedMs(again), 350, 'the built-in join first, with the b it has');
  await waitRunsFor(again, 2, COMPILE_MS);
  assert.equal(await elapsedMs(again), 370, 'then your program, with b and its own c');
  assert.deepEqual(await paramNames(again), ['a', 'b', 'c']);
  assert.equal(await again.inputValue('[data-testid=param-c]'), '20');
  assert.deepEqual(errors, []);
  await context.close();
});
