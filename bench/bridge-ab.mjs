// bridge-ab.mjs: two copies of the package's JS side by side in one Node process, for a change to the bridge's JS
// (wasm/lib) that is smaller than the run-to-run noise of separate processes on a loaded machine. Each copy gets
// its own runtime and its own host function (no shared type feedback); they run host_many (typed) by turns, and
// the figure is the median over pairs of B's CPU time per await over A's, measured back to back.
//
//   node bench/bridge-ab.mjs DIR_A DIR_B [--width 1] [--pairs 41] [--n 50000]
//
// DIR_A and DIR_B each hold an index.js and lib/ (a copy of wasm/ at some commit, e.g. `git archive HEAD~1 wasm`
// unpacked) and a dist/ with the built modules (a symlink to wasm/dist). A benchmark: nothing is asserted.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuNsSince, median, numberOption } from './common/cli.mjs';

const [a, b] = process.argv.slice(2, 4);
if (!a || !b || a.startsWith('--') || b.startsWith('--')) {
  console.error('usage: node bench/bridge-ab.mjs DIR_A DIR_B [--width 1] [--pairs 41] [--n 50000]');
  process.exit(2);
}
const width = numberOption('width', 1);
const pairs = numberOption('pairs', 41);
const n = numberOption('n', 50000);

async function side(dir) {
  const { createRuntime } = await import(pathToFileURL(path.resolve(dir, 'index.js')).href);
  const rt = await createRuntime({ clock: 'real', trace: false });
  rt.defineHost('id', (x) => Promise.resolve(x));
  const run = () => rt.start('host_many', { name: 'id', n, width, typed: 1 }).promise;
  for (let i = 0; i < 6; i++) await run(); // V8's tiers, as bench/browser/workloads.mjs warms up
  return async () => {
    const c0 = process.cpuUsage();
    const sum = await run();
    const ns = cpuNsSince(c0);
    if (sum !== (n * (n - 1)) / 2) throw new Error(`${dir}: host_many returned ${sum}`);
    return ns / n;
  };
}

const A = await side(a);
const B = await side(b);
const as = [], bs = [], ratios = [];
for (let i = 0; i < pairs; i++) {
  const x = await A();
  const y = await B();
  as.push(x);
  bs.push(y);
  ratios.push(y / x);
}
console.log(`command: node bench/bridge-ab.mjs ${a} ${b} --width ${width} --pairs ${pairs} --n ${n}   (CPU ns per await, medians)`);
console.log(`A ${median(as).toFixed(0)} ns, B ${median(bs).toFixed(0)} ns, B / A ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
