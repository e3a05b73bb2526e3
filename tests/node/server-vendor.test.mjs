// The server's /vendor/ route (the in-page C compiler's files, web/server.js): only the listed files of the listed
// packages, under a path that carries the installed version, cached for a year; everything else in node_modules,
// another version, a path that climbs out, a link out of the package: answered as missing or forbidden.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/server.js';
import { rawGet } from './raw-http.mjs';

const SECRET = 'VENDOR-OUTSIDE-5b1e';
let dir;
let server;
before(async () => {
  // A fake node_modules with @yowasp/clang 1.2.3: its served files, a file beside them that is not on the list,
  // a link out of the package, and a private package that must never be served.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-vendor-'));
  const gen = path.join(dir, 'node_modules', '@yowasp', 'clang', 'gen');
  fs.mkdirSync(gen, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', 'private'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', '@yowasp', 'clang', 'package.json'), '{"name":"@yowasp/clang","version":"1.2.3"}');
  fs.writeFileSync(path.join(gen, 'bundle.js'), 'export const clang = 1;\n');
  fs.writeFileSync(path.join(gen, 'llvm.core.wasm'), 'wasm bytes');
  fs.writeFileSync(path.join(gen, 'llvm-resources.tar'), 'tar bytes!');
  fs.writeFileSync(path.join(gen, 'notes.txt'), SECRET);
  fs.writeFileSync(path.join(dir, 'node_modules', 'private', 'index.js'), SECRET);
  fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(gen, 'llvm.core9.wasm'));
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  server = await startServer({ port: 0, host: '127.0.0.1', root, pkgDir: root, modules: path.join(dir, 'node_modules'), vendorDist: null });
});
after(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('/vendor/index.json names each package by version with its files and sizes, never cached', async () => {
  const r = await rawGet(server.port, '/vendor/index.json');
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'no-cache');
  const list = JSON.parse(r.body.toString());
  assert.deepEqual(Object.keys(list), ['@yowasp/clang']);
  const c = list['@yowasp/clang'];
  assert.equal(c.version, '1.2.3');
  assert.equal(c.url, '/vendor/@yowasp/clang@1.2.3/');
  assert.equal(c.files['bundle.js'], 24);
  assert.equal(c.files['llvm-resources.tar'], 10);
  assert.equal(c.files['notes.txt'], undefined, 'a file not on the list is not named');
  assert.equal(c.files['llvm.core9.wasm'], undefined, 'nor a link out of the package');
  assert.equal(c.bytes, 24 + 10 + 10);
});

test('a listed file is served with a year-long immutable cache lifetime and its type', async () => {
  const js = await rawGet(server.port, '/vendor/@yowasp/clang@1.2.3/bundle.js');
  assert.equal(js.status, 200);
  assert.equal(js.body.toString(), 'export const clang = 1;\n');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(js.headers['content-type'], /^text\/javascript/);
  const wasm = await rawGet(server.port, '/vendor/@yowasp/clang@1.2.3/llvm.core.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
});

test('other versions, other files, other packages, climbing out and links out are not served', async () => {
  for (const p of ['/vendor/@yowasp/clang@1.2.4/bundle.js', '/vendor/@yowasp/clang@1.2.3/notes.txt',
    '/vendor/@yowasp/clang@1.2.3/../../private/index.js', '/vendor/@yowasp/clang@1.2.3/%2e%2e/package.json',
    '/vendor/private@1.0.0/index.js', '/vendor/@yowasp/clang@1.2.3/', '/vendor/', '/vendor/@yowasp/clang@1.2.3/llvm.core9.wasm',
    '/vendor/@yowasp/clang@1.2.3/gen/bundle.js', '/vendor/__proto__']) {
    const r = await rawGet(server.port, p);
    assert.ok(r.status === 404 || r.status === 403, `${p}: ${r.status}`);
    assert.ok(!r.raw.toString('latin1').includes(SECRET), `${p} reveals nothing`);
  }
  const again = await rawGet(server.port, '/vendor/@yowasp/clang@1.2.3/bundle.js');
  assert.equal(again.status, 200, 'the server still serves afterwards');
});

test('a file built to replace the package\'s (the C-only sysroot) is served in its place, under a path with its hash', async () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-vendor-dist-'));
  fs.writeFileSync(path.join(dist, 'llvm-resources-c.tar'), 'small');
  const s2 = await startServer({ port: 0, host: '127.0.0.1', root: path.join(dir, 'root'), pkgDir: path.join(dir, 'root'), modules: path.join(dir, 'node_modules'), vendorDist: dist });
  try {
    const c = JSON.parse((await rawGet(s2.port, '/vendor/index.json')).body.toString())['@yowasp/clang'];
    assert.match(c.url, /^\/vendor\/@yowasp\/clang@1\.2\.3\+[0-9a-f]{10}\/$/);
    assert.equal(c.files['llvm-resources.tar'], 5);
    const tar = await rawGet(s2.port, `${c.url}llvm-resources.tar`);
    assert.equal(tar.status, 200);
    assert.equal(tar.body.toString(), 'small');
    assert.equal(tar.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await rawGet(s2.port, `${c.url}bundle.js`)).status, 200, 'the other files from the package');
    assert.equal((await rawGet(s2.port, '/vendor/@yowasp/clang@1.2.3/llvm-resources.tar')).status, 404, 'not under the bare version');
    assert.equal((await rawGet(s2.port, `${c.url}llvm-resources-c.tar`)).status, 404, 'nor by its own name');
  } finally {
    await s2.close();
    fs.rmSync(dist, { recursive: true, force: true });
  }
});

test('files carry an ETag: the same one again is answered 304 with no body; a changed file gets a new one', async () => {
  const file = path.join(dir, 'root', 'index.html');
  const first = await rawGet(server.port, '/index.html');
  assert.equal(first.status, 200);
  const etag = first.headers.etag;
  assert.match(etag, /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  const again = await rawGet(server.port, '/index.html', { headers: [`if-none-match: ${etag}`] });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  fs.writeFileSync(file, '<!doctype html><p>changed');
  const changed = await rawGet(server.port, '/index.html', { headers: [`if-none-match: ${etag}`] });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.toString(), '<!doctype html><p>changed');
  assert.notEqual(changed.headers.etag, etag);
});
