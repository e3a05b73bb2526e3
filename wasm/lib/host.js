// host.js: host operations, JS promises that C futures await. A host call (ws_host_call) runs a function
// registered with defineHost; a fetch (ws_fetch, see fetch.js) runs fetch(). Each is an operation in flight
// until it settles or C drops its future (import op_cancel).
//
// An operation crosses as (slot, generation), two small integers: slots are reused, the generation tells a reused
// slot apart. Outcomes are delivered to C only from promise reactions, never inside wsx_run, and then the executor
// runs, in the same call when it can (Driver.settleMode).
import { ERRORS } from './contract.js';
import { WasyncError, messageOf, named, rejectionMessage } from './errors.js';
import { toBytes } from './memory.js';
import { BodyStreams, startFetch } from './fetch.js';
import { Handles, HostHandle, T, encodeValue, readValue, readValues, writeBlock, writeValueScratch } from './values.js';

const { EHOST, EINVAL, ENOENT, ENOMEM } = ERRORS;
const OK = 0;

// A host function's second argument: { signal }, an AbortSignal that aborts when the C future awaiting the call is
// dropped (a select it lost, a timeout, its task aborted, the runtime closed or trapped). The controller is made
// when `signal` is first read: most host functions never read it, and one per call would cost every await.
class CallContext {
  /** A typed call's arguments (the first is also the function's first argument); undefined for a text call. */
  args = undefined;
  #controller = null;
  #reason = undefined;    // the abort reason, if the call was dropped before `signal` was read
  #dropped = false;

  get signal() {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#dropped) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason) {
    if (this.#controller !== null) this.#controller.abort(reason);
    else {
      this.#dropped = true;
      this.#reason = reason;
    }
  }
}

// One operation in flight, as JS keeps it. A host call's record is pooled per slot and keeps its own two settle
// callbacks, made once: a record is reused for the next call on its slot when its promise has settled (`pending`
// false); a record whose promise is still out (its call was cancelled) is left to that promise and a new one made.
class OpRecord {
  slot;
  gen = -1;
  live = false;           // in flight: not yet settled, cancelled or failed
  pending = false;        // a host call whose promise has not yet settled (its callbacks are still referenced)
  controller = null;      // what to abort when C drops the op: a CallContext, a fetch's AbortController, a stream's
  host = null;            // a host call's function entry { name, fn, wantsContext }
  typed = false;          // a typed call (host_call_v): the value goes back typed
  ok;
  fail;

  constructor(ops, slot) {
    this.slot = slot;
    this.ok = (v) => ops.settled(this, v);
    this.fail = (e) => ops.rejected(this, e);
  }
}

export class HostOps {
  ex = null;
  #driver;
  #mem;
  #opts;
  #hosts = new Map();     // name -> { name, fn, wantsContext }
  #records = [];          // slot -> OpRecord (an array, not a Map)
  live = 0;
  handles = new Handles();    // the JS objects C holds handles to
  streams = new BodyStreams(); // the bodies of streamed fetch responses

  constructor(driver, mem, opts) {
    this.#driver = driver;
    this.#mem = mem;
    this.#opts = opts;
  }

  get baseUrl() { return this.#opts.baseUrl; }

  // A function declared with two parameters, or defined with { context: true }, gets the call context
  // ({ signal, args }) as its second argument; the others are called with the argument alone, and nothing is made
  // for the context: most host functions never cancel anything, and the object would cost every await.
  define(name, fn, context = fn.length >= 2) {
    this.#hosts.set(name, { name, fn, wantsContext: context });
    this.#lastPtr = -1; // the cache below may name the function this replaced
  }

  // The last host function called, by the address of its name in wasm memory: C code calls the same few host
  // functions again and again, with names at fixed addresses. A hit is checked byte by byte against the name, so
  // a different name later written at the same address is not mistaken for it. The check reads through the view
  // of memory taken at the miss that filled the cache, not a fresh one: memory growth detaches that view, its
  // reads are then undefined, and the check fails into the lookup, which takes a new view.
  #lastPtr = -1;
  #last = null;
  #lastView = null;

  // Returns the host function entry named by the bytes at namePtr, or undefined.
  #byName(namePtr, nameLen) {
    if (namePtr === this.#lastPtr) {
      const name = this.#last.name;
      if (nameLen === name.length) {
        const u8 = this.#lastView;
        let i = 0;
        while (i < nameLen && u8[namePtr + i] === name.charCodeAt(i)) i++;
        if (i === nameLen) return this.#last;
      }
    }
    const host = this.#hosts.get(this.#mem.str(namePtr, nameLen));
    if (host) {
      this.#lastPtr = namePtr;
      this.#last = host;
      this.#lastView = this.#mem.u8();
    }
    return host;
  }

  // The record for a new operation on `slot`: the slot's own, unless its last host call's promise is still out.
  #record(slot, gen) {
    let rec = this.#records[slot];
    if (rec === undefined || rec.pending) {
      rec = new OpRecord(this, slot);
      this.#records[slot] = rec;
    }
    rec.gen = gen;
    rec.live = true;
    this.live++;
    return rec;
  }

  #missing(slot, gen, namePtr, nameLen) {
    const name = this.#mem.str(namePtr, nameLen);
    this.#record(slot, gen);
    // Settled like any other outcome (not as a bare code from start), so the message can name what is missing.
    const names = [...this.#hosts.keys()];
    const known = names.slice(0, 20).map(named).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '') || 'none';
    queueMicrotask(() => this.settle(slot, gen, ENOENT, `no host function named ${named(name)} (defined: ${known})`));
    return OK;
  }

  // Calls the host function of `rec` and waits for its promise with the record's own callbacks.
  #call(rec, host, arg, cx) {
    let result;
    try {
      result = cx === null ? host.fn(arg) : host.fn(arg, cx);
    } catch (e) {
      result = Promise.reject(e);
    }
    if (!(result instanceof Promise)) {
      if (typeof result === 'string' || (result && typeof result.then === 'function') || rec.typed) result = Promise.resolve(result);
      else result = Promise.reject(new TypeError(`host function '${host.name}' returned ${result === null ? 'null' : typeof result}, not a promise`));
    }
    rec.pending = true;
    // Settlement always arrives from a later microtask: never inside this poll.
    result.then(rec.ok, rec.fail);
  }

  /** Import host_call. */
  hostCall(slot, gen, namePtr, nameLen, argPtr, argLen) {
    const host = this.#byName(namePtr, nameLen);
    if (!host) return this.#missing(slot, gen, namePtr, nameLen);
    const rec = this.#record(slot, gen);
    rec.host = host;
    rec.typed = false;
    const cx = host.wantsContext ? new CallContext() : null;
    rec.controller = cx;
    this.#call(rec, host, this.#mem.str(argPtr, argLen), cx);
    return OK;
  }

  /** Import host_call_v: a typed call (ws_host_callv_init). The function gets the first value as its argument and
   * all of them as context.args; what it resolves to goes back typed. */
  hostCallV(slot, gen, namePtr, nameLen, argsPtr, nargs) {
    const host = this.#byName(namePtr, nameLen);
    if (!host) return this.#missing(slot, gen, namePtr, nameLen);
    const rec = this.#record(slot, gen);
    rec.host = host;
    rec.typed = true;
    // The values as an array only for a function that can see them all (context.args).
    const whole = host.wantsContext || nargs > 1;
    let args, first;
    try {
      if (whole) args = readValues(this.#mem, this.handles, argsPtr, nargs);
      else first = nargs === 1 ? readValue(this.#mem, this.handles, argsPtr, 0) : undefined;
    } catch (e) { // an argument JS cannot decode: EINVAL for this call, the function is not called
      const why = `host function '${host.name}': ${e.message}`;
      queueMicrotask(() => this.settle(slot, gen, EINVAL, why));
      return OK;
    }
    let cx = null;
    if (host.wantsContext) {
      cx = new CallContext();
      cx.args = args;
    }
    rec.controller = cx;
    this.#call(rec, host, whole ? args[0] : first, cx);
    return OK;
  }

  /** Import host_call_n: a typed call of one number argument (ws_host_callv_init with one number, which C passes
   * as the import's parameter instead of in memory). The same as hostCallV otherwise. */
  hostCallN(slot, gen, namePtr, nameLen, x) {
    const host = this.#byName(namePtr, nameLen);
    if (!host) return this.#missing(slot, gen, namePtr, nameLen);
    const rec = this.#record(slot, gen);
    rec.host = host;
    rec.typed = true;
    let cx = null;
    if (host.wantsContext) {
      cx = new CallContext();
      cx.args = [x];
    }
    rec.controller = cx;
    this.#call(rec, host, x, cx);
    return OK;
  }

  /** A host call's promise resolved (the record's `ok` callback). */
  settled(rec, value) {
    rec.pending = false;
    if (!rec.live || this.#driver.dead) return; // cancelled: the outcome is ignored
    this.#end(rec);
    const slot = rec.slot, gen = rec.gen;
    if (rec.typed) {
      // A number, the value most awaits resolve to, goes inline without #settleTyped's other cases: this runs
      // once per await, and a browser's engine inlines less of a deeper chain of calls.
      if (typeof value === 'number') return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.NUMBER, value);
      return this.#settleTyped(slot, gen, value, rec.host.name);
    }
    const t = typeof value;
    if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') {
      const len = this.#mem.writeScratch(t === 'string' ? value : String(value));
      if (len >= 0) return this.#completeRun(this.ex.wsx_op_complete_scratch, slot, gen, OK, len);
    }
    this.#completeWith(slot, gen, OK, value, rec.host.name);
  }

  /** A host call's promise rejected (the record's `fail` callback). */
  rejected(rec, e) {
    rec.pending = false;
    if (!rec.live || this.#driver.dead) return;
    this.#end(rec);
    const what = rec.typed ? `host function '${rec.host.name}' failed` : `host function ${named(rec.host.name)}`;
    this.#completeWith(rec.slot, rec.gen, EHOST, rec.typed ? messageOf(e, what) : rejectionMessage(e, what));
  }

  // The op leaves the in-flight table (settled, cancelled or failed).
  #end(rec) {
    rec.live = false;
    rec.controller = null;
    this.live--;
  }

  // Completes an op with one call into the module that also runs the executor when nothing else can settle in this
  // turn (Driver.settleMode): `complete` is wsx_op_complete_scratch (a, b: err and the outcome's length in the
  // scratch buffer) or wsx_op_complete_value (a, b: the value's type and the value, kept in the future: see
  // ws_host_call_value). An export is passed rather than a closure: this runs once per await.
  #completeRun(complete, slot, gen, a, b) {
    const d = this.#driver;
    const run = d.settleMode(this.live);
    if (run) d.running = true;
    let status;
    try {
      status = complete(slot, gen, a, b, run ? 1 : 0);
    } catch (e) {
      d.running = false;
      d.trap(e);
      return;
    }
    if (run) d.ran(status);
  }

  // A typed outcome: a number, boolean, null, undefined or handle as it is (wsx_op_complete_value); others written as a
  // typed block (type, payload) into the scratch buffer when they fit, else into a block of their own.
  #settleTyped(slot, gen, value, name) {
    switch (typeof value) {
      case 'number': return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.NUMBER, value);
      case 'boolean': return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.BOOLEAN, value ? 1 : 0);
      case 'undefined': return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.UNDEFINED, 0);
      case 'object':
        if (value === null) return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.NULL, 0);
        if (value instanceof HostHandle) return this.#completeRun(this.ex.wsx_op_complete_value, slot, gen, T.HANDLE, this.handles.add(value.object));
        break;
      default: break;
    }
    const len = writeValueScratch(this.#mem, this.handles, value);
    if (len >= 0) return this.#completeRun(this.ex.wsx_op_complete_scratch, slot, gen, OK, len);
    this.#complete(() => {
      let type, payload;
      try {
        [type, payload] = encodeValue(value, this.handles);
      } catch (e) {
        const why = `host function '${name}' resolved to a value that cannot be passed to C: ${messageOf(e, 'it threw a value that is not an Error')}`;
        this.#deliver(slot, gen, EHOST, why, name);
        return;
      }
      const block = writeBlock(this.ex, this.#mem, type, payload);
      this.ex.wsx_op_complete(slot, gen, block ? OK : ENOMEM, block);
    });
  }

  #completeWith(slot, gen, err, payload, name) {
    this.#complete(() => this.#deliver(slot, gen, err, payload, name));
  }

  // Runs `deliver` (which calls a wsx_op_complete*), then the executor or a drain later (Driver.settleMode).
  #complete(deliver) {
    const d = this.#driver;
    const run = d.settleMode(this.live);
    try {
      deliver();
    } catch (e) {
      d.trap(e);
    }
    if (run) d.drain();
  }

  /** Import fetch_start. */
  fetchStart(slot, gen, mp, ml, up, ul, hp, hl, bp, bl, stream) {
    return startFetch(this, this.#mem, slot, gen, mp, ml, up, ul, hp, hl, bp, bl, stream);
  }

  /** Import body_read. */
  bodyRead(slot, gen, stream) {
    return this.streams.read(this, this.#mem, slot, gen, stream);
  }

  /** Import op_cancel: the future awaiting the operation was dropped. */
  cancel(slot, gen) {
    const rec = this.#live(slot, gen);
    if (rec === undefined) return;
    const c = rec.controller;
    this.#end(rec);
    c?.abort(new WasyncError('ECANCELED', 'the C future awaiting this operation was dropped'));
  }

  /** A fetch or body read started: `controller` is aborted if C drops it. */
  started(slot, gen, controller) {
    this.#record(slot, gen).controller = controller;
  }

  // The record of the op (slot, gen) if it is in flight.
  #live(slot, gen) {
    const rec = this.#records[slot];
    return rec !== undefined && rec.live && rec.gen === gen ? rec : undefined;
  }

  /** Claims a live operation for settlement. False if it was cancelled (its future dropped) or the runtime
   * closed: then the outcome is ignored and nothing is allocated. */
  claim(slot, gen) {
    const rec = this.#driver.dead ? undefined : this.#live(slot, gen);
    if (rec === undefined) return false;
    this.#end(rec);
    return true;
  }

  /** Delivers an outcome of a claimed op with `deliver()` (which calls a wsx_op_complete*), then runs the
   * executor. */
  complete(deliver) {
    this.#complete(deliver);
  }

  // Delivers an outcome (a string, or any value toBytes accepts) to the operation's future, then runs the
  // executor. Only ever called from a promise reaction: never inside wsx_run. `name` names the host function in
  // the message when its value cannot be converted.
  settle(slot, gen, err, payload, name) {
    if (!this.claim(slot, gen)) return;
    this.#completeWith(slot, gen, err, payload, name);
  }

  #deliver(slot, gen, err, payload, name) {
    const t = typeof payload;
    const str = t === 'string' ? payload : t === 'number' || t === 'boolean' || t === 'bigint' ? String(payload) : null;
    const len = str === null ? -1 : this.#mem.writeScratch(str);
    if (len >= 0) {
      this.ex.wsx_op_complete_scratch(slot, gen, err, len); // one call: C copies it into a block of its own
    } else {
      let bytes;
      try {
        bytes = toBytes(payload);
      } catch (e) {
        // A value the bridge cannot convert (circular, a throwing toJSON, a BigInt inside JSON) fails this call
        // only: the message goes to C as the operation's error.
        const why = `host function ${named(name ?? '?')} resolved to a value that cannot be passed to C: ${messageOf(e, 'it threw a value that is not an Error')}`;
        this.#deliver(slot, gen, EHOST, why, name);
        return;
      }
      const block = this.#mem.bytesBlock(bytes);
      this.ex.wsx_op_complete(slot, gen, !block && bytes.length ? ENOMEM : err, block); // takes the block in every case
    }
  }

  /** The runtime closed or trapped (`err`): abort every operation in flight with it, and forget them all. */
  failAll(err) {
    const records = this.#records;
    this.#records = [];
    this.live = 0;
    for (const rec of records) {
      if (rec === undefined || !rec.live) continue;
      rec.live = false;
      rec.controller?.abort(err);
    }
    this.streams.closeAll();
  }
}
