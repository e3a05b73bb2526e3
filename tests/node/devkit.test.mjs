// The dev kit as a new user meets it, on the packed package only: `npm pack` of wasm/, `npm install` of the tarball
// into an empty folder outside the repository, the files of docs/guide.md written there, built with
// `npx wasync build` (and, in a second test, with the package's CMake file), run in Node and in Chromium against a
// local server. Then `wasync build`'s answers to bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT, PKG_DIR } from './helpers.mjs';

const run = promisify(execFile);
const T = { timeout: 600_000 };
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const hasEmcc = (process.env.PATH || '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, 'emcc')));
const skip = hasEmcc ? false : 'emcc is not installed';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-devkit-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The guide's files: fenced blocks whose info string names a file (```c app.c), and its shell commands.
const guide = fs.readFileSync(path.join(ROOT, 'docs', 'guide.md'), 'utf8');
const FILES = Object.fromEntries([...guide.matchAll(/```\w+ ([\w.]+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
const COMMANDS = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].trim().split('\n'));

let tgz;
before(async () => {
  if (skip) return;
  const packDir = path.join(tmp, 'pack');
  fs.mkdirSync(packDir);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: PKG_DIR, env: npmEnv, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(stdout);
  tgz = path.join(packDir, info.filename);
  const files = info.files.map((f) => f.path);
  for (const f of ['cmake/wasync.cmake', 'cmake/flags.json', 'bin/build.js', 'c/include/wasync.h', 'c/include/ws_module.h',
    'c/include/ws_js.h', 'c/core/executor.c', 'c/core/ws_internal.h', 'c/bridge/bridge.c']) {
    assert.ok(files.includes(f), `the tarball has ${f}`);
  }
  assert.ok(!files.includes('c/include/ws_internal.h'), 'internal headers are not among the public ones');
  const privateHeaders = fs.readdirSync(path.join(ROOT, 'src')).filter((f) => f.endsWith('_internal.h'));
  for (const h of privateHeaders) assert.ok(files.includes(`c/core/${h}`), `the tarball has the core's private ${h} with the core`);
});

/** A fresh folder with the package installed from the tarball and the guide's files written. */
async function newApp(name) {
  const app = path.join(tmp, name);
  fs.mkdirSync(app);
  const [mkdir, install] = COMMANDS;
  assert.equal(mkdir, 'mkdir my-app && cd my-app');
  assert.equal(install, 'npm install wasync');
  // --omit=optional: these tests build with emcc (and check the message when it is missing); the fallback compiler,
  // @yowasp/clang, is tested by cc.test.mjs and pack.test.mjs
  await run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', tgz], { cwd: app, env: npmEnv, timeout: 120_000 });
  for (const [file, text] of Object.entries(FILES)) fs.writeFileSync(path.join(app, file), text);
  return app;
}

const sh = (line, cwd, extra = {}) => run('bash', ['-c', line], { cwd, env: { ...npmEnv, ...extra }, timeout: 300_000, maxBuffer: 16 << 20 });

async function checkNode(app) {
  assert.ok(COMMANDS.includes('node run.mjs'));
  const { stdout } = await sh('node run.mjs', app);
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.match(result.label, /^fetch_two in Node v\d+/);
  assert.equal(result.a.status, 200);
  assert.match(result.a.head, /"path":"\/a"/);
  assert.deepEqual(result.b, { error: 'timeout' });
}

/** The guide's `node server.mjs 8080`, on an ephemeral port (0) instead: resolves with the URL it prints. */
function startGuideServer(app) {
  const serve = COMMANDS.find((c) => c.startsWith('node server.mjs'));
  assert.equal(serve, 'node server.mjs 8080');
  const child = spawn(process.execPath, ['server.mjs', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`server.mjs printed no URL: ${text}`)); }, 20_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server.mjs exited (${code}): ${text}`)); });
    child.stdout.on('data', (d) => {
      text += d;
      const m = text.match(/^open (http:\/\/127\.0\.0\.1:\d+)\/$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], close: () => child.kill() });
      }
    });
  });
}

async function checkBrowser(app) {
  const { chromium } = await import('playwright-core');
  const server = await startGuideServer(app);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.getElementById('out').textContent.startsWith('{'), null, { timeout: 20_000 });
    const result = JSON.parse(await page.textContent('#out'));
    assert.equal(result.label, 'fetch_two in Chromium');
    assert.equal(result.a.status, 200);
    assert.deepEqual(result.b, { error: 'timeout' });
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    server.close();
  }
}

test('the guide, route 1: npx wasync build, then Node and Chromium', { ...T, skip }, async () => {
  const app = await newApp('app-npx');
  const build = COMMANDS.find((c) => c.startsWith('npx wasync build'));
  assert.equal(build, 'npx wasync build app.c -o app.wasm');
  const { stdout } = await sh(build, app);
  assert.match(stdout, /wrote app\.wasm \(\d+ bytes\) with emcc .*3\.\d+\.\d+/, 'it says which toolchain it used');
  assert.ok(fs.statSync(path.join(app, 'app.wasm')).size > 1000);
  await checkNode(app);
  await checkBrowser(app);
});

test('the guide, route 2: the package\'s cmake/wasync.cmake from a project of ones own, then Node', { ...T, skip }, async () => {
  const app = await newApp('app-cmake');
  const cmake = COMMANDS.find((c) => c.startsWith('emcmake cmake'));
  // exactly as the guide says: no NODE_PATH (a standalone .wasm link runs none of emcc's JS tools that need one)
  await sh(cmake, app, { NODE_PATH: undefined });
  assert.ok(fs.existsSync(path.join(app, 'app.wasm')));
  await checkNode(app);
});

test('wasync build: bad input gets one clear line and a non-zero exit', { ...T, skip }, async () => {
  const app = await newApp('app-bad');
  const bin = path.join(app, 'node_modules', '.bin', 'wasync');
  const fails = async (args, env, code, pattern) => {
    const err = await run(bin, args, { cwd: app, env: { ...npmEnv, ...env }, timeout: 300_000 }).then(() => null, (e) => e);
    assert.ok(err, `wasync ${args.join(' ')} must fail`);
    assert.equal(err.code, code, `exit code of wasync ${args.join(' ')}: ${err.stderr}`);
    assert.match(err.stderr, pattern);
    return err.stderr;
  };
  await fails(['build', 'nope.c', '-o', 'x.wasm'], {}, 1, /^wasync build: no such file: nope\.c$/m);
  await fails(['build', 'app.c', '-o', 'x.wasm', '--fast'], {}, 2, /^wasync build: unknown option --fast/m);
  await fails(['build', 'app.c'], {}, 2, /-o <out\.wasm> is required/);
  // no emcc: a PATH with node only
  const nodeOnly = path.join(tmp, 'node-only');
  fs.mkdirSync(nodeOnly, { recursive: true });
  if (!fs.existsSync(path.join(nodeOnly, 'node'))) fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
  const noEmcc = await fails(['build', 'app.c', '-o', 'x.wasm'], { PATH: nodeOnly, EMCC: '' }, 1, /emcc \(emscripten\) is not on PATH: install it/);
  assert.equal(noEmcc.trim().split('\n').length, 1, 'one line');
  // a compile error: the compiler's file:line, then the command's own line
  fs.writeFileSync(path.join(app, 'broken.c'), FILES['app.c'].replace('WS_BEGIN();', 'WS_BEGIN();\n    self->timeout_ms = missing_name;'));
  await fails(['build', 'broken.c', '-o', 'x.wasm'], {}, 1, /broken\.c:\d+:\d+: error: use of undeclared identifier 'missing_name'[\s\S]*wasync build: compiling broken\.c failed/);
  assert.ok(!fs.existsSync(path.join(app, 'x.wasm')), 'nothing written');
  // an await inside a switch of one's own (ws_async.h rule 2): refused at compile time, the error naming the rule
  fs.writeFileSync(path.join(app, 'own_switch.c'), FILES['app.c'].replace('WS_AWAIT(&self->both);',
    'switch (self->timeout_ms) { default: WS_AWAIT(&self->both); }'));
  await fails(['build', 'own_switch.c', '-o', 'x.wasm'], {}, 1,
    /own_switch\.c:\d+:\d+: error: overflow converting case value to switch condition type[\s\S]*ws_rule_no_await_inside_your_own_switch[\s\S]*wasync build: compiling own_switch\.c failed/);
  assert.ok(!fs.existsSync(path.join(app, 'x.wasm')), 'nothing written');
});
