// cc-browser.mjs: wasync/cc in a Worker of headless Chromium, as the playground's compiler runs it, with the choices
// behind its edit loop measured by turns (so that all see the same machine): compiling join.c with -O1 and no
// precompiled header (the playground's flags before EDIT_ARGS), with EDIT_ARGS but without the kit's precompiled
// header, and with EDIT_ARGS as the playground does; and a bare `clang --version` run instantiated asynchronously and
// synchronously (what every compiler run pays). A benchmark: it reports, it asserts nothing.
//
//   node bench/cc-browser.mjs [--rounds 8]
//
// Needs bash scripts/build-wasm.sh, npm ci and Chromium at /usr/bin/chromium (or $CHROMIUM).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../web/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 8;

// Runs in the Worker: the same modules and files the playground's cc-worker.js loads.
async function measure(origin, rounds) {
  const index = await fetch(`${origin}/vendor/index.json`).then((r) => r.json());
  const clang = await import(`${origin}${index['@yowasp/clang'].url}bundle.js`);
  const cc = await import(`${origin}/pkg/lib/cc/compile.js`);
  const kit = await cc.readKit(new URL(`${origin}/pkg/dist/cc-kit.json`));
  await cc.loadToolchain(clang);
  const src = await fetch(`${origin}/pkg/examples/join.c`).then((r) => r.text());
  const files = { 'join.c': src };
  const plainKit = { ...kit, pch: [] };
  const variants = {
    '-O1, no precompiled header': () => cc.compile({ clang, kit: plainKit, files, args: ['-O1'], standardBlocking: true }),
    'EDIT_ARGS, no precompiled header': () => cc.compile({ clang, kit: plainKit, files, args: cc.EDIT_ARGS, standardBlocking: true }),
    'EDIT_ARGS (the playground)': () => cc.compile({ clang, kit, files, args: cc.EDIT_ARGS, standardBlocking: true }),
  };
  const quiet = { stdout: () => {}, stderr: () => {} };
  const version = {
    'clang --version, asynchronous': () => clang.runLLVM(['clang', '--version'], {}, quiet),
    'clang --version, synchronous': () => clang.runLLVM(['clang', '--version'], {}, { ...quiet, synchronously: true }),
  };
  const rows = {};
  const add = (k, v) => (rows[k] ??= []).push(v);
  for (let r = 0; r < rounds + 2; r++) { // the first two rounds warm up (command lines learnt, code tiered up)
    for (const [k, f] of Object.entries(variants)) {
      const res = await f();
      if (!res.ok) throw new Error(res.log);
      if (r >= 2) { add(`${k}: compile`, res.ms.compile); add(`${k}: link`, res.ms.link); add(`${k}: pch`, res.pch.length); }
    }
    for (const [k, f] of Object.entries(version)) {
      const t = performance.now();
      await f();
      if (r >= 2) add(k, performance.now() - t);
    }
  }
  return rows;
}

const server = await startServer({ port: 0, host: '127.0.0.1', pkgDir: path.join(root, 'wasm') });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  const rows = await page.evaluate(async ({ code, rounds }) => {
    const body = `const measure = ${code};\nmeasure(${JSON.stringify(location.origin)}, ${rounds}).then((r) => postMessage({ r }), (e) => postMessage({ e: String(e && e.stack || e) }));`;
    const w = new Worker(URL.createObjectURL(new Blob([body], { type: 'text/javascript' })), { type: 'module' });
    const { r, e } = await new Promise((res, rej) => { w.onmessage = ({ data }) => res(data); w.onerror = (ev) => rej(new Error(ev.message || 'the Worker failed')); });
    if (e) throw new Error(e);
    return r;
  }, { code: measure.toString(), rounds: ROUNDS });
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  for (const [k, v] of Object.entries(rows)) {
    if (k.endsWith(': pch')) continue;
    console.log(`cc-browser: ${k}: median ${med(v).toFixed(0)} ms (min ${Math.min(...v).toFixed(0)}, max ${Math.max(...v).toFixed(0)})`);
  }
  console.log(`cc-browser: precompiled header used by EDIT_ARGS (the playground): ${rows['EDIT_ARGS (the playground): pch'].every((n) => n === 1) ? 'yes' : 'no'}; `
    + `${ROUNDS} rounds; machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await browser.close();
  await server.close();
}
