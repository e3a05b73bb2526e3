// blocking.mjs: spawn_blocking, measured side by side in one run (a benchmark: nothing is asserted).
//
//   1. K CPU jobs (count_primes) run inline on the main thread, one after another, against the same K jobs on the
//      pool with 2 workers: wall time and speedup. "Inline" calls the same C function through the same exports a
//      worker uses, in an instance on the main thread, so the only difference is where it runs.
//   2. A ticker's lateness on the real clock while CPU work goes on, for the three lessons: blocking (the work in
//      a poll), cooperative (the work in polls with yield_now between items) and offload (the work on the pool):
//      p50, p99 and worst lateness of the ticks, read from the trace (each tick's poll against its timer's
//      deadline), against the target sliceMs + 2 ms.
//   3. The round trip of an empty job, awaited one at a time from C (the spawn_blocking entry's `repeat`) and from
//      JS (rt.start per job), against a plain postMessage round trip to a worker_threads worker that echoes.
//
//   node bench/blocking.mjs [--smoke] [--k 16] [--n 600000] [--trips 2000]
//
// Uses the package's modules (bash scripts/build-wasm.sh first). Real clock, Node's worker_threads.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRuntime } from '../wasm/index.js';
import { EXAMPLES_WASM } from '../wasm/lib/examples.js';
import { median, numberOption } from './common/cli.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const K = numberOption('k', smoke ? 4 : 16);
const N = numberOption('n', smoke ? 100000 : 600000);
const TRIPS = numberOption('trips', smoke ? 200 : 2000);
const SLICE = 4;

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const f = (x, d = 1) => x.toFixed(d);

// ---- 1. inline vs pool ----
// The inline side: an instance of the default module on this thread, run as a worker runs it (pool-worker.js).
function inlineInstance(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') (imports[imp.module] ??= {})[imp.name] = imp.name === 'now_ms' ? () => performance.now() : () => {};
  }
  const ex = new WebAssembly.Instance(module, imports).exports;
  ex._initialize?.();
  const index = Array.from({ length: ex.wsx_blocking_count() }, (_, i) => i).find((i) => {
    const p = ex.wsx_blocking_name(i);
    const u8 = new Uint8Array(ex.memory.buffer);
    let s = '';
    for (let k = p; u8[k]; k++) s += String.fromCharCode(u8[k]);
    return s === 'count_primes';
  });
  return (input) => {
    const bytes = new TextEncoder().encode(input);
    const block = ex.wsx_blocking_input(bytes.length);
    new Uint8Array(ex.memory.buffer, block + 4, bytes.length).set(bytes);
    const out = ex.wsx_blocking_run(index, block);
    const len = new DataView(ex.memory.buffer).getUint32(out, true);
    const s = new TextDecoder().decode(new Uint8Array(ex.memory.buffer, out + 4, len));
    ex.wsx_blocking_free(out);
    return s;
  };
}

async function cpuJobs() {
  const module = new WebAssembly.Module(readFileSync(join(here, '..', 'wasm', 'dist', 'wasync.wasm')));
  const run = inlineInstance(module);
  const want = run(String(N)); // warm-up, and the answer both sides must give
  const rounds = smoke ? 1 : 3;
  const inline = [], pool = [];
  const rt = await createRuntime({ wasm: module, blockingWorkers: 2 });
  // both workers started and warmed before measuring
  await Promise.all([0, 1].map(() => rt.start('spawn_blocking', { fn: 'count_primes', input: String(N) }).promise));
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (let i = 0; i < K; i++) if (run(String(N)) !== want) throw new Error('inline: wrong result');
    inline.push(performance.now() - t0);
    t0 = performance.now();
    const outs = await Promise.all(Array.from({ length: K }, () => rt.start('spawn_blocking', { fn: 'count_primes', input: String(N) }).promise));
    pool.push(performance.now() - t0);
    if (outs.some((o) => o !== want)) throw new Error('pool: wrong result');
  }
  rt.close();
  const a = median(inline), b = median(pool);
  console.log(`cpu jobs: ${K} x count_primes(${N}) = ${want}, median of ${rounds}`);
  console.log(`  inline (main thread, one after another)   ${f(a)} ms   (${f(a / K, 2)} ms per job)`);
  console.log(`  pool, 2 workers                           ${f(b)} ms`);
  console.log(`  speedup                                   ${f(a / b, 2)}x   (target >= 1.8x on 2 free cores)`);
  return { k: K, n: N, inline_ms: a, pool_ms: b, speedup: a / b };
}

// ---- 2. the ticker while CPU work goes on ----
// Each tick's lateness: its poll's start against the deadline of the timer whose wake caused it.
function tickLateness(trace, tickerTask) {
  const bySeq = new Map(trace.map((e) => [e.seq, e]));
  const timers = new Map();
  const late = [];
  for (const e of trace) {
    if (e.kind === 'timer' && e.task === tickerTask) timers.set(e.timer, e.deadline);
    if (e.kind === 'poll' && e.task === tickerTask && !e.depth && e.wake != null) {
      const w = bySeq.get(e.wake);
      if (w?.cause === 'timer' && timers.has(w.source)) late.push(Math.max(0, e.t - timers.get(w.source)));
    }
  }
  return late;
}

async function ticker() {
  const ticks = smoke ? 20 : 100;
  const params = { items: smoke ? 20 : 100, unit: 2, ticks, tick: 5 };
  const rt = await createRuntime({ wasm: EXAMPLES_WASM, clock: 'real', trace: true, sliceMs: SLICE, blockingWorkers: 2 });
  await rt.runExample('offload', { items: 2, unit: 1, ticks: 1, tick: 1 }); // workers started
  const out = {};
  console.log(`ticker lateness on the real clock, ${ticks} ticks of 5 ms while ${params.items} items of ~2 ms CPU run (sliceMs ${SLICE}; target p99 <= ${SLICE + 2} ms)`);
  for (const name of ['blocking', 'cooperative', 'offload']) {
    const run = await rt.runExample(name, params);
    const tick = run.trace.find((e) => e.kind === 'spawn' && e.name === 'ticker')?.task;
    const late = tickLateness(run.trace, tick);
    out[name] = { ticks: late.length, p50_ms: pct(late, 0.5), p99_ms: pct(late, 0.99), worst_ms: Math.max(...late), elapsed_ms: run.elapsedMs };
    console.log(`  ${name.padEnd(12)} p50 ${f(out[name].p50_ms, 2).padStart(7)} ms   p99 ${f(out[name].p99_ms, 2).padStart(7)} ms   worst ${f(out[name].worst_ms, 2).padStart(7)} ms   (${late.length} ticks, run ${f(run.elapsedMs)} ms)`);
  }
  rt.close();
  return out;
}

// ---- 3. empty job round trip vs postMessage ----
async function roundTrip() {
  const rt = await createRuntime({ blockingWorkers: 1 });
  await rt.start('spawn_blocking', { fn: 'echo' }).promise;
  const w = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));", { eval: true });
  const ping = () => new Promise((r) => { w.once('message', r); w.postMessage(new ArrayBuffer(0)); });
  await ping();
  // Three sides, each in blocks of 100 trips, alternating: an empty job awaited by JS (rt.start per job: the
  // entry's start and reap included), empty jobs awaited by one C task one after another (the entry's `repeat`:
  // the job's own round trip), and a plain postMessage to a worker that echoes. Per-block medians, as a loaded
  // machine's outliers (a thread not scheduled for a while) would dominate a mean.
  const BLOCK = 100;
  const job = [], fromC = [], plain = [];
  for (let b = 0; b < TRIPS / BLOCK; b++) {
    let t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) await rt.start('spawn_blocking', { fn: 'echo' }).promise;
    job.push((performance.now() - t0) / BLOCK * 1000);
    t0 = performance.now();
    await rt.start('spawn_blocking', { fn: 'echo', repeat: BLOCK }).promise;
    fromC.push((performance.now() - t0) / BLOCK * 1000);
    t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) await ping();
    plain.push((performance.now() - t0) / BLOCK * 1000);
  }
  await w.terminate();
  rt.close();
  const a = median(job), c = median(fromC), b = median(plain);
  console.log(`round trip, one at a time, ${TRIPS} of each in blocks of ${BLOCK}, alternating; median of the blocks' means`);
  console.log(`  empty job from JS (rt.start + spawn_blocking echo)   ${f(a)} us`);
  console.log(`  empty job from C (one task, jobs one after another)  ${f(c)} us`);
  console.log(`  plain postMessage to a worker and back               ${f(b)} us`);
  console.log(`  ratio, job from C / postMessage                      ${f(c / b, 2)}x   (target <= 1.5x); from JS ${f(a / b, 2)}x`);
  return { trips: TRIPS, job_js_us: a, job_c_us: c, postmessage_us: b, ratio_c: c / b, ratio_js: a / b };
}

console.log(`blocking pool benchmark (${smoke ? 'smoke' : 'full'}), node ${process.version}, ${new Date().toISOString()}`);
const result = { cpu: await cpuJobs(), ticker: await ticker(), roundTrip: await roundTrip() };
if (args.includes('--json')) console.log(JSON.stringify(result));
