// cc.mjs: how long wasync/cc takes in Node: loading @yowasp/clang, then compiling and linking one example file
// (wasm/examples/join.c) again and again, as an editor does per edit, with the kit's flags and with EDIT_ARGS. Wall and CPU time (CPU time says how much of
// the wall time was the compiler's own on a busy machine).
//
//   node bench/cc.mjs [runs]      (default 7; needs wasm/dist/cc-kit.json: bash scripts/build-wasm.sh)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as clang from '@yowasp/clang';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compile, readKit, loadToolchain, EDIT_ARGS } = await import(pathToFileURL(path.join(root, 'wasm', 'lib', 'cc', 'compile.js')).href);
const runs = Number(process.argv[2] ?? 7);
const cpu = (c) => (c.user + c.system) / 1000;

let t = performance.now();
let c = process.cpuUsage();
await loadToolchain(clang);
console.log(`toolchain load: ${(performance.now() - t).toFixed(0)} ms wall, ${cpu(process.cpuUsage(c)).toFixed(0)} ms CPU`);
const kit = await readKit(pathToFileURL(path.join(root, 'wasm', 'dist', 'cc-kit.json')));
const source = fs.readFileSync(path.join(root, 'wasm', 'examples', 'join.c'), 'utf8');
// The kit's flags (as wasync build and run-c compile) and EDIT_ARGS (-O0 with the kit's precompiled header, as the
// playground compiles), taking turns so that both see the same machine.
// Also EDIT_ARGS with a kit stripped of its precompiled header (what the header saves), and a bare `clang --version`
// instantiated asynchronously and synchronously (what each of the compiler's runs pays; compile() runs it
// synchronously in Node).
const plainKit = { ...kit, pch: [] };
const variants = [['kit flags', [], kit], ['EDIT_ARGS, no precompiled header', [...EDIT_ARGS], plainKit], ['EDIT_ARGS', [...EDIT_ARGS], kit]];
const rows = Object.fromEntries(variants.map(([name]) => [name, []]));
const quiet = { stdout: () => {}, stderr: () => {} };
const version = { asynchronous: [], synchronous: [] };
for (let i = 0; i < runs; i++) {
  for (const [how, list] of Object.entries(version)) {
    t = performance.now();
    await clang.runLLVM(['clang', '--version'], {}, { ...quiet, synchronously: how === 'synchronous' });
    list.push(performance.now() - t);
  }
  for (const [name, args, k] of variants) {
    c = process.cpuUsage();
    t = performance.now();
    const r = await compile({ clang, kit: k, files: { 'wasm/examples/join.c': source }, args });
    if (!r.ok) throw new Error(r.log);
    rows[name].push({ compile: r.ms.compile, link: r.ms.link, wall: performance.now() - t, cpu: cpu(process.cpuUsage(c)), bytes: r.wasm.length, pch: r.pch.length > 0 });
  }
}
for (const [name] of variants) {
  const list = rows[name];
  const median = (k) => list.map((r) => r[k]).sort((a, b) => a - b)[list.length >> 1];
  for (const [i, r] of list.entries()) {
    console.log(`${name}, run ${i + 1}: compile ${r.compile.toFixed(0)} ms, link ${r.link.toFixed(0)} ms, total ${r.wall.toFixed(0)} ms wall, ${r.cpu.toFixed(0)} ms CPU`);
  }
  console.log(`${name}: median of ${runs} (the first includes learning the command lines): compile ${median('compile').toFixed(0)} ms, `
    + `link ${median('link').toFixed(0)} ms, compile+link ${median('wall').toFixed(0)} ms wall, ${median('cpu').toFixed(0)} ms CPU; `
    + `module ${list[0].bytes} bytes; precompiled header ${list[0].pch ? 'used' : 'not used'}`);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`clang --version: median ${med(version.asynchronous).toFixed(0)} ms instantiated asynchronously, ${med(version.synchronous).toFixed(0)} ms synchronously`);
console.log(`machine: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
