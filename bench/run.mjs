#!/usr/bin/env node
// run.mjs: the benchmark suite. Runs every workload on every side (wasync in wasm, idiomatic JS, Asyncify, wasync
// native) in fresh processes, alternating the sides (A B C A B C ...) for several rounds, and prints medians, min,
// max and the ratios as a table; writes everything as JSON to bench/results/latest.json.
//
//   node bench/run.mjs                 full run (< 10 minutes)
//   node bench/run.mjs --smoke         every workload once at a reduced size (< 2 minutes; CI; no thresholds);
//                                      with the size section, also checks the Asyncify examples' values against
//                                      the package's
//   options: --rounds N  --only spawn,yield,...,size,blocking  --out FILE  --no-build
//   (blocking: bench/blocking.mjs, the spawn_blocking pool, run in a process of its own)
//
// See bench/README.md for what each workload measures and how to read the output.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRuntime } from '../wasm/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const smoke = flag('--smoke');
const rounds = Number(value('--rounds', smoke ? 1 : 5));
const only = value('--only', null)?.split(',');
const outFile = value('--out', join(here, 'results', 'latest.json'));
const started = Date.now();

// The package's module that holds the nine examples, whose values the Asyncify build must reproduce (--smoke).
const WASYNC_EXAMPLES_WASM = join(root, 'wasm', 'dist', 'wasync-examples.wasm');

// ---- build what is missing ----------------------------------------------------------------------------------
const nativeBin = (v) => join(here, 'build', 'native', 'bench', v);
const artifacts = [
  nativeBin('bench_core'), nativeBin('bench_core_notrace'),
  join(here, 'wasm', 'dist', 'wasync-bench.wasm'), join(here, 'wasm', 'dist', 'wasync-bench-notrace.wasm'),
  join(here, 'asyncify', 'dist', 'workloads.js'), join(here, 'asyncify', 'dist', 'minimal.js'),
  join(here, 'asyncify', 'dist', 'examples.js'), join(root, 'wasm', 'dist', 'wasync.wasm'), WASYNC_EXAMPLES_WASM,
];
if (!flag('--no-build') && artifacts.some((a) => !existsSync(a))) {
  console.error('run.mjs: building the benchmarks (bench/build.sh)');
  const r = spawnSync('bash', [join(here, 'build.sh')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

// ---- the machine ----------------------------------------------------------------------------------------------
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model?.trim() ?? 'unknown', cores: cpus.length, node: process.version,
  v8: process.versions.v8, os: `${os.type()} ${os.release()} ${os.arch()}`,
  memory_gb: Math.round(os.totalmem() / 2 ** 30),
  ...firstTouchCost(),
};

// What the first write to a fresh 4 KiB page of wasm memory costs (the kernel's page fault, zero-fill, and on a VM
// the hypervisor's): spawn, timers and memory grow wasm memory by tens of MB, so this bounds them from below. A
// fresh Memory of 64 MiB, one byte written per page, then again (already mapped).
function firstTouchCost() {
  const mem = new WebAssembly.Memory({ initial: 1, maximum: 1025 });
  mem.grow(1024);
  const u8 = new Uint8Array(mem.buffer);
  const pages = Math.floor(u8.length / 4096);
  const t0 = performance.now();
  for (let i = 0; i < u8.length; i += 4096) u8[i] = 1;
  const t1 = performance.now();
  for (let i = 0; i < u8.length; i += 4096) u8[i] = 2;
  const t2 = performance.now();
  return {
    first_touch_us_per_page: +(((t1 - t0) * 1000) / pages).toFixed(3),
    second_touch_us_per_page: +(((t2 - t1) * 1000) / pages).toFixed(3),
  };
}

// ---- the workloads --------------------------------------------------------------------------------------------
// sides: wasync (the bench module, tracing off, real clock), js, asyncify, native (bench_core); the tracing
// workloads compare wasync-notrace (no trace sites), wasync (tracing off) and wasync-trace (on), and the same three
// natively. metrics[0] is the one the ratios use. better: which way is good.
const S = smoke ? 50 : 1; // smoke: sizes divided by S
// Full-size warm-up runs before each measured one. Measured here (node, one process, the same workload again and
// again): JS's yield went 8.7M -> 17-19M awaits/s from the second run, and its one-at-a-time bridge 740 -> 301 ->
// 538 -> 90-170 ns/await from the fourth; wasync settles by its second or third. Four, so both are measured at
// steady state, which is what a long-running program sees.
const WARMUP_RUNS = smoke ? 1 : 4;
// Then this many measured runs in the same process, averaged: a garbage collection landing on one run is spread
// over three (seen: the bridge's fifth run in a process took twice as long as its neighbours).
const MEASURED_RUNS = smoke ? 1 : 3;
const W = [
  {
    name: 'spawn', what: 'spawn n trivial tasks and await them all; warm: the same again in the same runtime/process',
    params: { n: 1e6 / S, warm: true },
    sides: ['wasync', 'js', 'asyncify', 'native'],
    native: (p) => ['--only', 'spawn', '--spawn', p.n],
    metrics: [
      { key: 'tasks_per_s', unit: 'tasks/s', better: 'higher' },
      { key: 'tasks_per_s_warm', unit: 'tasks/s warm', better: 'higher' },
    ],
    targets: [{ vs: 'js', min: 10 }, { vs: 'native', maxSlowdown: 2.5 }, { vs: 'js', min: 10, key: 'tasks_per_s_warm' }],
  },
  {
    name: 'yield', what: 'tasks x yields yield_now awaits',
    params: { tasks: 1000 / (smoke ? 10 : 1), yields: 1000 / (smoke ? 5 : 1) },
    sides: ['wasync', 'js', 'asyncify', 'native'],
    native: (p) => ['--only', 'yield', '--yield-tasks', p.tasks, '--yields', p.yields],
    metrics: [{ key: 'awaits_per_s', unit: 'awaits/s', better: 'higher' }],
    targets: [{ vs: 'js', min: 5 }, { vs: 'asyncify', min: 10 }, { vs: 'native', maxSlowdown: 2.5 }],
  },
  {
    name: 'channel', what: 'ping-pong: msgs messages between two tasks over bounded channels (capacity 1)',
    params: { msgs: 1e6 / S, capacity: 1 },
    sides: ['wasync', 'js', 'asyncify', 'native'],
    native: (p) => ['--only', 'channel', '--msgs', p.msgs, '--capacity', p.capacity],
    metrics: [{ key: 'msgs_per_s', unit: 'msgs/s', better: 'higher' }],
    targets: [{ vs: 'js', min: 5 }, { vs: 'native', maxSlowdown: 2.5 }],
  },
  {
    name: 'timers', what: 'n concurrent sleeps, delays spread over 0..100 ms (real clock)',
    params: { n: 1e5 / S, spread: 100, warm: true },
    sides: ['wasync', 'js', 'native'],
    native: (p) => ['--only', 'timers', '--timers', p.n],
    metrics: [
      { key: 'total_ms', unit: 'ms total', better: 'lower' },
      { key: 'p99_ms', unit: 'ms p99 late', better: 'lower' },
      { key: 'total_ms_warm', unit: 'ms total warm', better: 'lower' },
      { key: 'p99_ms_warm', unit: 'ms p99 late warm', better: 'lower' },
    ],
    targets: [{ abs: 'total_ms', max: 130 }, { abs: 'p99_ms', max: 5 }],
  },
  {
    name: 'memory', what: 'n tasks pending on a sleep: bytes per task',
    params: { n: 2e5 / S }, sides: ['wasync', 'js', 'asyncify', 'native'], gc: true, rounds: smoke ? 1 : 3,
    native: (p) => ['--only', 'idle', '--idle', p.n],
    metrics: [
      { key: 'bytes_per_task', unit: 'B/task', better: 'lower' },
      { key: 'bytes_live_per_task', unit: 'B/task live', better: 'lower' },
    ],
    targets: [{ abs: 'bytes_per_task', side: 'wasync', max: 96 }],
  },
  {
    name: 'bridge-seq', what: 'C awaits n JS promises one after another (host_many width 1)',
    workload: 'bridge', params: { n: 1e5 / S, width: 1 },
    sides: ['wasync', 'js'],
    metrics: [{ key: 'ns_per_await', unit: 'ns/await', better: 'lower' }],
    targets: [{ vs: 'js', maxSlowdown: 1.5 }],
  },
  {
    name: 'bridge-batch', what: 'C awaits n JS promises 1000 at a time (host_many width 1000)',
    workload: 'bridge', params: { n: 1e5 / S, width: 1000 },
    sides: ['wasync', 'js'],
    metrics: [{ key: 'ns_per_await', unit: 'ns/await', better: 'lower' }],
    targets: [{ vs: 'js', maxSlowdown: 1.5 }],
  },
  {
    name: 'fetch', what: '100 concurrent fetches of a local server answering after 20 ms',
    params: { n: 100, delay: 20 },
    sides: ['wasync', 'js'],
    metrics: [{ key: 'ms', unit: 'ms', better: 'lower' }],
    targets: [{ vs: 'js', maxSlowdown: 1.1 }],
  },
  {
    name: 'toolbox', what: 'ns per op: spawn+await, semaphore acquire+release (8 tasks, 4 permits), JoinSet spawn+next (16 wide)',
    // 50 000: JS's Promise.race over the set costs tens of microseconds per op, and runs 7 times per process.
    params: { n: 5e4 / S },
    sides: ['wasync', 'js', 'native'],
    native: (p) => ['--only', 'toolbox', '--toolbox', p.n],
    metrics: [
      { key: 'semaphore_ns', unit: 'ns/acquire+release', better: 'lower' },
      { key: 'joinset_ns', unit: 'ns/spawn+next', better: 'lower' },
      { key: 'spawn_await_ns', unit: 'ns/spawn+await', better: 'lower' },
      { key: 'semaphore_vs_spawn', unit: 'x spawn+await', better: 'lower' },
      { key: 'joinset_vs_spawn', unit: 'x spawn+await', better: 'lower' },
    ],
    targets: [{ abs: 'semaphore_vs_spawn', side: 'wasync', max: 1.5 }, { abs: 'joinset_vs_spawn', side: 'wasync', max: 1.5 }],
  },
  {
    name: 'trace-spawn', what: 'spawn with tracing: no trace sites / off / on (overwriting ring of 65536 events)',
    // Measured on the second run in the same runtime (memory already grown): on a fresh runtime the first touches
    // of new pages dominate spawn and hide a few percent either way (the cold figure is the second metric).
    workload: 'trace-spawn', params: { n: 2e5 / S, warm: true },
    sides: ['wasync-notrace', 'wasync', 'wasync-trace', 'native-notrace', 'native', 'native-trace'],
    native: (p) => ['--only', 'spawn', '--spawn', p.n],
    metrics: [
      { key: 'tasks_per_s_warm', unit: 'tasks/s warm', better: 'higher' },
      { key: 'tasks_per_s', unit: 'tasks/s', better: 'higher' },
    ],
    targets: [{ trace: true }],
  },
  {
    name: 'trace-yield', what: 'yield with tracing: no trace sites / off / on (overwriting ring of 65536 events)',
    workload: 'trace-yield', params: { tasks: 200 / (smoke ? 10 : 1), yields: 1000 / (smoke ? 5 : 1) },
    sides: ['wasync-notrace', 'wasync', 'wasync-trace', 'native-notrace', 'native', 'native-trace'],
    native: (p) => ['--only', 'yield', '--yield-tasks', p.tasks, '--yields', p.yields],
    metrics: [{ key: 'awaits_per_s', unit: 'awaits/s', better: 'higher' }],
    targets: [{ trace: true }],
  },
].filter((w) => !only || only.includes(w.name));

// ---- a local server for the fetch workload ------------------------------------------------------------------
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const ms = Number(url.searchParams.get('ms') ?? 0);
  const bytes = Number(url.searchParams.get('bytes') ?? 100);
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': bytes });
    res.end('x'.repeat(bytes));
  }, ms);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ---- running one measurement ----------------------------------------------------------------------------------
function execOnce(cmd, argv, timeout = 180000) {
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: root, timeout, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ err, stdout, stderr });
    });
  });
}

// bench_core's JSON -> the metric names the other sides use
function fromNative(w, r) {
  const x = r.results;
  switch (w.name) {
    case 'spawn': case 'trace-spawn': return { tasks_per_s: x.spawn.tasks_per_s };
    case 'yield': case 'trace-yield': return { awaits_per_s: x.yield.awaits_per_s };
    case 'channel': return { msgs_per_s: x.channel.msgs_per_s };
    case 'timers': return { total_ms: x.timers.total_ms, p99_ms: x.timers.p99_late_ms, p50_ms: x.timers.p50_late_ms };
    case 'memory': return { bytes_per_task: x.idle.rss_per_task, bytes_live_per_task: x.idle.bytes_live_per_task };
    case 'toolbox': return x.toolbox;
    default: return {};
  }
}

async function measure(w, side) {
  const p = { ...w.params };
  if (w.name === 'fetch') p.url = `${base}/delay?ms=${p.delay}&bytes=100`;
  if (side.startsWith('native')) {
    const bin = nativeBin(side === 'native-notrace' ? 'bench_core_notrace' : 'bench_core');
    const argv = [...w.native(p).map(String), '--json', ...(side === 'native-trace' ? ['--trace'] : [])];
    const r = await execOnce(bin, argv);
    if (r.err) return { error: `${r.err.message}\n${r.stderr}` };
    return fromNative(w, JSON.parse(r.stdout));
  }
  // Warm-up: the workload itself, at full size, WARMUP_RUNS times in the same process before MEASURED_RUNS measured
  // runs (see both). The memory workload measures heap growth and has neither.
  if (!w.gc) {
    p.warmup = { ...p, warm: false };
    p.warmupRuns = WARMUP_RUNS;
    p.measuredRuns = MEASURED_RUNS;
  }
  const node = [...(w.gc ? ['--expose-gc'] : []), join(here, 'child.mjs'), side, w.workload ?? w.name, JSON.stringify(p)];
  const r = await execOnce(process.execPath, node);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { error: `${r.err?.message ?? 'no result'}\n${r.stderr}` };
  return JSON.parse(line.slice(7));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- the run ----------------------------------------------------------------------------------------------------
const fmt = (v) => {
  if (v === undefined || v === null || Number.isNaN(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

console.log(`wasync benchmarks (${smoke ? 'smoke: reduced sizes, one round' : `full: ${rounds} rounds`}), ${new Date(started).toISOString()}`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.os}; Node ${machine.node} (V8 ${machine.v8})`);
console.log(`machine: first write to a fresh 4 KiB page of wasm memory ${machine.first_touch_us_per_page} us, ` +
  `to a mapped one ${machine.second_touch_us_per_page} us`);
console.log(`command: node bench/run.mjs ${args.join(' ')}`.trimEnd());
console.log('sides: wasync = the bench module in wasm under Node (tracing off, real clock); js = idiomatic JS; ' +
  'asyncify = emscripten -sASYNCIFY fibers; native = bench_core (the same C, host build)\n');

const report = { machine, command: `node bench/run.mjs ${args.join(' ')}`.trim(), mode: smoke ? 'smoke' : 'full', started: new Date(started).toISOString(), workloads: {} };
let failures = 0;

for (const w of W) {
  const runs = Object.fromEntries(w.sides.map((s) => [s, []]));
  const n = w.rounds ?? rounds;
  for (let r = 0; r < n; r++) {
    for (const side of w.sides) {
      const res = await measure(w, side);
      if (res.error) {
        failures++;
        console.error(`  ${w.name}/${side}: ${res.error.split('\n').slice(0, 6).join('\n    ')}`);
      }
      runs[side].push(res);
    }
  }
  const sides = {};
  for (const side of w.sides) {
    const ok = runs[side].filter((x) => !x.error && !x.unsupported);
    const stat = {};
    for (const m of [...w.metrics.map((x) => x.key), ...Object.keys(ok[0] ?? {})]) {
      const xs = ok.map((x) => x[m]).filter((v) => typeof v === 'number');
      if (xs.length) stat[m] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
    }
    sides[side] = { runs: runs[side], ...stat };
  }
  // ratios: how many times better wasync (wasm) is than the other side on the first metric (> 1: wasync better)
  const m0 = w.metrics[0];
  const med = (side, key = m0.key) => sides[side]?.[key]?.median;
  const adv = (a, b, key = m0.key, better = m0.better) => {
    const x = med(a, key), y = med(b, key);
    if (!(x > 0) || !(y > 0)) return undefined;
    return better === 'higher' ? x / y : y / x;
  };
  const ratios = {};
  const others = w.name.startsWith('trace-') ? ['native'] : w.sides.filter((s) => s !== 'wasync' && !s.startsWith('wasync-'));
  for (const other of others) ratios[`wasync_vs_${other.replace('-', '_')}`] = adv('wasync', other);
  if (w.name === 'spawn') ratios.warm_wasync_vs_js = adv('wasync', 'js', 'tasks_per_s_warm');
  if (w.name.startsWith('trace-')) {
    ratios.off_vs_notrace_cost_pct = (1 - adv('wasync', 'wasync-notrace')) * 100; // cost of the disabled branch
    ratios.on_keeps_pct = adv('wasync-trace', 'wasync') * 100;                     // throughput kept with tracing on
    ratios.native_off_vs_notrace_cost_pct = (1 - adv('native', 'native-notrace')) * 100;
    ratios.native_on_keeps_pct = adv('native-trace', 'native') * 100;
  }
  report.workloads[w.name] = { what: w.what, params: w.params, metrics: w.metrics, sides, ratios };

  // the table
  console.log(`${w.name}: ${w.what}  ${JSON.stringify(w.params)}`);
  for (const m of w.metrics) {
    console.log(`  ${pad('side', 16)}${lpad(`median ${m.unit}`, 24)}${lpad('min', 10)}${lpad('max', 10)}   runs`);
    for (const side of w.sides) {
      const s = sides[side][m.key];
      const nruns = sides[side].runs.length;
      console.log(`  ${pad(side, 16)}${lpad(fmt(s?.median), 24)}${lpad(fmt(s?.min), 10)}${lpad(fmt(s?.max), 10)}   ${nruns}`);
    }
  }
  const notes = [];
  for (const [k, v] of Object.entries(ratios)) {
    if (v === undefined || Number.isNaN(v)) continue;
    if (k.endsWith('_pct')) notes.push(`${k.replace(/_/g, ' ')} ${v.toFixed(1)}%`);
    else if (k === 'warm_wasync_vs_js') notes.push(`warm: wasync ${v.toFixed(2)}x better than js`);
    else if (k === 'wasync_vs_native') notes.push(`wasm is ${(1 / v).toFixed(2)}x slower than native`);
    else notes.push(`wasync ${v >= 1 ? `${v.toFixed(2)}x better` : `${(1 / v).toFixed(2)}x worse`} than ${k.slice(10)}`);
  }
  if (notes.length) console.log(`  ratios (${m0.key}): ${notes.join('; ')}`);
  if (!smoke && w.targets) {
    const t = [];
    for (const g of w.targets) {
      if (g.vs && g.min && g.key) t.push(`(${g.key}: >= ${g.min}x ${g.vs}: ${adv('wasync', g.vs, g.key) >= g.min ? 'yes' : 'no'})`);
      else if (g.vs && g.min) t.push(`>= ${g.min}x ${g.vs}: ${adv('wasync', g.vs) >= g.min ? 'met' : 'NOT met'}`);
      if (g.vs && g.maxSlowdown) t.push(`within ${g.maxSlowdown}x of ${g.vs}: ${1 / adv('wasync', g.vs) <= g.maxSlowdown ? 'met' : 'NOT met'}`);
      if (g.abs) t.push(`${g.abs} <= ${g.max}: ${med(g.side ?? 'wasync', g.abs) <= g.max ? 'met' : 'NOT met'}`);
      if (g.trace) {
        t.push(`off costs < 3%: ${ratios.off_vs_notrace_cost_pct < 3 ? 'met' : 'NOT met'}`);
        t.push(`on keeps >= 50%: ${ratios.on_keeps_pct >= 50 ? 'met' : 'NOT met'}`);
      }
    }
    console.log(`  targets: ${t.join('; ')}`);
  }
  console.log('');
}

// ---- size ------------------------------------------------------------------------------------------------------
function sizeOf(files) {
  const bufs = files.map((f) => readFileSync(f));
  const raw = bufs.reduce((s, b) => s + b.length, 0);
  const gzip = gzipSync(Buffer.concat(bufs), { level: 9 }).length;
  return { files: files.map((f) => relative(root, f)), raw, gzip };
}
if (!only || only.includes('size')) {
  // The loader as users download it: the package's minified dist/index.js and the chunks it imports
  // (scripts/build-js.mjs), not the readable sources.
  const distImports = (entry) => {
    const seen = new Set();
    const visit = (f) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*"(\.\/[^"]+)"/g)) visit(join(dirname(f), m[1]));
    };
    visit(join(root, 'wasm', 'dist', entry));
    return [...seen];
  };
  const loader = distImports('index.js');
  const examplesLoader = [...new Set([...loader, ...distImports('examples.js')])]; // + wasync/examples
  const ad = join(here, 'asyncify', 'dist');
  // package_wasm is what createRuntime() loads; the examples module is what the CLI and the playground load.
  const wasm = join(root, 'wasm', 'dist', 'wasync.wasm');
  const examplesWasm = join(root, 'wasm', 'dist', 'wasync-examples.wasm');
  const size = {
    package_wasm: sizeOf([wasm]),
    package_examples_wasm: sizeOf([examplesWasm]),
    package_loader: sizeOf(loader),
    package_total: sizeOf([wasm, ...loader]),
    package_examples_total: sizeOf([examplesWasm, ...examplesLoader]),
    // wasync/inline: the loader with the default module embedded as base64 (no .wasm to fetch)
    package_inline_total: sizeOf(distImports('inline.js')),
    asyncify_workloads_wasm: sizeOf([join(ad, 'workloads.wasm')]),
    asyncify_workloads_glue: sizeOf([join(ad, 'workloads.js')]),
    asyncify_workloads_total: sizeOf([join(ad, 'workloads.wasm'), join(ad, 'workloads.js')]),
    asyncify_examples_wasm: sizeOf([join(ad, 'examples.wasm')]),
    asyncify_examples_glue: sizeOf([join(ad, 'examples.js')]),
    asyncify_examples_total: sizeOf([join(ad, 'examples.wasm'), join(ad, 'examples.js')]),
    asyncify_minimal_total: sizeOf([join(ad, 'minimal.wasm'), join(ad, 'minimal.js')]),
  };
  const over = (k, base) => ({ raw: size[k].raw / size[base].raw, gzip: size[k].gzip / size[base].gzip });
  size.ratio_asyncify_workloads_over_package = over('asyncify_workloads_total', 'package_total');
  // like for like: the same nine examples, with the loader (the Asyncify build counts its JS glue)
  size.ratio_asyncify_examples_over_package = over('asyncify_examples_total', 'package_examples_total');
  report.size = size;
  console.log('size: bytes, raw and gzip -9 (JS files concatenated)');
  for (const [k, v] of Object.entries(size)) if (v.files) console.log(`  ${pad(k, 28)}${lpad(v.raw, 9)}${lpad(v.gzip, 9)}`);
  for (const what of ['workloads', 'examples']) {
    const r = size[`ratio_asyncify_${what}_over_package`];
    const base = what === 'examples' ? 'package with its examples module' : 'package';
    console.log(`  Asyncify build (${what}) / ${base}: ${r.raw.toFixed(2)}x raw, ${r.gzip.toFixed(2)}x gzip`);
  }
  if (!smoke) {
    // The issue's comparison is with the Asyncify build of the same examples.
    const r = size.ratio_asyncify_examples_over_package;
    console.log(`  targets: package .wasm (wasync.wasm) <= 32 KB raw: ${size.package_wasm.raw <= 32768 ? 'met' : 'NOT met'}; ` +
      `>= 1.5x smaller than Asyncify (examples): ${r.raw >= 1.5 ? 'met' : 'NOT met'} (raw), ${r.gzip >= 1.5 ? 'met' : 'NOT met'} (gzip)`);
  }
  if (smoke) await checkExamples();
}

// ---- smoke: the Asyncify examples compute what the package's examples compute ---------------------------------
// examples.mjs runs in a child process (its own delay server for fetch), on the virtual clock (the package's
// default): every value must equal the package's for the same example and parameters, and the parameters must be
// the package's defaults. On the real clock (emscripten_sleep), the timing-free values must not change and the
// ticker examples must keep their order (blocking starves the ticker, cooperative does not).
async function checkExamples() {
  const fail = (msg) => {
    failures++;
    console.error(`  examples: ${msg}`);
  };
  const script = join(here, 'asyncify', 'examples.mjs');
  const runPort = async (clock) => {
    const r = await execOnce(process.execPath, [script, '--clock', clock, '--json'], 60000);
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`examples.mjs --clock ${clock}: ${r.err?.message ?? 'no result'}\n${r.stderr}`);
    return JSON.parse(line.slice(7)).results;
  };
  const { EXAMPLES } = await import('./asyncify/examples.mjs');
  const check = { virtual: {}, real: {} };
  report.size.examples_check = check;
  let rt;
  try {
    const [port, portReal] = [await runPort('virtual'), await runPort('real')];
    rt = await createRuntime({ wasm: readFileSync(WASYNC_EXAMPLES_WASM), baseUrl: `${base}/`, clock: 'virtual', trace: true });
    console.log('examples (smoke): the Asyncify build against the package, default parameters, virtual clock');
    for (const { name, params } of EXAMPLES) {
      const entry = rt.examples.find((e) => e.name === name);
      const defaults = Object.fromEntries((entry?.params ?? []).map((p) => [p.name, p.default]));
      if (!entry) fail(`${name}: not among the package's examples`);
      else if (JSON.stringify(defaults) !== JSON.stringify(params)) {
        fail(`${name}: examples.mjs has parameters ${JSON.stringify(params)}, the package ${JSON.stringify(defaults)}`);
      }
      const job = rt.start(name, {});
      let timer;
      const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no result within 10 s')), 10000); });
      const wasync = await Promise.race([job.promise, limit]).catch((e) => ({ error: e.message })).finally(() => clearTimeout(timer));
      const asyncify = port.find((r) => r.name === name)?.value;
      const same = JSON.stringify(wasync) === JSON.stringify(asyncify);
      check.virtual[name] = { wasync, asyncify, same };
      console.log(`  ${pad(name, 12)} ${same ? `${JSON.stringify(wasync)}: same` : `MISMATCH: wasync ${JSON.stringify(wasync)}, asyncify ${JSON.stringify(asyncify)}`}`);
      if (!same) fail(`${name}: the Asyncify build gives ${JSON.stringify(asyncify)}, the package ${JSON.stringify(wasync)}`);
    }
    for (const r of portReal) check.real[r.name] = r.value;
    const real = (name) => portReal.find((r) => r.name === name)?.value;
    for (const { name } of EXAMPLES) {
      if (name === 'blocking' || name === 'cooperative') continue;
      if (real(name) !== check.virtual[name]?.asyncify) fail(`${name}: ${JSON.stringify(real(name))} on the real clock`);
    }
    const { items, unit } = EXAMPLES.find((e) => e.name === 'blocking').params;
    if (!(real('blocking') >= (items * unit) / 2) || !(real('cooperative') < real('blocking'))) {
      fail(`real clock: blocking ${real('blocking')} ms late, cooperative ${real('cooperative')}: expected blocking >= ` +
        `${(items * unit) / 2} and cooperative below it`);
    }
    console.log(`  real clock (emscripten_sleep): ${portReal.map((r) => `${r.name} ${JSON.stringify(r.value)}`).join(', ')}`);
  } catch (e) {
    fail(e?.stack ?? String(e));
  } finally {
    rt?.close();
  }
}

// ---- the blocking pool (spawn_blocking): bench/blocking.mjs in a process of its own, its JSON kept -------------
if (!only || only.includes('blocking')) {
  console.log('');
  const r = spawnSync(process.execPath, [join(here, 'blocking.mjs'), ...(smoke ? ['--smoke'] : []), '--json'], { encoding: 'utf8' });
  const lines = (r.stdout || '').trim().split('\n');
  const json = lines.at(-1)?.startsWith('{') ? lines.pop() : null;
  console.log(lines.join('\n'));
  if (r.status !== 0 || !json) {
    console.log(`blocking: FAILED (exit ${r.status}) ${r.stderr || ''}`);
    failures++;
  } else {
    report.blocking = JSON.parse(json);
  }
}

server.close();
report.duration_s = (Date.now() - started) / 1e3;
report.failures = failures;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 1)}\n`);
console.log(`\n${failures ? `${failures} measurement(s) FAILED; ` : ''}done in ${report.duration_s.toFixed(0)} s; JSON: ${relative(root, outFile)}`);
process.exit(failures ? 1 : 0);
