// The package's nine examples on Asyncify (bench/asyncify/examples.c, built by bench/asyncify/build.sh), run
// under Node 20 with the examples' default parameters:
//
//   node bench/asyncify/examples.mjs [--clock virtual|real] [--json]
//
// Prints each example's name and value (--json: one line `RESULT {"clock":...,"results":[{name,value,ms}]}`).
// The clock is wasync's default, virtual, unless --clock real (sleeps then take real time, through
// emscripten_sleep; blocking and cooperative then measure real lateness, which varies from run to run). The fetch
// example asks a local server on 127.0.0.1 (port 0, started here) that answers /api/delay?ms=&bytes= after `ms`,
// as web/server.js does for the package's fetch example. Every example must report within LIMIT_MS.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const LIMIT_MS = 10_000;

// The parameters of each example with the defaults of the package's (the param tables at the bottom of
// wasm/examples/*.c), in the order the export example_<name> takes them. bench/run.mjs --smoke checks them
// against the package's own list.
export const EXAMPLES = [
  { name: 'lazy', params: {} },
  { name: 'sequential', params: { a: 100, b: 200 } },
  { name: 'join', params: { a: 100, b: 200 } },
  { name: 'spawn', params: { a: 100, b: 200 } },
  { name: 'blocking', params: { items: 40, unit: 2, ticks: 10, tick: 5 } },
  { name: 'cooperative', params: { items: 40, unit: 2, ticks: 10, tick: 5 } },
  { name: 'timeout', params: { work: 300, limit: 150 } },
  { name: 'channel', params: { count: 6, capacity: 2, work: 20 } },
  { name: 'fetch', params: { a: '/api/delay?ms=150&bytes=2000', b: '/api/delay?ms=250&bytes=4000' } },
];

/** A server for the fetch example: /api/delay?ms=M&bytes=N answers N bytes after M ms (M capped at 10 s). */
export async function startDelayServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/api/delay') {
      res.writeHead(404).end();
      return;
    }
    const ms = Math.min(Number(url.searchParams.get('ms')) || 0, 10_000);
    const bytes = Math.min(Number(url.searchParams.get('bytes')) || 0, 1 << 24);
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
      res.end(Buffer.alloc(bytes, 0x2e));
    }, ms);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A fresh instance of the Asyncify build. baseUrl: what the fetch example's relative URLs resolve against. */
export async function loadExamples({ baseUrl } = {}) {
  // wasmBinary: the 3.1.6 glue would otherwise try fetch() on the .wasm's file path (Node 20 has a global fetch).
  const wasmBinary = readFileSync(new URL('./dist/examples.wasm', import.meta.url));
  return require('./dist/examples.js')({ wasmBinary, baseUrl });
}

/** Runs one example on an instance; resolves with its value, rejects with its failure or after LIMIT_MS. */
export function runExample(m, name, params) {
  const args = Object.values(params);
  const strings = []; // string arguments in malloc'd memory, freed once the example has reported
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no result within ${LIMIT_MS} ms`)), LIMIT_MS);
    m.onExample = (r) => {
      clearTimeout(timer);
      if ('error' in r) reject(new Error(`${name}: ${r.error}`));
      else resolve(r.value);
    };
    try {
      const cargs = args.map((v) => {
        if (typeof v !== 'string') return v;
        const bytes = new TextEncoder().encode(v);
        const p = m._malloc(bytes.length + 1);
        m.HEAPU8.set(bytes, p);
        m.HEAPU8[p + bytes.length] = 0;
        strings.push(p);
        return p;
      });
      m[`_example_${name}`](...cargs);
    } catch (e) {
      clearTimeout(timer);
      reject(e);
    }
  }).finally(() => strings.forEach((p) => m._free(p)));
}

/** Runs every example with its defaults, one after the other. clock: 'virtual' (wasync's default) or 'real'. */
export async function runExamples({ clock = 'virtual', baseUrl } = {}) {
  const server = baseUrl ? null : await startDelayServer();
  try {
    const m = await loadExamples({ baseUrl: baseUrl ?? server.url });
    m._example_clock(clock === 'real' ? 1 : 0);
    const results = [];
    for (const { name, params } of EXAMPLES) {
      const t0 = performance.now();
      const value = await runExample(m, name, params);
      results.push({ name, value, ms: performance.now() - t0 });
    }
    return results;
  } finally {
    await server?.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--clock');
  const clock = at >= 0 ? argv[at + 1] : 'virtual';
  if (clock !== 'virtual' && clock !== 'real') {
    console.error('usage: node bench/asyncify/examples.mjs [--clock virtual|real] [--json]');
    process.exit(2);
  }
  try {
    const results = await runExamples({ clock });
    if (argv.includes('--json')) {
      console.log(`RESULT ${JSON.stringify({ clock, results })}`);
    } else {
      console.log(`Asyncify examples (${clock} clock)`);
      for (const r of results) console.log(`  ${r.name.padEnd(12)} ${String(JSON.stringify(r.value)).padEnd(52)} ${r.ms.toFixed(0)} ms`);
    }
  } catch (e) {
    console.error(`examples.mjs: ${e?.stack ?? e}`);
    process.exit(1);
  }
}
