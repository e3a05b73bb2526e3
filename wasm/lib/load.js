// load.js: finds and compiles the .wasm, in Node and in browsers, without a bundler. The compiled module is
// cached: each runtime is a fresh instance of it (see bridge.c for why).

const DEFAULT_URL = new URL('../dist/wasync.wasm', import.meta.url);
let cached = null;

async function bytesFromUrl(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** @param {undefined|string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module} source */
export async function loadModule(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (source === undefined) {
    cached ??= bytesFromUrl(DEFAULT_URL).then((b) => WebAssembly.compile(b));
    try {
      return await cached;
    } catch (e) {
      cached = null; // a failed load is not cached: the next createRuntime tries again
      throw e;
    }
  }
  const url = source instanceof URL ? source : new URL(String(source), globalThis.location?.href ?? DEFAULT_URL);
  return WebAssembly.compile(await bytesFromUrl(url));
}
