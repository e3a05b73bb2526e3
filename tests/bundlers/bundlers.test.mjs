// The package as JS developers import it: built from its `npm pack` tarball into projects outside the repository
// with Vite (current major and the one before it: build and dev server), webpack 5, esbuild (browser and Node, ESM
// and CommonJS), a plain <script type="module">, Node ESM and CJS; each loaded in headless Chromium or Node, where
// it creates a runtime, makes a host call, runs a blocking job on a worker and runs the `join` example from the
// examples module.
// The tools come from the npm registry at set-up (setup.mjs); the first run installs them (about a minute).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { tools, packedApp, project, sh } from './setup.mjs';
import { serve } from './serve.mjs';

let T, app, tmp, browser;
const closers = [];

before(async () => {
  T = await tools();
  ({ app, tmp } = await packedApp());
  const { chromium } = await import(pathToFileURL(path.join(T.mod('playwright-core'), 'index.mjs')).href);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, { timeout: 300_000 });

after(async () => {
  for (const c of closers.reverse()) await c();
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// The application: the same in every set-up; `from` is 'wasync' or 'wasync/inline' (or a path to dist/index.js),
// and the examples module comes from the matching entry, wasync/examples or wasync/inline/examples.
const mainJs = (from, report) => `
import { createRuntime } from '${from}';
import { EXAMPLES_WASM } from '${from === 'wasync/inline' ? 'wasync/inline/examples' : from.replace(/index\.js$/, 'examples.js').replace(/^wasync$/, 'wasync/examples')}';
async function main() {
  const rt = await createRuntime();
  rt.defineHost('double', async (arg) => String(2 * Number(arg)));
  const echoed = await rt.start('host_echo', { name: 'double', arg: '21' }).promise;
  const primes = await rt.start('spawn_blocking', { fn: 'count_primes', input: '1000' }).promise; // on a worker
  rt.close();
  const ex = await createRuntime({ wasm: EXAMPLES_WASM, clock: 'virtual' });
  const run = await ex.runExample('join', { a: 100, b: 200 });
  ex.close();
  return { echoed, primes, value: run.value, elapsedMs: run.elapsedMs };
}
const report = ${report};
main().then(report, (e) => report({ error: String(e && e.message || e) }));
`;
const toPage = '(r) => { globalThis.__wasync = r; }';
const toStdout = '(r) => { console.log(JSON.stringify(r)); }';
// An application that does not use the examples module: bundlers must not copy (or embed) it.
const plainJs = (from) => `
import { createRuntime } from '${from}';
createRuntime().then((rt) => rt.start('sleep', { ms: 5 }).promise).then((v) => { globalThis.__wasync = { slept: v }; },
  (e) => { globalThis.__wasync = { error: String(e && e.message || e) }; });
`;
const html = (script) => `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>${script}</body></html>`;

function assertWorks(r, where) {
  assert.ok(r && !r.error, `${where}: ${r?.error}`);
  assert.deepEqual(r, { echoed: '42', primes: '168', value: 3000, elapsedMs: 200 }, where);
}

/** Opens url in Chromium, waits for the app's report; returns it with the page's errors. */
async function inPage(url) {
  const page = await browser.newPage();
  const errors = [];
  // (Vite's dev client complains that its HMR socket is off: the tests serve without HMR.)
  page.on('pageerror', (e) => { if (!/WebSocket closed without opened/.test(String(e))) errors.push(String(e)); });
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__wasync, null, { timeout: 60_000 });
    return { ...(await page.evaluate(() => globalThis.__wasync)), ...(errors.length ? { pageErrors: errors } : {}) };
  } finally {
    await page.close();
  }
}

async function served(dir) {
  const s = await serve(dir);
  closers.push(s.close);
  return s.url;
}

const files = (dir) => fs.readdirSync(dir, { recursive: true }).map(String);
const wasmFiles = (dir) => files(dir).filter((f) => f.endsWith('.wasm'));
const jsText = (dir) => files(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
// The examples module's signature: the name of one of its examples, as a string in its data (absent from the default).
const EXAMPLES_MARK = 'sequential';

// ---- Vite ------------------------------------------------------------------------------------------------------
async function viteOf(major) {
  return import(pathToFileURL(path.join(T.mod(`vite${major}`), 'dist', 'node', 'index.js')).href);
}
function logger() {
  const messages = [];
  const push = (level) => (msg) => messages.push(`${level}: ${msg}`);
  return { messages, logger: { info() {}, warn: push('warn'), warnOnce: push('warn'), error: push('error'), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false } };
}

for (const major of [8, 7]) {
  test(`Vite ${major}: build with no configuration, no warning; the app works in Chromium; the examples module only when used`, { timeout: 180_000 }, async () => {
    const vite = await viteOf(major);
    for (const [name, js, examplesUsed] of [[`vite${major}`, mainJs('wasync', toPage), true], [`vite${major}-plain`, plainJs('wasync'), false]]) {
      const dir = project(app, name, { 'index.html': html('<script type="module" src="./main.js"></script>'), 'main.js': js });
      const { messages, logger: customLogger } = logger();
      await vite.build({ root: dir, configFile: false, logLevel: 'warn', customLogger, build: { outDir: 'dist', emptyOutDir: true } });
      assert.deepEqual(messages, [], `Vite ${major} printed warnings`);
      const out = path.join(dir, 'dist');
      const wasm = wasmFiles(out);
      assert.equal(wasm.length, examplesUsed ? 2 : 1, `${name}: .wasm files emitted: ${wasm}`);
      const r = await inPage(await served(out));
      if (examplesUsed) assertWorks(r, `Vite ${major} build`);
      else assert.deepEqual(r, { slept: 5 }, `Vite ${major} build without the examples`);
    }
  });

  test(`Vite ${major}: dev server, with the setup docs/bundlers.md gives; without it, the error names the fix`, { timeout: 180_000 }, async (t) => {
    const vite = await viteOf(major);
    const run = async (name, config, from) => {
      const dir = project(app, name, { 'index.html': html('<script type="module" src="./main.js"></script>'), 'main.js': mainJs(from, toPage) });
      const server = await vite.createServer({
        root: dir, configFile: false, logLevel: 'error', appType: 'spa',
        server: { middlewareMode: true, hmr: false, ws: false }, ...config,
      });
      const httpServer = http.createServer(server.middlewares);
      await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
      closers.push(async () => { await new Promise((r) => httpServer.close(r)); await server.close(); });
      return inPage(`http://127.0.0.1:${httpServer.address().port}/`);
    };
    // The documented setups: the package excluded from dependency pre-bundling, or the inline entry.
    assertWorks(await run(`vite${major}-dev`, { optimizeDeps: { exclude: ['wasync'] } }, 'wasync'), `Vite ${major} dev, optimizeDeps.exclude`);
    assertWorks(await run(`vite${major}-dev-inline`, {}, 'wasync/inline'), `Vite ${major} dev, wasync/inline`);
    // With no configuration: it works, or it fails saying what was fetched and what to change.
    const bare = await run(`vite${major}-dev-bare`, {}, 'wasync');
    t.diagnostic(`Vite ${major} dev with no configuration: ${bare.error ? 'fails with the message naming the fix' : 'works'}`);
    if (bare.error) {
      assert.match(bare.error, /wasync\.wasm fetched from http:\/\/127\.0\.0\.1:\d+\/node_modules\/\.vite\/.*is an HTML page/, bare.error);
      assert.match(bare.error, /optimizeDeps: \{ exclude: \['wasync'\] \}/);
    } else {
      assertWorks(bare, `Vite ${major} dev, no configuration`);
    }
  });
}

// ---- webpack 5 -------------------------------------------------------------------------------------------------
test('webpack 5: production build with no configuration beyond the entry; works in Chromium; examples only when used', { timeout: 180_000 }, async () => {
  const { default: webpack } = await import(pathToFileURL(path.join(T.mod('webpack'), 'lib', 'index.js')).href);
  for (const [name, js, examplesUsed] of [['webpack', mainJs('wasync', toPage), true], ['webpack-plain', plainJs('wasync'), false]]) {
    const dir = project(app, name, { 'src/index.js': js, 'dist/index.html': html('<script src="./main.js"></script>') });
    const stats = await new Promise((resolve, reject) => webpack({ mode: 'production', context: dir, entry: './src/index.js', output: { path: path.join(dir, 'dist') } }, (err, s) => (err ? reject(err) : resolve(s))));
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    assert.deepEqual(info.errors.map((e) => e.message), [], 'webpack errors');
    assert.deepEqual(info.warnings.map((e) => e.message), [], 'webpack warnings');
    const out = path.join(dir, 'dist');
    assert.equal(wasmFiles(out).length, examplesUsed ? 2 : 1, `${name}: .wasm files emitted: ${wasmFiles(out)}`);
    const r = await inPage(await served(out));
    if (examplesUsed) assertWorks(r, 'webpack');
    else assert.deepEqual(r, { slept: 5 });
  }
});

// ---- esbuild ---------------------------------------------------------------------------------------------------
async function esbuild() {
  return import(pathToFileURL(path.join(T.mod('esbuild'), 'lib', 'main.js')).href);
}

test('esbuild, browser: wasync/inline works with no asset handling; wasync (by URL) fails saying what to do', { timeout: 120_000 }, async () => {
  const { build } = await esbuild();
  const make = async (name, js) => {
    const dir = project(app, name, { 'main.js': js, 'dist/index.html': html('<script type="module" src="./main.js"></script>') });
    const res = await build({ absWorkingDir: dir, entryPoints: ['main.js'], bundle: true, format: 'esm', platform: 'browser', outdir: 'dist', minify: true, logLevel: 'silent' });
    assert.deepEqual([...res.errors, ...res.warnings], [], `${name}: esbuild messages`);
    return path.join(dir, 'dist');
  };
  const inline = await make('esbuild-inline', mainJs('wasync/inline', toPage));
  assertWorks(await inPage(await served(inline)), 'esbuild, wasync/inline');
  // Without the examples, the bundle does not carry them.
  const plain = await make('esbuild-inline-plain', plainJs('wasync/inline'));
  assert.deepEqual(await inPage(await served(plain)), { slept: 5 });
  const size = (d) => fs.statSync(path.join(d, 'main.js')).size;
  assert.ok(size(inline) - size(plain) > 40_000, `the examples module is embedded only when used (${size(inline)} vs ${size(plain)} bytes)`);
  assert.ok(!jsText(plain).includes(EXAMPLES_MARK) || size(plain) < 60_000, 'no examples in the plain bundle');
  // By URL: esbuild copies no .wasm, the server answers with its fallback page, the error says so and what to do.
  const byUrl = await make('esbuild-url', mainJs('wasync', toPage));
  const r = await inPage(await served(byUrl));
  assert.match(r.error ?? '', /^wasync: wasync\.wasm fetched from http:\/\/127\.0\.0\.1:\d+\/dist\/wasync\.wasm \(\d+ bytes\) is an HTML page, not WebAssembly \(it starts with "<!doctype html>/, JSON.stringify(r));
  assert.match(r.error, /esbuild never does.*wasync\/inline/);
});

test('esbuild, Node: ESM with packages external, CJS with wasync/inline; a CJS bundle by URL loads and fails only when used', { timeout: 120_000 }, async () => {
  const { build } = await esbuild();
  const dir = project(app, 'esbuild-node', { 'main.js': mainJs('wasync', toStdout), 'inline.js': mainJs('wasync/inline', toStdout) });
  const b = (entry, outfile, extra) => build({ absWorkingDir: dir, entryPoints: [entry], outfile, bundle: true, platform: 'node', logLevel: 'silent', ...extra });
  await b('main.js', 'out/esm.mjs', { format: 'esm', packages: 'external' });
  await b('inline.js', 'out/inline.cjs', { format: 'cjs' });
  await b('main.js', 'out/url.cjs', { format: 'cjs' });
  const node = async (file) => JSON.parse((await sh(process.execPath, [file], dir, { timeout: 60_000 })).stdout.trim().split('\n').at(-1));
  assertWorks(await node('out/esm.mjs'), 'esbuild node ESM, packages external');
  assertWorks(await node('out/inline.cjs'), 'esbuild node CJS, wasync/inline');
  const r = await node('out/url.cjs');
  assert.match(r.error ?? '', /^wasync: cannot locate wasync\.wasm: import\.meta\.url is not available here \(a CommonJS bundle\?\)\. Import from 'wasync\/inline'/, JSON.stringify(r));
});

// ---- no bundler ------------------------------------------------------------------------------------------------
test('plain <script type="module">: the package served as it is installed, imported by path and by an import map', { timeout: 60_000 }, async () => {
  const dir = project(app, 'plain', {
    'index.html': html(`<script type="module">${mainJs('/node_modules/wasync/dist/index.js', toPage)}</script>`),
    'map.html': html(`<script type="importmap">{ "imports": { "wasync": "/node_modules/wasync/dist/index.js", "wasync/examples": "/node_modules/wasync/dist/examples.js" } }</script><script type="module">${mainJs('wasync', toPage)}</script>`),
  });
  const url = await served(dir);
  assertWorks(await inPage(url), 'plain script, path');
  assertWorks(await inPage(`${url}map.html`), 'plain script, import map');
});

test('Node: import and require', { timeout: 60_000 }, async () => {
  const dir = project(app, 'node', {
    'esm.mjs': mainJs('wasync', toStdout),
    'cjs.cjs': mainJs('wasync', toStdout).replace(/^import \{ (.*) \} from '(.*)';$/gm, "const { $1 } = require('$2');"),
  });
  for (const f of ['esm.mjs', 'cjs.cjs']) {
    const { stdout } = await sh(process.execPath, [f], dir, { timeout: 60_000 });
    assertWorks(JSON.parse(stdout.trim().split('\n').at(-1)), `node ${f}`);
  }
});
