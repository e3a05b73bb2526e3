// pool-worker.js: what runs inside each worker of the blocking pool (pool.js). The function below is sent to the
// worker as source text (Function.prototype.toString), so it must be self-contained: it reads nothing from this
// module or any other, only its arguments and the worker's globals. Shipping it as text, rather than as a file the
// worker loads by URL, is what makes it work unchanged from the installed package, from wasync/inline and through
// every bundler (none has to find and copy a worker file); the cost is that a page whose Content-Security-Policy
// forbids blob: workers cannot use the pool (docs/blocking.md).
//
// Protocol (structured clone; ArrayBuffers transferred, never shared):
//   -> { type: 'init', module, enomem }     the compiled WebAssembly.Module, instantiated once, here
//   -> { id, index, input }                 run blocking function `index` on `input` (an ArrayBuffer)
//   <- { id, err, output }                  its code and output bytes (the result, or a failure's message)
//   <- { id, trap }                         it trapped (or instantiation failed): this instance is not used again

/** The worker's main: `post(message, transfer)` answers, `listen(fn)` registers the handler of incoming data. */
export function workerMain(post, listen) {
  let ex = null;
  let broken = null;
  let enomem = -2;
  listen((msg) => {
    if (msg.type === 'init') {
      enomem = msg.enomem;
      try {
        // Every import the module declares gets a stand-in: a blocking function runs without the runtime, so the
        // bridge's imports (host calls, fetch, timers) are out of its reach and say so if reached.
        const imports = {};
        for (const imp of WebAssembly.Module.imports(msg.module)) {
          if (imp.kind !== 'function') continue;
          const where = `${imp.module}.${imp.name}`;
          (imports[imp.module] ??= {})[imp.name] = imp.name === 'now_ms' ? () => performance.now()
            : imp.name === 'emscripten_notify_memory_growth' ? () => {}
            : () => { throw new Error(`${where} is not available to a blocking function (it runs in a worker, without the runtime)`); };
        }
        ex = new WebAssembly.Instance(msg.module, imports).exports;
        if (ex._initialize) ex._initialize();
      } catch (e) {
        broken = `cannot instantiate the module in the worker: ${e && e.message ? e.message : e}`;
      }
      return;
    }
    const { id, index, input } = msg;
    if (broken) {
      post({ id, trap: broken });
      return;
    }
    try {
      const n = input.byteLength;
      const block = ex.wsx_blocking_input(n);
      if (!block) {
        post({ id, err: enomem, output: new TextEncoder().encode(`out of memory in the worker: ${n} bytes of input`).buffer });
        return;
      }
      new Uint8Array(ex.memory.buffer, block + 4, n).set(new Uint8Array(input));
      const out = ex.wsx_blocking_run(index, block);
      const err = ex.wsx_blocking_err();
      const len = new DataView(ex.memory.buffer).getUint32(out, true);
      const bytes = new Uint8Array(ex.memory.buffer, out + 4, len).slice();
      ex.wsx_blocking_free(out);
      post({ id, err, output: bytes.buffer }, bytes.length >= 65536 ? [bytes.buffer] : undefined); // as pool.js's TRANSFER_MIN
    } catch (e) {
      broken = `the instance trapped earlier: ${e && e.message ? e.message : e}`;
      post({ id, trap: String(e && e.message ? e.message : e) });
    }
  });
}
