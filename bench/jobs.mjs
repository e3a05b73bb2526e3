// jobs.mjs: starting and settling N jobs from JS, for N = 1k, 5k, 20k, 50k (a benchmark: nothing is asserted).
// Each job is rt.start('host_echo') on a host function that resolves at once; all N are started, then awaited.
// If starting and settling are O(N), the time per job stays flat as N grows.
//
//   node bench/jobs.mjs [--sizes 1000,5000,20000,50000] [--rounds 3]
//
// Uses the package's default module (wasm/dist/wasync.wasm: build it with bash scripts/build-wasm.sh) on the real
// clock with tracing off, in one process; each size runs once to warm up, then --rounds times (median shown).
import { createRuntime } from '../wasm/index.js';
import { median, numberOption, option } from './common/cli.mjs';

const sizes = option('sizes', '1000,5000,20000,50000').split(',').map(Number);
const rounds = numberOption('rounds', 3);

async function once(n) {
  const rt = await createRuntime({ clock: 'real', trace: false });
  rt.defineHost('id', async (s) => s);
  const t0 = performance.now();
  const jobs = new Array(n);
  for (let i = 0; i < n; i++) jobs[i] = rt.start('host_echo', { name: 'id', arg: 'x' }).promise;
  const t1 = performance.now();
  await Promise.all(jobs);
  const t2 = performance.now();
  rt.close();
  return { start: t1 - t0, total: t2 - t0 };
}

console.log('| jobs | start all (ms) | start per job (us) | start + settle all (ms) | per job (us) |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const n of sizes) {
  await once(n);
  const runs = [];
  for (let r = 0; r < rounds; r++) runs.push(await once(n));
  const start = median(runs.map((x) => x.start));
  const total = median(runs.map((x) => x.total));
  console.log(`| ${n} | ${start.toFixed(1)} | ${((start / n) * 1000).toFixed(2)} | ${total.toFixed(1)} | ${((total / n) * 1000).toFixed(2)} |`);
}
