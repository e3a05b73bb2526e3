// bridge-split.mjs: where a lone await's time goes, split in two. bench/browser.mjs measures the whole await (a C
// task awaiting a JS promise, one at a time). Here the same module runs with no promise at all: its host_call_n
// import only notes the call, and a plain loop in JS completes each call as soon as it has started, with the same
// export the package calls from the promise's reaction (wsx_op_complete_value, running the executor in the same
// call). What is left is the C side and the two crossings of every await; the rest of browser.mjs's figure is the
// promise side (the host function's promise, its reaction, the bridge's JS). minexec (bench/browser/minexec.c, the
// least a task-based executor does) runs the same way beside it.
//
//   node bench/bridge-split.mjs [--n 1000000] [--rounds 9] [--against OTHER.wasm]
//
// --against adds a side that runs another build of the module (say, wasync.wasm before a change, kept aside) by
// turns with this one, in the same process: the way to compare two versions of the C side.
// Each round runs both sides once, interleaved, after two warm-up runs of each; the figures are the medians over
// rounds of the CPU time per await (process.cpuUsage). Needs wasm/dist (bash scripts/build-wasm.sh) and emcc for
// minexec. A benchmark: nothing is asserted, but a side whose sum is wrong stops it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLAGS } from '../wasm/lib/contract.js';
import { encodeArgs } from '../wasm/lib/args.js';
import { Memory } from '../wasm/lib/memory.js';
import { checkOptions } from '../wasm/lib/options.js';
import { Handles, T, writeValues } from '../wasm/lib/values.js';
import { buildMinexec } from './browser/minexec.mjs';
import { cpuNsSince, median, numberOption, option } from './common/cli.mjs';

const n = numberOption('n', 1000000);
const rounds = numberOption('rounds', 9);
const expected = (() => { // host_many's arguments are i % 1000000, and each call resolves to its argument
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 1000000;
  return s;
})();

// The call started last: host_call_n's (slot, gen, x), or slot -1 for none.
let slot = -1, gen = 0, arg = 0;
const note = (s, g, x) => { slot = s; gen = g; arg = x; return 0; };
const unused = (name) => () => { throw new Error(`bridge-split: import ${name} was called`); };

async function wasyncSide(file) {
  const bytes = readFileSync(file);
  const mem = new Memory();
  const wasync = { now_ms: () => performance.now(), arm_timer: () => {}, request_run: () => {}, host_call_n: (s, g, np, nl, x) => note(s, g, x) };
  for (const name of ['host_call', 'host_call_v', 'op_cancel', 'fetch_start', 'blocking_start']) wasync[name] = unused(name);
  const { instance } = await WebAssembly.instantiate(bytes, { wasync, env: { emscripten_notify_memory_growth: () => mem.grew() } });
  const ex = instance.exports;
  ex._initialize?.();
  mem.attach(ex);
  const o = checkOptions({ clock: 'real', trace: false }); // the package's defaults: budget, slice
  if (ex.wsx_init(FLAGS.REAL_CLOCK, 0, o.budget, o.sliceMs) !== 0) throw new Error('wsx_init failed');
  const json = ex.wsx_entries_json();
  const entry = JSON.parse(mem.readBytes(json)).find((e) => e.name === 'host_many');
  ex.wsx_bytes_free(json);
  const handles = new Handles();
  return () => {
    const values = encodeArgs(entry, { name: 'id', n, width: 1, typed: 1 });
    const j = mem.withString('host_many', (np, nl) => {
      const block = writeValues(ex, mem, handles, values);
      return ex.wsx_start(np, nl, block.ptr, block.len, values.length);
    });
    if (j < 0) throw new Error(`wsx_start failed: ${j}`);
    const c0 = process.cpuUsage();
    ex.wsx_run(); // starts the first call
    while (slot >= 0) {
      const s = slot;
      slot = -1;
      ex.wsx_op_complete_value(s, gen, T.NUMBER, arg, 1); // completes it and runs the task, which starts the next
    }
    const ns = cpuNsSince(c0);
    const reaped = ex.wsx_reap(), err = ex.wsx_result_err(), sum = ex.wsx_result_value();
    if (reaped !== j || err !== 0 || sum !== expected) throw new Error(`wasync: job ${reaped} (started ${j}), err ${err}, sum ${sum} (expected ${expected})`);
    ex.wsx_result_release();
    return ns / n;
  };
}

async function minexecSide(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { start: note } });
  const ex = instance.exports;
  return () => {
    const c0 = process.cpuUsage();
    ex.begin(n, 1);
    let sum = -1;
    while (slot >= 0) {
      const s = slot;
      slot = -1;
      sum = ex.complete(s, gen, arg);
    }
    const ns = cpuNsSince(c0);
    if (sum !== expected) throw new Error('minexec: wrong sum');
    return ns / n;
  };
}

const sides = { wasync: await wasyncSide(fileURLToPath(new URL('../wasm/dist/wasync.wasm', import.meta.url))) };
const against = option('against', undefined);
if (against) sides.against = await wasyncSide(against);
const minexecBytes = buildMinexec();
if (minexecBytes) sides.minexec = await minexecSide(minexecBytes);
const names = Object.keys(sides);
const figures = Object.fromEntries(names.map((k) => [k, []]));
for (const k of names) for (let i = 0; i < 2; i++) sides[k]();
for (let r = 0; r < rounds; r++) for (const k of names) figures[k].push(sides[k]());

console.log(`command: node bench/bridge-split.mjs --n ${n} --rounds ${rounds}${against ? ` --against ${against}` : ''}   (CPU ns per await, C side and crossings only, median of ${rounds} rounds)`);
console.log(`| side | ns per await | range |\n| --- | ---: | --- |`);
for (const k of names) {
  const xs = figures[k];
  console.log(`| ${k} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} |`);
}
