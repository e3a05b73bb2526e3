// runtime.js: one wasync runtime inside the host's event loop: the public Runtime class. The parts it is made of:
//   options.js   createRuntime's options          abi.js      the module's imports, instantiation
//   schedule.js  when the executor runs (drains)  host.js     host functions and operations in flight
//   fetch.js     ws_fetch                         memory.js   strings and byte blocks in wasm memory
//   args.js      entry point arguments (typed)    contract.js constants shared with C (generated)
//   errors.js    WasyncError                      trace.js    trace decoding and export
//   blocking.js  spawn_blocking's pool (pool.js)

import { instantiate, initFlags } from './abi.js';
import { encodeArgs } from './args.js';
import { Blocking } from './blocking.js';
import { STATS, TRACE_RECORD } from './contract.js';
import { WasyncError, codeOf, errorFrom, describe, named } from './errors.js';
import { HostOps } from './host.js';
import { Memory } from './memory.js';
import { checkOptions, checkConfigure, checkReadTrace } from './options.js';
import { Driver, postMacrotask } from './schedule.js';
import { decodeTrace, decodeTraceInChunks } from './trace.js';
import { HostHandle, readBlock, writeValues } from './values.js';

const OK = 0;

export class Runtime {
  #ex = null;
  #opts;
  #mem = new Memory();
  #driver;
  #ops;
  #blocking;
  #jobs = new Map();      // job index -> { resolve, reject, done, cleanup }
  #strings = new Map();
  #entries = [];
  #exampleChain = Promise.resolve();

  constructor(opts) {
    this.#opts = opts;
    this.#driver = new Driver(opts, { onJobsDone: () => this.#reap(), onFail: (err) => this.#failed(err) });
    this.#ops = new HostOps(this.#driver, this.#mem, opts);
    this.#blocking = new Blocking(opts, this.#driver, this.#ops, this.#mem);
  }

  /** @internal */
  async _instantiate(module) {
    const ex = await instantiate(module, { driver: this.#driver, ops: this.#ops, mem: this.#mem, opts: this.#opts, blocking: this.#blocking });
    this.#ex = ex;
    this.#driver.ex = ex;
    this.#ops.ex = ex;
    this.#mem.attach(ex);
    this.#blocking.attach(ex, module);
    const o = this.#opts;
    const rc = ex.wsx_init(initFlags(o), o.trace ? o.traceCapacity : 0, o.budget, o.sliceMs);
    if (rc !== OK) throw errorFrom(rc, `cannot create the runtime: ${codeOf(rc)}`);
    const json = ex.wsx_entries_json();
    if (!json) throw new WasyncError('ENOMEM', 'cannot read the entry points');
    this.#entries = JSON.parse(this.#mem.readBytes(json));
    ex.wsx_bytes_free(json);
    this.examples = Object.freeze(this.#entries.filter((e) => e.example).map((e) => Object.freeze({
      name: e.name, title: e.title, description: e.description,
      params: Object.freeze(e.params.map((p) => Object.freeze({ ...p }))),
    })));
    this.entries = Object.freeze(this.#entries.map((e) => e.name));
  }

  get clock() { return this.#opts.clock; }
  get closed() { return this.#driver.dead !== null; }

  #check() {
    if (this.#driver.dead) throw this.#driver.dead;
  }

  #reap() {
    const ex = this.#ex;
    for (let j = ex.wsx_reap(); j >= 0; j = ex.wsx_reap()) {
      const job = this.#jobs.get(j);
      this.#jobs.delete(j);
      const err = ex.wsx_result_err();
      const block = ex.wsx_result_text();
      let value, bad = null;
      if (block && err === OK && job?.typed) {
        try {
          value = readBlock(this.#mem, this.#ops.handles, block);
        } catch (e) {
          bad = e; // C made a value JS cannot read: that job fails, with the reason
        }
      } else {
        value = block ? this.#mem.readBytes(block) : ex.wsx_result_value();
      }
      ex.wsx_result_release();
      if (!job) continue;
      job.cleanup();
      if (bad) job.reject(bad);
      else if (err === OK) job.resolve(value);
      else job.reject(errorFrom(err, typeof value === 'string' && value ? value : undefined));
    }
  }

  // The runtime closed or trapped (Driver.fail): every operation is forgotten, every job rejects.
  #failed(err) {
    this.#ops.failAll(err);
    this.#blocking.close();
    for (const job of this.#jobs.values()) {
      job.cleanup();
      job.reject(err);
    }
    this.#jobs.clear();
  }

  /** Wraps `object` so that a host function resolving with the result gives C a handle to it (a typed call's
   * result). C passes the handle back as a value that JS receives as `object`, until C releases it. */
  handle(object) {
    return new HostHandle(object);
  }

  /** The number of objects C holds handles to. */
  get handlesLive() {
    return this.#ops.handles.size;
  }

  /** Registers an async function that C code can call by name (ws_host_call) and await. Its second argument,
   * the call context ({ signal, args }), is made only for a function that declares it (fn.length >= 2) or is
   * defined with { context: true }. */
  defineHost(name, fn, options = {}) {
    this.#check();
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`defineHost: name must be a non-empty string, not ${describe(name)}`);
    if (typeof fn !== 'function') throw new TypeError(`defineHost: the host function for ${named(name)} must be a function, not ${describe(fn)}`);
    if (options === null || typeof options !== 'object') throw new TypeError(`defineHost: options must be an object, not ${describe(options)}`);
    const { context = fn.length >= 2 } = options;
    if (typeof context !== 'boolean') throw new TypeError(`defineHost: options.context must be a boolean, not ${describe(context)}`);
    this.#ops.define(name, fn, context);
    return this;
  }

  /**
   * Starts the C async entry point `name` with `args`, by parameter name (an object) or by position (an array),
   * sent to C as typed values. Returns { id, promise, abort }. Throws a WasyncError (code EINVAL or ENOENT) for a
   * bad name or bad arguments, and ECLOSED once the runtime is closed.
   */
  start(name, args = {}, options = {}) {
    this.#check();
    if (typeof name !== 'string') throw new TypeError(`start: name must be a string, not ${describe(name)}`);
    const entry = this.#entries.find((e) => e.name === name);
    if (!entry) throw new WasyncError('ENOENT', `no entry point named ${named(name)} (known: ${this.entries.join(', ')})`);
    if (options != null && typeof options !== 'object') throw new TypeError(`start: options must be an object, not ${describe(options)}`);
    const signal = options?.signal;
    if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
      throw new TypeError(`start: signal must be an AbortSignal, not ${describe(signal)}`);
    }
    const values = encodeArgs(entry, args, this.#opts.baseUrl);
    const handles = this.#ops.handles;
    const made = []; // handles made for arguments: C owns them once the job starts
    let j, taken = false;
    try {
      j = this.#mem.withString(name, (np, nl) => {
        let block;
        try {
          block = writeValues(this.#ex, this.#mem, handles, values, made);
        } catch (e) {
          if (e instanceof WasyncError) throw e;
          throw new WasyncError('EINVAL', `${name}: an argument cannot be passed to C: ${e.message}`);
        }
        taken = true; // wsx_start frees the block whatever happens
        return this.#ex.wsx_start(np, nl, block.ptr, block.len, values.length);
      });
    } catch (e) {
      for (const h of made) handles.release(h);
      if (e instanceof WasyncError) throw e;
      if (!taken) throw e;
      this.#driver.trap(e); // the module trapped: every pending promise rejects, and so does this call
      throw this.#driver.dead;
    }
    if (j < 0) {
      for (const h of made) handles.release(h);
      throw errorFrom(j, this.#mem.cstr(this.#ex.wsx_error_message()));
    }
    const id = this.#ex.wsx_job_task(j);
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    const job = { resolve, reject, done: false, cleanup: () => {}, typed: entry.output === 'value' };
    const settleOnce = (fn) => (v) => { if (!job.done) { job.done = true; fn(v); } };
    job.resolve = settleOnce(resolve);
    job.reject = settleOnce(reject);
    this.#jobs.set(j, job);
    let aborted = false;
    const abort = () => {
      if (aborted || job.done || this.#driver.dead) return false;
      aborted = true;
      const rc = this.#ex.wsx_abort(j);
      if (rc === OK) this.#driver.schedule();
      return rc === OK;
    };
    if (signal) {
      const onAbort = () => abort();
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
    }
    this.#driver.schedule();
    return { id, promise, abort };
  }

  /** Runs an example of the module (the package's are in EXAMPLES_WASM); resolves with { value, elapsedMs, trace,
   * truncated }. Runs are serialized. */
  runExample(name, params = {}) {
    const run = this.#exampleChain.then(() => this.#runExample(name, params));
    this.#exampleChain = run.catch(() => {});
    return run;
  }

  async #runExample(name, params) {
    this.#check();
    if (typeof name !== 'string') throw new TypeError(`runExample: name must be a string, not ${describe(name)}`);
    if (!this.examples.some((e) => e.name === name)) {
      // The default module has none: say where they are rather than list nothing.
      const known = this.examples.length ? `known: ${this.examples.map((e) => e.name).join(', ')}`
        : "this module has no examples; the package's are in its examples module: import { EXAMPLES_WASM } from 'wasync/examples', then createRuntime({ wasm: EXAMPLES_WASM })";
      throw new WasyncError('ENOENT', `no example named ${named(name)} (${known})`);
    }
    this.#ex.wsx_trace_clear();
    const t0 = this.#ex.wsx_now_ms();
    const job = this.start(name, params);
    let limitHit = null;
    const limit = setTimeout(() => {
      limitHit = `time limit: the run did not finish within ${this.#opts.runLimitMs} ms and was aborted`;
      job.abort();
    }, this.#opts.runLimitMs); // wall time, on either clock: it guards the page, not the program
    let value, error;
    try {
      value = await job.promise;
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(limit);
    }
    // The clock counts whole nanoseconds: round the difference to them, so 200 ms is exactly 200 (not 200.00000000000003).
    const elapsedMs = Math.round((this.#ex.wsx_now_ms() - t0) * 1e6) / 1e6;
    const lost = this.#ex.wsx_trace_lost();
    const trace = await this.#readTraceInChunks();
    const which = this.#opts.traceKeep === 'first' ? 'later events were not recorded' : 'earliest events were overwritten';
    const truncated = limitHit ?? (lost > 0 ? `trace limit reached: ${lost} ${which} (traceCapacity ${this.#opts.traceCapacity})` : null);
    if (error && !limitHit) {
      error.trace = trace;
      error.elapsedMs = elapsedMs;
      error.truncated = truncated;
      throw error;
    }
    return { value: limitHit ? null : value, elapsedMs, trace, truncated };
  }

  /** The events recorded since the last run started (or since readTrace({ clear: true })). */
  readTrace(options = {}) {
    this.#check();
    const { clear } = checkReadTrace(options);
    const { cap, first, count } = this.#traceWindow();
    const events = count ? decodeTrace(this.#mem.buffer, this.#ex.wsx_trace_ring(), cap, first, count, (i) => this.#string(i)) : [];
    if (clear) this.#ex.wsx_trace_clear();
    return events;
  }

  // Where the recorded events are in the ring: `count` of them from index `first`, in a ring of `cap`.
  #traceWindow() {
    const ex = this.#ex;
    const cap = ex.wsx_trace_capacity();
    if (!cap) return { cap, first: 0, count: 0 };
    const written = ex.wsx_trace_written();
    const count = Math.min(written, cap);
    // A 'last' ring wraps: its oldest surviving event sits just after the newest.
    const first = this.#opts.traceKeep === 'last' ? (written - count) % cap : 0;
    return { cap, first, count };
  }

  // runExample's read of the trace: a copy of the ring, decoded a chunk at a time with a macrotask between chunks,
  // so a full ring does not hold the event loop for tens of milliseconds. Closing the runtime meanwhile rejects.
  async #readTraceInChunks() {
    const { cap, first, count } = this.#traceWindow();
    if (!count) return [];
    const ring = this.#ex.wsx_trace_ring();
    const copy = this.#mem.u8().slice(ring, ring + cap * TRACE_RECORD.SIZE).buffer;
    const pause = () => new Promise((resolve) => postMacrotask(resolve)).then(() => this.#check());
    return decodeTraceInChunks(copy, 0, cap, first, count, (i) => this.#string(i), pause);
  }

  #string(i) {
    if (i === 0) return '';
    let s = this.#strings.get(i);
    if (s === undefined) {
      s = this.#mem.cstr(this.#ex.wsx_trace_string(i));
      this.#strings.set(i, s);
    }
    return s;
  }

  /** Changes the cooperative budget (0: unlimited) and the time slice. */
  configure(options = {}) {
    this.#check();
    if (this.#driver.running) throw new WasyncError('EBUSY', 'configure cannot be called from inside a poll');
    const o = checkConfigure(options, this.#opts);
    const rc = this.#ex.wsx_configure(o.budget, o.sliceMs);
    if (rc !== OK) throw errorFrom(rc);
    this.#opts.budget = o.budget;
    this.#opts.sliceMs = o.sliceMs;
  }

  /** Aborts a task by its id (`job.id`; trace events carry task numbers, not ids). False for a stale id. */
  abortTask(id) {
    this.#check();
    if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`abortTask: id must be a positive integer, not ${describe(id)}`);
    const rc = this.#ex.wsx_task_abort(id);
    if (rc === OK) this.#driver.schedule();
    return rc === OK;
  }

  /** Counters: tasks alive, polls, wakes, bytes of runtime memory, and the size of wasm memory. */
  stats() {
    this.#check();
    const p = this.#ex.wsx_stats();
    const dv = new DataView(this.#mem.buffer);
    const out = {};
    for (const [name, off, type] of STATS) out[name] = type === 'u64' ? Number(dv.getBigUint64(p + off, true)) : dv.getUint32(p + off, true);
    out.memoryBytes = this.#mem.buffer.byteLength;
    return out;
  }

  /** The blocking functions this module registers (ws_blocking.h), which spawn_blocking can name. */
  get blockingFunctions() {
    this.#check();
    return this.#blocking.names.slice();
  }

  /** The blocking pool: { workers, busy, queued, started, finished, removed, discarded, panicked, workersStarted }. */
  blockingStats() {
    return this.#blocking.stats();
  }

  /** Drops every task; pending promises reject with ECLOSED; the blocking pool's workers are terminated. Idempotent. */
  close() {
    if (this.#driver.dead) return;
    if (this.#driver.running) throw new WasyncError('EBUSY', 'close cannot be called from inside a poll');
    this.#driver.fail(new WasyncError('ECLOSED', 'the runtime was closed'));
    try {
      this.#ex.wsx_shutdown();
    } catch {
      // a module that trapped cannot shut down cleanly; its memory goes with the instance
    }
  }
}

export async function createRuntimeFrom(loadModule, options = {}) {
  const opts = checkOptions(options);
  const module = await loadModule(opts.wasm);
  const rt = new Runtime(opts);
  await rt._instantiate(module);
  return rt;
}
