// fetch as a future, against the local test server (web/server.js) on 127.0.0.1.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, rejectsWith, eventually, assertWorks, checkTraceInvariants, EXAMPLES_WASM, withTestServer } from './helpers.mjs';

const T = { timeout: 30_000 };
// The examples module: these tests run examples (runExample, assertWorks) besides the standard entries.
const rts = runtimes({ wasm: EXAMPLES_WASM });
const server = withTestServer(rts);

const api = (p) => new URL(p, server.url).href;
const stats = async () => (await fetch(api('/api/stats'))).json();
beforeEach(async () => {
  await fetch(api('/api/stats/reset'), { method: 'POST' });
});

// The server's filler: byte i is (i * 31 + 7) & 0xff; fetch_text's `head` shows printable bytes, others as '.'.
const fillerHead = (n) =>
  Array.from({ length: Math.min(n, 64) }, (_, i) => {
    const b = (i * 31 + 7) & 0xff;
    return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }).join('');

// Both requests are in flight at once: the example's join starts them in one poll, so the trace records both host
// calls before either settles (run one after the other, each would settle before the next starts). The order is
// fixed by the program, not by timing, so it holds however loaded the machine is. How long the overlapped run
// takes against the sum of the delays is speed, measured in bench/ (bench/README.md), not asserted here.
const hostOrder = (trace) => trace.filter((e) => e.kind === 'host' || e.kind === 'settle').map((e) => e.kind);

test('the fetch example: two requests in flight at once, the run lasts at least the slower one', T, async () => {
  const rt = await rts.open({ baseUrl: server.url, clock: 'real' });
  const [slow, fast] = [400, 300];
  const run = await rt.runExample('fetch', {
    a: `/api/delay?ms=${fast}&bytes=1234`,
    b: api(`/api/delay?ms=${slow}&bytes=4321`), // absolute URLs work too
  });
  assert.equal(run.value, 'a: HTTP 200, 1234 bytes; b: HTTP 200, 4321 bytes');
  assert.deepEqual(await stats(), { requests: 2, aborted: 0 });
  assert.deepEqual(hostOrder(run.trace), ['host', 'host', 'settle', 'settle'], 'both started before either settled');
  // The real clock saw the wait: at least the slower delay (1 ms of timer granularity); a lower bound only, which
  // load cannot break (it only makes runs longer).
  assert.ok(run.elapsedMs >= slow - 1, `elapsed ${run.elapsedMs} >= ${slow}`);
  checkTraceInvariants(run.trace);
  const hosts = run.trace.filter((e) => e.kind === 'host');
  assert.deepEqual(hosts.map((e) => e.name), ['fetch', 'fetch']);
  const settles = run.trace.filter((e) => e.kind === 'settle');
  assert.equal(settles.length, 2);
  assert.ok(settles.every((e) => e.ok));
  assert.ok(run.trace.some((e) => e.kind === 'wake' && e.cause === 'fetch'));
  assert.equal(rt.stats().opsInFlight, 0);
});

test('the fetch example on the virtual clock follows real time while waiting', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  const run = await rt.runExample('fetch', { a: '/api/delay?ms=250&bytes=10', b: '/api/delay?ms=300&bytes=20' });
  assert.equal(run.value, 'a: HTTP 200, 10 bytes; b: HTTP 200, 20 bytes');
  assert.deepEqual(await stats(), { requests: 2, aborted: 0 });
  // The requests overlap (see hostOrder), and while they are in flight the virtual clock follows real time: it
  // reads at least the slower delay when they are done. (It catches up with real time when the host answers, so a
  // few ms may go uncounted; a lower bound only, which load cannot break.)
  assert.deepEqual(hostOrder(run.trace), ['host', 'host', 'settle', 'settle'], 'both started before either settled');
  assert.ok(run.elapsedMs >= 290, `elapsed ${run.elapsedMs}: the virtual clock moved with the 300 ms wait`);
  // HTTP errors are results in the example too.
  const r404 = await rt.runExample('fetch', { a: '/api/status/404', b: '/api/delay?status=503&bytes=7' });
  assert.match(r404.value, /^a: HTTP 404, \d+ bytes; b: HTTP 503, 7 bytes$/);
  await assertWorks(rt);
});

test('fetch_text: an HTTP 404 is a normal result', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  const out = JSON.parse(await rt.start('fetch_text', { url: '/api/status/404' }).promise);
  assert.equal(out.status, 404);
  assert.equal(out.head, '{"status":404}');
  assert.equal(out.bytes, out.head.length);
  assert.match(out.headers, /^content-type: application\/json/m);
  assert.equal((await stats()).requests, 1);
});

test('a closed connection is a network error: EHOST with a message', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  await rejectsWith(rt.start('fetch_text', { url: '/api/close' }).promise, 'EHOST', /api\/close.*failed/);
  // In the example (join): the whole run fails with the message; the other request is dropped.
  await rejectsWith(rt.runExample('fetch', { a: '/api/close', b: '/api/delay?ms=20' }), 'EHOST', /api\/close/);
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.tasksLive, 0);
  await assertWorks(rt);
});

test('an unreachable host is EHOST too', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  // Port 1 on localhost: connection refused.
  await rejectsWith(rt.start('fetch_text', { url: 'http://127.0.0.1:1/' }).promise, 'EHOST', /127\.0\.0\.1:1/);
  await assertWorks(rt);
});

test('a large body (8 MiB) arrives whole, and its memory is freed', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  const small = JSON.parse(await rt.start('fetch_text', { url: '/api/delay?bytes=100' }).promise);
  assert.equal(small.bytes, 100);
  const base = rt.stats().bytesLive;
  const size = 8 * 1024 * 1024;
  const out = JSON.parse(await rt.start('fetch_text', { url: `/api/delay?bytes=${size}` }).promise);
  assert.equal(out.status, 200);
  assert.equal(out.bytes, size);
  assert.equal(out.head, fillerHead(size), 'the first bytes are the server\'s');
  assert.match(out.headers, new RegExp(`^content-length: ${size}$`, 'm'));
  const s = rt.stats();
  assert.ok(s.memoryBytes >= size, 'wasm memory grew to hold the body');
  assert.equal(s.bytesLive, base, 'the body block was freed');
  assert.equal(s.opsInFlight, 0);
});

test('a fetch aborted by a timeout is ETIMEDOUT and the server sees the request aborted', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  await rejectsWith(rt.start('fetch_text', { url: '/api/delay?ms=2000', timeout: 50 }).promise, 'ETIMEDOUT');
  // Rejected before the 2000 ms response: the server sees the request aborted, which it would not once it had
  // answered (a fact about order, not a wall-clock bound that load could break).
  const s = await eventually(async () => {
    const st = await stats();
    return st.aborted >= 1 && st;
  }, { withinMs: 5000, what: 'the server seeing the request aborted' });
  assert.equal(s.requests, 1);
  assert.equal(s.aborted, 1);
  assert.equal(rt.stats().opsInFlight, 0);
  const trace = rt.readTrace();
  assert.ok(trace.some((e) => e.kind === 'wake' && e.cause === 'timer'), 'the timeout fired');
  await assertWorks(rt);
});

test('aborting a job from JS aborts its requests', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  const job = rt.start('fetch', { a: '/api/delay?ms=3000', b: '/api/delay?ms=3000' });
  await eventually(async () => (await stats()).requests >= 2, { what: 'both requests reaching the server' });
  assert.equal(rt.stats().opsInFlight, 2);
  assert.equal(job.abort(), true);
  await rejectsWith(job.promise, 'ECANCELED');
  assert.equal(rt.stats().opsInFlight, 0);
  await eventually(async () => (await stats()).aborted >= 2, { what: 'the server seeing both requests aborted' });
});

test('POST with a body and headers, echoed by /api/echo', T, async () => {
  const rt = await rts.open({ baseUrl: server.url });
  // fetch_text returns only the first 64 bytes of the body: watch what the server received instead.
  const seen = [];
  const onRequest = (req) => {
    if (!req.url.startsWith('/api/echo')) return;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
  };
  server.server.on('request', onRequest);
  try {
    const body = 'héllo, body\nline two';
    const out = JSON.parse(await rt.start('fetch_text', {
      url: '/api/echo?x=1',
      method: 'POST',
      headers: 'X-Wasync-Test: abc 123\nContent-Type: text/plain; charset=utf-8',
      body,
    }).promise);
    assert.equal(out.status, 200);
    assert.equal(seen.length, 1);
    const req = seen[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/api/echo?x=1');
    assert.equal(req.headers['x-wasync-test'], 'abc 123');
    assert.equal(req.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(req.body, body);
    // The echo is exactly what the server saw: same length, same beginning.
    const echoed = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body });
    assert.equal(out.bytes, Buffer.byteLength(echoed));
    assert.equal(out.head, echoed.slice(0, 64));
    // PUT without a body, and a GET with a header.
    const put = JSON.parse(await rt.start('fetch_text', { url: '/api/echo', method: 'PUT' }).promise);
    assert.equal(put.status, 200);
    assert.equal(seen[1].method, 'PUT');
    assert.equal(seen[1].body, '');
  } finally {
    server.server.off('request', onRequest);
  }
});
