// The npm package: `npm pack` makes a tarball that installs into an empty folder and imports in plain Node.
// WASYNC_PKG_DIR overrides the package folder (default: wasm/).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PKG_DIR } from './helpers.mjs';

const run = promisify(execFile);
const pkgDir = path.resolve(process.env.WASYNC_PKG_DIR || PKG_DIR);
const manifest = path.join(pkgDir, 'package.json');
const skip = fs.existsSync(manifest) ? false : `${manifest} does not exist yet: nothing to pack`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-pack-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// npm without prompts, update checks or audit traffic; a tarball with no dependencies installs offline.
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const sh = (cmd, args, cwd) => run(cmd, args, { cwd, env: npmEnv, timeout: 90_000, maxBuffer: 16 << 20 });

test('npm pack -> npm install into an empty folder -> import, start an entry, run join from the examples module', { skip, timeout: 180_000 }, async () => {
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  assert.equal(pkg.name, 'wasync');
  assert.equal(pkg.type, 'module');
  assert.ok(pkg.exports, 'package.json has exports');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies');

  // Pack.
  const packDir = path.join(tmp, 'pack');
  fs.mkdirSync(packDir);
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', packDir], pkgDir);
  const [info] = JSON.parse(stdout);
  const tgz = path.join(packDir, info.filename);
  assert.ok(fs.existsSync(tgz), `${tgz} was written`);
  const files = info.files.map((f) => f.path);
  for (const f of ['package.json', 'LICENSE', 'README.md', 'dist/index.js', 'dist/inline.js', 'dist/trace.js', 'dist/wasync.wasm',
    'dist/wasync-examples.wasm', 'dist/examples.js', 'dist/inline-examples.js', 'index.d.ts', 'inline.d.ts', 'trace.d.ts', 'examples.d.ts',
    'inline-examples.d.ts', 'dist/cc.js', 'dist/cc-kit.json', 'cc.d.ts']) {
    assert.ok(files.includes(f), `the tarball has ${f} (has: ${files.join(', ')})`);
  }
  // The loader ships minified with its source maps (scripts/build-js.mjs); the readable sources stay in the repository.
  for (const f of files.filter((f) => f.endsWith('.js') && f.startsWith('dist/'))) {
    assert.ok(files.includes(`${f}.map`), `${f} has its source map`);
  }
  assert.ok(!files.some((f) => f.startsWith('lib/') || f === 'index.js'), `no readable sources in the tarball: ${files.join(', ')}`);
  assert.ok(!files.some((f) => f.endsWith('.c') && f.startsWith('src/')), 'no C sources needed at run time');

  // Install into an empty folder.
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  // --omit=optional: the compiler for C without emscripten (@yowasp/clang, 105 MB) is the test's own step below
  await sh('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', tgz], app);
  const installed = path.join(app, 'node_modules', 'wasync');
  for (const f of ['wasync.wasm', 'wasync-examples.wasm']) {
    assert.ok(fs.existsSync(path.join(installed, 'dist', f)), `dist/${f} was installed`);
  }

  // Import it by name from that folder, in a fresh Node process: the default module starts a standard entry, the
  // examples module (by its exported URL, and by its package path) runs an example.
  const script = `
    import { createRuntime, traceToText, traceToChrome } from 'wasync';
    import { EXAMPLES_WASM } from 'wasync/examples';
    const plain = await createRuntime({ clock: 'virtual' });
    const slept = await plain.start('sleep', { ms: 30 }).promise;
    const plainExamples = plain.examples.length;
    plain.close();
    const rt = await createRuntime({ clock: 'virtual', trace: true, wasm: EXAMPLES_WASM });
    const run = await rt.runExample('join', { a: 100, b: 200 });
    const chrome = traceToChrome(run.trace);
    console.log(JSON.stringify({
      resolved: import.meta.resolve('wasync'),
      examplesWasm: EXAMPLES_WASM.href === import.meta.resolve('wasync/wasync-examples.wasm'),
      slept, plainExamples,
      examples: rt.examples.map((e) => e.name),
      value: run.value,
      elapsedMs: run.elapsedMs,
      spawns: run.trace.filter((e) => e.kind === 'spawn').length,
      text: traceToText(run.trace).split('\\n').length > 5,
      chrome: chrome.traceEvents.length > 0,
    }));
    rt.close();
  `;
  const out = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 });
  const result = JSON.parse(out.stdout.trim().split('\n').at(-1));
  assert.ok(result.resolved.startsWith(new URL(`file://${fs.realpathSync(installed)}/`).href), `imported from the installed copy: ${result.resolved}`);
  assert.equal(result.examplesWasm, true, 'EXAMPLES_WASM is the package export wasync/wasync-examples.wasm');
  assert.equal(result.slept, 30);
  assert.equal(result.plainExamples, 0, 'the default module has no examples');
  assert.ok(result.examples.includes('join'));
  assert.equal(result.value, 3000);
  assert.equal(result.elapsedMs, 200);
  assert.equal(result.spawns, 1);
  assert.equal(result.text, true);
  assert.equal(result.chrome, true);

  // A user's mistake left uncaught: Node prints the throw site's source line above the error, so the minified loader
  // must not put kilobytes on one line, and the error keeps its own name.
  const uncaught = await run(process.execPath, ['--input-type=module', '-e',
    "import { createRuntime } from 'wasync'; (await createRuntime()).start('no_such_entry');"], { cwd: app, timeout: 60_000 }).then(() => null, (e) => e);
  assert.ok(uncaught, 'the script failed');
  const lines = uncaught.stderr.split('\n');
  assert.ok(lines.some((l) => l.startsWith("WasyncError: no entry point named 'no_such_entry'")), uncaught.stderr.slice(0, 500));
  const longest = Math.max(...lines.map((l) => l.length));
  assert.ok(longest <= 300, `stderr has a line of ${longest} characters`);

  // The command-line entry, when the package declares one.
  if (pkg.bin) {
    const bin = path.join(app, 'node_modules', '.bin', 'wasync');
    const list = await run(bin, ['list'], { cwd: app, timeout: 60_000 });
    assert.match(list.stdout, /join/);
    const ran = await run(bin, ['run', 'join', '--trace'], { cwd: app, timeout: 60_000 });
    assert.match(ran.stdout, /3000/);
    assert.match(ran.stdout, /spawn/);

    // run-c: without the optional compiler, one line that says how to get it; with it (the workspace's copy,
    // linked where npm would install it), the installed package's kit and wasync/cc compile and run a file
    assert.deepEqual(Object.keys(pkg.optionalDependencies ?? {}), ['@yowasp/clang']);
    fs.writeFileSync(path.join(app, 'twice.c'), [
      '#include "ws_module.h"',
      'WS_ASYNC(twice, { int64_t n; })',
      '{ WS_BEGIN(); WS_RETURN(self->n * 2); WS_END(); }',
      'static void twice_init(void *f, const wsx_args *a) { twice *self = f; WS_ASYNC_INIT(twice, self); self->n = a->num[0]; }',
      'static const wsx_param twice_params[] = { WSX_PARAM_INT("n", "n", 1, 0, 100) };',
      'WS_ENTRY(twice, .init = twice_init, WSX_PARAMS(twice_params));',
      '',
    ].join('\n'));
    const without = await run(bin, ['run-c', 'twice.c', 'n=21'], { cwd: app, timeout: 60_000 }).then(() => null, (e) => e);
    assert.equal(without?.code, 2);
    assert.equal(without.stderr, 'wasync run-c: @yowasp/clang is not installed: it is an optional dependency of wasync (npm install wasync without --omit=optional, or npm install @yowasp/clang)\n');
    const workspaceClang = path.join(PKG_DIR, '..', 'node_modules', '@yowasp', 'clang');
    if (fs.existsSync(workspaceClang)) {
      fs.mkdirSync(path.join(app, 'node_modules', '@yowasp'), { recursive: true });
      fs.symlinkSync(workspaceClang, path.join(app, 'node_modules', '@yowasp', 'clang'));
      const withClang = await run(bin, ['run-c', 'twice.c', 'n=21'], { cwd: app, timeout: 300_000 });
      assert.match(withClang.stdout, /^twice: value 42, /m);
    }
  }
});
