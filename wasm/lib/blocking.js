// blocking.js: the runtime's side of spawn_blocking (wasm/src/ws_blocking.h). C's ws_spawn_blocking is a host
// operation (ws_op): its first poll calls the import blocking_start, which queues the job on the runtime's pool
// (pool.js, made on the first job) and registers the operation with HostOps, so that dropping the future (import
// op_cancel), closing the runtime and a trap reach it as they reach a host call. Outcomes are delivered through
// HostOps.settle, like a host call's: the executor then runs, and a late outcome of a dropped job is ignored.
import { ERRORS, TRACE_KINDS } from './contract.js';
import { named } from './errors.js';
import { Pool } from './pool.js';

const { ENOENT, EPANIC, ENOMEM } = ERRORS;
const OK = 0;
const JOB_START = TRACE_KINDS.findIndex((k) => k?.kind === 'job_start');
const JOB_FINISH = TRACE_KINDS.findIndex((k) => k?.kind === 'job_finish');
const FINISH = { ok: 0, error: 1, panic: 2, discarded: 3 }; // job_finish's outcome (ws_trace.h)
const text = new TextDecoder();

export class Blocking {
  ex = null;
  #module = null;
  #opts;
  #driver;
  #ops;
  #mem;
  #pool = null;
  #names = null;          // the module's blocking functions, by registry index (read on first use)

  constructor(opts, driver, ops, mem) {
    this.#opts = opts;
    this.#driver = driver;
    this.#ops = ops;
    this.#mem = mem;
  }

  /** The instance and the compiled module it came from (what the workers instantiate). */
  attach(ex, module) {
    this.ex = ex;
    this.#module = module;
  }

  /** The module's blocking functions, by name. */
  get names() {
    if (!this.#names) {
      const n = this.ex.wsx_blocking_count?.() ?? 0;
      this.#names = Array.from({ length: n }, (_, i) => this.#mem.cstr(this.ex.wsx_blocking_name(i)));
    }
    return this.#names;
  }

  /** Import blocking_start: queue the job of function `index` (-1: the module has none called that). */
  start(slot, gen, index, namePtr, nameLen, inPtr, inLen) {
    const name = this.#mem.str(namePtr, nameLen);
    if (index < 0) {
      this.#ops.started(slot, gen, null);
      const known = this.names.map(named).join(', ') || 'none: declare them with WS_BLOCKING_FN and WS_MODULE_BLOCKING';
      queueMicrotask(() => this.#ops.settle(slot, gen, ENOENT, `spawn_blocking: no blocking function named ${named(name)} in this module (registered: ${known})`));
      return OK;
    }
    this.#pool ??= new Pool({ size: this.#opts.blockingWorkers, keepAliveMs: this.#opts.blockingKeepAliveMs, module: this.#module, enomem: ENOMEM });
    const pool = this.#pool;
    const job = {
      index,
      input: this.#mem.u8().slice(inPtr, inPtr + inLen), // copied now: C's buffer may go once this poll ends
      onStart: (worker) => this.#trace(slot, gen, JOB_START, 0, worker),
      onDone: (outcome) => this.#done(slot, gen, name, job, outcome),
    };
    // What op_cancel (the future dropped), rt.close() and a trap call (HostOps.cancel / failAll).
    this.#ops.started(slot, gen, { abort: () => pool.cancel(job) });
    pool.submit(job);
    return OK;
  }

  #trace(slot, gen, kind, detail, worker) {
    if (!this.#opts.trace || this.#driver.dead) return;
    try {
      this.ex.wsx_blocking_trace(slot, gen, kind, detail, worker);
    } catch (e) {
      this.#driver.trap(e);
    }
  }

  #done(slot, gen, name, job, outcome) {
    if (outcome.closed || this.#driver.dead) return; // the runtime closed: its promises were rejected already
    // The clock first: on the virtual clock the wait for the job passes now, and the finish is stamped after it.
    this.#driver.catchUpVirtualClock();
    const fin = job.discarded ? FINISH.discarded : outcome.panic !== undefined ? FINISH.panic : outcome.err === OK ? FINISH.ok : FINISH.error;
    this.#trace(slot, gen, JOB_FINISH, fin, job.worker ?? 0);
    if (job.discarded) return; // its future was dropped while it ran: the result goes nowhere (tokio's semantics)
    if (outcome.panic !== undefined) {
      const why = outcome.worker ? `failed on worker ${outcome.worker}: ${outcome.panic}; the worker was replaced` : `could not run: ${outcome.panic}`;
      this.#ops.settle(slot, gen, EPANIC, `blocking function ${named(name)} ${why}`);
    } else if (outcome.err === OK) {
      this.#ops.settle(slot, gen, OK, outcome.output);
    } else {
      const msg = outcome.output.length ? text.decode(outcome.output) : `blocking function ${named(name)} failed`;
      this.#ops.settle(slot, gen, outcome.err, msg);
    }
  }

  /** Counters of the pool: workers alive and busy, jobs queued, and totals since the runtime was created. */
  stats() {
    const p = this.#pool;
    const c = p?.counts ?? { started: 0, finished: 0, removed: 0, discarded: 0, panicked: 0, workersStarted: 0 };
    return { workers: p?.workers ?? 0, busy: p?.busy ?? 0, queued: p?.queued ?? 0, ...c };
  }

  /** The runtime closed or trapped: terminate the workers. */
  close() {
    this.#pool?.close();
  }
}
