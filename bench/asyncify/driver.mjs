// The workloads on Asyncify (bench/asyncify/workloads.c built by bench/asyncify/build.sh), loaded under Node ESM
// through createRequire (see build.sh for why), with the .wasm bytes passed in as wasmBinary.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
let mod = null;

async function instance() {
  // wasmBinary: the 3.1.6 glue would otherwise try fetch() on the .wasm's file path (Node 20 has a global fetch).
  mod ??= await require('./dist/workloads.js')({ wasmBinary: readFileSync(new URL('./dist/workloads.wasm', import.meta.url)) });
  return mod;
}

// Each bench_* runs to completion inside the call (the fiber trampoline is synchronous); times are taken in C
// (emscripten_get_now) and read back with bench_result.
export async function spawn({ n }) {
  const m = await instance();
  const t0 = performance.now();
  m._bench_spawn(n);
  const ms = performance.now() - t0;
  if (m._bench_result(1) !== (n * (n - 1)) / 2) throw new Error(`asyncify spawn: wrong sum ${m._bench_result(1)}`);
  return { ms, c_ms: m._bench_result(0), tasks_per_s: n / (ms / 1e3) };
}

export async function yieldNow({ tasks, yields }) {
  const m = await instance();
  const t0 = performance.now();
  m._bench_yield(tasks, yields);
  const ms = performance.now() - t0;
  return { ms, c_ms: m._bench_result(0), awaits_per_s: (tasks * yields) / (ms / 1e3) };
}

export async function channel({ msgs, capacity }) {
  const m = await instance();
  const t0 = performance.now();
  m._bench_pingpong(msgs, capacity);
  const ms = performance.now() - t0;
  const delivered = m._bench_result(1);
  if (delivered !== Math.floor(msgs / 2) * 2) throw new Error(`asyncify channel: delivered ${delivered}`);
  return { ms, c_ms: m._bench_result(0), msgs_per_s: delivered / (ms / 1e3) };
}

export async function memory({ n }) {
  const m = await instance();
  const before = m.HEAP8.buffer.byteLength;
  m._bench_idle(n);
  const after = m.HEAP8.buffer.byteLength;
  return { bytes_per_task: (after - before) / n, allocated_per_task: m._bench_result(1) };
}
