// cc.mjs: how long wasync/cc takes in Node: loading @yowasp/clang, then compiling and linking one example file
// (wasm/examples/join.c) again and again, as an editor does per edit. Wall and CPU time (CPU time says how much of
// the wall time was the compiler's own on a busy machine).
//
//   node bench/cc.mjs [runs]      (default 7; needs wasm/dist/cc-kit.json: bash scripts/build-wasm.sh)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as clang from '@yowasp/clang';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compile, readKit, loadToolchain } = await import(pathToFileURL(path.join(root, 'wasm', 'lib', 'cc', 'compile.js')).href);
const runs = Number(process.argv[2] ?? 7);
const cpu = (c) => (c.user + c.system) / 1000;

let t = performance.now();
let c = process.cpuUsage();
await loadToolchain(clang);
console.log(`toolchain load: ${(performance.now() - t).toFixed(0)} ms wall, ${cpu(process.cpuUsage(c)).toFixed(0)} ms CPU`);
const kit = await readKit(pathToFileURL(path.join(root, 'wasm', 'dist', 'cc-kit.json')));
const source = fs.readFileSync(path.join(root, 'wasm', 'examples', 'join.c'), 'utf8');
const rows = [];
for (let i = 0; i < runs; i++) {
  c = process.cpuUsage();
  t = performance.now();
  const r = await compile({ clang, kit, files: { 'wasm/examples/join.c': source } });
  if (!r.ok) throw new Error(r.log);
  rows.push({ compile: r.ms.compile, link: r.ms.link, wall: performance.now() - t, cpu: cpu(process.cpuUsage(c)), bytes: r.wasm.length });
}
const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[rows.length >> 1];
for (const [i, r] of rows.entries()) {
  console.log(`run ${i + 1}: compile ${r.compile.toFixed(0)} ms, link ${r.link.toFixed(0)} ms, total ${r.wall.toFixed(0)} ms wall, ${r.cpu.toFixed(0)} ms CPU`);
}
console.log(`median of ${runs} (the first includes learning the command lines): compile ${median('compile').toFixed(0)} ms, `
  + `link ${median('link').toFixed(0)} ms, compile+link ${median('wall').toFixed(0)} ms wall, ${median('cpu').toFixed(0)} ms CPU; `
  + `module ${rows[0].bytes} bytes`);
