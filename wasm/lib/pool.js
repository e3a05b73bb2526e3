// pool.js: the blocking pool, workers that run a module's blocking functions (ws_blocking.h) off the event loop.
// Web Workers in browsers, worker_threads in Node; each worker instantiates the runtime's compiled
// WebAssembly.Module (compiled once, posted to the worker; no SharedArrayBuffer, so no cross-origin isolation).
//
//   - Size: at most `size` workers, started on demand (none before the first job).
//   - Jobs start in FIFO order, one per worker at a time.
//   - A worker idle for `keepAliveMs` exits; the next job starts a new one.
//   - cancel(job): a queued job leaves the queue and never runs; a running one runs to its end, unheard (a
//     synchronous function cannot be interrupted).
//   - A job that traps, or whose worker crashes, fails with `panic`; that worker is terminated and a new one takes
//     the next job.
//   - close(): every worker is terminated, every job not yet done is told `closed`.
// Every job submitted gets exactly one of onDone / (cancel) / closed: nothing is left hanging.
import { workerMain } from './pool-worker.js';

const SOURCE_BODY = `(${workerMain.toString()})`;
// Bytes are moved (transferred) from this size on; smaller ones are copied, which costs less than a transfer.
const TRANSFER_MIN = 1 << 16;
let blobUrl = null;

// A worker running workerMain, behind one interface for both hosts: { post, terminate, ref(busy), on... }.
function spawn(handlers) {
  const wt = globalThis.process?.getBuiltinModule?.('node:worker_threads');
  if (wt) {
    const w = new wt.Worker(`const { parentPort } = require('node:worker_threads');
${SOURCE_BODY}((m, t) => parentPort.postMessage(m, t), (fn) => parentPort.on('message', fn));`, { eval: true, name: 'wasync blocking' });
    w.on('message', handlers.message);
    w.on('error', (e) => handlers.crash(e?.message ?? String(e)));
    w.on('exit', (code) => handlers.crash(`the worker exited (code ${code})`));
    return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate(), ref: (on) => (on ? w.ref() : w.unref()) };
  }
  if (typeof Worker !== 'function') throw new Error('this host has neither Web Workers nor worker_threads');
  blobUrl ??= URL.createObjectURL(new Blob([`${SOURCE_BODY}((m, t) => self.postMessage(m, t), (fn) => { self.onmessage = (e) => fn(e.data); });`], { type: 'text/javascript' }));
  const w = new Worker(blobUrl, { name: 'wasync blocking' });
  w.onmessage = (e) => handlers.message(e.data);
  w.onerror = (e) => { e.preventDefault?.(); handlers.crash(e?.message || 'the worker failed'); };
  w.onmessageerror = () => handlers.crash('a message from the worker could not be read');
  return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate(), ref: () => {} };
}

export class Pool {
  #size;
  #keepAliveMs;
  #module;
  #enomem;
  #workers = [];          // { id, port, job, idleTimer }
  #queue = [];            // jobs waiting for a worker, oldest first
  #nextId = 1;            // worker numbers, for the trace: 1, 2, ... (a replacement gets a new one)
  #nextJob = 1;
  #closed = false;
  counts = { started: 0, finished: 0, removed: 0, discarded: 0, panicked: 0, workersStarted: 0 };

  /** @param {{ size: number, keepAliveMs: number, module: WebAssembly.Module, enomem: number }} o */
  constructor(o) {
    this.#size = o.size;
    this.#keepAliveMs = o.keepAliveMs;
    this.#module = o.module;
    this.#enomem = o.enomem;
  }

  get workers() { return this.#workers.length; }
  get busy() { return this.#workers.filter((w) => w.job).length; }
  get queued() { return this.#queue.length; }

  /**
   * Queues a job: { index, input: Uint8Array, onStart(workerId), onDone(outcome) }, where outcome is
   * { err, output: Uint8Array } | { panic: message, worker } | { closed: true }. Returns the job (for cancel).
   */
  submit(job) {
    job.id = this.#nextJob++;
    job.state = 'queued';
    if (this.#closed) {
      job.state = 'done';
      queueMicrotask(() => job.onDone({ closed: true }));
      return job;
    }
    this.#queue.push(job);
    this.#dispatch();
    return job;
  }

  /** The job's future was dropped: 'removed' (it never runs), 'discarded' (it runs on, unheard) or 'done'. */
  cancel(job) {
    if (job.state === 'queued') {
      const i = this.#queue.indexOf(job);
      if (i >= 0) this.#queue.splice(i, 1);
      job.state = 'done';
      this.counts.removed++;
      return 'removed';
    }
    if (job.state === 'running') {
      job.discarded = true;
      return 'discarded';
    }
    return 'done';
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#workers) {
      w.gone = true; // its exit event (Node) is not a crash
      clearTimeout(w.idleTimer);
      w.port.terminate();
      if (w.job) this.#finish(w, w.job, { closed: true });
    }
    this.#workers = [];
    const queued = this.#queue;
    this.#queue = [];
    for (const job of queued) {
      job.state = 'done';
      job.onDone({ closed: true });
    }
  }

  #dispatch() {
    while (this.#queue.length && !this.#closed) {
      let w = this.#workers.find((x) => !x.job);
      if (!w) {
        if (this.#workers.length >= this.#size) return;
        w = this.#start();
        if (!w) return;
      }
      const job = this.#queue.shift();
      clearTimeout(w.idleTimer);
      w.idleTimer = null;
      w.job = job;
      job.state = 'running';
      job.worker = w.id;
      this.counts.started++;
      w.port.ref(true);
      const input = job.input;
      job.input = null; // the worker has it now (transferred)
      const buf = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input.buffer : input.slice().buffer;
      w.port.post({ id: job.id, index: job.index, input: buf }, buf.byteLength >= TRANSFER_MIN ? [buf] : undefined);
      job.onStart(w.id);
    }
  }

  // A new worker, or null if none can be started (then every queued job fails: nothing would ever run them).
  #start() {
    const w = { id: this.#nextId++, port: null, job: null, idleTimer: null, gone: false };
    try {
      w.port = spawn({
        message: (msg) => this.#message(w, msg),
        crash: (why) => this.#crash(w, why),
      });
      w.port.post({ type: 'init', module: this.#module, enomem: this.#enomem });
    } catch (e) {
      const why = `cannot start a worker: ${e?.message ?? e}`;
      const queued = this.#queue;
      this.#queue = [];
      for (const job of queued) {
        job.state = 'done';
        queueMicrotask(() => job.onDone({ panic: why, worker: 0 }));
      }
      return null;
    }
    this.counts.workersStarted++;
    this.#workers.push(w);
    return w;
  }

  #message(w, msg) {
    const job = w.job;
    if (w.gone || !job || msg.id !== job.id) return;
    if (msg.trap !== undefined) {
      this.#retire(w);
      this.#finish(w, job, { panic: `it trapped: ${msg.trap}`, worker: w.id });
    } else {
      w.job = null;
      this.#finish(w, job, { err: msg.err, output: new Uint8Array(msg.output) });
      this.#idle(w);
    }
    this.#dispatch();
  }

  // The worker died (an error it did not catch, out of memory, exit): its job fails, a new worker takes over.
  #crash(w, why) {
    if (w.gone) return;
    this.#retire(w);
    if (w.job) this.#finish(w, w.job, { panic: `its worker crashed: ${why}`, worker: w.id });
    this.#dispatch();
  }

  #retire(w) {
    w.gone = true;
    clearTimeout(w.idleTimer);
    const i = this.#workers.indexOf(w);
    if (i >= 0) this.#workers.splice(i, 1);
    try {
      w.port.terminate();
    } catch {
      // already gone
    }
  }

  #finish(w, job, outcome) {
    w.job = null;
    job.state = 'done';
    if (outcome.panic !== undefined) this.counts.panicked++;
    else if (!outcome.closed) this.counts.finished++;
    if (job.discarded) this.counts.discarded++;
    job.onDone(outcome);
  }

  // Nothing queued for it: let the host exit meanwhile (Node), and end the worker after the keep-alive time.
  #idle(w) {
    // (Settling the job may have run the executor, which may have queued a job that this worker took already.)
    if (this.#queue.length || w.job || w.gone) return;
    w.port.ref(false);
    w.idleTimer = setTimeout(() => {
      if (w.job || w.gone) return;
      this.#retire(w);
    }, this.#keepAliveMs);
    w.idleTimer.unref?.();
  }
}
