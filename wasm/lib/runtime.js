// runtime.js: one wasync runtime inside the host's event loop.
//
// Who wakes whom, and when the executor runs:
//   - C asks for a run (import request_run) when a task becomes runnable while the executor is idle; a settled
//     promise or fetch completes its operation (wsx_op_complete), which wakes the waiting task and so asks too;
//     the single host timer (import arm_timer) fires for the earliest deadline. All of these only *schedule* a
//     drain, once, from a microtask; the one exception is a settlement when no other operation is in flight,
//     which drains at once (#runAfterSettle). The executor never runs re-entrantly (never inside a poll).
//   - A drain is one wsx_run call: it polls until nothing is runnable or the time slice (sliceMs) is used; then it
//     returns, and if work is left the next drain is posted as a macrotask, so a long drain never freezes
//     rendering or input.
//   - Finished jobs (tasks started from JS) are reaped after each drain; their promises settle then.

import { WasyncError, codeOf, errorFrom } from './errors.js';
import { decodeTrace } from './trace.js';

const RUN_MORE = 1;
const RUN_WAIT = 2;
const RUN_STATUS = 15;
const RUN_JOBS_DONE = 16; // or-ed into wsx_run's status when a task finished (bridge.c)
const FLAG_REAL_CLOCK = 1;
const FLAG_TRACE_KEEP_FIRST = 2;
const EHOST = -7;
const ENOENT = -11;
const ENOMEM = -2;
const OK = 0;

const utf8 = new TextEncoder();
const text = new TextDecoder();

// A macrotask that is not clamped like nested setTimeout(0): setImmediate in Node, a MessageChannel in browsers.
const postMacrotask = (() => {
  if (typeof globalThis.setImmediate === 'function') return (fn) => globalThis.setImmediate(fn);
  if (typeof MessageChannel === 'function') {
    const queue = [];
    const ch = new MessageChannel();
    ch.port1.onmessage = () => queue.shift()?.();
    return (fn) => {
      queue.push(fn);
      ch.port2.postMessage(0);
    };
  }
  return (fn) => setTimeout(fn, 0);
})();

function checkOptions(o) {
  if (o === null || typeof o !== 'object') throw new TypeError('createRuntime: options must be an object');
  const known = new Set(['clock', 'trace', 'traceCapacity', 'traceKeep', 'budget', 'sliceMs', 'wasm', 'baseUrl', 'runLimitMs']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new TypeError(`createRuntime: unknown option '${k}'`);
  const clock = o.clock ?? 'virtual';
  if (clock !== 'virtual' && clock !== 'real') throw new TypeError(`createRuntime: clock must be 'virtual' or 'real', not ${JSON.stringify(clock)}`);
  const int = (name, v, def, min, max) => {
    if (v === undefined) return def;
    if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`createRuntime: ${name} must be an integer from ${min} to ${max}`);
    return v;
  };
  const sliceMs = o.sliceMs ?? 4;
  if (typeof sliceMs !== 'number' || !(sliceMs >= 0 && sliceMs <= 60000)) throw new TypeError('createRuntime: sliceMs must be a number from 0 to 60000');
  if (o.trace !== undefined && typeof o.trace !== 'boolean') throw new TypeError('createRuntime: trace must be a boolean');
  const traceKeep = o.traceKeep ?? 'first';
  if (traceKeep !== 'first' && traceKeep !== 'last') throw new TypeError(`createRuntime: traceKeep must be 'first' or 'last', not ${JSON.stringify(traceKeep)}`);
  return {
    clock,
    trace: o.trace ?? true,
    traceCapacity: int('traceCapacity', o.traceCapacity, 65536, 16, 1 << 22),
    traceKeep,
    budget: int('budget', o.budget, 128, 0, 0xffffffff),
    sliceMs,
    wasm: o.wasm,
    baseUrl: o.baseUrl ?? globalThis.location?.href,
    runLimitMs: int('runLimitMs', o.runLimitMs, 600000, 1, 1e9),
  };
}

export class Runtime {
  #ex = null;
  #memory = null;
  #opts;
  #hosts = new Map();
  // The ops in flight, by slot: an operation crosses as (slot, generation), two small integers (slots are reused,
  // the generation tells a reused slot apart). #opGens[slot] is the live generation (-1 when free), #opControllers
  // a fetch's AbortController, or null for a host call. Arrays, not a Map: two lookups per await.
  #opGens = [];
  #opControllers = [];
  #opsLive = 0;
  #jobs = new Map();      // job index -> { resolve, reject, done, cleanup }
  #scheduled = false;
  #drainFn = () => this.#drain(); // one closure for every scheduled drain, not one per wake
  #running = false;
  #timer = null;          // the single host timer
  #waitSince = null;      // virtual clock: real time when the runtime started waiting on the host
  #dead = null;           // a WasyncError once the module trapped or the runtime was closed
  #strings = new Map();
  #view = null;           // a Uint8Array over memory, renewed only when memory grows
  #scratch = 0;           // address and size of the C scratch buffer for small outcomes
  #scratchSize = 0;
  #entries = [];
  #exampleChain = Promise.resolve();

  constructor(opts) {
    this.#opts = opts;
  }

  /** @internal */
  async _instantiate(module) {
    const imports = {
      wasync: {
        now_ms: () => performance.now(),
        arm_timer: (deadline) => this.#armTimer(deadline),
        request_run: () => this.#schedule(),
        host_call: (slot, gen, np, nl, ap, al) => this.#hostCall(slot, gen, np, nl, ap, al),
        fetch_start: (slot, gen, mp, ml, up, ul, hp, hl, bp, bl) => this.#fetchStart(slot, gen, mp, ml, up, ul, hp, hl, bp, bl),
        op_cancel: (slot, gen) => this.#opCancel(slot, gen),
      },
      // The module tells us when memory grows (which detaches every view of the old buffer).
      env: { emscripten_notify_memory_growth: () => { this.#view = null; } },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    this.#ex = instance.exports;
    this.#memory = instance.exports.memory;
    this.#ex._initialize?.();
    this.#scratch = this.#ex.wsx_scratch();
    this.#scratchSize = this.#ex.wsx_scratch_size();
    const o = this.#opts;
    const flags = (o.clock === 'real' ? FLAG_REAL_CLOCK : 0) | (o.traceKeep === 'first' ? FLAG_TRACE_KEEP_FIRST : 0);
    const rc = this.#ex.wsx_init(flags, o.trace ? o.traceCapacity : 0, o.budget, o.sliceMs);
    if (rc !== OK) throw errorFrom(rc, `cannot create the runtime: ${codeOf(rc)}`);
    const json = this.#ex.wsx_entries_json();
    if (!json) throw new WasyncError('ENOMEM', 'cannot read the entry points');
    this.#entries = JSON.parse(this.#readBytes(json));
    this.#ex.wsx_bytes_free(json);
    this.examples = Object.freeze(this.#entries.filter((e) => e.example).map((e) => Object.freeze({
      name: e.name, title: e.title, description: e.description,
      params: Object.freeze(e.params.map((p) => Object.freeze({ ...p }))),
    })));
    this.entries = Object.freeze(this.#entries.map((e) => e.name));
  }

  get clock() { return this.#opts.clock; }
  get closed() { return this.#dead !== null; }

  // ---- memory helpers ----

  #u8() {
    if (this.#view === null) this.#view = new Uint8Array(this.#memory.buffer);
    return this.#view;
  }
  #str(ptr, len) {
    const u8 = this.#u8();
    if (len <= 64) {
      // Names and small arguments are ASCII in practice: building the string directly avoids TextDecoder's
      // per-call cost, which dominated small host calls.
      let s = '';
      for (let i = 0; i < len; i++) {
        const c = u8[ptr + i];
        if (c >= 0x80) return text.decode(u8.subarray(ptr, ptr + len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return text.decode(u8.subarray(ptr, ptr + len));
  }
  #cstr(ptr) {
    const u8 = this.#u8();
    let end = ptr;
    while (u8[end]) end++;
    return text.decode(u8.subarray(ptr, end));
  }
  #readBytes(block) {
    const len = new DataView(this.#memory.buffer).getUint32(block, true);
    return this.#str(block + 4, len);
  }
  /** Writes `bytes` into a new ws_bytes block; returns its address or 0. One copy. */
  #bytesBlock(bytes) {
    const block = this.#ex.wsx_bytes_alloc(bytes.length);
    if (block) this.#u8().set(bytes, block + 4);
    return block;
  }
  /** Calls fn(ptr, len) with `s` copied into scratch memory, freed afterwards. */
  #withString(s, fn) {
    const bytes = utf8.encode(s);
    const ptr = bytes.length ? this.#ex.wsx_alloc(bytes.length) : 0;
    if (bytes.length && !ptr) throw new WasyncError('ENOMEM', 'out of memory');
    try {
      this.#u8().set(bytes, ptr);
      return fn(ptr, bytes.length);
    } finally {
      if (ptr) this.#ex.wsx_free(ptr, bytes.length);
    }
  }

  #check() {
    if (this.#dead) throw this.#dead;
  }

  // ---- driving the executor ----

  #schedule() {
    if (this.#scheduled || this.#dead) return;
    this.#scheduled = true;
    queueMicrotask(this.#drainFn);
  }

  // After an outcome was delivered. With nothing else in flight, no other outcome can arrive in this microtask
  // turn, so run now rather than one microtask later (one await at a time: a microtask hop less per await).
  // Otherwise one drain for the whole turn, so that outcomes settling together are polled in one run.
  #runAfterSettle() {
    if (this.#opsLive === 0 && !this.#scheduled && !this.#running) this.#drain();
    else this.#schedule();
  }

  #drain() {
    this.#scheduled = false;
    if (this.#dead) return;
    let status;
    this.#running = true;
    try {
      status = this.#ex.wsx_run();
    } catch (e) {
      this.#trap(e);
      return;
    } finally {
      this.#running = false;
    }
    if (status & RUN_JOBS_DONE) this.#reap();
    status &= RUN_STATUS;
    if (status === RUN_MORE) {
      this.#scheduled = true;
      postMacrotask(this.#drainFn);
    } else if (status === RUN_WAIT && this.#opts.clock === 'virtual') {
      this.#waitVirtually();
    }
  }

  // Virtual clock, waiting for the host: time follows real time until the host answers, and a timer that comes
  // due meanwhile still fires (so a timeout around a fetch works in virtual mode too).
  #waitVirtually() {
    this.#waitSince ??= performance.now();
    const next = this.#ex.wsx_next_deadline_ms();
    if (next >= 0) this.#armTimer(performance.now() + Math.max(0, next - this.#ex.wsx_now_ms()), true);
  }

  #catchUpVirtualClock() {
    if (this.#waitSince === null) return;
    const delta = performance.now() - this.#waitSince;
    this.#waitSince = null;
    if (delta > 0) this.#ex.wsx_clock_advance(delta);
  }

  #armTimer(deadline, virtualWait = false) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (deadline < 0 || this.#dead) return;
    // setTimeout may fire a little before `deadline` by performance.now(). A drain then would find nothing due,
    // while C, which asked once for this deadline, waits for it: so an early timer waits out the rest first.
    const fire = () => {
      const left = deadline - performance.now();
      if (!virtualWait && left > 0) {
        this.#timer = setTimeout(fire, Math.ceil(left));
        return;
      }
      this.#timer = null;
      if (virtualWait) this.#catchUpVirtualClock();
      this.#schedule();
    };
    this.#timer = setTimeout(fire, Math.ceil(Math.max(0, deadline - performance.now())));
  }

  #reap() {
    const ex = this.#ex;
    for (let j = ex.wsx_reap(); j >= 0; j = ex.wsx_reap()) {
      const err = ex.wsx_result_err();
      const block = ex.wsx_result_text();
      const value = block ? this.#readBytes(block) : ex.wsx_result_value();
      ex.wsx_result_release();
      const job = this.#jobs.get(j);
      this.#jobs.delete(j);
      if (!job) continue;
      job.cleanup();
      if (err === OK) job.resolve(value);
      else job.reject(errorFrom(err, typeof value === 'string' && value ? value : undefined));
    }
  }

  #trap(e) {
    const err = new WasyncError('ETRAP', `the WebAssembly module trapped: ${e?.message ?? e}`, { cause: e });
    this.#fail(err);
  }

  #fail(err) {
    if (this.#dead) return;
    this.#dead = err;
    if (this.#timer !== null) clearTimeout(this.#timer);
    for (const controller of this.#opControllers) controller?.abort();
    this.#opGens = [];
    this.#opControllers = [];
    this.#opsLive = 0;
    for (const job of this.#jobs.values()) {
      job.cleanup();
      job.reject(err);
    }
    this.#jobs.clear();
  }

  // ---- host functions (JS promise -> C future) ----

  /** Registers an async function that C code can call by name (ws_host_call) and await. */
  defineHost(name, fn) {
    this.#check();
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('defineHost: name must be a non-empty string');
    if (typeof fn !== 'function') throw new TypeError(`defineHost: the host function for '${name}' must be a function`);
    this.#hosts.set(name, fn);
    this.#lastHostPtr = -1; // the cache below may name the function this replaced
    return this;
  }

  // The last host function called, by the address of its name in wasm memory: C code calls the same few host
  // functions again and again, with names at fixed addresses. A hit is checked byte by byte against the name, so
  // a different name later written at the same address is not mistaken for it.
  #lastHostPtr = -1;
  #lastHostName = '';
  #lastHostFn = null;

  // Returns the host function named by the bytes at namePtr (and leaves its name in #lastHostName), or undefined.
  #hostByName(namePtr, nameLen) {
    if (namePtr === this.#lastHostPtr && nameLen === this.#lastHostName.length) {
      const u8 = this.#u8();
      const name = this.#lastHostName;
      let i = 0;
      while (i < nameLen && u8[namePtr + i] === name.charCodeAt(i)) i++;
      if (i === nameLen) return this.#lastHostFn;
    }
    const name = this.#str(namePtr, nameLen);
    const fn = this.#hosts.get(name);
    if (fn) {
      this.#lastHostPtr = namePtr;
      this.#lastHostName = name;
      this.#lastHostFn = fn;
    }
    return fn;
  }

  #hostCall(slot, gen, namePtr, nameLen, argPtr, argLen) {
    const fn = this.#hostByName(namePtr, nameLen);
    this.#opStarted(slot, gen, null);
    if (!fn) {
      const name = this.#str(namePtr, nameLen);
      // Settled like any other outcome (not as a bare code from start), so the message can name what is missing.
      const known = [...this.#hosts.keys()].join(', ') || 'none';
      queueMicrotask(() => this.#settle(slot, gen, ENOENT, `no host function named '${name}' (defined: ${known})`));
      return OK;
    }
    const name = this.#lastHostName; // what #hostByName found
    const arg = this.#str(argPtr, argLen);
    let result;
    try {
      result = fn(arg);
    } catch (e) {
      result = Promise.reject(e);
    }
    if (typeof result !== 'string' && (!result || typeof result.then !== 'function')) { // a plain string is a value
      result = Promise.reject(new TypeError(`host function '${name}' returned ${result === null ? 'null' : typeof result}, not a promise`));
    }
    // Settlement always arrives from a later microtask: never inside this poll.
    (result instanceof Promise ? result : Promise.resolve(result)).then(
      (v) => this.#settle(slot, gen, OK, v),
      (e) => this.#settle(slot, gen, EHOST, messageOf(e, `host function '${name}' failed`)),
    );
    return OK;
  }

  #opStarted(slot, gen, controller) {
    this.#opGens[slot] = gen;
    this.#opControllers[slot] = controller;
    this.#opsLive++;
  }

  // Removes an op from the in-flight table: its controller (null for a host call), or undefined if not in flight.
  #opTake(slot, gen) {
    if (this.#opGens[slot] !== gen) return undefined;
    const c = this.#opControllers[slot];
    this.#opGens[slot] = -1;
    this.#opControllers[slot] = null;
    this.#opsLive--;
    return c;
  }

  // Claims a live operation for settlement. False if it was cancelled (its future dropped) or the runtime closed:
  // then the outcome is ignored and nothing is allocated.
  #claim(slot, gen) {
    if (this.#dead || this.#opTake(slot, gen) === undefined) return false;
    this.#catchUpVirtualClock();
    return true;
  }

  // Delivers an outcome (a string, or any value toBytes accepts) to the operation's future, then runs the
  // executor (see #runAfterSettle). Only ever called from a promise reaction: never inside wsx_run.
  #settle(slot, gen, err, payload) {
    if (!this.#claim(slot, gen)) return;
    try {
      this.#deliver(slot, gen, err, payload);
    } catch (e) {
      this.#trap(e);
    }
    this.#runAfterSettle();
  }

  #deliver(slot, gen, err, payload) {
    const t = typeof payload;
    const str = t === 'string' ? payload : t === 'number' || t === 'boolean' || t === 'bigint' ? String(payload) : null;
    const len = str === null ? -1 : this.#writeScratch(str);
    if (len >= 0) {
      this.#ex.wsx_op_complete_scratch(slot, gen, err, len); // one call: C copies it into a block of its own
    } else {
      const bytes = toBytes(payload);
      const block = this.#bytesBlock(bytes);
      this.#ex.wsx_op_complete(slot, gen, !block && bytes.length ? ENOMEM : err, block); // takes the block in every case
    }
  }

  // Writes `s` as UTF-8 into the scratch buffer; returns its length, or -1 if it does not fit.
  #writeScratch(s) {
    if (s.length > this.#scratchSize) return -1;
    const u8 = this.#u8();
    const base = this.#scratch;
    if (s.length <= 64) {
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        u8[base + i] = c;
      }
      if (i === s.length) return i;
    }
    const r = utf8.encodeInto(s, u8.subarray(base, base + this.#scratchSize));
    return r.read === s.length ? r.written : -1;
  }

  #opCancel(slot, gen) {
    this.#opTake(slot, gen)?.abort(new WasyncError('ECANCELED', 'the future awaiting this fetch was dropped'));
  }

  // ---- fetch ----

  #fetchStart(slot, gen, mp, ml, up, ul, hp, hl, bp, bl) {
    const method = this.#str(mp, ml);
    const rawUrl = this.#str(up, ul);
    const headerText = this.#str(hp, hl);
    const body = bl ? this.#u8().slice(bp, bp + bl) : undefined; // copied: memory may grow before fetch reads it
    const controller = new AbortController();
    this.#opStarted(slot, gen, controller);
    const fail = (e) => this.#settle(slot, gen, EHOST, `fetch ${rawUrl} failed: ${messageOf(e, 'network error')}`);
    let url;
    try {
      url = new URL(rawUrl, this.#opts.baseUrl);
    } catch {
      queueMicrotask(() => fail(new TypeError(this.#opts.baseUrl ? 'invalid URL' : 'a relative URL needs the baseUrl option')));
      return OK;
    }
    const headers = new Headers();
    try {
      for (const line of headerText.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
    } catch (e) {
      queueMicrotask(() => fail(e));
      return OK;
    }
    fetch(url, { method, headers, body, signal: controller.signal })
      .then(async (res) => {
        const data = new Uint8Array(await res.arrayBuffer());
        let hs = '';
        for (const [k, v] of res.headers) hs += `${k}: ${v}\n`;
        this.#settleFetch(slot, gen, res.status, utf8.encode(hs), data);
      })
      .catch(fail);
    return OK;
  }

  // The response as one block: [u32 status][u32 headers_len][headers][NUL][body]; the body is copied once.
  #settleFetch(slot, gen, status, headers, body) {
    if (!this.#claim(slot, gen)) return;
    try {
      this.#deliverFetch(slot, gen, status, headers, body);
    } catch (e) {
      this.#trap(e);
    }
    this.#runAfterSettle();
  }

  #deliverFetch(slot, gen, status, headers, body) {
    const block = this.#ex.wsx_bytes_alloc(8 + headers.length + 1 + body.length);
    if (block) {
      const u8 = this.#u8();
      const dv = new DataView(this.#memory.buffer);
      dv.setUint32(block + 4, status, true);
      dv.setUint32(block + 8, headers.length, true);
      u8.set(headers, block + 12);
      u8[block + 12 + headers.length] = 0;
      u8.set(body, block + 13 + headers.length);
    }
    this.#ex.wsx_op_complete(slot, gen, block ? OK : ENOMEM, block);
  }

  // ---- C async entry points (C future -> JS promise) ----

  #encodeArgs(entry, args) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new TypeError(`${entry.name}: arguments must be an object`);
    let lines = '';
    for (const [k, v] of Object.entries(args)) {
      if (v === undefined) continue;
      const p = entry.params.find((q) => q.name === k);
      if (!p) throw new WasyncError('EINVAL', `${entry.name}: unknown parameter '${k}' (expected ${entry.params.map((q) => q.name).join(', ') || 'none'})`);
      let s;
      if (p.kind === 'ms' || p.kind === 'int') {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be an integer, not ${JSON.stringify(v)}`);
        if (v < p.min || v > p.max) throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be from ${p.min} to ${p.max}`);
        s = String(v);
      } else if (p.kind === 'url') {
        if (typeof v !== 'string' || v === '') throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be a URL string`);
        try {
          s = new URL(v, this.#opts.baseUrl).href;
        } catch {
          throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' is not a valid URL: ${JSON.stringify(v)}`);
        }
      } else {
        if (typeof v !== 'string') throw new WasyncError('EINVAL', `${entry.name}: parameter '${k}' must be a string`);
        s = v;
      }
      lines += `${k}=${s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
    }
    // URL parameters left at their default are resolved here too, so C never sees a relative URL.
    for (const p of entry.params) {
      if (p.kind === 'url' && args[p.name] === undefined && p.default) {
        try {
          lines += `${p.name}=${new URL(p.default, this.#opts.baseUrl).href}\n`;
        } catch {
          // no base URL (Node without baseUrl): leave the default to C, and the fetch reports the problem
        }
      }
    }
    return lines;
  }

  /**
   * Starts the C async entry point `name`. Returns { id, promise, abort }. Throws a WasyncError (code EINVAL or
   * ENOENT) for a bad name or bad arguments, and ECLOSED once the runtime is closed.
   */
  start(name, args = {}, options = {}) {
    this.#check();
    if (typeof name !== 'string') throw new TypeError('start: name must be a string');
    const entry = this.#entries.find((e) => e.name === name);
    if (!entry) throw new WasyncError('ENOENT', `no entry point named '${name}' (known: ${this.entries.join(', ')})`);
    const signal = options?.signal;
    if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
      throw new TypeError('start: signal must be an AbortSignal');
    }
    const lines = this.#encodeArgs(entry, args);
    let j;
    try {
      j = this.#withString(name, (np, nl) => this.#withString(lines, (ap, al) => this.#ex.wsx_start(np, nl, ap, al)));
    } catch (e) {
      if (e instanceof WasyncError) throw e;
      this.#trap(e); // the module trapped: every pending promise rejects, and so does this call
      throw this.#dead;
    }
    if (j < 0) throw errorFrom(j, this.#cstr(this.#ex.wsx_error_message()));
    const id = this.#ex.wsx_job_task(j);
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    const job = { resolve, reject, done: false, cleanup: () => {} };
    const settleOnce = (fn) => (v) => { if (!job.done) { job.done = true; fn(v); } };
    job.resolve = settleOnce(resolve);
    job.reject = settleOnce(reject);
    this.#jobs.set(j, job);
    let aborted = false;
    const abort = () => {
      if (aborted || job.done || this.#dead) return false;
      aborted = true;
      const rc = this.#ex.wsx_abort(j);
      if (rc === OK) this.#schedule();
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
    this.#schedule();
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
    if (!this.examples.some((e) => e.name === name)) {
      // The default module has none: say where they are rather than list nothing.
      const known = this.examples.length ? `known: ${this.examples.map((e) => e.name).join(', ')}`
        : "this module has no examples; the package's are in its examples module: createRuntime({ wasm: EXAMPLES_WASM })";
      throw new WasyncError('ENOENT', `no example named ${JSON.stringify(name)} (${known})`);
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
    const trace = this.readTrace();
    const lost = this.#ex.wsx_trace_lost();
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
  readTrace({ clear = false } = {}) {
    this.#check();
    const ex = this.#ex;
    const cap = ex.wsx_trace_capacity();
    if (!cap) return [];
    const written = ex.wsx_trace_written();
    const count = Math.min(written, cap);
    // A 'last' ring wraps: its oldest surviving event sits just after the newest.
    const first = this.#opts.traceKeep === 'last' ? (written - count) % cap : 0;
    const events = decodeTrace(this.#memory.buffer, ex.wsx_trace_ring(), cap, first, count, (i) => this.#string(i));
    if (clear) ex.wsx_trace_clear();
    return events;
  }

  #string(i) {
    if (i === 0) return '';
    let s = this.#strings.get(i);
    if (s === undefined) {
      s = this.#cstr(this.#ex.wsx_trace_string(i));
      this.#strings.set(i, s);
    }
    return s;
  }

  /** Changes the cooperative budget (0: unlimited) and the time slice. */
  configure({ budget = this.#opts.budget, sliceMs = this.#opts.sliceMs } = {}) {
    this.#check();
    if (this.#running) throw new WasyncError('EBUSY', 'configure cannot be called from inside a poll');
    const o = checkOptions({ budget, sliceMs });
    const rc = this.#ex.wsx_configure(o.budget, o.sliceMs);
    if (rc !== OK) throw errorFrom(rc);
    this.#opts.budget = o.budget;
    this.#opts.sliceMs = o.sliceMs;
  }

  /** Aborts a task by its id (`job.id`; trace events carry task numbers, not ids). False for a stale id. */
  abortTask(id) {
    this.#check();
    if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError('abortTask: id must be a positive integer');
    const rc = this.#ex.wsx_task_abort(id);
    if (rc === OK) this.#schedule();
    return rc === OK;
  }

  /** Counters: tasks alive, polls, wakes, bytes of runtime memory, and the size of wasm memory. */
  stats() {
    this.#check();
    const p = this.#ex.wsx_stats();
    const dv = new DataView(this.#memory.buffer);
    const u64 = (off) => Number(dv.getBigUint64(p + off, true));
    return {
      spawned: u64(0), completed: u64(8), aborted: u64(16), polls: u64(24), wakes: u64(32), staleWakes: u64(40),
      tasksLive: dv.getUint32(p + 48, true), timersArmed: dv.getUint32(p + 52, true),
      opsInFlight: dv.getUint32(p + 56, true), objectsLive: dv.getUint32(p + 60, true),
      bytesLive: dv.getUint32(p + 64, true), memoryBytes: this.#memory.buffer.byteLength,
    };
  }

  /** Drops every task; pending promises reject with ECLOSED. Idempotent. */
  close() {
    if (this.#dead) return;
    if (this.#running) throw new WasyncError('EBUSY', 'close cannot be called from inside a poll');
    this.#fail(new WasyncError('ECLOSED', 'the runtime was closed'));
    try {
      this.#ex.wsx_shutdown();
    } catch {
      // a module that trapped cannot shut down cleanly; its memory goes with the instance
    }
  }
}

function toBytes(v) {
  if (typeof v === 'string') return utf8.encode(v);
  if (v === undefined || v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return utf8.encode(String(v));
  return utf8.encode(JSON.stringify(v));
}

function messageOf(e, fallback) {
  if (e instanceof Error) return e.message || fallback;
  if (typeof e === 'string') return e;
  return fallback;
}

export async function createRuntimeFrom(loadModule, options = {}) {
  const opts = checkOptions(options);
  const module = await loadModule(opts.wasm);
  const rt = new Runtime(opts);
  await rt._instantiate(module);
  return rt;
}
