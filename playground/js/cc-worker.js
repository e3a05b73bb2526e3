// cc-worker.js: the in-page C compiler, one long-lived module Worker (compiling on the page's thread would freeze it
// for a quarter of a second per edit). It loads on the first message: @yowasp/clang (Clang and LLD built for
// WebAssembly, about 100 MB, served by the local server under /vendor/ with a year-long cache lifetime), the
// package's compile module (wasync/cc) and its kit (the core and the bridge precompiled, and the headers). Then each
// compile is one file compiled and linked against the kit.
//
// Messages in:  { type: 'load' }                          fetch and compile the toolchain now
//               { type: 'compile', id, files }            files: { 'join.c': text }
// Messages out: { type: 'progress', done, total }         bytes of the toolchain downloaded so far
//               { type: 'ready', ms }                     the toolchain is loaded (ms: how long that took)
//               { type: 'result', id, ok, wasm, diagnostics, log, ms }   wasm: an ArrayBuffer (transferred) or null
//               { type: 'error', id, message }            the toolchain could not load or run (not a C mistake)
const VENDOR = '/vendor/index.json';
const COMPILE = '/pkg/lib/cc/compile.js';
const KIT = '/pkg/dist/cc-kit.json';

// The learner's file is compiled with the package's EDIT_ARGS (-O0), not the kit's -O3: an edit loop wants the
// compile fast, the file is small beside the core it links against (built at -O3 in the kit), and the kit carries a
// precompiled header of example.h for exactly these flags (compile.js, pchFor). The program's behaviour and its trace
// do not depend on the optimization level. The warm-up uses the same flags, since the driver's command line is learnt
// once per set of flags.
// The smallest program with an entry: compiled once, right after the toolchain loads, and thrown away.
const WARM_UP = `#include "example.h"
WS_ASYNC(warm_up, { int64_t unused; })
{
    WS_BEGIN();
    WS_RETURN(0);
    WS_END();
}
static void warm_up_init(void *f, const wsx_args *args)
{
    warm_up *self = f;
    (void)args;
    WS_ASYNC_INIT(warm_up, self);
}
WS_ENTRY(warm_up, .init = warm_up_init);
`;

let loading = null;

function load() {
  if (loading) return loading;
  loading = (async () => {
    const t0 = performance.now();
    const index = await fetch(VENDOR).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${VENDOR}: HTTP ${r.status}`))));
    const c = index['@yowasp/clang'];
    if (!c) throw new Error('this server has no compiler to offer (@yowasp/clang is not installed: npm ci)');
    const [clang, cc] = await Promise.all([import(`${c.url}bundle.js`), import(COMPILE)]);
    const kit = await cc.readKit(new URL(KIT, self.location.href));
    // The toolchain's own total counts the files it ships; the server's counts the files it serves.
    const total = c.bytes;
    postMessage({ type: 'progress', done: 0, total });
    await cc.loadToolchain(clang, { onProgress: ({ doneLength }) => postMessage({ type: 'progress', done: doneLength, total }) });
    postMessage({ type: 'ready', ms: performance.now() - t0 });
    // A first compile while the user reads: it learns the driver's command lines and gets the engine to optimize
    // the compiler's code, which makes the first compile several times slower than the next ones. The user's
    // compile waits behind it (calls run one at a time), never longer than it would have taken anyway.
    cc.compile({ clang, kit, files: { 'warm-up.c': WARM_UP }, args: cc.EDIT_ARGS }).catch(() => {});
    return { clang, cc, kit };
  })();
  loading.catch(() => { loading = null; }); // a failed load can be tried again
  return loading;
}

self.onmessage = async ({ data }) => {
  if (data?.type === 'load') {
    load().catch((e) => postMessage({ type: 'error', id: null, message: e.message }));
    return;
  }
  if (data?.type !== 'compile') return;
  const { id, files } = data;
  try {
    const { clang, cc, kit } = await load();
    const r = await cc.compile({ clang, kit, files, args: cc.EDIT_ARGS, standardBlocking: true });
    const wasm = r.wasm ? r.wasm.slice().buffer : null;
    postMessage({ type: 'result', id, ok: r.ok, wasm, diagnostics: r.diagnostics, log: r.log, ms: r.ms }, wasm ? [wasm] : []);
  } catch (e) {
    postMessage({ type: 'error', id, message: e?.message || String(e) });
  }
};
