// The toolbox examples: the crawler (JoinSet, timeouts, real fetches against a local server) and abort (scopes:
// aborting a parent aborts its children), read from their values and traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, checkTraceInvariants, traceToText, eventually, EXAMPLES_WASM, withTestServer } from './helpers.mjs';

const T = { timeout: 60_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
const server = withTestServer(rts);

/** The most fetches in flight at once, as the playground's timeline draws them: a fetch runs from its host event
 * to its settle, which is 'cancelled' when a timeout dropped it (a later answer to it is 'ignored'). */
function maxFetchesInFlight(trace) {
  const open = new Set();
  let max = 0;
  for (const e of trace) {
    if (e.kind === 'host' && e.name === 'fetch') {
      assert.ok(!open.has(e.op), `op ${e.op} reused while in flight`);
      open.add(e.op);
      max = Math.max(max, open.size);
    } else if (e.kind === 'settle' && !e.ignored) {
      assert.ok(open.delete(e.op), `settle of op ${e.op} that was in flight`);
    }
  }
  assert.equal(open.size, 0, 'every fetch ended');
  return max;
}

test('crawler: 50 pages, never more than 4 in flight, a 500 ms timeout each, a JSON summary', T, async () => {
  const rt = await rts.open({ baseUrl: server.url, clock: 'real' });
  const before = await (await fetch(new URL('/api/stats', server.url))).json();
  const run = await rt.runExample('crawler', { base: '/api/page/', n: 50, limit: 4, timeout: 500 });
  const summary = JSON.parse(run.value);
  // /api/page/N: N % 10 == 3 -> HTTP 500 (5 pages), N % 10 == 7 -> 1500 ms (5 timeouts), 24 and 49 -> network
  // error, the other 38 -> 100 + N bytes within 100 ms.
  const okPages = [...Array(50).keys()].filter((n) => n % 10 !== 3 && n % 10 !== 7 && n % 25 !== 24);
  assert.deepEqual(summary, {
    urls: 50, ok: okPages.length, http_errors: 5, timeouts: 5, failed: 2,
    bytes: okPages.reduce((s, n) => s + 100 + n, 0),
  });
  const after_ = await (await fetch(new URL('/api/stats', server.url))).json();
  assert.equal(after_.requests - before.requests, 50, 'one request per page');
  checkTraceInvariants(run.trace);
  const fetches = run.trace.filter((e) => e.kind === 'host' && e.name === 'fetch');
  assert.equal(fetches.length, 50);
  const max = maxFetchesInFlight(run.trace);
  assert.equal(max, 4, `at most 4 fetches in flight, and the limit was used (max ${max})`);
  // The semaphore's own events agree: never more than 4 permits held; the pages that found none waited for one.
  const sem = run.trace.filter((e) => e.kind === 'semaphore');
  assert.ok(sem.every((e) => e.held <= 4 && e.permits === 1), 'at most 4 permits held');
  assert.equal(sem.filter((e) => e.action === 'released').length, 50, 'every page gave its permit back');
  const waits = sem.filter((e) => e.action === 'wait').length;
  assert.equal(sem.filter((e) => e.action === 'granted').length, waits, 'every waiting page was granted a permit');
  assert.ok(waits >= 46, `${waits} pages waited (all but the first 4 at least)`);
  // 50 page tasks, children of the crawler's task.
  const spawns = run.trace.filter((e) => e.kind === 'spawn');
  const crawler = spawns[0].task;
  assert.equal(spawns.filter((e) => e.name === 'page' && e.parent === crawler).length, 50);
  // Each timed-out page's fetch was dropped in flight (a 'cancelled' settle; an answer after that is 'ignored'),
  // and its task completed with an error, as did the two whose connection broke.
  assert.equal(run.trace.filter((e) => e.kind === 'complete' && e.result === 'error').length, 5 + 2);
  assert.equal(run.trace.filter((e) => e.kind === 'settle' && e.cancelled).length, 5, 'the five slow pages were cancelled');
  assert.equal(rt.stats().opsInFlight, 0);
});

test('crawler: a limit of 1 runs the pages one at a time; aborting the crawler aborts its pages', T, async () => {
  const rt = await rts.open({ baseUrl: server.url, clock: 'real' });
  const run = await rt.runExample('crawler', { base: '/api/page/', n: 6, limit: 1, timeout: 500 });
  assert.equal(maxFetchesInFlight(run.trace), 1);
  assert.equal(JSON.parse(run.value).urls, 6);
  // Abort mid-crawl: every page still running is aborted with it, and its request is aborted too.
  const job = rt.start('crawler', { base: '/api/page/', n: 50, limit: 4, timeout: 500 });
  await new Promise((r) => setTimeout(r, 150));
  job.abort();
  await assert.rejects(job.promise, (e) => e.code === 'ECANCELED');
  // The pages are aborted with the crawler and dropped at their next scheduling point (the executor's next run).
  await eventually(() => rt.stats().tasksLive === 0, { what: 'no page task outliving the crawler' });
  assert.equal(rt.stats().opsInFlight, 0, 'no request left in flight');
  assert.equal(rt.stats().objectsLive, 0, 'the semaphore was freed with the last page');
});

test('abort: aborting the parent aborts its three children at the same instant (virtual clock)', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('abort', { abort: 250, tick: 100, n: 5 });
  assert.equal(run.value, -1, 'the parent was aborted');
  assert.equal(run.elapsedMs, 250);
  checkTraceInvariants(run.trace);
  const spawns = run.trace.filter((e) => e.kind === 'spawn');
  const parent = spawns.find((e) => e.name === 'parent');
  const workers = spawns.filter((e) => e.name === 'worker');
  assert.equal(workers.length, 3);
  assert.ok(workers.every((w) => w.parent === parent.task));
  const aborts = run.trace.filter((e) => e.kind === 'abort');
  assert.deepEqual(aborts.map((e) => e.task), [parent.task, ...workers.map((w) => w.task)], 'parent first, then each child');
  assert.ok(aborts.every((e) => e.t === 250));
  const cancelled = run.trace.filter((e) => e.kind === 'complete' && e.result === 'cancelled').map((e) => e.task).sort();
  assert.deepEqual(cancelled, [parent.task, ...workers.map((w) => w.task)].sort());
  // Nothing of the children ran after the abort.
  assert.ok(run.trace.filter((e) => e.kind === 'poll' && workers.some((w) => w.task === e.task)).every((e) => e.t <= 250));
  assert.match(traceToText(run.trace), /abort {5}task \d+ \(worker\)/);

  // Left alone, the parent finishes: 5 ticks from each of its three workers.
  const done = await rt.runExample('abort', { abort: 2000, tick: 100, n: 5 });
  assert.equal(done.value, 15);
  assert.equal(done.elapsedMs, 2000);
  assert.equal(done.trace.filter((e) => e.kind === 'abort').length, 0);
});
