// spawn_blocking in C compiled by wasync/cc: the package's standard blocking functions (count_primes, echo, fail,
// trap) are registered with standardBlocking, as the playground and `wasync run-c` compile, so the examples'
// offload.c runs as it is; without it, or when the sources take one of those names, they are not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { PKG_DIR, createRuntime } from './helpers.mjs';
import { cc, KIT_FILE, clang, skip } from './cc-helpers.mjs';

const T = { skip, timeout: 600_000 };
const EXAMPLES = path.join(PKG_DIR, 'examples');
const offload = () => ({
  'offload.c': fs.readFileSync(path.join(EXAMPLES, 'offload.c'), 'utf8'),
  'ticker.h': fs.readFileSync(path.join(EXAMPLES, 'ticker.h'), 'utf8'),
});

let kit;
before(async () => {
  if (skip) return;
  kit = await cc.readKit(pathToFileURL(KIT_FILE));
  await cc.loadToolchain(clang);
});
const rts = [];
after(() => { for (const rt of rts) rt.close(); });

async function build(files, options = {}) {
  const r = await cc.compile({ clang, kit, files, ...options });
  assert.ok(r.ok, r.log);
  const rt = await createRuntime({ wasm: r.wasm, clock: 'virtual', trace: true, blockingWorkers: 2 });
  rts.push(rt);
  return rt;
}

test('offload.c with standardBlocking: every item is a job that runs on the pool and finishes ok', T, async () => {
  const rt = await build(offload(), { standardBlocking: true });
  assert.deepEqual(rt.blockingFunctions, ['count_primes', 'echo', 'fail', 'trap']);
  const run = await rt.runExample('offload', { items: 5, unit: 1, ticks: 3 });
  const finishes = run.trace.filter((e) => e.kind === 'job_finish');
  assert.equal(run.trace.filter((e) => e.kind === 'job_start').length, 5);
  assert.deepEqual(finishes.map((e) => e.outcome), Array(5).fill(0), 'outcome 0: ok (ws_trace.h)');
  assert.equal(rt.blockingStats().finished, 5);
});

test('without standardBlocking the module has no blocking functions: the run fails with the job\'s ENOENT', T, async () => {
  const rt = await build(offload());
  assert.deepEqual(rt.blockingFunctions, []);
  const err = await rt.runExample('offload', { items: 1, unit: 1, ticks: 1 }).then(() => null, (e) => e);
  // the demo fails with its worker's error (not a lateness of 0); the job's message is in the trace's settle
  assert.equal(err?.code, 'ENOENT', String(err));
  assert.equal(rt.blockingStats().started, 0);
  const settle = err.trace.find((e) => e.kind === 'settle');
  assert.equal(settle?.ok, false);
});

test('a source that defines a blocking function of a standard name keeps its own, and the standard set is left out', T, async () => {
  const src = `#include "ws_module.h"
#include "ws_blocking.h"
#include <string.h>
static int echo(const uint8_t *in, uint32_t n, wsx_buf *out) { (void)in; (void)n; wsx_buf_str(out, "mine"); return WS_OK; }
WS_BLOCKING_FN(echo);
WS_ASYNC(go, { ws_spawn_blocking job; })
{
    WS_BEGIN();
    ws_spawn_blocking_init(&self->job, "echo", "x", 1);
    WS_AWAIT(&self->job);
    {
        ws_bytes *b = ws_bytes_of(WS_OUT(&self->job));
        int64_t v = b && b->len == 4 && memcmp(b->data, "mine", 4) == 0 ? 1 : 0;
        ws_bytes_free(cx->rt, b);
        WS_RETURN(v);
    }
    WS_END();
}
static void go_init(void *f, const wsx_args *a) { go *self = f; (void)a; WS_ASYNC_INIT(go, self); }
WS_ENTRY(go, .init = go_init);
`;
  assert.match(cc.registrySource({ 'a.c': src }, { standardBlocking: true }), /WS_MODULE_BLOCKING\(&echo_blocking\);/);
  const rt = await build({ 'a.c': src }, { standardBlocking: true });
  assert.deepEqual(rt.blockingFunctions, ['echo']);
  assert.equal(await rt.start('go').promise, 1);
});

test('wasync run-c runs the examples\' offload.c as it is', T, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-ccb-'));
  try {
    for (const [n, t] of Object.entries(offload())) fs.writeFileSync(path.join(tmp, n), t);
    const r = await new Promise((resolve) => execFile(process.execPath, [path.join(PKG_DIR, 'bin', 'wasync.js'), 'run-c', 'offload.c', 'items=3', 'unit=1', '--trace'],
      { cwd: tmp, timeout: 300_000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/job_finish/g) ?? []).length, 3, r.stdout.slice(0, 2000));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
