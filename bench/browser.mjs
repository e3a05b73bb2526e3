// browser.mjs: the bridge benchmark side by side in Node and in headless Chromium: plain JS, wasync (C awaiting JS
// promises through the bridge), the floor of any callback bridge (bench/browser/floor.wat: one crossing each way
// per await and nothing else), a minimal C executor (bench/browser/minexec.c: one task, a run queue, a slot table),
// wasync's protocol written lean (bench/browser/lean.c; one at a time only) and JSPI (a hand-written module,
// bench/browser/jspi.wat; Chromium only).
//
//   node bench/browser.mjs [--n 100000] [--rounds 3] [--cpu] [--node-only]
//
// Needs wasm/dist (bash scripts/build-wasm.sh), Binaryen's wasm-as (for the .wat sides), emcc (minexec.c, lean.c) and
// Chromium at /usr/bin/chromium (or $CHROMIUM), driven by playwright-core. Each round runs every side once per workload, interleaved; each
// measurement is the mean of 3 runs after 4 warm-up runs (bench/browser/workloads.mjs); the table shows the median
// over rounds, and each ratio's median with its range over rounds (the ratio of a round's two sides, measured
// back to back, is steadier on a loaded machine than either side alone). With --cpu the figures are CPU time
// per await instead of wall time: the Node process's (process.cpuUsage) and the page's main thread's (the
// DevTools protocol's Performance.getMetrics ThreadTime), which other processes on a loaded machine disturb far
// less than the wall clock. A benchmark: nothing is asserted.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makeSides, measure } from './browser/workloads.mjs';
import { buildSide } from './browser/build.mjs';
import { createRuntime } from '../wasm/index.js';
import { cpuNsSince, median, numberOption } from './common/cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const n = numberOption('n', 100000);
const rounds = numberOption('rounds', 3);
const cpu = process.argv.includes('--cpu');
const nodeOnly = process.argv.includes('--node-only'); // no browser: the Node process does nothing else
const WORKLOADS = [['bridge-seq', 1], ['bridge-batch', 1000]];
const ONE_AT_A_TIME = new Set(['lean']); // sides without a batched form
// Extra runtime options for the wasync side, for experiments: --slice-ms 0 turns the time slice off.
const sliceMs = numberOption('slice-ms', undefined);
const options = sliceMs === undefined ? {} : { sliceMs };

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

async function serve(wats) {
  const server = http.createServer(async (req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    let file = null;
    if (p === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    const wat = /^\/(\w+)\.wasm$/.exec(p)?.[1];
    if (wat && wats[wat]) return res.writeHead(200, { 'content-type': 'application/wasm' }).end(wats[wat]);
    if (p.startsWith('/pkg/')) file = path.join(root, 'wasm', p.slice(5));
    else if (p.startsWith('/bench/')) file = path.join(here, 'browser', p.slice(7));
    if (!file || !file.startsWith(root)) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function main() {
  const wats = { jspi: buildSide('jspi.wat'), floor: buildSide('floor.wat'), minexec: buildSide('minexec.c'), lean: buildSide('lean.c') };
  const results = {}; // engine -> workload -> side -> [ns]
  const add = (engine, w, side, ns) => (((results[engine] ??= {})[w] ??= {})[side] ??= []).push(ns);

  const nodeSides = await makeSides({ createRuntime, jspiBytes: wats.jspi, floorBytes: wats.floor, minexecBytes: wats.minexec, leanBytes: wats.lean, options });
  const server = nodeOnly ? null : await serve(wats);
  const browser = nodeOnly ? null : await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = nodeOnly ? null : await browser.newPage();
    await page?.goto(`http://127.0.0.1:${server.address().port}/`);
    const browserSides = nodeOnly ? [] : await page.evaluate(async (options) => {
      const { makeSides, measure } = await import('/bench/workloads.mjs');
      const { createRuntime } = await import('/pkg/index.js');
      const get = (name) => fetch(`/${name}.wasm`).then((r) => (r.ok ? r.arrayBuffer() : null));
      const sides = await makeSides({ createRuntime, jspiBytes: await get('jspi'), floorBytes: await get('floor'), minexecBytes: await get('minexec'), leanBytes: await get('lean'), options });
      globalThis.benchRun = (side, n, width, opts) => measure(sides[side], n, width, opts);
      return Object.keys(sides);
    }, options);
    const cdp = cpu && !nodeOnly ? await page.context().newCDPSession(page) : null;
    if (cdp) await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    const RUNS = 3;
    const nodeCpu = async (side, width) => {
      await measure(side, n, width, { runs: 0 });
      const c0 = process.cpuUsage();
      await measure(side, n, width, { warm: 0, runs: RUNS });
      return cpuNsSince(c0) / (RUNS * n);
    };
    const pageRun = (side, width, opts) => page.evaluate(([s, nn, wd, o]) => globalThis.benchRun(s, nn, wd, o), [side, n, width, opts]);
    const pageCpu = async (side, width) => {
      await pageRun(side, width, { runs: 0 });
      const t0 = await threadTime();
      await pageRun(side, width, { warm: 0, runs: RUNS });
      return ((await threadTime()) - t0) * 1e9 / (RUNS * n);
    };
    for (let r = 0; r < rounds; r++) {
      for (const [w, width] of WORKLOADS) {
        for (const side of Object.keys(nodeSides)) {
          if (width !== 1 && ONE_AT_A_TIME.has(side)) continue;
          add('node', w, side, cpu ? await nodeCpu(nodeSides[side], width) : await measure(nodeSides[side], n, width));
        }
        for (const side of browserSides) {
          if (width !== 1 && ONE_AT_A_TIME.has(side)) continue;
          add('chromium', w, side, cpu ? await pageCpu(side, width) : await pageRun(side, width));
        }
      }
    }
  } finally {
    await browser?.close();
    server?.close();
  }
  const extra = sliceMs === undefined ? '' : ` --slice-ms ${sliceMs}`;
  console.log(`command: node bench/browser.mjs --n ${n} --rounds ${rounds}${extra}${cpu ? ' --cpu' : ''}${nodeOnly ? ' --node-only' : ''}   (${cpu ? 'CPU' : 'wall'} ns per await, median of ${rounds} rounds)`);
  const SIDES = ['wasync', 'floor', 'minexec', 'lean', 'jspi'];
  console.log(`| engine | workload | js | ${SIDES.join(' | ')} | ${SIDES.map((s) => `${s} / js`).join(' | ')} |`);
  console.log(`| --- | --- | ---: | ${SIDES.map(() => '---:').join(' | ')} | ${SIDES.map(() => '---:').join(' | ')} |`);
  for (const [engine, ws] of Object.entries(results)) {
    for (const [w, sides] of Object.entries(ws)) {
      const cell = (s) => (sides[s] ? median(sides[s]).toFixed(0) : 'n/a');
      const ratio = (s) => {
        if (!sides[s]) return 'n/a';
        const rs = sides[s].map((v, i) => v / sides.js[i]);
        return `${median(rs).toFixed(2)}x (${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)})`;
      };
      console.log(`| ${engine} | ${w} | ${cell('js')} | ${SIDES.map(cell).join(' | ')} | ${SIDES.map(ratio).join(' | ')} |`);
    }
  }
}

await main();
