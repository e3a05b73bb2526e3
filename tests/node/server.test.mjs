// The playground server (web/server.js) against a hostile client: links out of its root, redirects that would
// leave the host, oversized echo bodies. Each case checks the server still answers afterwards.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverFixture, SECRET } from './server-fixture.mjs';
import { rawGet, rawRequest } from './raw-http.mjs';

let fx;
let port;
before(async () => {
  fx = await serverFixture();
  port = fx.server.port;
});
after(async () => {
  await fx?.close();
});

async function stillServes() {
  const r = await rawGet(port, '/js/main.js');
  assert.equal(r.status, 200, 'the server still serves a plain file');
  assert.equal(r.body.toString(), 'export const inside = 1;\n');
}

test('symbolic links that lead out of the root or the package are not followed', async () => {
  for (const p of ['/file-out.txt', '/dir-out/secret.txt', '/dir-out/', '/dir-out', '/js/nested-out.js',
    '/pkg/dist/out/secret.txt', '/pkg/dist/out/', '/dangling']) {
    const r = await rawGet(port, p);
    assert.equal(r.status, 404, `${p} is answered as missing`);
    assert.ok(!r.raw.toString('latin1').includes(SECRET), `${p} reveals nothing from outside`);
  }
  await stillServes();
});

test('symbolic links that stay inside the root are served', async () => {
  const file = await rawGet(port, '/link-in.js');
  assert.equal(file.status, 200);
  assert.equal(file.body.toString(), 'export const inside = 1;\n');
  const dir = await rawGet(port, '/js-link/main.js');
  assert.equal(dir.status, 200);
  const index = await rawGet(port, '/js-link/');
  assert.equal(index.status, 200);
  assert.equal(index.body.toString(), '<p>js index</p>');
});

test('a folder without its slash redirects to a path on the same host', async () => {
  const cases = {
    '/js': '/js/',
    '//js': '/js/',
    '/\\js': '/js/',
    '///js': '/js/',
    '/\\/js': '/js/',
    '/js?x=1': '/js/?x=1',
    '/sub%20dir': '/sub%20dir/',
    '/pkg/dist': '/pkg/dist/',
    '/pkg//dist': '/pkg/dist/',
    '/pkg/\\dist': '/pkg/dist/',
  };
  const origin = `http://127.0.0.1:${port}`;
  for (const [from, to] of Object.entries(cases)) {
    const r = await rawGet(port, from);
    assert.equal(r.status, 301, `${from} redirects`);
    assert.equal(r.headers.location, to, `${from} redirects to ${to}`);
    assert.equal(new URL(r.headers.location, `${origin}${from.replace(/\\/g, '/')}`).origin, origin,
      `${from}: the browser stays on this host`);
    const followed = await rawGet(port, to);
    assert.equal(followed.status, 200, `${to} is served`);
  }
  await stillServes();
});

test('an echo body over 1 MiB is answered 413, naming the limit; the server keeps working', async () => {
  const url = `http://127.0.0.1:${port}/api/echo`;
  const ok = await fetch(url, { method: 'POST', body: Buffer.alloc(1 << 20, 0x61) });
  assert.equal(ok.status, 200, 'exactly 1 MiB is accepted');
  assert.equal((await ok.json()).body.length, 1 << 20);
  for (const size of [(1 << 20) + 1, 5 << 20]) {
    const r = await fetch(url, { method: 'POST', body: Buffer.alloc(size, 0x62) });
    assert.equal(r.status, 413, `${size} bytes: 413, not a reset connection`);
    const { error } = await r.json();
    assert.equal(error, `body of ${size} bytes is over the 1048576-byte limit`);
  }
  // A declared length far beyond what is worth reading is refused before any of it arrives.
  const huge = await rawRequest(port, ['POST /api/echo HTTP/1.1', 'host: 127.0.0.1', `content-length: ${1 << 30}`].join('\r\n'));
  assert.equal(huge.status, 413);
  assert.match(huge.body.toString(), /over the 1048576-byte limit/);
  const after = await fetch(url, { method: 'POST', body: 'small' });
  assert.equal((await after.json()).body, 'small');
  await stillServes();
});
