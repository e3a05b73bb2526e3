// bridge-split.mjs: where a lone await's time goes. bench/browser.mjs measures the whole await (a C task awaiting a
// JS promise, one at a time, through the package) against plain JS. Here the same await is also run with parts
// taken away, every side by turns in one Node process, so that the differences between sides say what each part
// costs:
//
//   js               plain JS: `sum += await fn(i)`                                   (bench/browser/workloads.mjs)
//   wasync           the package: createRuntime, host_many (width 1, typed)          (the same as browser.mjs's)
//   wasync-minjs     the package's module, wasync.wasm, driven by minexec's JS (workloads.mjs's recordStart)
//                    instead of the package's: a record per slot with its two settle callbacks, the promise check,
//                    the stale check, and the same export the package calls from the reaction
//                    (wsx_op_complete_value, running the executor)
//   lean             wasync's protocol for a lone await written as lean as it goes (bench/browser/lean.c: futures
//                    polled through their types, tasks by id, operations with hooks, a run with its checks), with
//                    that same JS
//   minexec          the least a task-based C executor does (bench/browser/minexec.c), with that same JS
//   wasync-nopromise wasync.wasm with no promise at all: its host_call_n import only notes the call, and a plain
//                    loop in JS completes each call as soon as it has started, through the same export. What is
//                    left is the C side and the two crossings of every await
//   lean-nopromise, minexec-nopromise  lean and minexec the same way
//
// So wasync - wasync-minjs is the package's JS (its bookkeeping around the promise), wasync-minjs - minexec is
// what wasync's C side costs above minexec's with promises in between, and wasync-nopromise - minexec-nopromise
// the same with nothing in between; lean - minexec is what the protocol itself costs, done as cheaply as it can
// be. The last lines print these as medians of the per-round differences.
//
//   node bench/bridge-split.mjs [--n 300000] [--rounds 9] [--against OTHER.wasm]
//
// --against adds two sides that run another build of the module (say, wasync.wasm before a change, kept aside),
// with minexec's JS and with no promise, by turns with this one: the way to compare two versions of the C side.
// The figures to read are then the medians over rounds of this build's time over the other's in the same round:
// the machine's drift moves both sides of a round alike, and the medians of each side alone much less so.
// Each round runs every side once, after two warm-up runs of each; figures are CPU ns per await
// (process.cpuUsage). Needs wasm/dist (bash scripts/build-wasm.sh) and emcc for minexec and lean. A benchmark: nothing is
// asserted, but a side whose sum is wrong stops it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '../wasm/index.js';
import { FLAGS, RUN, RUN_BITS } from '../wasm/lib/contract.js';
import { encodeArgs } from '../wasm/lib/args.js';
import { Memory } from '../wasm/lib/memory.js';
import { checkOptions } from '../wasm/lib/options.js';
import { Handles, T, writeValues } from '../wasm/lib/values.js';
import { buildSide } from './browser/build.mjs';
import { makeSides, recordStart } from './browser/workloads.mjs';
import { cpuNsSince, median, numberOption, option } from './common/cli.mjs';

const n = numberOption('n', 300000);
const rounds = numberOption('rounds', 9);
const expected = (() => { // host_many's arguments are i % 1000000, and each call resolves to its argument
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 1000000;
  return s;
})();

// The no-promise sides' import: notes the call started last, (slot, gen, x); slot -1 for none.
let slot = -1, gen = 0, arg = 0;
const note = (s, g, x) => { slot = s; gen = g; arg = x; return 0; };

// wasync.wasm from `file`, instantiated here with `hostCallN` as its only host import in use. Returns
// { ex, start() }: start() starts host_many (n calls, width 1, typed) as a job and returns its id.
async function wasyncModule(file, hostCallN) {
  const mem = new Memory();
  const unused = (name) => () => { throw new Error(`bridge-split: import ${name} was called`); };
  const wasync = { now_ms: () => performance.now(), arm_timer: () => {}, request_run: () => {}, host_call_n: hostCallN };
  for (const name of ['host_call', 'host_call_v', 'op_cancel', 'fetch_start', 'body_read', 'body_close', 'handle_release', 'blocking_start']) wasync[name] = unused(name);
  const { instance } = await WebAssembly.instantiate(readFileSync(file), { wasync, env: { emscripten_notify_memory_growth: () => mem.grew() } });
  const ex = instance.exports;
  ex._initialize?.();
  mem.attach(ex);
  const o = checkOptions({ clock: 'real', trace: false }); // the package's defaults: budget, slice
  if (ex.wsx_init(FLAGS.REAL_CLOCK, 0, o.budget, o.sliceMs) !== 0) throw new Error('wsx_init failed');
  const json = ex.wsx_entries_json();
  const entry = JSON.parse(mem.readBytes(json)).find((e) => e.name === 'host_many');
  ex.wsx_bytes_free(json);
  const handles = new Handles();
  const start = () => {
    const values = encodeArgs(entry, { name: 'id', n, width: 1, typed: 1 });
    const j = mem.withString('host_many', (np, nl) => {
      const block = writeValues(ex, mem, handles, values);
      return ex.wsx_start(np, nl, block.ptr, block.len, values.length);
    });
    if (j < 0) throw new Error(`wsx_start failed: ${j}`);
    return j;
  };
  return { ex, start };
}

// The job's sum once it has finished (call after a run whose status has RUN_BITS.JOBS_DONE, or after the last).
function reap(ex, j, side) {
  const reaped = ex.wsx_reap(), err = ex.wsx_result_err(), sum = ex.wsx_result_value();
  if (reaped !== j || err !== 0 || sum !== expected) throw new Error(`${side}: job ${reaped} (started ${j}), err ${err}, sum ${sum} (expected ${expected})`);
  ex.wsx_result_release();
  return sum;
}

async function wasyncNoPromise(file, side) {
  const { ex, start } = await wasyncModule(file, (s, g, np, nl, x) => note(s, g, x));
  return () => {
    const j = start();
    ex.wsx_run(); // starts the first call
    while (slot >= 0) {
      const s = slot;
      slot = -1;
      ex.wsx_op_complete_value(s, gen, T.NUMBER, arg, 1); // completes it and runs the task, which starts the next
    }
    return reap(ex, j, side);
  };
}

async function wasyncMinimalJs(file) {
  let ex = null, job = 0, done = null;
  // After a run: the job's sum once it has finished; a run that used its slice goes on from a macrotask.
  const ran = (status) => {
    if (status & RUN_BITS.JOBS_DONE) done(reap(ex, job, 'wasync-minjs'));
    else if ((status & RUN_BITS.STATUS_MASK) === RUN.MORE) setImmediate(() => ran(ex.wsx_run()));
  };
  const start = recordStart((s, g, v) => ran(ex.wsx_op_complete_value(s, g, T.NUMBER, v, 1)));
  const m = await wasyncModule(file, (s, g, np, nl, x) => start(s, g, x));
  ex = m.ex;
  return () => new Promise((resolve) => {
    done = resolve;
    job = m.start();
    ran(ex.wsx_run());
  });
}

async function executorNoPromise(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { start: note } });
  const ex = instance.exports;
  return () => {
    ex.begin(n, 1);
    let sum = -1;
    while (slot >= 0) {
      const s = slot;
      slot = -1;
      sum = ex.complete(s, gen, arg);
    }
    return sum;
  };
}

const wasm = fileURLToPath(new URL('../wasm/dist/wasync.wasm', import.meta.url));
const minexecBytes = buildSide('minexec.c');
const leanBytes = buildSide('lean.c');
const promised = await makeSides({ createRuntime, minexecBytes, leanBytes });
const sides = {
  js: () => promised.js(n, 1),
  wasync: () => promised.wasync(n, 1),
  'wasync-minjs': await wasyncMinimalJs(wasm),
  ...(leanBytes ? { lean: () => promised.lean(n, 1) } : {}),
  ...(minexecBytes ? { minexec: () => promised.minexec(n, 1) } : {}),
  'wasync-nopromise': await wasyncNoPromise(wasm, 'wasync-nopromise'),
};
const against = option('against', undefined);
if (against) {
  sides['against-minjs'] = await wasyncMinimalJs(against);
  sides.against = await wasyncNoPromise(against, 'against');
}
if (leanBytes) sides['lean-nopromise'] = await executorNoPromise(leanBytes);
if (minexecBytes) sides['minexec-nopromise'] = await executorNoPromise(minexecBytes);

// One timed run of a side: CPU ns per await, after checking its sum.
async function once(name) {
  const c0 = process.cpuUsage();
  const sum = await sides[name]();
  const ns = cpuNsSince(c0) / n;
  if (sum !== expected) throw new Error(`${name}: sum ${sum}, expected ${expected}`);
  return ns;
}

const names = Object.keys(sides);
const figures = Object.fromEntries(names.map((k) => [k, []]));
for (const k of names) for (let i = 0; i < 2; i++) await once(k);
for (let r = 0; r < rounds; r++) for (const k of names) figures[k].push(await once(k));

console.log(`command: node bench/bridge-split.mjs --n ${n} --rounds ${rounds}${against ? ` --against ${against}` : ''}   (CPU ns per await, one at a time, median of ${rounds} rounds)`);
console.log(`| side | ns per await | range |\n| --- | ---: | --- |`);
for (const k of names) {
  const xs = figures[k];
  console.log(`| ${k} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} |`);
}
// Medians of the per-round differences (a round's sides ran back to back).
const diff = (a, b) => figures[a] && figures[b] ? median(figures[a].map((x, i) => x - figures[b][i])).toFixed(0) : 'n/a';
console.log(`the package's JS (wasync - wasync-minjs): ${diff('wasync', 'wasync-minjs')} ns`);
console.log(`wasync's C side above minexec's, with promises (wasync-minjs - minexec): ${diff('wasync-minjs', 'minexec')} ns; with none (wasync-nopromise - minexec-nopromise): ${diff('wasync-nopromise', 'minexec-nopromise')} ns`);
console.log(`wasync's protocol written lean above minexec, with promises (lean - minexec): ${diff('lean', 'minexec')} ns; with none (lean-nopromise - minexec-nopromise): ${diff('lean-nopromise', 'minexec-nopromise')} ns`);
console.log(`the promise, its reaction and minexec's JS (minexec - minexec-nopromise): ${diff('minexec', 'minexec-nopromise')} ns`);
if (against) {
  for (const [mine, other] of [['wasync-minjs', 'against-minjs'], ['wasync-nopromise', 'against']]) {
    const ratios = figures[mine].map((x, i) => x / figures[other][i]);
    console.log(`${mine} / ${other}, by round: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`);
  }
}
