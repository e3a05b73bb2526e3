// run-worker.js: runs one compiled program, in a Worker of its own that the page throws away afterwards: a program
// whose poll never returns cannot be interrupted from inside (nothing else runs on its thread), so the page
// terminates the whole Worker (cc-run.js: the Stop button and the watchdog).
//
// Messages in:  { wasm (ArrayBuffer), knobs: { clock, budget, slice, cap }, baseUrl }   starts the program
//               { type: 'run', values }           the entry's parameter values, checked by the page: run it
// Messages out: { type: 'alive' }                 every HEARTBEAT_MS while the thread is free: the watchdog's pulse
//               { type: 'entry', entry }          the entry it will run ({ name, title, description, params }, as
//                                                 rt.examples lists it): the page answers with the values (or ends it)
//               { type: 'output', stream, text }  what the program wrote (printf: stdout, stderr)
//               { type: 'done', run }             run: { value, elapsedMs, trace, truncated, entry, error? }
//               { type: 'failed', message }       it could not start (no entry, a module the loader refuses)
import { createRuntime } from '/pkg/index.js';
import { HEARTBEAT_MS } from './cc-limits.js';

// A value the page can show: what structured cloning cannot carry (a handle's object) becomes its text.
function cloneable(v) {
  try { structuredClone(v); return v; } catch { return String(v); }
}

// The page's answer to 'entry': the values to run with.
let answer;
const values = new Promise((resolve) => { answer = resolve; });

self.onmessage = ({ data }) => {
  if (data.type === 'run') answer(data.values);
  else start(data);
};

async function start(data) {
  setInterval(() => postMessage({ type: 'alive' }), HEARTBEAT_MS);
  postMessage({ type: 'alive' });
  const { wasm, knobs, baseUrl } = data;
  let rt;
  try {
    rt = await createRuntime({
      wasm: new Uint8Array(wasm), clock: knobs.clock, budget: knobs.budget, sliceMs: knobs.slice,
      traceCapacity: knobs.cap, trace: true, baseUrl,
      stdout: (text) => postMessage({ type: 'output', stream: 'stdout', text }),
      stderr: (text) => postMessage({ type: 'output', stream: 'stderr', text }),
    });
  } catch (e) {
    postMessage({ type: 'failed', message: `the module could not be loaded: ${e?.code ? `${e.code}: ` : ''}${e?.message || e}` });
    return;
  }
  const entry = rt.examples[0];
  if (!entry) {
    postMessage({ type: 'failed', message: `the program has no entry the playground can run: mark one .example = 1 (entries: ${rt.entries.join(', ') || 'none'})` });
    return;
  }
  postMessage({ type: 'entry', entry: JSON.parse(JSON.stringify(entry)) });
  const params = await values;
  try {
    const r = await rt.runExample(entry.name, params);
    postMessage({ type: 'done', run: { ...r, value: cloneable(r.value), entry: entry.name } });
  } catch (e) {
    const error = { code: e?.code || null, message: e?.message || String(e) };
    postMessage({ type: 'done', run: { value: undefined, elapsedMs: e?.elapsedMs ?? null, trace: e?.trace || [], truncated: e?.truncated ?? null, entry: entry.name, error } });
  }
}
