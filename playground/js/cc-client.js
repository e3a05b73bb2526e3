// cc-client.js: the page's side of the compiler Worker (cc-worker.js): starts it once, relays download progress,
// and turns compile requests into promises. One Worker for the page's life, so the 100 MB toolchain is fetched and
// compiled once.

export class Compiler {
  #worker = null;
  #pending = new Map();
  #next = 1;
  #ready = null;
  #readyResolve;
  #readyReject;

  /** onProgress({ done, total }) in bytes; onReady({ ms }); onError(message) when the toolchain cannot load. */
  constructor({ onProgress = () => {}, onReady = () => {}, onError = () => {} } = {}) {
    this.onProgress = onProgress;
    this.onReady = onReady;
    this.onError = onError;
  }

  get started() { return this.#worker !== null; }

  /** Starts the Worker and the toolchain's download (once); resolves when it is loaded. */
  load() {
    if (this.#ready) return this.#ready;
    this.#ready = new Promise((res, rej) => { this.#readyResolve = res; this.#readyReject = rej; });
    this.#ready.catch(() => {});
    this.#worker = new Worker(new URL('./cc-worker.js', import.meta.url), { type: 'module', name: 'wasync compiler' });
    this.#worker.onmessage = ({ data }) => this.#message(data);
    this.#worker.onerror = (e) => {
      e.preventDefault?.();
      this.#fail(`the compiler's Worker failed: ${e.message || 'it could not start'}`);
    };
    this.#worker.postMessage({ type: 'load' });
    return this.#ready;
  }

  /** Compiles and links `files` ({ 'join.c': text }): { ok, wasm (ArrayBuffer|null), diagnostics, log, ms }. */
  compile(files) {
    this.load();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'compile', id, files });
    });
  }

  #message(d) {
    if (d.type === 'progress') this.onProgress(d);
    else if (d.type === 'ready') { this.#readyResolve(d); this.onReady(d); }
    else if (d.type === 'result' || d.type === 'error') {
      if (d.type === 'error' && d.id == null) { this.#fail(d.message); return; }
      const p = this.#pending.get(d.id);
      if (!p) return;
      this.#pending.delete(d.id);
      if (d.type === 'result') p.resolve(d);
      else p.reject(new Error(d.message));
    }
  }

  // The toolchain could not load: every waiting compile fails, and the next load() starts a fresh Worker.
  #fail(message) {
    this.#readyReject?.(new Error(message));
    for (const p of this.#pending.values()) p.reject(new Error(message));
    this.#pending.clear();
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    this.onError(message);
  }
}
