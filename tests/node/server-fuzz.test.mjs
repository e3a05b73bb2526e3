// A bounded fuzz of the playground server: random paths (traversal pieces, encodings, links out of the root),
// methods, headers and bodies, sent as raw bytes over 127.0.0.1. The server must answer every request with an
// HTTP status, never send a byte from outside its root (200 bodies are exactly one of the files inside), never
// redirect off the host, and keep running.
//   WASYNC_SERVER_FUZZ_RUNS  requests to send (default 400; set e.g. 20000 for a longer run)
//   WASYNC_SERVER_FUZZ_SEED  seed of the generator (default: random, printed, so a failure can be replayed)
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverFixture, SECRET } from './server-fixture.mjs';
import { rawRequest } from './raw-http.mjs';

const RUNS = Number(process.env.WASYNC_SERVER_FUZZ_RUNS ?? 400);
const SEED = Number(process.env.WASYNC_SERVER_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 8;

// mulberry32: small, seedable, good enough to pick fuzz inputs.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  '', '.', '..', '...', 'js', 'main.js', 'index.html', 'sub dir', 'sub%20dir', 'pkg', 'dist', 'mod.wasm',
  'file-out.txt', 'dir-out', 'secret.txt', 'nested-out.js', 'out', 'link-in.js', 'js-link', 'dangling',
  '%2e%2e', '%2E%2e', '%252e%252e', '.%2e', '%2e.', '%c0%ae%c0%ae', '%u002e', '%2f', '%5c', '\\', '..\\..',
  '%00', '%', '%zz', '%ff', '%e2%80%ae', 'é', '\u2215', '~', ';', '?', '#', '*', '%3f', 'CON', 'a'.repeat(300),
  'etc', 'passwd', 'api', 'echo', 'delay?ms=1', 'status', '200', 'stats', 'close',
];
const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'FOO', 'get', ''];
const HEADERS = [
  'accept: */*', 'accept-encoding: gzip, br', 'range: bytes=0-3', 'if-modified-since: x', 'x-forwarded-host: evil.example',
  'host: evil.example', 'transfer-encoding: chunked', 'content-length: 5', 'content-length: -1', 'expect: 100-continue',
  'x-long: ' + 'y'.repeat(20_000), 'bad header', 'cookie: a=b', 'origin: http://evil.example',
];

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

function randomPath(r) {
  const n = 1 + Math.floor(r() * 5);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(pick(r, SEGMENTS));
  const seps = ['/', '/', '/', '//', '\\', '/./'];
  let p = parts.map((s) => pick(r, seps) + s).join('');
  if (r() < 0.15) p = '/pkg' + p;
  if (r() < 0.1) p += '/';
  if (r() < 0.1) p += '?example=' + pick(r, SEGMENTS);
  if (r() < 0.05) p = 'http://127.0.0.1' + p;
  if (r() < 0.03) p = '*';
  return p;
}

function randomRequest(r) {
  const method = pick(r, METHODS);
  const target = randomPath(r);
  const headers = ['host: 127.0.0.1'];
  const k = r() < 0.7 ? 0 : 1 + Math.floor(r() * 2);
  for (let i = 0; i < k; i++) headers.push(pick(r, HEADERS));
  headers.push('connection: close');
  let body = Buffer.alloc(0);
  if (r() < 0.2) {
    body = Buffer.from('x'.repeat(Math.floor(r() * 64)));
    headers.push(`content-length: ${body.length}`);
  }
  return { head: [`${method} ${target} HTTP/1.1`, ...headers].join('\r\n'), body, target };
}

// The path as the server's URL parser reads it (it turns '\\' into '/').
function pathOf(target) {
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

let fx;
before(async () => {
  fx = await serverFixture();
});
after(async () => {
  await fx?.close();
});

test(`the server answers ${RUNS} random requests and never serves outside its root (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const r = rng(SEED);
  const origin = `http://127.0.0.1:${fx.server.port}`;
  const statuses = {};
  let next = 0;
  async function worker() {
    while (next < RUNS) {
      const i = next++;
      const req = randomRequest(r);
      const res = await rawRequest(fx.server.port, req.head, req.body);
      const what = `request ${i} (seed ${SEED}): ${JSON.stringify(req.head.split('\r\n')[0])}`;
      // /api/close drops the connection on purpose (the fetch examples' failure case); every other path answers.
      const dropsOnPurpose = pathOf(req.target) === '/api/close';
      if (dropsOnPurpose && res.status === 0) continue;
      assert.ok(res.status >= 100 && res.status <= 599, `${what}: answered with a status (got ${res.error?.message})`);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      assert.ok(!res.raw.toString('latin1').includes(SECRET), `${what}: nothing from outside the root`);
      if (res.status === 200 && !req.head.startsWith('HEAD') && !pathOf(req.target)?.startsWith('/api/')) {
        assert.ok(fx.inside.has(res.body.toString('utf8')), `${what}: a 200 body is one of the files inside`);
      }
      if (res.headers.location !== undefined) {
        assert.equal(new URL(res.headers.location, origin + '/x/').origin, origin, `${what}: redirect stays on the host`);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // Still alive and serving after all of it.
  const res = await rawRequest(fx.server.port, 'GET /js/main.js HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close');
  assert.equal(res.status, 200);
  t.diagnostic(`statuses: ${JSON.stringify(statuses)}`);
  assert.ok(Object.keys(statuses).length > 3, `a spread of answers: ${JSON.stringify(statuses)}`);
});
