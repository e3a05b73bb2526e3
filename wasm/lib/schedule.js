// schedule.js: when the executor runs. One Driver per runtime.
//
// Who wakes whom, and when the executor runs:
//   - C asks for a run (import request_run) when a task becomes runnable while the executor is idle; a settled
//     promise or fetch completes its operation (wsx_op_complete), which wakes the waiting task and so asks too;
//     the single host timer (import arm_timer) fires for the earliest deadline. All of these only *schedule* a
//     drain, once, from a microtask; the one exception is a settlement when no other operation is in flight,
//     which drains at once, in the same call into the module as the completion (settleMode). The executor never runs re-entrantly (never inside a poll).
//   - Microtask drains honour the time slice too: a chain of host awaits settles from promise reactions, each
//     drain short, and would never let the event loop turn. So a "turn" starts at the first drain after the event
//     loop last ran a macrotask; once a turn has lasted sliceMs, the next drain is posted as a macrotask instead.
//   - A drain is one wsx_run call: it polls until nothing is runnable or the time slice (sliceMs) is used; then it
//     returns, and if work is left the next drain is posted as a macrotask, so a long drain never freezes
//     rendering or input.
//   - Finished jobs (tasks started from JS) are reaped after each drain (the onJobsDone hook); their promises
//     settle then.
import { RUN, RUN_BITS } from './contract.js';
import { WasyncError } from './errors.js';

// A macrotask that is not clamped like nested setTimeout(0): setImmediate in Node, a MessageChannel in browsers.
export const postMacrotask = (() => {
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

// A microtask for a drain. Node's queueMicrotask makes an AsyncResource and a bound function per call, which cost
// more than the rest of a short drain when settlements arrive one per event-loop turn (bench/join-spread.mjs); a
// reaction on a promise that is already resolved is a microtask in the same queue, in the same order, for a
// fraction of that. drain() catches what wsx_run throws, so the reaction's promise never rejects.
const resolved = Promise.resolve();
const queueDrain = (fn) => { resolved.then(fn); };

// The most drains between two readings of the clock within a turn (see #turnUsed).
const CLOCK_MAX = 256;

export class Driver {
  ex = null;
  dead = null;            // a WasyncError once the module trapped or the runtime was closed
  running = false;        // inside wsx_run
  #opts;
  #virtual;
  #hooks;                 // { onJobsDone(), onFail(err) }
  #scheduled = false;
  #drainFn = () => this.drain(); // one closure for every scheduled drain, not one per wake
  #timer = null;          // the single host timer
  #waitSince = null;      // virtual clock: real time when the runtime started waiting on the host
  #turnStart = -1;        // performance.now() at the first drain of this event-loop turn; -1: no drain yet
  #turnDrains = 0;        // drains in this turn up to the last reading of the clock
  #clockGap = 0;          // drains from the last reading of the clock to the next
  #clockIn = 0;           // drains left until the next reading; <= 0: read at the next drain
  // Posted as a macrotask when a turn starts: it runs once the loop turns.
  #turnEnd = () => {
    this.#turnStart = -1;
    this.#clockIn = 0;
  };

  constructor(opts, hooks) {
    this.#opts = opts;
    this.#hooks = hooks;
    this.#virtual = opts.clock === 'virtual'; // the clock is chosen once, at createRuntime
  }

  schedule() {
    if (this.#scheduled || this.dead) return;
    this.#scheduled = true;
    if (this.#turnUsed()) postMacrotask(this.#drainFn);
    else queueDrain(this.#drainFn);
  }

  // Called as an outcome is about to be delivered; true when the caller should run the executor right after it
  // (best in the same call into the module, see wsx_op_complete). With nothing else in flight (opsLive 0), no
  // other outcome can arrive in this microtask turn, so run now rather than one microtask later (one await at a
  // time: a microtask hop less per await). Otherwise one drain for the whole turn, so that outcomes settling
  // together are polled in one run; it is scheduled here, and runs after the delivery.
  // On the virtual clock, the time the runtime waited for the host passes first (catchUpVirtualClock).
  settleMode(opsLive) {
    if (this.#waitSince !== null) this.catchUpVirtualClock();
    if (opsLive !== 0 || this.#scheduled || this.running || this.dead) {
      this.schedule();
      return false;
    }
    if (!this.#turnUsed()) return true;
    this.#scheduled = true;
    postMacrotask(this.#drainFn);
    return false;
  }

  // True when drains in this event-loop turn have used the time slice: the next one waits for a macrotask.
  // One await costs well under a microsecond, and reading the clock costs a good part of that (in a browser more
  // than the await), so the clock is read at the first drain of a turn and then at intervals: after half the
  // drains that, at this turn's pace so far, still fit in the slice, at most CLOCK_MAX. Quick drains are counted,
  // slow ones (a drain that runs long tasks) are timed one by one, and at a steady pace a turn overshoots its
  // slice by about half of what was left at the last reading at most.
  #turnUsed() {
    return --this.#clockIn <= 0 && this.#readTurn();
  }

  // #turnUsed at a reading of the clock (kept apart so that the count above stays small enough to inline).
  #readTurn() {
    const slice = this.#opts.sliceMs;
    if (slice === 0) {
      this.#clockIn = CLOCK_MAX; // no slice: the option is looked at again now and then (configure may set one)
      return false;
    }
    const now = performance.now();
    if (this.#turnStart < 0) {
      this.#turnStart = now;
      this.#turnDrains = 0;
      this.#clockGap = this.#clockIn = 1;
      postMacrotask(this.#turnEnd);
      return false;
    }
    const used = now - this.#turnStart;
    if (used >= slice) return true; // #clockIn stays <= 0: every later drain of this turn reads the clock
    const drains = (this.#turnDrains += this.#clockGap);
    // A clock coarser than the drains (a browser's performance.now()) may show no time used yet: then double.
    const fit = used > 0 ? Math.floor((((slice - used) / used) * drains) / 2) : drains * 2;
    this.#clockGap = this.#clockIn = fit < 1 ? 1 : fit > CLOCK_MAX ? CLOCK_MAX : fit;
    return false;
  }

  drain() {
    this.#scheduled = false;
    if (this.dead) return;
    let status;
    this.running = true;
    try {
      status = this.ex.wsx_run();
    } catch (e) {
      this.running = false;
      this.trap(e);
      return;
    }
    this.ran(status);
  }

  /** After a run (wsx_run, or a completion that ran the executor, with `running` set around it): reap finished
   * jobs, and schedule what comes next. */
  ran(status) {
    this.running = false;
    // The common outcome, nothing to do: idle, or waiting for the host on the real clock.
    if (status === RUN.IDLE || (status === RUN.WAIT && !this.#virtual)) return;
    if (status & RUN_BITS.JOBS_DONE) this.#hooks.onJobsDone();
    status &= RUN_BITS.STATUS_MASK;
    if (status === RUN.MORE) {
      this.#scheduled = true;
      postMacrotask(this.#drainFn);
    } else if (status === RUN.WAIT && this.#virtual) {
      this.#waitVirtually();
    }
  }

  // Virtual clock, waiting for the host: time follows real time until the host answers, and a timer that comes
  // due meanwhile still fires (so a timeout around a fetch works in virtual mode too).
  #waitVirtually() {
    this.#waitSince ??= performance.now();
    const next = this.ex.wsx_next_deadline_ms();
    if (next >= 0) this.armTimer(performance.now() + Math.max(0, next - this.ex.wsx_now_ms()), true);
  }

  /** Virtual clock: the host answered, so the time spent waiting for it passes on the runtime's clock. */
  catchUpVirtualClock() {
    if (this.#waitSince === null) return;
    const delta = performance.now() - this.#waitSince;
    this.#waitSince = null;
    if (delta > 0) this.ex.wsx_clock_advance(delta);
  }

  armTimer(deadline, virtualWait = false) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (deadline < 0 || this.dead) return;
    // setTimeout may fire a little before `deadline` by performance.now(). A drain then would find nothing due,
    // while C, which asked once for this deadline, waits for it: so an early timer waits out the rest first.
    const fire = () => {
      const left = deadline - performance.now();
      if (!virtualWait && left > 0) {
        this.#timer = setTimeout(fire, Math.ceil(left));
        return;
      }
      this.#timer = null;
      if (virtualWait) this.catchUpVirtualClock();
      this.schedule();
    };
    this.#timer = setTimeout(fire, Math.ceil(Math.max(0, deadline - performance.now())));
  }

  /** The module trapped: the runtime is dead, every pending promise rejects with ETRAP. */
  trap(e) {
    this.fail(new WasyncError('ETRAP', `the WebAssembly module trapped: ${e?.message ?? e}`, { cause: e }));
  }

  fail(err) {
    if (this.dead) return;
    this.dead = err;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#hooks.onFail(err);
  }
}
