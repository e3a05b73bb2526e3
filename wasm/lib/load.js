// load.js: turns the `wasm` option into a compiled WebAssembly.Module, in Node, in browsers and through bundlers.
//
// The package's modules are referenced by *assets* (DEFAULT_WASM, EXAMPLES_WASM): objects that find their bytes
// only when a runtime is created, never when the package is imported. Two kinds exist:
//   - a URL asset (assets.js, examples.js): `new URL('../dist/x.wasm', import.meta.url)`, the pattern Vite and
//     webpack copy into a build; computed lazily, so a CommonJS bundle (where import.meta is empty) loads and
//     fails only if it actually needs the file, with a message that says what to do;
//   - an inline asset (inline-default.js, inline-examples.js): the bytes embedded in the JS as base64 (decoded when
//     that module is evaluated), for setups with no asset handling.
// A package module is compiled once and cached: each runtime is a fresh instance of it (see bridge.c for why).
//
// Node's file API is reached through process.getBuiltinModule, never through an `import` of node:fs, so no
// bundler sees a Node built-in in the browser build (webpack and esbuild refuse one, Vite warns about it).

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const LOAD = Symbol.for('wasync.asset.load');
const DOCS = 'the "Bundlers" section of the package README (node_modules/wasync/README.md)';

const cached = new Map(); // asset or href of a package module -> Promise<WebAssembly.Module>

/** A package module found by URL next to the package's code. `locate` runs on first use. */
export class WasmAsset {
  #locate;
  #url = null;
  /** @param {string} file its name in the package's dist/ @param {() => URL} locate */
  constructor(file, locate) {
    this.file = file;
    this.#locate = locate;
  }
  /** The module's URL: the package's dist/<file>, or where a bundler copied it. */
  get url() {
    if (this.#url) return this.#url;
    let url;
    try {
      url = this.#locate();
    } catch (e) {
      throw new Error(`wasync: cannot locate ${this.file}: import.meta.url is not available here (a CommonJS ` +
        `bundle?). Import from 'wasync/inline' instead (the modules embedded in the JS), or pass the bytes: ` +
        `createRuntime({ wasm: bytes }). See ${DOCS}`, { cause: e });
    }
    return (this.#url = url);
  }
  get href() { return this.url.href; }
  toString() { return this.href; }
  toJSON() { return this.href; }
  [LOAD]() { return compileCached(this.href, () => bytesFromUrl(this.url, this.file)); }
}

/** A package module embedded in the JS: `bytes()` returns them; compiled on first use. */
export class InlineWasm {
  #bytes;
  constructor(file, bytes) {
    this.file = file;
    this.#bytes = bytes;
  }
  toString() { return `wasync:inline/${this.file}`; }
  [LOAD]() { return compileCached(this, async () => checkWasm(this.#bytes(), `the embedded ${this.file}`)); }
}

/** True for the package's own module references (DEFAULT_WASM, EXAMPLES_WASM, by URL or inline). */
export function isPackageModule(v) {
  return typeof v?.[LOAD] === 'function';
}

function compileCached(key, getBytes) {
  let p = cached.get(key);
  if (!p) {
    p = getBytes().then((b) => WebAssembly.compile(b));
    cached.set(key, p);
    // Not cached when it fails: the next createRuntime tries again.
    p.catch(() => { if (cached.get(key) === p) cached.delete(key); });
  }
  return p;
}

async function readLocalFile(url) {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs/promises');
  if (!fs) throw new Error(`wasync: cannot read ${url}: file: URLs need Node ^20.19 or >= 22.12 (process.getBuiltinModule)`);
  return fs.readFile(url);
}

/** Why bytes that should be wasm are not (`head`: their first bytes), and the usual fix. */
function diagnose(where, head) {
  const text = String.fromCharCode(...head).replace(/[^\x20-\x7e]/g, '.');
  const html = /^\s*</.test(text);
  const what = head.length === 0 ? 'empty'
    : html ? `an HTML page, not WebAssembly (it starts with "${text}")`
    : `not WebAssembly (it starts with ${[...head].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not 00 61 73 6d)`;
  let fix = 'pass the URL or bytes of a .wasm file built for wasync';
  if (/\/node_modules\/\.vite\//.test(where)) {
    fix = "Vite's dependency pre-bundling moved the package's code away from its .wasm: add optimizeDeps: { exclude: ['wasync'] } to the Vite config, or import from 'wasync/inline'";
  } else if (/^https?:/.test(where.split(' ').at(-1)) && (html || head.length === 0)) {
    fix = "the server has no such file and answered with its fallback page: the bundler did not copy the package's .wasm " +
      "next to the bundle (esbuild never does). Import from 'wasync/inline' (the modules embedded in the JS), or serve " +
      "node_modules/wasync/dist/*.wasm yourself and pass its URL as the wasm option";
  }
  return `${what}. Likely fix: ${fix}. See ${DOCS}`;
}

/** Throws a clear error unless `bytes` start with the wasm magic number; `from` says what was loaded from where. */
function checkWasm(bytes, from) {
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (u8.length >= 4 && MAGIC.every((b, i) => u8[i] === b)) return bytes;
  throw new Error(`wasync: ${from} (${u8.length} bytes) is ${diagnose(from, u8.subarray(0, 16))}`);
}

async function bytesFromUrl(url, file) {
  const from = file ? `${file} fetched from ${url.href}` : url.href;
  if (url.protocol === 'file:') return checkWasm(await readLocalFile(url), from);
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`wasync: cannot fetch ${from}: ${e?.message ?? e}`, { cause: e });
  }
  if (!res.ok) {
    throw new Error(`wasync: cannot load ${from}: HTTP ${res.status}` + (res.status === 404
      ? `. If a bundler built this page, it did not copy the package's .wasm: import from 'wasync/inline', or see ${DOCS}`
      : ''));
  }
  return checkWasm(await res.arrayBuffer(), from);
}

/** @param {unknown} source the `wasm` option (undefined already replaced by the entry's default module) */
export async function loadModule(source) {
  if (isPackageModule(source)) return source[LOAD]();
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(checkWasm(source, 'the wasm bytes given'));
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new TypeError('createRuntime: wasm must be bytes, a URL, a WebAssembly.Module or one of the package\'s modules (DEFAULT_WASM, EXAMPLES_WASM)');
  }
  let url;
  try {
    url = new URL(String(source), globalThis.location?.href);
  } catch {
    throw new TypeError(`createRuntime: wasm ${JSON.stringify(String(source))} is not a URL (a relative one needs a page to resolve against)`);
  }
  // Other URLs are compiled every time: they are the user's own modules, which may be rebuilt in place. A package
  // module named by its URL shares its asset's cache entry.
  if (cached.has(url.href)) return cached.get(url.href);
  return WebAssembly.compile(await bytesFromUrl(url));
}
