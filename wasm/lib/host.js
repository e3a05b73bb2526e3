// host.js: host operations, JS promises that C futures await. A host call (ws_host_call) runs a function
// registered with defineHost; a fetch (ws_fetch, see fetch.js) runs fetch(). Each is an operation in flight
// until it settles or C drops its future (import op_cancel).
//
// An operation crosses as (slot, generation), two small integers: slots are reused, the generation tells a reused
// slot apart. Outcomes are delivered to C only from promise reactions, never inside wsx_run, and then the executor
// runs (Driver.runAfterSettle).
import { ERRORS } from './contract.js';
import { WasyncError, messageOf, named, rejectionMessage } from './errors.js';
import { toBytes } from './memory.js';
import { BodyStreams, startFetch } from './fetch.js';
import { Handles, encodeValue, readValues, writeBlock } from './values.js';

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

export class HostOps {
  ex = null;
  #driver;
  #mem;
  #opts;
  #hosts = new Map();
  // The ops in flight, by slot: #gens[slot] is the live generation (-1 when free), #controllers[slot] what to
  // abort when C drops the op: a fetch's AbortController or a host call's CallContext. Arrays, not a Map.
  #gens = [];
  #controllers = [];
  live = 0;
  handles = new Handles();    // the JS objects C holds handles to
  streams = new BodyStreams(); // the bodies of streamed fetch responses

  constructor(driver, mem, opts) {
    this.#driver = driver;
    this.#mem = mem;
    this.#opts = opts;
  }

  get baseUrl() { return this.#opts.baseUrl; }

  define(name, fn) {
    this.#hosts.set(name, fn);
    this.#lastPtr = -1; // the cache below may name the function this replaced
  }

  // The last host function called, by the address of its name in wasm memory: C code calls the same few host
  // functions again and again, with names at fixed addresses. A hit is checked byte by byte against the name, so
  // a different name later written at the same address is not mistaken for it.
  #lastPtr = -1;
  #lastName = '';
  #lastFn = null;

  // Returns the host function named by the bytes at namePtr (and leaves its name in #lastName), or undefined.
  #byName(namePtr, nameLen) {
    if (namePtr === this.#lastPtr && nameLen === this.#lastName.length) {
      const u8 = this.#mem.u8();
      const name = this.#lastName;
      let i = 0;
      while (i < nameLen && u8[namePtr + i] === name.charCodeAt(i)) i++;
      if (i === nameLen) return this.#lastFn;
    }
    const name = this.#mem.str(namePtr, nameLen);
    const fn = this.#hosts.get(name);
    if (fn) {
      this.#lastPtr = namePtr;
      this.#lastName = name;
      this.#lastFn = fn;
    }
    return fn;
  }

  /** Import host_call. */
  hostCall(slot, gen, namePtr, nameLen, argPtr, argLen) {
    const fn = this.#byName(namePtr, nameLen);
    const cx = new CallContext();
    this.started(slot, gen, cx);
    if (!fn) {
      const name = this.#mem.str(namePtr, nameLen);
      // Settled like any other outcome (not as a bare code from start), so the message can name what is missing.
      const names = [...this.#hosts.keys()];
      const known = names.slice(0, 20).map(named).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '') || 'none';
      queueMicrotask(() => this.settle(slot, gen, ENOENT, `no host function named ${named(name)} (defined: ${known})`));
      return OK;
    }
    const name = this.#lastName; // what #byName found
    const arg = this.#mem.str(argPtr, argLen);
    let result;
    try {
      result = fn(arg, cx);
    } catch (e) {
      result = Promise.reject(e);
    }
    if (typeof result !== 'string' && (!result || typeof result.then !== 'function')) { // a plain string is a value
      result = Promise.reject(new TypeError(`host function '${name}' returned ${result === null ? 'null' : typeof result}, not a promise`));
    }
    // Settlement always arrives from a later microtask: never inside this poll.
    (result instanceof Promise ? result : Promise.resolve(result)).then(
      (v) => this.settle(slot, gen, OK, v, name),
      (e) => this.settle(slot, gen, EHOST, rejectionMessage(e, `host function ${named(name)}`)),
    );
    return OK;
  }

  /** Import host_call_v: a typed call (ws_host_callv_init). The function gets the first value as its argument and
   * all of them as context.args; what it resolves to goes back typed. */
  hostCallV(slot, gen, namePtr, nameLen, argsPtr, nargs) {
    const fn = this.#byName(namePtr, nameLen);
    const cx = new CallContext();
    this.started(slot, gen, cx);
    const name = fn ? this.#lastName : this.#mem.str(namePtr, nameLen);
    if (!fn) {
      const known = [...this.#hosts.keys()].join(', ') || 'none';
      queueMicrotask(() => this.settle(slot, gen, ENOENT, `no host function named '${name}' (defined: ${known})`));
      return OK;
    }
    try {
      cx.args = readValues(this.#mem, this.handles, argsPtr, nargs);
    } catch (e) { // an argument JS cannot decode: EINVAL for this call, the function is not called
      const why = `host function '${name}': ${e.message}`;
      queueMicrotask(() => this.settle(slot, gen, EINVAL, why));
      return OK;
    }
    let result;
    try {
      result = fn(cx.args[0], cx);
    } catch (e) {
      result = Promise.reject(e);
    }
    Promise.resolve(result).then(
      (v) => this.#settleTyped(slot, gen, v, name),
      (e) => this.settle(slot, gen, EHOST, messageOf(e, `host function '${name}' failed`)),
    );
    return OK;
  }

  #settleTyped(slot, gen, value, name) {
    if (!this.claim(slot, gen)) return;
    this.complete(() => {
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
    this.#take(slot, gen)?.abort(new WasyncError('ECANCELED', 'the C future awaiting this operation was dropped'));
  }

  started(slot, gen, controller) {
    this.#gens[slot] = gen;
    this.#controllers[slot] = controller;
    this.live++;
  }

  // Removes an op from the in-flight table: its controller or context, or undefined if not in flight.
  #take(slot, gen) {
    if (this.#gens[slot] !== gen) return undefined;
    const c = this.#controllers[slot];
    this.#gens[slot] = -1;
    this.#controllers[slot] = null;
    this.live--;
    return c;
  }

  /** Claims a live operation for settlement. False if it was cancelled (its future dropped) or the runtime
   * closed: then the outcome is ignored and nothing is allocated. */
  claim(slot, gen) {
    if (this.#driver.dead || this.#take(slot, gen) === undefined) return false;
    this.#driver.catchUpVirtualClock();
    return true;
  }

  /** Delivers an outcome with `deliver()` (which calls a wsx_op_complete*), then runs the executor. */
  complete(deliver) {
    try {
      deliver();
    } catch (e) {
      this.#driver.trap(e);
    }
    this.#driver.runAfterSettle(this.live);
  }

  // Delivers an outcome (a string, or any value toBytes accepts) to the operation's future, then runs the
  // executor. Only ever called from a promise reaction: never inside wsx_run. `name` names the host function in
  // the message when its value cannot be converted.
  settle(slot, gen, err, payload, name) {
    if (!this.claim(slot, gen)) return;
    this.complete(() => this.#deliver(slot, gen, err, payload, name));
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
    for (const controller of this.#controllers) controller?.abort(err);
    this.streams.closeAll();
    this.#gens = [];
    this.#controllers = [];
    this.live = 0;
  }
}
