// load.js: finds and compiles the .wasm, in Node and in browsers, without a bundler. The package's two modules
// are compiled once and cached: each runtime is a fresh instance of its module (see bridge.c for why).

/** The default module: the core, the bridge and the standard entry points (host_echo, fetch_text, sleep, ...). */
export const DEFAULT_WASM = new URL('../dist/wasync.wasm', import.meta.url);
/** The same plus the nine built-in examples, for rt.runExample: createRuntime({ wasm: EXAMPLES_WASM }). */
export const EXAMPLES_WASM = new URL('../dist/wasync-examples.wasm', import.meta.url);

const cached = new Map(); // href of one of the package's modules -> Promise<WebAssembly.Module>

async function bytesFromUrl(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

async function compileCached(url) {
  let p = cached.get(url.href);
  if (!p) {
    p = bytesFromUrl(url).then((b) => WebAssembly.compile(b));
    cached.set(url.href, p);
  }
  try {
    return await p;
  } catch (e) {
    if (cached.get(url.href) === p) cached.delete(url.href); // not cached: the next createRuntime tries again
    throw e;
  }
}

/** @param {undefined|string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module} source */
export async function loadModule(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (source === undefined) return compileCached(DEFAULT_WASM);
  const url = source instanceof URL ? source : new URL(String(source), globalThis.location?.href ?? DEFAULT_WASM);
  // Other URLs are compiled every time: they are the user's own modules, which may be rebuilt in place.
  if (url.href === DEFAULT_WASM.href || url.href === EXAMPLES_WASM.href) return compileCached(url);
  return WebAssembly.compile(await bytesFromUrl(url));
}
