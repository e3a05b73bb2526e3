// The workloads in idiomatic JavaScript: async functions, await, Promise.all, a setTimeout sleep, a promise-based
// bounded channel, fetch. Each function runs one workload once and returns its measurements.
import { performance } from 'node:perf_hooks';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- spawn: n trivial async functions started, then all awaited ----
async function trivial(i) {
  return i;
}

async function spawnOnce(n) {
  const t0 = performance.now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = trivial(i);
  const values = await Promise.all(tasks);
  const ms = performance.now() - t0;
  let sum = 0;
  for (const v of values) sum += v;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`spawn: wrong sum ${sum}`);
  return ms;
}

// `warm`: the same again in the same process, with the heap the first run grew (as wasync's second run in one runtime).
export async function spawn({ n, warm = false }) {
  const ms = await spawnOnce(n);
  const out = { ms, tasks_per_s: n / (ms / 1e3) };
  if (warm) out.tasks_per_s_warm = n / ((await spawnOnce(n)) / 1e3);
  return out;
}

// ---- yield: `tasks` async functions, each awaiting `yields` times (a microtask turn, as yield_now) ----
async function yielder(yields) {
  for (let i = 0; i < yields; i++) await null;
  return yields;
}

export async function yieldNow({ tasks, yields }) {
  const t0 = performance.now();
  const all = new Array(tasks);
  for (let i = 0; i < tasks; i++) all[i] = yielder(yields);
  await Promise.all(all);
  const ms = performance.now() - t0;
  return { ms, awaits_per_s: (tasks * yields) / (ms / 1e3) };
}

// ---- channel: a bounded promise-based channel, two tasks ping-ponging ----
export class Channel {
  constructor(capacity) {
    this.capacity = capacity;
    this.buf = [];
    this.receivers = []; // resolve functions of receivers waiting for a message
    this.senders = [];   // resolve functions of senders waiting for room
    this.closed = false;
  }
  async send(v) {
    while (this.buf.length >= this.capacity) await new Promise((r) => this.senders.push(r));
    this.buf.push(v);
    this.receivers.shift()?.();
  }
  async recv() {
    while (this.buf.length === 0) {
      if (this.closed) return undefined;
      await new Promise((r) => this.receivers.push(r));
    }
    const v = this.buf.shift();
    this.senders.shift()?.();
    return v;
  }
  close() {
    this.closed = true;
    for (const r of this.receivers.splice(0)) r();
  }
}

export async function channel({ msgs, capacity }) {
  const ab = new Channel(capacity);
  const ba = new Channel(capacity);
  const rounds = Math.floor(msgs / 2);
  const t0 = performance.now();
  const pinger = (async () => {
    let sum = 0;
    for (let i = 1; i <= rounds; i++) {
      await ab.send(i);
      sum += await ba.recv();
    }
    ab.close();
    return sum;
  })();
  const ponger = (async () => {
    let count = 0;
    for (;;) {
      const v = await ab.recv();
      if (v === undefined) break;
      count++;
      await ba.send(v);
    }
    return count;
  })();
  const [, count] = await Promise.all([pinger, ponger]);
  const ms = performance.now() - t0;
  if (count !== rounds) throw new Error(`channel: ${count} round trips, expected ${rounds}`);
  return { ms, msgs_per_s: (2 * rounds) / (ms / 1e3) };
}

// ---- timers: n concurrent sleeps, whole-ms delays spread over 0..spread ----
export function percentiles(late) {
  late.sort();
  const at = (p) => late[Math.min(late.length - 1, Math.ceil((late.length * p) / 100) - 1)];
  return { p50_ms: at(50), p99_ms: at(99), max_ms: late[late.length - 1] };
}

// `warm`: then the same again in the same process, as the wasync side does in the same runtime.
export async function timers({ n, spread, warm = false }) {
  const first = await timersOnce(n, spread);
  if (!warm) return first;
  const again = await timersOnce(n, spread);
  return { ...first, total_ms_warm: again.total_ms, p99_ms_warm: again.p99_ms };
}

async function timersOnce(n, spread) {
  const late = new Float64Array(n);
  const t0 = performance.now();
  const all = new Array(n);
  for (let i = 0; i < n; i++) {
    const d = Math.floor((i * (spread + 1)) / n);
    all[i] = (async () => {
      const start = performance.now(); // lateness against the sleep's own deadline, as the C side measures it
      await sleep(d);
      late[i] = Math.max(0, performance.now() - (start + d));
    })();
  }
  await Promise.all(all);
  const total_ms = performance.now() - t0;
  return { total_ms, ...percentiles(late) };
}

// ---- memory: n async functions pending on a sleep; heap bytes per pending function (needs --expose-gc) ----
export async function memory({ n }) {
  if (typeof globalThis.gc !== 'function') throw new Error('memory: run node with --expose-gc');
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      globalThis.gc();
    }
  };
  await settle();
  const before = process.memoryUsage();
  const pending = new Array(n);
  for (let i = 0; i < n; i++) pending[i] = (async () => { await sleep(1e9); })();
  await settle();
  const after = process.memoryUsage();
  // The same with nothing but a never-settled promise awaited (no timer): the async function's own cost.
  const bare = new Array(n);
  const never = () => new Promise(() => {});
  for (let i = 0; i < n; i++) bare[i] = (async () => { await never(); })();
  await settle();
  const after2 = process.memoryUsage();
  const keep = pending.length + bare.length; // keep both arrays alive until here
  return {
    bytes_per_task: (after.heapUsed - before.heapUsed) / n,
    rss_per_task: (after.rss - before.rss) / n,
    bare_bytes_per_task: (after2.heapUsed - after.heapUsed) / n,
    tasks: keep / 2,
  };
}

// ---- promise bridge: awaiting n promises from an async host function, `width` at a time; numbers in and out,
// as the wasync side passes them (host_many typed) ----
export const hostEcho = (arg) => Promise.resolve(arg);

export async function bridge({ n, width }) {
  const t0 = performance.now();
  let sum = 0;
  if (width === 1) {
    for (let i = 0; i < n; i++) sum += await hostEcho(i % 1000000);
  } else {
    for (let done = 0; done < n; done += width) {
      const batch = Math.min(width, n - done);
      const ps = new Array(batch);
      for (let i = 0; i < batch; i++) ps[i] = hostEcho((done + i) % 1000000);
      for (const v of await Promise.all(ps)) sum += v;
    }
  }
  const ms = performance.now() - t0;
  return { ms, ns_per_await: (ms * 1e6) / n, sum };
}

// ---- fetch: n concurrent requests ----
export async function fetchMany({ n, url }) {
  const t0 = performance.now();
  const bodies = await Promise.all(Array.from({ length: n }, () => fetch(url).then((r) => {
    if (r.status !== 200) throw new Error(`fetch: HTTP ${r.status}`);
    return r.arrayBuffer();
  })));
  const ms = performance.now() - t0;
  return { ms, bytes: bodies.reduce((s, b) => s + b.byteLength, 0) };
}

// ---- toolbox: per operation, spawn+await (the baseline), a promise semaphore, Promise.race over a set ----
// The same shapes as the C workloads (bench/common/workloads.h): n spawn+await pairs in a row; 8 workers sharing 4
// permits for n acquire+release pairs in all, yielding while they hold one; n trivial tasks through a set of at
// most 16, each time awaiting the first to finish.
export class Semaphore {
  constructor(permits) {
    this.permits = permits;
    this.waiters = []; // FIFO: resolve functions of acquirers; a release hands its permit to the first
  }
  acquire() {
    if (this.permits > 0 && this.waiters.length === 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release() {
    const next = this.waiters.shift();
    if (next) next();
    else this.permits++;
  }
}

async function semWorker(sem, iters) {
  for (let i = 0; i < iters; i++) {
    await sem.acquire();
    await null; // yield while holding the permit, as the C worker does
    sem.release();
  }
  return iters;
}

export async function toolbox({ n }) {
  let t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await trivial(i);
  const spawnMs = performance.now() - t0;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`toolbox: wrong sum ${sum}`);

  const tasks = 8;
  const m = n - (n % tasks);
  t0 = performance.now();
  const sem = new Semaphore(4);
  const done = await Promise.all(Array.from({ length: tasks }, () => semWorker(sem, m / tasks)));
  const semMs = performance.now() - t0;
  if (done.reduce((a, b) => a + b, 0) !== m) throw new Error('toolbox: semaphore workers');

  t0 = performance.now();
  const set = new Map(); // key -> promise of [key, value]
  let spawned = 0;
  sum = 0;
  for (let got = 0; got < n; got++) {
    while (spawned < n && set.size < 16) {
      const k = spawned++;
      set.set(k, trivial(k).then((v) => [k, v]));
    }
    const [k, v] = await Promise.race(set.values());
    set.delete(k);
    sum += v;
  }
  const setMs = performance.now() - t0;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`toolbox: wrong race sum ${sum}`);
  return {
    spawn_await_ns: (spawnMs * 1e6) / n, semaphore_ns: (semMs * 1e6) / m, joinset_ns: (setMs * 1e6) / n,
    semaphore_vs_spawn: (semMs / m) / (spawnMs / n), joinset_vs_spawn: setMs / spawnMs,
  };
}
