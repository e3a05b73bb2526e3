// toolchain.js: runs the tools of @yowasp/clang (LLVM, Clang and LLD built for WebAssembly) over an in-memory file
// tree, the low layer under compile.js and scripts/build-cc-kit.mjs. Isomorphic: no Node built-ins.
//
// `clang` is the imported @yowasp/clang module (`import * as clang from '@yowasp/clang'`): the caller imports it,
// Node by package name, a page's Worker by URL, so this package never bundles its 100 MB.
//
// Why not its runClang: runClang runs the driver twice per file (once with -### to learn the -cc1 command line, then
// that command). The command line depends only on the flags, not on the file, so it is learnt once per set of flags
// (cc1Argv, cached per clang module) and every file is compiled with one `clang -cc1` run: about half the time.
// The link is one `wasm-ld` run whose crt and library paths are learnt the same way (linkArgv).

const IN = '/obj/__wasync_in__.c';
const OUT = '/obj/__wasync_in__.o';
const WASM = '/obj/__wasync_out__.wasm';

const learnt = new WeakMap(); // clang module -> Map(key -> argv)

// Each run instantiates the 75 MB compiler afresh. Synchronously (new WebAssembly.Instance) where that is allowed,
// in Node and in a Worker: in Node the asynchronous path costs tens of milliseconds more per run (bench/cc.mjs); in
// a Chromium Worker the two cost about the same (bench/cc-browser.mjs). A page's main thread must not instantiate a
// module that large synchronously, so there it stays asynchronous.
const SYNC = typeof document === 'undefined';

/** The arguments of a -### line: `"" "clang" "-cc1" "-o" "a b"` (double-quoted, backslash escapes). */
function unquote(line) {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

/** Loads the toolchain (fetches and compiles its wasm and resources once per clang module); `onProgress` gets
 * { doneLength, totalLength } in bytes while it downloads. Later calls return at once. */
export async function loadToolchain(clang, { onProgress } = {}) {
  await clang.runLLVM(null, {}, { fetchProgress: onProgress ? ({ doneLength, totalLength }) => onProgress({ doneLength, totalLength }) : () => {} });
}

/**
 * Runs one tool of the multi-call binary (argv[0]: 'clang', 'wasm-ld', 'ar', ...) over `tree`.
 * @returns {Promise<{ code: number, files: object, output: string }>} code 0 on success; output: stdout and stderr
 */
export async function runTool(clang, argv, tree) {
  const chunks = [];
  const sink = (b) => { if (b) chunks.push(b.slice()); };
  let code = 0;
  let files;
  try {
    files = await clang.runLLVM(argv, tree, { stdout: sink, stderr: sink, decodeASCII: false, fetchProgress: () => {}, synchronously: SYNC });
  } catch (e) {
    if (typeof e?.code !== 'number' || !e.files) throw e; // not an exit status: a real failure of the runtime
    code = e.code || 1;
    files = e.files;
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.length; }
  return { code, files, output: new TextDecoder().decode(all) };
}

async function learn(clang, key, driverArgv, pick) {
  let cache = learnt.get(clang);
  if (!cache) learnt.set(clang, (cache = new Map()));
  if (cache.has(key)) return cache.get(key);
  const r = await runTool(clang, ['clang', '-###', ...driverArgv], { obj: { '__wasync_in__.c': '', '__wasync_in__.o': new Uint8Array(0) } });
  const lines = r.output.split('\n').filter((l) => l.startsWith(' "'));
  if (r.code !== 0 || lines.length !== 1) {
    // the driver rejected a flag: its message names it
    const why = r.output.split('\n').filter((l) => /error|warning/.test(l)).join('; ') || r.output.trim();
    throw new Error(`clang: cannot use the flags ${driverArgv.filter((a) => a.startsWith('-')).join(' ')}: ${why}`);
  }
  const argv = unquote(lines[0]);
  if (argv[0] === '') argv.shift();
  const v = pick(argv);
  cache.set(key, v);
  return v;
}

/** The `clang -cc1` argv for compiling one C file with the driver flags `flags`; `cc1Command(src, obj)` fills in
 * the input and output paths. */
export async function cc1Command(clang, flags) {
  const argv = await learn(clang, `cc1\0${flags.join('\0')}`, [...flags, '-c', IN, '-o', OUT], (a) => a);
  return (src, obj) => argv.map((a) => (a === IN ? src : a === OUT ? obj : a === '__wasync_in__.c' ? src.split('/').pop() : a));
}

/** The `wasm-ld` argv that links `objects` (paths in the tree, in order) into a reactor module at `out`, with the
 * sysroot's crt and libc, and `extra` linker flags before the libraries. */
export async function linkCommand(clang) {
  const argv = await learn(clang, 'link', ['-mexec-model=reactor', OUT, '-o', WASM], (a) => a);
  return (objects, out, extra = []) => {
    const at = argv.indexOf(OUT);
    const tail = argv.slice(at + 1).map((a) => (a === WASM ? out : a));
    return [...argv.slice(0, at), ...objects, ...extra, ...tail];
  };
}

/** Reads a path ('/obj/x.o') out of a result tree; undefined if absent. */
export function fileAt(tree, p) {
  let node = tree;
  for (const part of p.split('/').filter(Boolean)) {
    if (node == null || typeof node !== 'object' || node instanceof Uint8Array) return undefined;
    node = node[part];
  }
  return node;
}

/** Puts `data` at path `p` of `tree`, creating folders. */
export function putFile(tree, p, data) {
  const parts = p.split('/').filter(Boolean);
  let node = tree;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = data;
}
