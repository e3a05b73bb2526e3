// The workloads on wasync in wasm: the bench module (bench/wasm/dist/*.wasm) loaded with the package's
// createRuntime({ wasm }), each workload a C entry point started with rt.start(name, args).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../../wasm/index.js';
import { hostEcho } from '../js/workloads.mjs';

const modules = new Map();

/** Compiled once per process (each createRuntime is a fresh instance; V8's tier-up carries over). */
export function benchModule(variant = 'bench') {
  if (!modules.has(variant)) {
    const bytes = readFileSync(new URL(`./dist/wasync-${variant}.wasm`, import.meta.url));
    modules.set(variant, new WebAssembly.Module(bytes));
  }
  return modules.get(variant);
}

// Host timers the runtime arms (setTimeout calls from the package's loader): the issue asks for one at a time.
const timerStats = { calls: 0, live: 0, maxLive: 0, installed: false };
export function countHostTimers() {
  timerStats.calls = 0;
  timerStats.maxLive = 0;
  if (timerStats.installed) return timerStats;
  timerStats.installed = true;
  const { setTimeout: st, clearTimeout: ct } = globalThis;
  const live = new Set();
  globalThis.setTimeout = (fn, ms, ...rest) => {
    timerStats.calls++;
    const h = st((...a) => {
      live.delete(h);
      timerStats.live = live.size;
      fn(...a);
    }, ms, ...rest);
    live.add(h);
    timerStats.live = live.size;
    timerStats.maxLive = Math.max(timerStats.maxLive, live.size);
    return h;
  };
  globalThis.clearTimeout = (h) => {
    live.delete(h);
    timerStats.live = live.size;
    ct(h);
  };
  return timerStats;
}

/** options: { variant: 'bench' | 'bench-notrace', trace: bool, traceCapacity, clock }. Traced runs use an
 * overwriting ring ('last'), as a long-running traced program would: every event is written. */
export async function runtime(options = {}) {
  const { variant = 'bench', trace = false, traceCapacity, clock = 'real' } = options;
  return createRuntime({ wasm: benchModule(variant), clock, trace, traceKeep: 'last', ...(traceCapacity ? { traceCapacity } : {}) });
}

async function timed(rt, name, args) {
  const t0 = performance.now();
  const value = await rt.start(name, args).promise;
  return { value, ms: performance.now() - t0 };
}

function finish(rt, out) {
  const s = rt.stats();
  out.polls = s.polls;
  out.memory_mb = s.memoryBytes / 2 ** 20;
  rt.close();
  return out;
}

// `warm`: the same again in the same runtime, on memory the first run grew and touched (its slab free lists): what
// a long-running program pays, without the first touches of fresh pages (see the machine's first_touch figure).
export async function spawn({ n, warm = false }, options) {
  const rt = await runtime(options);
  const { value, ms } = await timed(rt, 'bench_spawn', { n });
  if (value !== n) throw new Error(`bench_spawn returned ${value}`);
  const out = { ms, tasks_per_s: n / (ms / 1e3) };
  if (warm) {
    const again = await timed(rt, 'bench_spawn', { n });
    if (again.value !== n) throw new Error(`bench_spawn returned ${again.value}`);
    out.tasks_per_s_warm = n / (again.ms / 1e3);
  }
  return finish(rt, out);
}

export async function yieldNow({ tasks, yields }, options) {
  const rt = await runtime(options);
  const { value, ms } = await timed(rt, 'bench_yield', { tasks, yields });
  if (value !== tasks * yields) throw new Error(`bench_yield returned ${value}`);
  return finish(rt, { ms, awaits_per_s: (tasks * yields) / (ms / 1e3) });
}

export async function channel({ msgs, capacity }, options) {
  const rt = await runtime(options);
  const { value, ms } = await timed(rt, 'bench_pingpong', { msgs, capacity });
  return finish(rt, { ms, msgs_per_s: value / (ms / 1e3) });
}

// `warm`: then the same again in the same runtime (memory grown and touched by the first run), as for spawn.
export async function timers({ n, spread, warm = false }, options) {
  const stats = countHostTimers();
  const rt = await runtime({ ...options, clock: 'real' });
  // Watchdog: a runtime that stops with timers armed and no host timer pending (a lost wake-up: seen when a host
  // setTimeout fires early against performance.now() and the earliest deadline has not changed) would otherwise
  // leave the promise pending forever and the process exiting with code 13.
  let stalled = false;
  const watchdog = setInterval(() => {
    const s = rt.stats();
    if (s.timersArmed > 0 && timerStats.live === 0 && !stalled) stalled = true;
    else if (stalled) rt.close();
  }, Math.max(1000, spread * 3)).unref();
  let value, ms, again;
  try {
    ({ value, ms } = await timed(rt, 'bench_timers', { n, spread }));
    if (warm) again = await timed(rt, 'bench_timers', { n, spread });
  } catch (e) {
    throw stalled ? new Error(`timers: the runtime stalled with ${rt.stats?.().timersArmed ?? '?'} timers armed and no host timer (lost wake-up)`) : e;
  } finally {
    clearInterval(watchdog);
  }
  const r = JSON.parse(value);
  const out = {
    total_ms: ms, // from rt.start to the promise settling, as the JS side measures
    c_total_ms: r.total_us / 1e3,
    p50_ms: r.p50_us / 1e3, p99_ms: r.p99_us / 1e3, max_ms: r.max_us / 1e3,
    host_timer_calls: stats.calls, host_timers_max_live: stats.maxLive,
  };
  if (again) {
    out.total_ms_warm = again.ms;
    out.p99_ms_warm = JSON.parse(again.value).p99_us / 1e3;
  }
  return finish(rt, out);
}

export async function memory({ n }, options) {
  const rt = await runtime({ ...options, clock: 'real' }); // a real clock: idle tasks wait, the clock does not jump
  const before = rt.stats();
  const job = rt.start('bench_idle', { n, ms: 1e9 });
  await job.promise;
  for (let i = 0; rt.stats().timersArmed < n; i++) {
    if (i > 1e6) throw new Error('memory: the idle tasks never armed their timers');
    await new Promise((r) => setImmediate(r));
  }
  const after = rt.stats();
  const out = {
    bytes_per_task: (after.memoryBytes - before.memoryBytes) / n, // wasm memory growth
    bytes_live_per_task: (after.bytesLive - before.bytesLive) / n, // what the runtime allocated
    tasks_live: after.tasksLive,
  };
  rt.close();
  return out;
}

export async function bridge({ n, width }, options) {
  const rt = await runtime(options);
  rt.defineHost('echo', hostEcho);
  const { value, ms } = await timed(rt, 'host_many', { name: 'echo', n, width, typed: 1 });
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i % 1000000;
  if (value !== sum) throw new Error(`host_many returned ${value}, expected ${sum}`);
  return finish(rt, { ms, ns_per_await: (ms * 1e6) / n });
}

export async function fetchMany({ n, url }, options) {
  const rt = await runtime(options);
  const { value, ms } = await timed(rt, 'bench_fetch_many', { n, url });
  return finish(rt, { ms, bytes: value });
}

// The toolbox's per-operation costs, each entry timed on its own, beside the spawn+await baseline.
export async function toolbox({ n }, options) {
  const rt = await runtime(options);
  const a = await timed(rt, 'bench_spawn_await', { n });
  if (a.value !== (n * (n - 1)) / 2) throw new Error(`bench_spawn_await returned ${a.value}`);
  const s = await timed(rt, 'bench_semaphore', { n, tasks: 8, permits: 4 });
  const m = n - (n % 8);
  if (s.value !== m) throw new Error(`bench_semaphore returned ${s.value}`);
  const j = await timed(rt, 'bench_joinset', { n, width: 16 });
  if (j.value !== (n * (n - 1)) / 2) throw new Error(`bench_joinset returned ${j.value}`);
  return finish(rt, {
    spawn_await_ns: (a.ms * 1e6) / n, semaphore_ns: (s.ms * 1e6) / m, joinset_ns: (j.ms * 1e6) / n,
    semaphore_vs_spawn: (s.ms / m) / (a.ms / n), joinset_vs_spawn: j.ms / a.ms,
  });
}
