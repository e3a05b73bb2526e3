// child.mjs: one measurement in a fresh process. Used by run.mjs:
//   node [--expose-gc] bench/child.mjs <side> <workload> '<params json>'
// Prints one line: RESULT <json>. Sides: js, wasync, wasync-notrace, wasync-trace, asyncify.
import * as js from './js/workloads.mjs';

const [side, workload, paramText] = process.argv.slice(2);
const params = JSON.parse(paramText ?? '{}');

async function impl() {
  switch (side) {
    case 'js': return { run: (p) => bySide(js, p) };
    case 'wasync': return { run: async (p) => bySide(await import('./wasm/driver.mjs'), p, { variant: 'bench' }) };
    case 'wasync-notrace': return { run: async (p) => bySide(await import('./wasm/driver.mjs'), p, { variant: 'bench-notrace' }) };
    case 'wasync-trace': return {
      run: async (p) => bySide(await import('./wasm/driver.mjs'), p, { variant: 'bench', trace: true, traceCapacity: p.traceCapacity }),
    };
    case 'asyncify': return { run: async (p) => bySide(await import('./asyncify/driver.mjs'), p) };
    default: throw new Error(`unknown side ${side}`);
  }
}

const fns = {
  spawn: 'spawn', yield: 'yieldNow', channel: 'channel', timers: 'timers', memory: 'memory',
  bridge: 'bridge', fetch: 'fetchMany', 'trace-spawn': 'spawn', 'trace-yield': 'yieldNow', toolbox: 'toolbox',
};

async function bySide(mod, p, options) {
  const fn = mod[fns[workload]];
  if (!fn) return { unsupported: true };
  // Warm-up runs first (run.mjs: the same workload at full size, four times), so both JITs have reached steady
  // state; then `measuredRuns` runs, reported as the mean of each numeric field, so that a garbage collection that
  // falls on one run is spread over several, as it is in a program that keeps running.
  for (let i = 0; p.warmup && i < (p.warmupRuns ?? 1); i++) await fn(p.warmup, options);
  const runs = [];
  for (let i = 0; i < (p.measuredRuns ?? 1); i++) runs.push(await fn(p, options));
  if (runs.length === 1 || runs[0]?.unsupported) return runs[0];
  const out = { ...runs[0] };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'number') out[k] = runs.reduce((sum, r) => sum + r[k], 0) / runs.length;
  }
  return out;
}

try {
  const { run } = await impl();
  const result = await run(params);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (e) {
  process.stdout.write(`RESULT ${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exit(1);
}
