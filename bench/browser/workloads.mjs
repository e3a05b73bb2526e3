// workloads.mjs: the bridge workloads, the same code in Node and in Chromium. Four sides await the same host
// function, (arg) => Promise.resolve(arg), with numbers as arguments and results:
//   js      plain JS: `await fn(i)` n times, or n / width batches of Promise.all over `width` calls;
//   wasync  C awaiting it through the bridge: the package's host_many entry (width 1 or 1000), typed: the numbers
//           cross as numbers (ws_host_callv_init), as they do on the other sides;
//   floor   a hand-written wasm module (floor.wat) whose import starts the call and whose export, called from the
//           promise's reaction, takes the value and starts the next: one crossing each way and one reaction per
//           await, the least a bridge without stack switching can do (`width` in flight at a time);
//   minexec the least a task-based C executor does (minexec.c, built with emcc): one task polled from a run
//           queue, operations in a slot table with generations; JS keeps a record per slot with its two settle
//           callbacks, checks that the call returned a promise and drops a stale settlement, as wasync's bridge does;
//   lean    wasync's protocol for a lone await written as lean as it goes (lean.c, built with emcc; one call at
//           a time only): futures polled through their types, tasks named by id, operations with start and cancel
//           hooks, a run with its checks; the same JS as minexec's
//   jspi    a hand-written wasm module (jspi.wat) whose import is WebAssembly.Suspending and whose export is
//           WebAssembly.promising: one suspended call per await; 1000-wide is `width` promising calls at once,
//           each doing n / width awaits. Chromium only (Node 20 has no JSPI).
// measure() returns ns per await, the mean of `runs` runs after `warm` runs (steady state, as bench/README.md).

const fn = (arg) => Promise.resolve(arg);

async function jsSide(n, width) {
  let sum = 0;
  if (width === 1) {
    for (let i = 0; i < n; i++) sum += await fn(i);
  } else {
    const batch = new Array(width);
    for (let done = 0; done < n; done += width) {
      for (let i = 0; i < width; i++) batch[i] = fn(done + i);
      for (const v of await Promise.all(batch)) sum += v;
    }
  }
  return sum;
}

export async function makeSides({ createRuntime, jspiBytes, floorBytes, minexecBytes, leanBytes, options = {} }) {
  const rt = await createRuntime({ clock: 'real', trace: false, ...options });
  rt.defineHost('id', fn);
  const sides = {
    js: (n, width) => jsSide(n, width),
    wasync: (n, width) => rt.start('host_many', { name: 'id', n, width, typed: 1 }).promise,
  };
  if (floorBytes) {
    let done = null;
    let resume = null;
    const settled = (v) => {
      const sum = resume(v);
      if (sum >= 0) done(sum);
    };
    const { instance } = await WebAssembly.instantiate(floorBytes, { env: { start: (i) => { fn(i).then(settled); } } });
    resume = instance.exports.resume;
    sides.floor = (n, width) => new Promise((resolve) => {
      done = resolve;
      instance.exports.begin(n, width);
    });
  }
  if (minexecBytes) sides.minexec = await minexecSide(minexecBytes);
  if (leanBytes) sides.lean = await minexecSide(leanBytes); // the same imports and exports; width 1 only
  if (jspiBytes && typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function') {
    const { instance } = await WebAssembly.instantiate(jspiBytes, { env: { host: new WebAssembly.Suspending(fn) } });
    const run = WebAssembly.promising(instance.exports.run);
    sides.jspi = async (n, width) => {
      if (width === 1) return run(n);
      const calls = [];
      for (let i = 0; i < width; i++) calls.push(run(n / width));
      return (await Promise.all(calls)).reduce((a, b) => a + b, 0);
    };
  }
  return sides;
}

// The JS half of the minexec and lean sides (and of bench/bridge-split.mjs's wasync-minjs side): a record per slot,
// reused, with its two settle callbacks made once; the promise check; a stale settlement dropped. Returns the
// module's `start(slot, gen, x)` import; `complete(slot, gen, value)` delivers a live record's value to the module.
export function recordStart(complete) {
  const records = [];
  class Record {
    gen = 0;
    live = false;
    constructor(slot) {
      this.slot = slot;
      this.ok = (v) => settled(this, v);
      this.fail = (e) => { this.live = false; throw e; };
    }
  }
  const settled = (rec, v) => {
    if (!rec.live) return; // stale: the slot was reused
    rec.live = false;
    complete(rec.slot, rec.gen, v);
  };
  return (slot, gen, x) => {
    const rec = (records[slot] ??= new Record(slot));
    rec.gen = gen;
    rec.live = true;
    const p = fn(x);
    if (!(p instanceof Promise)) throw new TypeError('not a promise');
    p.then(rec.ok, rec.fail);
    return 0;
  };
}

// A module with minexec.c's imports and exports (minexec.c, lean.c) as a side.
async function minexecSide(bytes) {
  let ex = null;
  let done = null;
  const start = recordStart((slot, gen, v) => {
    const sum = ex.complete(slot, gen, v);
    if (sum >= 0) done(sum);
  });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { start } });
  ex = instance.exports;
  return (n, width) => new Promise((resolve) => {
    done = resolve;
    ex.begin(n, width);
  });
}

// measure(side, n, width, { warm: 0 }) after a separate warm-up call lets the caller read a CPU clock around the
// timed runs only (bench/browser.mjs --cpu).
export async function measure(side, n, width, { warm = 4, runs = 3 } = {}) {
  for (let i = 0; i < warm; i++) await side(n, width);
  if (runs === 0) return 0;
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await side(n, width);
    total += performance.now() - t0;
  }
  return ((total / runs) * 1e6) / n;
}
