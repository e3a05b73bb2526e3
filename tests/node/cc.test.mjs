// wasync/cc: C compiled by @yowasp/clang against the package's kit (wasm/dist/cc-kit.json), without emscripten, and
// run by the package's loader. One toolchain is loaded for the file's in-process tests; the command-line tests
// (run-c, build's fallback) start their own processes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { PKG_DIR, createRuntime, traceToText, EXAMPLES_WASM } from './helpers.mjs';
import { cc, KIT_FILE, clang, skip } from './cc-helpers.mjs';

const T = { skip, timeout: 600_000 };
const BIN = path.join(PKG_DIR, 'bin', 'wasync.js');

let kit;
let tmp;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-cc-'));
  if (skip) return;
  kit = await cc.readKit(pathToFileURL(KIT_FILE));
  await cc.loadToolchain(clang);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rts = [];
after(() => { for (const rt of rts) rt.close(); });
async function runtime(wasm, extra = {}) {
  const rt = await createRuntime({ wasm, clock: 'virtual', trace: true, ...extra });
  rts.push(rt);
  return rt;
}

function cli(args, { cwd = tmp, env = {} } = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

const HELLO = `#include <stdio.h>
#include "ws_module.h"

WS_ASYNC(greet, { int64_t n; ws_sleep nap; })
{
    WS_BEGIN();
    printf("hello %d\\n", (int)self->n);
    fprintf(stderr, "to stderr\\n");
    ws_sleep_init(&self->nap, 30);
    WS_AWAIT(&self->nap);
    printf("after %d ms\\n", 30);
    WS_RETURN(self->n * 2);
    WS_END();
}

static void greet_init(void *f, const wsx_args *args)
{
    greet *self = f;
    WS_ASYNC_INIT(greet, self);
    self->n = args->num[0];
}
static const wsx_param greet_params[] = { WSX_PARAM_INT("n", "a number", 21, 0, 100) };
WS_ENTRY(greet, .title = "Greet", .init = greet_init, WSX_PARAMS(greet_params));
`;

test('join.c compiled by @yowasp/clang: the same value and the same trace text as the emscripten build', T, async () => {
  const src = fs.readFileSync(path.join(PKG_DIR, 'examples', 'join.c'), 'utf8');
  const r = await cc.compile({ clang, kit, files: { 'wasm/examples/join.c': src } });
  assert.ok(r.ok, r.log);
  assert.deepEqual(r.diagnostics, [], 'no warnings');
  assert.ok(r.wasm instanceof Uint8Array && r.wasm.length > 1000);
  // no WASI: join uses no stdio
  assert.deepEqual([...new Set(WebAssembly.Module.imports(new WebAssembly.Module(r.wasm)).map((i) => i.module))], ['wasync']);
  const mine = await (await runtime(r.wasm)).runExample('join', { a: 120, b: 80 });
  const theirs = await (await runtime(EXAMPLES_WASM)).runExample('join', { a: 120, b: 80 });
  assert.equal(mine.value, theirs.value);
  assert.equal(mine.elapsedMs, 120);
  assert.equal(traceToText(mine.trace), traceToText(theirs.trace));
  assert.match(traceToText(mine.trace), /Pending at wasm\/examples\/join\.c:\d+/, 'await points name the file as given');
});

test('the precompiled header (EDIT_ARGS): the same module as without it, used only where it means the same', T, async () => {
  const src = fs.readFileSync(path.join(PKG_DIR, 'examples', 'join.c'), 'utf8');
  const files = { 'wasm/examples/join.c': src };
  const args = [...cc.EDIT_ARGS];
  const plainKit = { ...kit, pch: [] };
  const withPch = await cc.compile({ clang, kit, files, args });
  const plain = await cc.compile({ clang, kit: plainKit, files, args });
  assert.ok(withPch.ok && plain.ok, withPch.log + plain.log);
  assert.deepEqual(withPch.pch, ['wasm/examples/join.c']);
  assert.deepEqual(plain.pch, []);
  assert.deepEqual(withPch.wasm, plain.wasm, 'byte for byte the module of a plain compile');
  const mine = await (await runtime(withPch.wasm)).runExample('join', { a: 120, b: 80 });
  const theirs = await (await runtime(EXAMPLES_WASM)).runExample('join', { a: 120, b: 80 });
  assert.equal(mine.value, theirs.value);
  assert.equal(traceToText(mine.trace), traceToText(theirs.trace), 'at -O0 with the precompiled header: the same trace');

  // not used: other flags, something before the first include, a file of the user's named like a header it was
  // built from, a kit built by another compiler version
  const used = async (f, a = args, k = kit) => (await cc.compile({ clang, kit: k, files: f, args: a })).pch.length > 0;
  assert.equal(await used(files, []), false, 'the kit\'s own flags: no precompiled header for them');
  assert.equal(await used({ 'main.c': `#define WS_TRACE_OFF 1\n${src}` }), false);
  assert.equal(await used({ 'wasm/examples/join.c': src, 'wasm/examples/string.h': '#include_next <string.h>\n' }), false);
  const ownFetch = fs.readFileSync(path.join(PKG_DIR, 'examples', 'fake_fetch.h'), 'utf8');
  assert.equal(await used({ 'join.c': src, 'fake_fetch.h': ownFetch }), false, 'the user\'s own header of the included name');
  assert.equal(await used(files, args, { ...kit, clang: '0.0.0' }), false);

  // a damaged or foreign precompiled header: the compiler refuses it, and the file is compiled without it, quietly
  const broken = { ...kit, pch: kit.pch.map((p) => ({ ...p, base64: Buffer.from('not a precompiled header').toString('base64') })) };
  const fallback = await cc.compile({ clang, kit: broken, files, args });
  assert.ok(fallback.ok, fallback.log);
  assert.deepEqual(fallback.pch, []);
  assert.equal(fallback.log, '');
  assert.deepEqual(fallback.wasm, plain.wasm);

  // a mistake in the C: the messages are those of a plain compile
  const bad = src.replace('WS_BEGIN();', 'WS_BEGIN();\n    self->a_ms = missing_name;');
  const e1 = await cc.compile({ clang, kit, files: { 'join.c': bad }, args });
  const e2 = await cc.compile({ clang, kit: plainKit, files: { 'join.c': bad }, args });
  assert.equal(e1.ok, false);
  assert.deepEqual(e1.diagnostics, e2.diagnostics);
  assert.equal(e1.log, e2.log);
  assert.match(e1.log, /join\.c:\d+:\d+: error: use of undeclared identifier 'missing_name'/);
});

test('leadingInclude: the header of the first line of code, after comments only', () => {
  assert.equal(cc.leadingInclude('/* a\n * b */\n// c\n\n#include "fake_fetch.h"\nint x;\n'), 'fake_fetch.h');
  assert.equal(cc.leadingInclude('#  include "example.h" // why\n'), 'example.h');
  assert.equal(cc.leadingInclude('#include <stdio.h>\n#include "example.h"\n'), null, 'a system header first');
  assert.equal(cc.leadingInclude('#define X 1\n#include "example.h"\n'), null);
  assert.equal(cc.leadingInclude('// continued \\\n#include "example.h"\n'), null, 'a continued comment hides the include');
  assert.equal(cc.leadingInclude('// trigraph ??/\n#include "example.h"\n'), null);
  assert.equal(cc.leadingInclude('/* never closed\n#include "example.h"\n'), null);
  assert.equal(cc.leadingInclude('#include "example.h" /* a comment\n that goes on */\n'), null);
});

test('a compile error is reported with file, line and column; a link error and a file without entries too', T, async () => {
  const bad = HELLO.replace('WS_BEGIN();', 'WS_BEGIN();\n    self->n = missing_name;');
  const line = bad.split('\n').findIndex((l) => l.includes('missing_name')) + 1;
  const r = await cc.compile({ clang, kit, files: { 'src/app.c': bad } });
  assert.equal(r.ok, false);
  assert.equal(r.wasm, null);
  const err = r.diagnostics.find((d) => d.severity === 'error');
  assert.deepEqual(err, { file: 'src/app.c', line, column: 15, severity: 'error', message: "use of undeclared identifier 'missing_name'" });
  assert.match(r.log, new RegExp(`src/app\\.c:${line}:15: error: use of undeclared identifier 'missing_name'`));

  const unresolved = await cc.compile({ clang, kit, files: { 'main.c': HELLO.replace('WS_BEGIN();', 'WS_BEGIN();\n    nowhere();').replace('#include <stdio.h>', '#include <stdio.h>\nvoid nowhere(void);') } });
  assert.equal(unresolved.ok, false);
  assert.ok(unresolved.diagnostics.some((d) => d.file === null && d.severity === 'error' && /undefined symbol: nowhere/.test(d.message)), unresolved.log);

  const none = await cc.compile({ clang, kit, files: { 'main.c': 'int twice(int x) { return 2 * x; }\n' } });
  assert.equal(none.ok, false);
  assert.match(none.diagnostics[0].message, /^no entry points: declare one with WS_ENTRY/);

  await assert.rejects(cc.compile({ clang, kit, files: { '../x.c': 'int x;' } }), /must be a relative path/);
  await assert.rejects(cc.compile({ clang, kit, files: { 'x.h': 'int x;' } }), /no \.c file/);
  await assert.rejects(cc.compile({ clang, kit: { format: 'other' }, files: { 'x.c': '' } }), /not a kit of format wasync-cc-kit\/1/);
});

test('printf and fprintf(stderr) reach the stdout and stderr options, a line at a time', T, async () => {
  const r = await cc.compile({ clang, kit, files: { 'hello.c': HELLO } });
  assert.ok(r.ok, r.log);
  const wasi = WebAssembly.Module.imports(new WebAssembly.Module(r.wasm)).filter((i) => i.module === 'wasi_snapshot_preview1').map((i) => i.name);
  assert.ok(wasi.includes('fd_write'), `stdio imports WASI: ${wasi}`);
  const out = [];
  const err = [];
  const rt = await runtime(r.wasm, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  const job = rt.start('greet', { n: 5 });
  assert.equal(await job.promise, 10);
  assert.deepEqual(out, ['hello 5\n', 'after 30 ms\n'], 'one call per line');
  assert.equal(err.join(''), 'to stderr\n');
  await assert.rejects(createRuntime({ wasm: r.wasm, stdout: 'console' }), /stdout must be a function/);
});

test('a 3 MiB host value after wasi-libc grew memory (no growth notice): the loader renews its view', T, async () => {
  // the standard entries (host_echo) from the kit, listed by a registry of the user's own
  const src = '#include "entries.h"\nWS_MODULE_ENTRIES(WSX_STANDARD_ENTRIES);\n';
  const r = await cc.compile({ clang, kit, files: { 'registry.c': src } });
  assert.ok(r.ok, r.log);
  const rt = await runtime(r.wasm);
  const before = rt.stats().memoryBytes;
  const big = 'ab'.repeat(3 << 19) + 'end';
  rt.defineHost('big', async () => big);
  const got = await rt.start('host_echo', { name: 'big' }).promise;
  assert.ok(rt.stats().memoryBytes > before, `memory grew (${before} -> ${rt.stats().memoryBytes})`);
  assert.equal(got.length, big.length);
  assert.equal(got, big);
  rt.defineHost('small', async () => 'still works');
  assert.equal(await rt.start('host_echo', { name: 'small' }).promise, 'still works');
});

test('a blocking function (WS_BLOCKING_FN) compiled by @yowasp/clang runs on the pool: the registry lists it', T, async () => {
  const src = fs.readFileSync(path.join(PKG_DIR, '..', 'tests', 'node', 'fixtures', 'blocking-module.c'), 'utf8');
  const r = await cc.compile({ clang, kit, files: { 'app.c': src } });
  assert.ok(r.ok, r.log);
  const rt = await runtime(r.wasm, { blockingWorkers: 1 });
  assert.deepEqual(rt.entries, ['sum_text']);
  assert.deepEqual(rt.blockingFunctions, ['byte_sum']);
  assert.equal(await rt.start('sum_text', { text: 'abc' }).promise, String(97 + 98 + 99));
  rt.close();
});

test('wasync run-c: compiles and runs in Node, printing printf output, the trace and the value', T, async () => {
  fs.writeFileSync(path.join(tmp, 'hello.c'), HELLO);
  const r = await cli(['run-c', 'hello.c', '--trace', '--arg', 'n=4']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^hello 4\nafter 30 ms\n/);
  assert.match(r.stdout, /Pending at hello\.c:10/);
  assert.match(r.stdout, /greet: value 8, elapsed 30\.000 ms \(virtual clock\), \d+ trace events; compiled with @yowasp\/clang 22\./);
  assert.equal(r.stderr, 'to stderr\n');

  fs.writeFileSync(path.join(tmp, 'broken.c'), HELLO.replace('WS_BEGIN();', 'WS_BEGIN();\n    self->n = missing_name;'));
  const broken = await cli(['run-c', 'broken.c']);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^broken\.c:7:15: error: use of undeclared identifier 'missing_name'/m);
  assert.match(broken.stderr, /^wasync run-c: compiling failed \(the compiler.s messages are above\)$/m);
  assert.equal(broken.stdout, '');
});

test('wasync run-c: bad input gets one line and exit status 2, before the compiler loads', T, async () => {
  const cases = [
    [['run-c'], 'wasync run-c: run-c needs a C file (see: wasync run-c --help)\n'],
    [['run-c', 'nope.c'], 'wasync run-c: no such file: nope.c\n'],
    [['run-c', 'hello.c', '--fast'], 'wasync run-c: unknown option --fast (see: wasync run-c --help)\n'],
    [['run-c', 'hello.c', '--entry'], 'wasync run-c: --entry needs a value\n'],
    [['run-c', 'notes.txt'], 'wasync run-c: not a C source (.c): notes.txt\n'],
    [['run-c', 'hello.c', '--timeout', 'soon'], 'wasync run-c: --timeout soon: expected seconds from 0 to 86400 (0: no watchdog)\n'],
    [['run-c', 'hello.c', '--timeout', '-1'], 'wasync run-c: --timeout -1: expected seconds from 0 to 86400 (0: no watchdog)\n'],
  ];
  fs.writeFileSync(path.join(tmp, 'hello.c'), HELLO);
  for (const [args, stderr] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, stderr);
    assert.equal(r.stdout, '');
  }
  const noEntry = await cli(['run-c', 'hello.c', '--entry', 'nope']);
  assert.equal(noEntry.code, 2);
  assert.match(noEntry.stderr, /^wasync run-c: no entry named 'nope' \(the module has: greet\)\n$/m);
});

const SPIN = `#include <stdio.h>
#include "ws_module.h"

WS_ASYNC(spin, { int unused; })
{
    WS_BEGIN();
    printf("before the loop\\n");
    volatile int forever = 1;
    while (forever) {}
    WS_RETURN(0);
    WS_END();
}

static void spin_init(void *f, const wsx_args *args)
{
    spin *self = f;
    WS_ASYNC_INIT(spin, self);
    (void)args;
}
WS_ENTRY(spin, .title = "Spin", .init = spin_init);
`;

test('wasync run-c: a poll that never returns is stopped by the watchdog (--timeout), with exit status 124', T, async () => {
  fs.writeFileSync(path.join(tmp, 'spin.c'), SPIN);
  const r = await cli(['run-c', 'spin.c', '--timeout', '1']);
  assert.equal(r.code, 124, r.stderr);
  assert.equal(r.stdout, 'before the loop\n', 'what the program printed before it blocked still arrives');
  assert.match(r.stderr, /^wasync run-c: spin was stopped after 1 s \(--timeout\): a poll that never returns \(like while \(1\) \{\}\) holds the only thread, so every other task, timer and callback starves; .*raise --timeout\)\n$/);
});

test('wasync build without emcc on PATH falls back to @yowasp/clang and says so', T, async () => {
  fs.writeFileSync(path.join(tmp, 'hello.c'), HELLO);
  const nodeOnly = path.join(tmp, 'node-only');
  fs.mkdirSync(nodeOnly, { recursive: true });
  if (!fs.existsSync(path.join(nodeOnly, 'node'))) fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
  const r = await cli(['build', 'hello.c', '-o', 'out/hello.wasm'], { env: { PATH: nodeOnly, EMCC: '' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wasync build: wrote out\/hello\.wasm \(\d+ bytes\) with @yowasp\/clang 22\.\S+ \(emcc is not on PATH\); registry generated from WS_ENTRY declarations\n$/);
  const rt = await runtime(fs.readFileSync(path.join(tmp, 'out', 'hello.wasm')), { stdout: () => {}, stderr: () => {} });
  assert.deepEqual(rt.entries, ['greet']);
  assert.equal(await rt.start('greet', { n: 7 }).promise, 14);
});
