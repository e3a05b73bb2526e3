// Streaming fetch (ws_fetch_stream_init + ws_body_read), driven by the examples module's fetch_stream entry
// against a server of this file's own on 127.0.0.1: status and headers before the body, a future per chunk (each
// a trace event), backpressure, abort mid-stream, and a server that closes mid-body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { runtimes, rejectsWith, eventually, deferred, EXAMPLES_WASM } from './helpers.mjs';

const T = { timeout: 30_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
let server;
let base;
const routes = new Map(); // path -> handler(req, res)

before(async () => {
  server = http.createServer((req, res) => {
    const h = routes.get(new URL(req.url, 'http://x').pathname);
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/`;
});
after(async () => {
  rts.closeAll();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const pattern = (n, from = 0) => Uint8Array.from({ length: n }, (_, i) => ((from + i) * 31 + 7) & 0xff);
const sumOf = (bytes) => bytes.reduce((s, b) => (s + b) >>> 0, 0);

test('headers arrive before the body; the body comes chunk by chunk, byte-exact, one trace event per chunk', T, async () => {
  const rt = await rts.open({ baseUrl: base, clock: 'real' });
  const release = deferred();
  const parts = [pattern(1000, 0), pattern(3000, 1000), pattern(500, 4000)];
  routes.set('/held', async (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-test': 'yes' });
    res.flushHeaders();
    await release.promise; // the body waits until the test has seen the C task reading it
    for (const p of parts) {
      res.write(p);
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  });
  const job = rt.start('fetch_stream', { url: '/held' });
  // The task is already asking for the first chunk while the server has sent only the headers.
  await eventually(() => rt.readTrace().some((e) => e.kind === 'host' && e.name === 'fetch body'), { what: 'a body read in flight' });
  release.resolve();
  const out = JSON.parse(await job.promise);
  const all = new Uint8Array(4500);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  assert.equal(out.status, 200);
  assert.equal(out.bytes, 4500);
  assert.equal(out.sum, sumOf(all));
  assert.ok(out.chunks >= 1);
  const reads = rt.readTrace().filter((e) => e.kind === 'host' && e.name === 'fetch body');
  assert.equal(reads.length, out.chunks + 1); // one per chunk, and the one that found the end
  assert.equal(rt.stats().opsInFlight, 0);
});

test('backpressure: a reader that stops asking leaves the body in the network, and aborting ends it', T, async () => {
  const rt = await rts.open({ baseUrl: base, clock: 'real' });
  const total = 256 << 20; // far more than any buffer between the server and C
  let written = 0;
  const blocked = deferred();
  const closed = deferred();
  routes.set('/firehose', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = pattern(64 << 10);
    const pump = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) {
          blocked.resolve();
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => closed.resolve(written));
    pump();
  });
  const job = rt.start('fetch_stream', { url: '/firehose', pause: 2 });
  await blocked.promise; // the server's writes back up: nobody is reading
  // Let the loop turn a few times: the reader does not drain the response behind C's back.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.ok(written < total / 4, `the server could write only what the buffers hold: ${written} of ${total} bytes`);
  job.abort();
  await rejectsWith(job.promise, 'ECANCELED');
  const end = await closed.promise; // the request was aborted: the server sees the connection close
  assert.ok(end < total, `the body was not sent in full (${end} bytes)`);
  assert.equal(rt.stats().opsInFlight, 0);
});

test('abort mid-stream: the request is aborted and the runtime goes on', T, async () => {
  const rt = await rts.open({ baseUrl: base, clock: 'real' });
  const closed = deferred();
  const sent = deferred();
  routes.set('/slow', (req, res) => {
    res.writeHead(200);
    res.write(pattern(100));
    sent.resolve();
    res.on('close', () => closed.resolve(res.writableFinished));
    // never ends by itself
  });
  const job = rt.start('fetch_stream', { url: '/slow' });
  await sent.promise;
  await eventually(() => rt.readTrace().filter((e) => e.kind === 'host' && e.name === 'fetch body').length >= 2,
    { what: 'the first chunk read and the second asked for' });
  job.abort();
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(await closed.promise, false); // closed before the response finished
  routes.set('/small', (req, res) => res.end(pattern(10)));
  const out = JSON.parse(await rt.start('fetch_stream', { url: '/small' }).promise);
  assert.equal(out.bytes, 10);
});

test('a server that closes mid-body: the chunk read fails with EHOST, the runtime goes on', T, async () => {
  const rt = await rts.open({ baseUrl: base, clock: 'real' });
  routes.set('/cut', (req, res) => {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(pattern(1000));
    setImmediate(() => res.socket.destroy()); // 99 000 bytes short
  });
  await rejectsWith(rt.start('fetch_stream', { url: '/cut' }).promise, 'EHOST', /fetch body failed/);
  assert.equal(rt.closed, false);
  assert.equal(rt.stats().opsInFlight, 0);
  routes.set('/small', (req, res) => res.end(pattern(10)));
  assert.equal(JSON.parse(await rt.start('fetch_stream', { url: '/small' }).promise).bytes, 10);
});

test('a request body from bytes reaches the server exactly', T, async () => {
  const rt = await rts.open({ baseUrl: base, clock: 'real' });
  let got;
  routes.set('/echo', async (req, res) => {
    const parts = [];
    for await (const p of req) parts.push(p);
    got = Buffer.concat(parts);
    res.end(got);
  });
  const body = 'line 1\nline 2 é';
  const out = JSON.parse(await rt.start('fetch_stream', { url: '/echo', method: 'POST', body }).promise);
  assert.equal(got.toString('utf8'), body);
  assert.equal(out.bytes, Buffer.byteLength(body));
});
