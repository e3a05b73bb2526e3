// Shared helpers for the headless Node tests of the wasync package (node --test tests/node/).
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, after } from 'node:test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG_DIR = path.join(ROOT, 'wasm');
export const WASM_FILE = path.join(PKG_DIR, 'dist', 'wasync.wasm');
export const EXAMPLES_WASM_FILE = path.join(PKG_DIR, 'dist', 'wasync-examples.wasm');

for (const f of [WASM_FILE, EXAMPLES_WASM_FILE]) {
  if (!fs.existsSync(f)) {
    throw new Error(
      `${f} is missing: build it first with\n` +
        '  bash scripts/build-wasm.sh',
    );
  }
}

export const wasync = await import(pathToFileURL(path.join(PKG_DIR, 'index.js')).href);
export const { createRuntime, traceToText, traceToChrome, WasyncError } = wasync;
export const { EXAMPLES_WASM } = await import(pathToFileURL(path.join(PKG_DIR, 'lib', 'examples.js')).href); // wasync/examples

/** Per test file: the local test server (web/server.js) on 127.0.0.1 and an ephemeral port, started before the
 * file's tests and closed after them, once `rts` (a `runtimes()`) has closed its runtimes. Read `.url` (and
 * `.server`, its node:http server) in a test. */
export function withTestServer(rts) {
  let server;
  before(async () => {
    const { startServer } = await import(pathToFileURL(path.join(ROOT, 'web', 'server.js')).href);
    server = await startServer({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    rts?.closeAll();
    await server?.close();
  });
  return {
    get url() {
      return server.url;
    },
    get server() {
      return server.server;
    },
  };
}

/** Per test file: every runtime made through `open` is closed by `closeAll` (call it from an after hook).
 * `defaults` are options for every `open`, such as { wasm: EXAMPLES_WASM } for files that run examples. */
export function runtimes(defaults = {}) {
  const all = new Set();
  return {
    async open(options = {}) {
      // the tests' runtimes: the virtual clock (exact, reproducible timing) and the trace, asked for explicitly
      const rt = await createRuntime({ clock: 'virtual', trace: true, ...defaults, ...options });
      all.add(rt);
      return rt;
    },
    closeAll() {
      for (const rt of all) {
        try {
          rt.close();
        } catch {
          // already dead
        }
      }
      all.clear();
    },
  };
}

/** The line numbers (1-based) of the lines of `file` (relative to the repo) that contain `needle`. */
export function linesWith(file, needle) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const out = [];
  text.forEach((l, i) => {
    if (l.includes(needle)) out.push(i + 1);
  });
  return out;
}

export const polls = (trace, { task, depth } = {}) =>
  trace.filter((e) => e.kind === 'poll' && (task === undefined || e.task === task) && (depth === undefined || e.depth === depth));

/** Checks the invariants every trace must keep (js-api.md): seq from 0 without gaps, times not going back,
 * finished polls, nested polls inside their parent poll (time and seq), depth-0 polls caused by a wake of the
 * same task. */
export function checkTraceInvariants(trace) {
  assert.ok(Array.isArray(trace) && trace.length > 0, 'a non-empty trace');
  const bySeq = new Map();
  trace.forEach((e, i) => {
    assert.equal(e.seq, i, `seq ${e.seq} at index ${i}: from 0, no gaps`);
    assert.equal(typeof e.t, 'number');
    assert.ok(Number.isInteger(e.task) && e.task >= 0, 'task is a small integer');
    if (i > 0) assert.ok(e.t >= trace[i - 1].t - 1e-9, `time goes forward at seq ${e.seq}`);
    bySeq.set(e.seq, e);
  });
  const open = []; // the chain of polls enclosing the current point, outermost first
  for (const e of trace) {
    if (e.kind !== 'poll') continue;
    assert.ok(e.result === 'pending' || e.result === 'ready', `poll #${e.seq} finished`);
    assert.ok(e.dur >= 0, `poll #${e.seq} has a duration`);
    while (open.length > e.depth) open.pop();
    if (e.depth === 0) {
      assert.equal(open.length, 0);
      assert.notEqual(e.wake, null, `depth-0 poll #${e.seq} names the wake that caused it`);
      const w = bySeq.get(e.wake);
      assert.ok(w && w.kind === 'wake', `poll #${e.seq}: wake #${e.wake} is a wake event`);
      assert.equal(w.task, e.task, `poll #${e.seq}: its wake is for the same task`);
      assert.ok(w.seq < e.seq, `poll #${e.seq}: its wake came first`);
    } else {
      const parent = open[e.depth - 1];
      assert.ok(parent, `nested poll #${e.seq} (depth ${e.depth}) has an enclosing poll`);
      assert.equal(parent.task, e.task, `nested poll #${e.seq} is inside a poll of the same task`);
      assert.ok(parent.seq < e.seq);
      assert.ok(e.t >= parent.t - 1e-9 && e.t + e.dur <= parent.t + parent.dur + 1e-6, `nested poll #${e.seq} lies inside #${parent.seq} in time`);
      assert.equal(e.wake, null);
    }
    open.push(e);
  }
}

/** A promise with its resolve/reject outside. */
export function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A small deterministic PRNG (mulberry32), for reproducible shuffles. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** Polls `check` (sync or async) every `everyMs` until it returns a truthy value, or fails after `withinMs`. */
export async function eventually(check, { withinMs = 5000, everyMs = 10, what = 'the condition' } = {}) {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`${what} did not hold within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One macrotask turn: every microtask drain scheduled so far has run. */
export const turn = () => new Promise((r) => setImmediate(r));

/** Asserts that the runtime still works: `join` runs and gives the right value and virtual time. */
export async function assertWorks(rt) {
  const run = await rt.runExample('join', { a: 10, b: 20 });
  assert.equal(run.value, 300);
  if (rt.clock === 'virtual') assert.equal(run.elapsedMs, 20);
}

/** Asserts that `promise` rejects with a WasyncError of `code` (and, optionally, a message matching `message`). */
export async function rejectsWith(promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.code, code, `code: ${e.code} (${e.message})`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** Asserts that fn() throws a WasyncError of `code` (or an error of class `code` when it is a function). */
export function throwsWith(fn, code, message) {
  assert.throws(fn, (e) => {
    if (typeof code === 'function') assert.ok(e instanceof code, `${e.name}: ${e.message}`);
    else assert.equal(e.code, code, `code: ${e.code} (${e.message})`);
    if (message) assert.match(e.message, message);
    return true;
  });
}
