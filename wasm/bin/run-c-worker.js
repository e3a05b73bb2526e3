// run-c-worker.js: the run half of `wasync run-c`, in a worker thread so that the main thread keeps a watchdog that
// can stop a program whose poll never returns (a `while (1) {}` blocks the thread it runs on, timers included).
// Everything it prints goes to the main thread as messages, in order; the last message is { exit: code }.
import { parentPort, workerData } from 'node:worker_threads';

const { wasm, clock, entry, params, trace: wantTrace } = workerData;
const out = (s) => parentPort.postMessage({ out: s });
const err = (s) => parentPort.postMessage({ err: s });
const fail = (code, msg) => {
  err(`wasync run-c: ${msg}\n`);
  parentPort.postMessage({ exit: code });
};

async function main() {
  const { createRuntime, traceToText } = await import('wasync');
  let rt;
  try {
    rt = await createRuntime({ wasm, clock, trace: true, stdout: out, stderr: err });
  } catch (e) {
    return fail(1, `cannot load the compiled module: ${e.message}`);
  }
  const name = entry ?? rt.entries[0];
  if (!rt.entries.includes(name)) {
    rt.close();
    return fail(2, `no entry named '${name}' (the module has: ${rt.entries.join(', ')})`);
  }
  parentPort.postMessage({ running: name });
  const isExample = rt.examples.some((e) => e.name === name);
  let value, elapsed, trace, error = null;
  try {
    if (isExample) {
      ({ value, elapsedMs: elapsed, trace } = await rt.runExample(name, params));
    } else {
      rt.readTrace({ clear: true });
      value = await rt.start(name, params).promise;
      trace = rt.readTrace();
      elapsed = trace.length ? trace.at(-1).t : 0;
    }
  } catch (e) {
    error = e;
    trace = e.trace ?? (rt.closed ? [] : rt.readTrace());
  }
  if (wantTrace && trace) out(traceToText(trace));
  rt.close();
  if (error) return fail(1, `${name} failed: ${error.code ?? error.name ?? ''} ${error.message}`.replace(/\s+/g, ' '));
  parentPort.postMessage({ done: { name, value: JSON.stringify(value), elapsed, events: trace.length } });
  parentPort.postMessage({ exit: 0 });
}

main();
