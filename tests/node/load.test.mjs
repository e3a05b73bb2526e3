// The loader (wasm/lib/load.js): bytes that are not WebAssembly fail with what was loaded from where and the
// likely fix; a bad `wasm` option is a TypeError; the package's modules are found lazily and compiled once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { createRuntime, wasync, EXAMPLES_WASM, WASM_FILE } from './helpers.mjs';

const HTML = '<!doctype html><html><body>app</body></html>';

test('bytes that are not wasm: the error names them and shows how they start', async () => {
  await assert.rejects(createRuntime({ wasm: new TextEncoder().encode(HTML) }),
    /^Error: wasync: the wasm bytes given \(44 bytes\) is an HTML page, not WebAssembly \(it starts with "<!doctype html><"\)\. Likely fix: pass the URL or bytes of a \.wasm file/);
  await assert.rejects(createRuntime({ wasm: new Uint8Array([1, 2, 3, 4, 5]) }), /is not WebAssembly \(it starts with 01 02 03 04 05, not 00 61 73 6d\)/);
  await assert.rejects(createRuntime({ wasm: new ArrayBuffer(0) }), /\(0 bytes\) is empty/);
});

test('a file that is not wasm: the error gives its URL', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-load-'));
  try {
    const file = path.join(dir, 'page.wasm');
    fs.writeFileSync(file, HTML);
    const url = pathToFileURL(file);
    await assert.rejects(createRuntime({ wasm: url }), (e) => e.message.startsWith(`wasync: ${url.href} (44 bytes) is an HTML page`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a server fallback page under /node_modules/.vite/: the fix named is Vite\'s optimizeDeps.exclude', async () => {
  const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${server.address().port}/node_modules/.vite/dist/wasync.wasm`;
    await assert.rejects(createRuntime({ wasm: url }), /HTML page.*optimizeDeps: \{ exclude: \['wasync'\] \}/);
    await assert.rejects(createRuntime({ wasm: `http://127.0.0.1:${server.address().port}/x.wasm` }), /did not copy the package's \.wasm.*wasync\/inline/);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('a wasm option of the wrong kind is a TypeError', async () => {
  for (const bad of [42, true, {}]) {
    await assert.rejects(createRuntime({ wasm: bad }), TypeError, String(bad));
  }
});

test('the package modules: URLs next to the package, found on use; compiled once', async () => {
  assert.equal(wasync.DEFAULT_WASM.href, pathToFileURL(WASM_FILE).href);
  assert.equal(wasync.DEFAULT_WASM.file, 'wasync.wasm');
  assert.equal(String(EXAMPLES_WASM), EXAMPLES_WASM.href);
  assert.ok(EXAMPLES_WASM.url instanceof URL);
  const a = await createRuntime();
  const b = await createRuntime({ wasm: wasync.DEFAULT_WASM });
  assert.equal(await a.start('sleep', { ms: 3 }).promise, 3);
  assert.equal(await b.start('sleep', { ms: 4 }).promise, 4);
  a.close();
  b.close();
});
