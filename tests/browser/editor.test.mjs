// Your own C in the playground (js/editor.js): the example's source in the editor, compiled in the page by the
// toolchain Worker, run in a disposable Worker and shown like a built-in run; compile errors as markers; a program
// that never yields stopped by the watchdog while the page keeps answering; the program carried by the link;
// printf's output in its pane; axe clean with the editor open, in both themes; no overflow at 390 px.
//   node --test --test-concurrency=1 tests/browser/editor.test.mjs
// Needs wasm/dist/cc-kit.json and playground/dist/codemirror.js (bash scripts/build-wasm.sh) and @yowasp/clang
// (npm ci). The first compile in a fresh browser context fetches and compiles the 100 MB toolchain: the timeouts
// allow for a loaded machine; nothing here measures speed (bench/playground-cc.mjs does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { runs, waitRuns, text, shot, REPO } from './harness.mjs';
import { COMPILE_MS, startEditorHarness, openEditor, source, waitRunsFor, setSource, compileRun, elapsedMs } from './editor-helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const T = { timeout: 240_000 };
let h;
before(async () => { h = await startEditorHarness(); });
after(async () => { await h?.close(); });

const status = (page) => text(page, 'compile-status');

test('edit join.c: a longer second fetch gives the new elapsed, value and timeline; the Source card shows the edit', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const original = await source(page);
  assert.match(original, /\{ "b", "second fetch \(ms\)", WSX_MS, 200,/, 'the editor starts with the real join.c');
  assert.match(await text(page, 'editor-file'), /join\.c/);
  const edited = original.replace('{ "b", "second fetch (ms)", WSX_MS, 200,', '{ "b", "second fetch (ms)", WSX_MS, 350,');
  await setSource(page, edited);
  await compileRun(page);
  assert.equal(await elapsedMs(page), 350, 'elapsed = max(100, 350)');
  assert.equal(await text(page, 'value'), '4500', '(100 + 350) * 10 bytes');
  assert.match(await status(page), /Compiled in \d+ ms, ran join: done/);
  const polls = await page.locator('[data-testid=timeline] [data-testid=poll]').count();
  assert.ok(polls >= 3, `a timeline of the run (${polls} polls)`);
  const shownSource = await page.textContent('[data-testid=source-c]');
  assert.match(shownSource, /WSX_MS, 350,/, 'the Source card shows the edited file');
  assert.equal(await page.textContent('[data-testid=src-origin]'), "Your program, as compiled; the Rust shown is the built-in example join's, not your program's.");
  assert.equal(await page.textContent('[data-testid=src-rs-label]'), 'Rust equivalent of the built-in join (not of your program) join.rs');
  assert.equal(await page.isVisible('[data-testid=error]'), false);
  await shot(page, 'editor-join-edited');
  // The built-in Run afterwards runs the example as shipped, with its own source again.
  const n = await runs(page);
  await page.click('[data-testid=run]');
  await waitRuns(page, n + 1);
  assert.equal(await elapsedMs(page), 200);
  assert.match(await page.textContent('[data-testid=source-c]'), /WSX_MS, 200,/);
  assert.equal(await page.textContent('[data-testid=src-origin]'), 'The real example, served from the package.');
  assert.equal(await page.textContent('[data-testid=src-rs-label]'), 'Rust equivalent join.rs');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a syntax error: a marker on its line, the message in the errors pane and the status; fixing it runs', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const original = await source(page);
  const lines = original.split('\n');
  const at = lines.findIndex((l) => l.includes('fake_fetch_init(&self->a, self->a_ms);')) + 1;
  assert.ok(at > 1);
  lines[at - 1] = lines[at - 1].replace('self->a_ms);', 'self->a_ms)'); // the ';' forgotten
  await setSource(page, lines.join('\n'));
  await page.click('[data-testid=compile-run]');
  await page.waitForFunction(() => /Compile failed/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: COMPILE_MS });
  assert.match(await status(page), new RegExp(`Compile failed: 1 error, the first on line ${at}\\.`));
  const pane = await text(page, 'compile-errors');
  assert.match(pane, new RegExp(`^join\\.c:${at}:\\d+: error: expected ';' after expression`, 'm'));
  const marked = await page.$$eval('[data-testid=editor] .cm-diag-error', (els) => els.map((e) => Number(e.dataset.diagLine)));
  assert.deepEqual(marked, [at], 'the error line, and only it, is marked');
  assert.equal(await page.locator('[data-testid=editor] .cm-gutter-lint .cm-lint-marker-error').count(), 1, 'a gutter marker');
  assert.ok(await page.locator(`[data-testid=editor] [data-diag-line="${at}"]`).isVisible(), 'scrolled into sight');
  await shot(page, 'editor-syntax-error');
  assert.doesNotMatch(await status(page), /Nothing ran/, 'no earlier run of the edited program to speak of');
  await setSource(page, original);
  await compileRun(page);
  assert.equal(await elapsedMs(page), 200);
  assert.equal(await page.textContent('#cc-output-title'), 'Program output');
  assert.equal(await page.isVisible('[data-testid=compile-errors]'), false, 'the errors pane is gone');
  assert.equal(await page.locator('[data-testid=editor] .cm-diag-error').count(), 0, 'and the markers');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a poll that never returns: the watchdog stops the program within its limit while the page keeps answering; Stop too', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  await page.selectOption('[data-testid=editor-template]', '.blank');
  assert.match(await text(page, 'editor-file'), /main\.c/);
  const spin = (await source(page)).replace('    WS_BEGIN();\n', '    WS_BEGIN();\n    for (;;) { }                                  /* never returns, never awaits */\n');
  await setSource(page, spin);
  // Load the toolchain first, so the limit below counts the run only.
  await page.waitForFunction(() => /Compiler loaded/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: COMPILE_MS });
  const limit = await page.evaluate(async () => (await import('./js/cc-limits.js')).WATCHDOG_MS);
  await page.click('[data-testid=compile-run]');
  await page.waitForFunction(() => /running/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: COMPILE_MS });
  const started = Date.now();
  assert.equal(await page.isEnabled('[data-testid=compile-stop]'), true);
  // While the program spins, the page answers: the theme switches.
  const before = await page.evaluate(() => document.documentElement.dataset.theme || 'light');
  await page.click('[data-testid=theme]');
  assert.notEqual(await page.evaluate(() => document.documentElement.dataset.theme), before);
  assert.match(await status(page), /running/, 'still running when the page answered');
  await page.waitForFunction(() => /stopped/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: limit + 10_000 });
  const took = Date.now() - started;
  assert.ok(took >= limit - 500 && took < limit + 10_000, `stopped after ${took} ms (limit ${limit} ms)`);
  assert.match(await status(page), /A poll that never returns starves everything/);
  assert.match(await text(page, 'program-output'), /stopped by the watchdog/);
  assert.match(await text(page, 'error'), /Your program was stopped by the watchdog .*: it has no result/);
  assert.equal(await text(page, 'value'), '–', 'no value shown for a run that has none');
  assert.equal(await page.isEnabled('[data-testid=compile-run]'), true);
  await shot(page, 'editor-watchdog');
  // Stop: the same program, stopped by hand long before the watchdog.
  await page.click('[data-testid=compile-run]');
  await page.waitForFunction(() => /running/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: COMPILE_MS });
  const t1 = Date.now();
  await page.click('[data-testid=compile-stop]');
  await page.waitForFunction(() => /\(Stop\)/.test(document.querySelector('[data-testid=compile-status]').textContent));
  assert.ok(Date.now() - t1 < limit, 'Stop acts at once');
  // And a built-in example still runs.
  const n = await runs(page);
  await page.click('[data-testid=run]');
  await waitRuns(page, n + 1);
  assert.equal(await elapsedMs(page), 200);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the link carries the edited program: reloading restores and runs it; a damaged link says so and the page works', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const edited = (await source(page)).replace('WSX_MS, 100,', 'WSX_MS, 420,');
  await setSource(page, edited);
  await compileRun(page);
  assert.equal(await elapsedMs(page), 420);
  const link = page.url();
  assert.match(link, /#file=join\.c&src=[\w-]+$/);
  const again = await context.newPage();
  await again.goto(link);
  await waitRunsFor(again, 2, COMPILE_MS); // the example, then the program from the link
  assert.equal(await source(again), edited, 'the same text, byte for byte');
  assert.equal(await elapsedMs(again), 420, 'and it ran');
  await shot(again, 'editor-shared-link');
  for (const [hash, why] of [['#file=join.c&src=AAAA', /damaged/], ['#file=join.c&src=%%%', /not base64url/],
    ['#file=../x.c&src=AAAA', /file name/], [`#file=join.c&src=${'A'.repeat(100_000)}`, /characters long/]]) {
    const p = await context.newPage();
    const errs = [];
    p.on('pageerror', (e) => errs.push(e.message));
    await p.goto(`${h.base}?example=sequential${hash}`);
    await waitRuns(p, 1);
    await p.waitForSelector('[data-testid=url-note]:not([hidden])');
    const note = await p.textContent('[data-testid=url-note]');
    assert.match(note, /The link's program could not be read: .*\. Showing the example instead\./, hash.slice(0, 40));
    assert.match(note, why);
    assert.equal(await p.isVisible('#editor-card'), false);
    assert.equal(await elapsedMs(p), 300, 'the example ran');
    assert.deepEqual(errs, []);
    await p.close();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('printf goes to the program output pane, stderr marked apart', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  await page.selectOption('[data-testid=editor-template]', '.blank');
  await setSource(page, (await source(page)).replace('    printf("hello: awake\\n");', '    printf("hello: awake\\n");\n    fprintf(stderr, "hello: done\\n");'));
  await compileRun(page);
  assert.equal(await text(page, 'value'), '42');
  assert.equal(await elapsedMs(page), 100);
  assert.equal(await text(page, 'program-output'), 'hello: sleeping 100 ms\nhello: awake\nhello: done\n');
  assert.equal(await page.textContent('[data-testid=program-output] .stderr'), 'hello: done\n');
  assert.deepEqual(errors, []);
  await context.close();
});

test('edits are not thrown away silently: a template asks first; closing and reopening keeps them', T, async () => {
  const { page, context, errors } = await h.open('?example=join');
  await openEditor(page);
  const edited = (await source(page)).replace('WSX_MS, 100,', 'WSX_MS, 111,');
  await setSource(page, edited);
  const dialogs = [];
  page.once('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.selectOption('[data-testid=editor-template]', '.blank');
  assert.match(dialogs[0], /Replace your edits/);
  assert.equal(await source(page), edited, 'dismissed: the edits stay');
  await page.click('[data-testid=editor-close]');
  assert.equal(await page.isVisible('#editor-card'), false);
  assert.doesNotMatch(page.url(), /#/, 'closing takes the program out of the address bar');
  await page.click('[data-testid=edit-open]');
  assert.equal(await source(page), edited, 'reopened as it was left');
  await page.waitForFunction(() => /#file=join\.c&src=/.test(location.hash));
  page.once('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  await page.selectOption('[data-testid=editor-template]', '.blank');
  await page.waitForFunction(() => /^\/\* Your own async C/.test(window.wasyncPlayground.source));
  assert.match(await text(page, 'editor-file'), /main\.c/);
  assert.equal(dialogs.length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

// Serious and critical violations (as in a11y.test.mjs).
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${(n.any[0]?.message || n.failureSummary || '').slice(0, 140)}`));
}

for (const scheme of ['light', 'dark']) {
  test(`axe: the editor open, with an error marked and output shown, has no serious violation (${scheme})`, T, async () => {
    const { page, context } = await h.open('?example=join', { colorScheme: scheme });
    await openEditor(page);
    await page.selectOption('[data-testid=editor-template]', '.blank');
    await compileRun(page);
    await setSource(page, (await source(page)).replace('WS_RETURN(42);', 'WS_RETURN(42)'));
    await page.click('[data-testid=compile-run]');
    await page.waitForFunction(() => /Compile failed/.test(document.querySelector('[data-testid=compile-status]').textContent), null, { timeout: COMPILE_MS });
    // Nothing ran: the output still shown is the last run's, and the page says so.
    assert.match(await status(page), /Nothing ran: the output and timeline shown are the last run's\./);
    assert.equal(await page.textContent('#cc-output-title'), 'Program output of the last run (before this edit)');
    assert.match(await text(page, 'program-output'), /hello: awake/);
    assert.deepEqual(await axe(page), []);
    await page.locator('#editor-card').screenshot({ path: path.join(REPO, 'tests/browser/artifacts', `editor-${scheme}.png`) });
    await context.close();
  });
}

test('390 px wide with the editor open: no horizontal overflow', T, async () => {
  const { page, context } = await h.open('?example=join', { width: 390, height: 844 });
  await openEditor(page);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(over, 0);
  const card = await page.evaluate(() => document.querySelector('#editor-card').getBoundingClientRect().right);
  assert.ok(card <= 390, `the card fits (${card})`);
  await shot(page, 'editor-390');
  await context.close();
});
