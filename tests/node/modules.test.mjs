// The package's two modules: dist/wasync.wasm (createRuntime's default: core, bridge, standard entries) has no
// examples; dist/wasync-examples.wasm (EXAMPLES_WASM) has the examples and the same standard entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { startServer } from '../../web/server.js';
import {
  runtimes, wasync, EXAMPLES_WASM, WASM_FILE, EXAMPLES_WASM_FILE, rejectsWith, throwsWith,
} from './helpers.mjs';

const T = { timeout: 20_000 };
const rts = runtimes();
let server;

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  rts.closeAll();
  await server?.close();
});

const STANDARD = ['host_echo', 'host_many', 'fetch_text', 'sleep', 'never', 'trap', 'spawn_blocking'];
const EXAMPLES = ['lazy', 'sequential', 'join', 'spawn', 'blocking', 'cooperative', 'offload', 'timeout', 'channel', 'fetch',
  'crawler', 'abort', 'token'];

test('the exported URLs name the two files in dist/', () => {
  assert.equal(wasync.DEFAULT_WASM.href, pathToFileURL(WASM_FILE).href);
  assert.equal(EXAMPLES_WASM.href, pathToFileURL(EXAMPLES_WASM_FILE).href);
});

test('the default module has the standard entries and none of the examples', T, async () => {
  const rt = await rts.open();
  assert.deepEqual(rt.entries, STANDARD);
  assert.deepEqual(rt.examples, []);
  for (const name of EXAMPLES) {
    throwsWith(() => rt.start(name), 'ENOENT', new RegExp(`no entry point named '${name}'`));
    await rejectsWith(rt.runExample(name), 'ENOENT', /has no examples.*createRuntime\(\{ wasm: EXAMPLES_WASM \}\)/);
  }
  // DEFAULT_WASM is what createRuntime() loads without a wasm option.
  const same = await rts.open({ wasm: wasync.DEFAULT_WASM });
  assert.deepEqual(same.entries, STANDARD);
});

test('the examples module lists every example, in playground order, the standard entries and the bridge entries', T, async () => {
  const rt = await rts.open({ wasm: EXAMPLES_WASM });
  assert.deepEqual(rt.examples.map((e) => e.name), EXAMPLES);
  assert.deepEqual(rt.entries, [...EXAMPLES, ...STANDARD, 'host_select', 'host_timeout', 'host_values', 'host_relay', 'fetch_stream', 'typed_args']);
  const run = await rt.runExample('join', { a: 100, b: 200 });
  assert.equal(run.value, 3000);
  assert.equal(run.elapsedMs, 200);
  // A string URL resolves to the same module (and is served from the cache like the URL object).
  const byHref = await rts.open({ wasm: EXAMPLES_WASM.href });
  assert.equal(byHref.examples.length, EXAMPLES.length);
});

test('the default module\'s standard entries work: host calls, sleep, fetch, abort, trap', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  rt.defineHost('double', async (arg) => String(2 * Number(arg)));
  assert.equal(await rt.start('host_echo', { name: 'double', arg: '21' }).promise, '42');
  assert.equal(await rt.start('host_many', { name: 'double', n: 10, width: 3 }).promise, 90);
  assert.equal(await rt.start('sleep', { ms: 250 }).promise, 250);
  const out = JSON.parse(await rt.start('fetch_text', { url: '/api/delay?ms=5&bytes=12' }).promise);
  assert.equal(out.status, 200);
  assert.equal(out.bytes, 12);
  const never = rt.start('never');
  assert.equal(never.abort(), true);
  await rejectsWith(never.promise, 'ECANCELED');
  await rejectsWith(rt.start('trap').promise, 'ETRAP');
  assert.equal(rt.closed, true);
});

// The size budget of the module every user loads (the benchmark issue's target). Sizes are deterministic for a
// given toolchain (Debian's emscripten 3.1.6 here), so this is a budget check, not a timing: it fails when the core
// or the bridge grows past it, and the growth has to be paid for elsewhere or the budget argued again. Argued once:
// from 32 KiB to 36 KiB for spawn_blocking, which the default module must offer (its pool side, about 1.3 KB, and
// the spawn_blocking entry with the standard blocking functions, about 2.1 KB: docs/blocking.md).
test('the default module stays within its 36 KiB budget', async () => {
  const { statSync } = await import('node:fs');
  const size = statSync(WASM_FILE).size;
  assert.ok(size <= 36864, `dist/wasync.wasm is ${size} bytes, over the 36 864-byte budget`);
  assert.ok(statSync(EXAMPLES_WASM_FILE).size > size, 'the examples module holds more than the default one');
});
