// workloads.mjs: the bridge workloads, the same code in Node and in Chromium. Three sides await the same host
// function, (arg) => Promise.resolve(arg):
//   js      plain JS: `await fn(i)` n times, or n / width batches of Promise.all over `width` calls;
//   wasync  C awaiting it through the bridge: the package's host_many entry (width 1 or 1000);
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

export async function makeSides({ createRuntime, jspiBytes, options = {} }) {
  const rt = await createRuntime({ clock: 'real', trace: false, ...options });
  rt.defineHost('id', (s) => Promise.resolve(s));
  const sides = {
    js: (n, width) => jsSide(n, width),
    wasync: (n, width) => rt.start('host_many', { name: 'id', n, width }).promise,
  };
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

export async function measure(side, n, width, { warm = 4, runs = 3 } = {}) {
  for (let i = 0; i < warm; i++) await side(n, width);
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await side(n, width);
    total += performance.now() - t0;
  }
  return ((total / runs) * 1e6) / n;
}
