// cc-run.js: runs a compiled program in a disposable Worker (run-worker.js) and watches it. The program's Worker
// sends a pulse from a timer every HEARTBEAT_MS; a timer fires only between polls, so a poll that never returns
// (a `while (1) {}`, a loop that never awaits) stops the pulse. After WATCHDOG_MS without one the Worker is
// terminated: nothing inside could have stopped it, since the executor only regains control when a poll returns.
// Stop terminates it at once. Either way the page keeps running: the program never had its thread.
import { HEARTBEAT_MS, WATCHDOG_MS } from './cc-limits.js';

export { WATCHDOG_MS };

export const STARVED = `The program was stopped: one of its polls ran for more than ${WATCHDOG_MS / 1000} s without returning. `
  + 'A poll that never returns starves everything: the executor cannot run another task, fire a timer or even notice '
  + 'an abort until it does. Await something (ws_yield_now, a sleep) inside long loops, as the cooperative example does.';
export const STOPPED = 'The program was stopped (Stop): its Worker was terminated; the run has no result.';

const spawn = () => new Worker(new URL('./run-worker.js', import.meta.url), { type: 'module', name: 'wasync program' });
let spare = null;

/** Starts the next program's Worker ahead of time (it loads the package's modules while the user edits), so a
 * run does not wait for it. Each Worker still runs one program only. */
export function prepareRun() {
  spare ??= spawn();
}

/**
 * Runs `wasm` (an ArrayBuffer, transferred) with the executor settings `knobs`. Returns { promise, stop }: promise
 * resolves with { run } (the run-worker's result), { stopped: 'watchdog' | 'user', message } or { refused: message }
 * (the page refused the parameter values), and rejects when the program could not start. onOutput(stream, text)
 * receives printf's output as it comes. params(entry) is asked, once the module is loaded, for the values of the entry
 * it runs (entry: { name, title, description, params } as in rt.examples): it returns { values } or { error }, a
 * message, and then the program does not run.
 */
export function runProgram(wasm, { knobs, baseUrl, onOutput = () => {}, params = () => ({ values: {} }), watchdogMs = WATCHDOG_MS }) {
  const worker = spare ?? spawn();
  spare = null;
  let finish;
  const promise = new Promise((resolve, reject) => { finish = { resolve, reject }; });
  let done = false;
  let last = performance.now();
  const end = (how, value) => {
    if (done) return;
    done = true;
    clearInterval(dog);
    worker.terminate();
    finish[how](value);
  };
  // Checked often, so a stop comes within a pulse of the limit; the limit counts from the last pulse (or the start).
  const dog = setInterval(() => {
    if (performance.now() - last > watchdogMs) end('resolve', { stopped: 'watchdog', message: STARVED });
  }, HEARTBEAT_MS / 2);
  worker.onmessage = ({ data }) => {
    if (done) return;
    if (data.type === 'alive') last = performance.now();
    else if (data.type === 'output') onOutput(data.stream, data.text);
    else if (data.type === 'entry') {
      const r = params(data.entry);
      if (r.error) end('resolve', { refused: r.error });
      else worker.postMessage({ type: 'run', values: r.values });
    } else if (data.type === 'done') end('resolve', { run: data.run });
    else if (data.type === 'failed') end('reject', new Error(data.message));
  };
  worker.onerror = (e) => { e.preventDefault?.(); end('reject', new Error(`the program's Worker failed: ${e.message || 'it could not start'}`)); };
  worker.postMessage({ wasm, knobs, baseUrl }, [wasm]);
  return { promise, stop: () => end('resolve', { stopped: 'user', message: STOPPED }) };
}
