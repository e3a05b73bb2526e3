// join-spread.mjs: C joining many JS promises that settle one event-loop turn apart, against JS doing the same.
//
//   node bench/join-spread.mjs [--n 20000] [--rounds 5] [--wasm FILE]
//
// The host function resolves its argument from a setImmediate callback, so the settlements of one batch spread
// over many macrotasks and the executor runs many times per batch (where bench/browser.mjs's bridge-batch settles
// a batch in one microtask turn and polls its join once). wasync side: the package's host_many entry, `width` calls
// in flight (a try_join of host calls); JS side: Promise.all over the same calls. Widths 1, 100 and 1000; CPU ns
// per await (process.cpuUsage), median of the rounds, and the task polls per await on the wasync side. A benchmark:
// nothing is asserted. --wasm loads another build of the module (to compare two builds of the core).
import { readFileSync } from 'node:fs';
import { createRuntime } from '../wasm/index.js';
import { cpuNsSince, median, numberOption, option } from './common/cli.mjs';

const n = numberOption('n', 20000);
const rounds = numberOption('rounds', 5);
const wasm = option('wasm', undefined);

const late = (a) => new Promise((resolve) => setImmediate(() => resolve(a)));
const rt = await createRuntime({ clock: 'real', trace: false, ...(wasm ? { wasm: readFileSync(wasm) } : {}) });
rt.defineHost('late', late);

async function js(total, width) {
  let sum = 0;
  for (let done = 0; done < total; done += width) {
    const batch = [];
    for (let i = 0; i < width; i++) batch.push(late(done + i));
    for (const v of await Promise.all(batch)) sum += v;
  }
  return sum;
}
const wasync = (total, width) => rt.start('host_many', { name: 'late', n: total, width, typed: 1 }).promise;

async function cpu(side, width) {
  await side(Math.min(n, 2000), width); // warm-up
  const c0 = process.cpuUsage();
  await side(n, width);
  return cpuNsSince(c0) / n;
}

console.log(`command: node bench/join-spread.mjs --n ${n} --rounds ${rounds}${wasm ? ` --wasm ${wasm}` : ''}   (CPU ns per await, median of ${rounds} rounds)`);
console.log('| width | js | wasync | wasync / js | task polls per await |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const width of [1, 100, 1000]) {
  const r = { js: [], wasync: [], polls: [] };
  for (let k = 0; k < rounds; k++) {
    r.js.push(await cpu(js, width));
    const p0 = rt.stats().polls;
    r.wasync.push(await cpu(wasync, width));
    r.polls.push((rt.stats().polls - p0) / (n + Math.min(n, 2000)));
  }
  const [j, w] = [median(r.js), median(r.wasync)];
  console.log(`| ${width} | ${j.toFixed(0)} | ${w.toFixed(0)} | ${(w / j).toFixed(2)}x | ${median(r.polls).toFixed(2)} |`);
}
rt.close();
