// compile.js: `wasync/cc`, compiling a module of your own C without emscripten, in a page's Worker or in Node, with
// @yowasp/clang (Clang and LLD built for WebAssembly) and the package's kit (dist/cc-kit.json: the core and the bridge
// precompiled, and the headers; built by scripts/build-cc-kit.mjs). One file compiles and links in well under a
// second once the toolchain is loaded. Isomorphic: no Node built-ins (readKit reaches node:fs through
// process.getBuiltinModule, as load.js does).
//
//   import * as clang from '@yowasp/clang';                        // the caller imports it (a Worker: by URL)
//   import { compile, readKit, CC_KIT } from 'wasync/cc';
//   const kit = await readKit(CC_KIT);                              // or: await (await fetch(url)).json()
//   const r = await compile({ clang, kit, files: { 'main.c': source } });
//   // r = { ok, wasm: Uint8Array | null, diagnostics: [{ file, line, column, severity, message }], log, ms }
//   const rt = await createRuntime({ wasm: r.wasm, clock: 'virtual', trace: true, stdout: (s) => ... });
//
// compile(options):
//   clang        the imported @yowasp/clang module (required)
//   kit          the parsed kit (required; readKit or fetch + JSON.parse)
//   files        { 'path.c' or 'dir/name.h': text or Uint8Array }: the user's files, mounted under /app/; every .c
//                is compiled (in the order given) and linked. A path is relative, without '..' (the compiler's
//                in-memory file system cannot resolve '..': an `#include "../src/X"` line is rewritten to
//                `#include "X"`, on the same line, which finds the kit's headers).
//   args         extra driver flags for the user's files (-D, -W..., -O..., -I/app/dir); default none. EDIT_ARGS
//                (-O0) is the fastest: the kit has example.h precompiled for exactly those flags, and a file whose
//                first line of code includes example.h, fake_fetch.h or ticker.h is compiled with it (pchFor); if the
//                compiler says anything at all with it, the file is compiled again without it, so the messages and
//                the module are always those of a plain compile.
//   onProgress   ({ doneLength, totalLength }) in bytes, while the toolchain downloads (the first call only)
//   standardBlocking  also register the package's standard blocking functions (count_primes, echo, fail, trap:
//                ws_blocking.h), which the kit has, as the package's own modules do; default false. The playground and
//                `wasync run-c` pass true, so the examples' offload.c runs as it is. Not added when the sources list
//                their own (WS_MODULE_BLOCKING) or define a blocking function of one of those names.
// The registry of entries (what rt.start can name) is the user's own if a file defines one (WS_MODULE_ENTRIES),
// else generated from every `WS_ENTRY(fn, ...)` and every non-static `const wsx_entry name = ...` in the .c files
// (registrySource), with the blocking functions of WS_BLOCKING_FN (ws_blocking.h) unless WS_MODULE_BLOCKING lists
// them, and appended to the last .c file after `#line 1 "wasync-registry.c"` (no compiler run of its own). Flags: the kit's (the package's flags.json: -std=c11 -O3 -DNDEBUG) then args; __FILE__ is the
// path as given in `files` (what traces show).
// Result: ok is true when a module was linked; diagnostics come from the compiler's and linker's messages (file is
// the path as given in `files`, or null for the linker's; line and column from 1, or 0 when unknown; severity
// 'error', 'warning' or 'note'); log is their full text; ms = { load, compile, link } in milliseconds; pch lists the
// files compiled with the kit's precompiled header.
// Calls on one clang module run one at a time (they share the toolchain's memory); compile never throws for a
// mistake in the user's C, only for bad options (TypeError) or a toolchain that cannot run.
import { loadToolchain, runTool, cc1Command, linkCommand, fileAt, putFile } from './toolchain.js';

export { loadToolchain } from './toolchain.js';

/** The kit format this module reads; build-cc-kit.mjs writes it. */
export const KIT_FORMAT = 'wasync-cc-kit/1';
/** Where the kit's headers and archives are mounted in the compiler's file system. */
const KIT_ROOT = '/wasync';
const APP = '/app';

/** The extra flags for the fastest edit loop (the playground's): -O0 compiles a small file in about half the time of
 * the kit's -O3 and a third less than -O1, and the kit carries a precompiled header for exactly these flags (only
 * for these: each one adds about 0.3 MB to the kit). A program's behaviour and its trace do not depend on the
 * optimization level; the core it links against is built at -O3 either way. */
export const EDIT_ARGS = Object.freeze(['-O0']);

/** The package's kit, dist/cc-kit.json, by URL (next to the package's code; bundlers copy it). */
export const CC_KIT = /* @__PURE__ */ (() => {
  try {
    return new URL('../dist/cc-kit.json', import.meta.url);
  } catch {
    return null; // no import.meta.url (a CommonJS bundle): pass the kit yourself
  }
})();

/** Reads and checks a kit: a URL (file: in Node, http(s): anywhere), or the already parsed object. */
export async function readKit(source = CC_KIT) {
  if (source && typeof source === 'object' && !(source instanceof URL)) return checkKit(source);
  if (source == null) throw new TypeError('readKit: no kit URL (import.meta.url is not available here): pass the kit\'s URL or object');
  const url = new URL(String(source), globalThis.location?.href);
  let text;
  if (url.protocol === 'file:') {
    const fs = globalThis.process?.getBuiltinModule?.('node:fs/promises');
    if (!fs) throw new Error(`readKit: cannot read ${url.href}: file: URLs need Node ^20.19 or >= 22.12`);
    try {
      text = await fs.readFile(url, 'utf8');
    } catch (e) {
      throw new Error(`readKit: cannot read ${url.href} (${e.code ?? e.message}): in a checkout, build it with bash scripts/build-wasm.sh`, { cause: e });
    }
  } else {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`readKit: cannot load ${url.href}: HTTP ${res.status}`);
    text = await res.text();
  }
  let kit;
  try {
    kit = JSON.parse(text);
  } catch (e) {
    throw new Error(`readKit: ${url.href} is not JSON (${e.message})`, { cause: e });
  }
  return checkKit(kit);
}

function checkKit(kit) {
  if (kit?.format !== KIT_FORMAT) {
    throw new TypeError(`wasync/cc: not a kit of format ${KIT_FORMAT} (got ${JSON.stringify(kit?.format ?? typeof kit)}): rebuild it with this package's scripts/build-cc-kit.mjs`);
  }
  return kit;
}

/** `#include "../src/X"` (and any `../` run) -> `#include "X"`, on the same line: the compiler's file system cannot
 * resolve `..`, and the kit's headers are flat in one folder. Other lines are untouched. */
export function normalizeIncludes(text) {
  return text.replace(/^([ \t]*#[ \t]*include[ \t]*")(?:\.\.\/)+(?:src\/)?([^"\n]+")/gm, '$1$2');
}

/** The registrations WSX_STANDARD_BLOCKING (ws_blocking.h) lists. */
const STANDARD_BLOCKING = ['count_primes_blocking', 'echo_blocking', 'fail_blocking', 'trap_blocking'];

const strip = (text) => text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');

/** The C of a registry for `sources` ({ path: text }): of the entries, unless one source defines its own
 * (WS_MODULE_ENTRIES or wsx_entries), every WS_ENTRY(fn, ...) and every non-static `const wsx_entry name =`; of the
 * blocking functions (ws_blocking.h), unless one defines its own (WS_MODULE_BLOCKING), every WS_BLOCKING_FN(fn).
 * null when the sources define both (or there is nothing to add). Throws an Error if there is no entry at all. */
export function registrySource(sources, { standardBlocking = false } = {}) {
  const entries = [];
  const blocking = [];
  let ownEntries = false;
  let ownBlocking = false;
  for (const text of Object.values(sources)) {
    const c = strip(text);
    if (/\bWS_MODULE_ENTRIES\s*\(|\bwsx_entries\s*\[\s*\]\s*=/.test(c)) ownEntries = true;
    if (/\bWS_MODULE_BLOCKING\s*\(/.test(c)) ownBlocking = true;
    for (const m of c.matchAll(/\bWS_ENTRY\s*\(\s*([A-Za-z_]\w*)\s*,/g)) entries.push(`${m[1]}_entry`);
    for (const m of c.matchAll(/^(?![ \t]*static\b)[ \t]*(?:extern[ \t]+)?const[ \t]+wsx_entry[ \t]+([A-Za-z_]\w*)[ \t]*=/gm)) entries.push(m[1]);
    for (const m of c.matchAll(/\bWS_BLOCKING_FN\s*\(\s*([A-Za-z_]\w*)\s*\)/g)) blocking.push(`${m[1]}_blocking`);
  }
  if (!ownEntries && !entries.length) {
    throw new Error('no entry points: declare one with WS_ENTRY(fn, .init = ...) (ws_module.h), or list them with WS_MODULE_ENTRIES(...)');
  }
  const lines = [];
  if (!ownEntries) {
    lines.push('#include "ws_module.h"', ...entries.map((e) => `extern const wsx_entry ${e};`),
      `WS_MODULE_ENTRIES(${entries.map((e) => `&${e}`).join(', ')});`);
  }
  // the standard ones after the sources' own; none if a name is taken (two definitions of one symbol would not link)
  const standard = standardBlocking && !blocking.some((b) => STANDARD_BLOCKING.includes(b)) ? ['WSX_STANDARD_BLOCKING'] : [];
  if (!ownBlocking && blocking.length + standard.length) {
    lines.push('#include "ws_blocking.h"', ...blocking.map((b) => `extern const ws_blocking_def ${b};`),
      `WS_MODULE_BLOCKING(${[...blocking.map((b) => `&${b}`), ...standard].join(', ')});`);
  }
  if (!lines.length) return null;
  return ['/* generated by wasync/cc: the entries and blocking functions the sources declare */', ...lines, ''].join('\n');
}

const HEADLINE = /^(.*?):(\d+):(\d+): (fatal error|error|warning|note|remark): (.*)$/;
const TOOLLINE = /^(?:wasm-ld|clang|ld|wasync)(?:-\d+)?: (error|warning): (.*)$/;

/** Diagnostics from clang's and wasm-ld's text output: one per `file:line:col: severity: message` line (the caret
 * lines under it stay in the log) and per `wasm-ld: error: message` line (file null). `rename(path)` maps the
 * compiler's paths to the caller's (compile has already made them so in its log). */
export function parseDiagnostics(text, rename = (p) => p) {
  const out = [];
  for (const line of text.split('\n')) {
    let m = HEADLINE.exec(line);
    if (m) {
      out.push({ file: rename(m[1]), line: Number(m[2]), column: Number(m[3]), severity: m[4] === 'fatal error' ? 'error' : m[4], message: m[5] });
      continue;
    }
    m = TOOLLINE.exec(line);
    if (m) out.push({ file: null, line: 0, column: 0, severity: m[1], message: m[2] });
  }
  return out;
}

/** The driver flags of a user's file: the kit's (flags.json's compile flags), its include folders, then `args`. The
 * kit's precompiled headers are built with exactly these (build-cc-kit.mjs). */
export function userFlags(kit, args = []) {
  return [...kit.compile, ...kit.include.map((d) => `-I${KIT_ROOT}/${d}`), `-fmacro-prefix-map=${APP}/=`,
    `-fmacro-prefix-map=${KIT_ROOT}/=`, '-fno-color-diagnostics', ...args];
}

// kit -> [[path, text or bytes]]: its archives and precompiled headers decoded once per kit object (a kit is read,
// not changed; a changed copy is another object)
const kitFiles = new WeakMap();

/** A fresh file tree with the kit mounted under /wasync/: its headers, archives and precompiled headers. */
export function kitTree(kit) {
  let list = kitFiles.get(kit);
  if (!list) {
    list = [...Object.entries(kit.headers).map(([name, text]) => [`${KIT_ROOT}/${name}`, text]),
      ...kit.archives.map((a) => [`${KIT_ROOT}/lib/${a.name}`, base64Bytes(a.base64)]),
      ...(kit.pch ?? []).map((p) => [`${KIT_ROOT}/${p.file}`, base64Bytes(p.base64)])];
    kitFiles.set(kit, list);
  }
  const tree = {};
  for (const [p, data] of list) putFile(tree, p, data);
  return tree;
}

/** The header a file's first line of code includes (`#include "name"`), when nothing but blank lines and comments
 * come before it; else null. Conservative: a line continuation or a trigraph before it gives null. */
export function leadingInclude(text) {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return null;
      i = end + 1;
    } else break;
  }
  if (/\\\r?\n|\?\?\//.test(text.slice(0, i))) return null; // a continued // comment: the next line is comment too
  const m = /^#[ \t]*include[ \t]*"([\w.+-]+)"[ \t]*(?:\/\/[^\n]*)?(?:\r?\n|$)/.exec(text.slice(i));
  return m && !/[\\?]/.test(m[0]) ? m[1] : null;
}

/** The kit's precompiled header for compiling `text` with `args`, or null when none applies. One applies when it was
 * built by this compiler with exactly these flags, the file's first line includes a header it covers (build-cc-kit.mjs
 * checked that including its header first changes nothing for those), and no file of the user's is named like a
 * header it was built from (which `#include` could find instead of the kit's). */
export function pchFor(kit, clang, args, text, fileNames) {
  if (!kit.pch?.length || kit.clang !== clang.version) return null;
  const first = leadingInclude(text);
  if (!first) return null;
  const names = new Set(fileNames.map((n) => n.split('/').pop()));
  if (names.has(first)) return null; // the user's own header of that name, found before the kit's
  return kit.pch.find((p) => p.args.length === args.length && p.args.every((a, i) => a === args[i])
    && p.covers.includes(first) && !p.deps.some((d) => names.has(d))) ?? null;
}

function checkFiles(files) {
  if (files === null || typeof files !== 'object' || Array.isArray(files)) throw new TypeError('compile: files must be an object { path: text }');
  const names = Object.keys(files);
  if (!names.some((n) => n.endsWith('.c'))) throw new TypeError('compile: files has no .c file to compile');
  for (const n of names) {
    if (!/^[\w.+-]+(\/[\w.+-]+)*$/.test(n) || n.split('/').some((p) => p === '..' || p === '.')) {
      throw new TypeError(`compile: file name ${JSON.stringify(n)} must be a relative path of letters, digits, '_', '-', '.', '+' and '/', without '.' or '..' parts`);
    }
    const v = files[n];
    if (typeof v !== 'string' && !(v instanceof Uint8Array)) throw new TypeError(`compile: files[${JSON.stringify(n)}] must be a string or a Uint8Array`);
  }
}

const queues = new WeakMap(); // clang module -> the last compile's promise: one at a time per toolchain

/** Compiles and links the user's files into a module the package's loader runs. See the top of this file. */
export function compile(options) {
  const { clang } = options ?? {};
  if (typeof clang?.runLLVM !== 'function') throw new TypeError('compile: clang must be the imported @yowasp/clang module');
  const prev = queues.get(clang) ?? Promise.resolve();
  const p = prev.catch(() => {}).then(() => compileNow(options));
  queues.set(clang, p);
  return p;
}

async function compileNow({ clang, kit, files, args = [], onProgress, standardBlocking = false }) {
  checkKit(kit);
  checkFiles(files);
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) throw new TypeError('compile: args must be an array of strings');
  const ms = { load: 0, compile: 0, link: 0 };
  let t = performance.now();
  await loadToolchain(clang, { onProgress });
  ms.load = performance.now() - t;

  const tree = kitTree(kit);
  const sources = {};
  for (const [name, v] of Object.entries(files)) {
    const text = typeof v === 'string' ? v : new TextDecoder().decode(v);
    putFile(tree, `${APP}/${name}`, normalizeIncludes(text));
    if (name.endsWith('.c')) sources[name] = text;
  }
  const logs = [];
  const pch = []; // the files compiled with the kit's precompiled header
  const result = (ok, wasm) => {
    // the caller's paths in the text too: "main.c:3:5: error: ...", as a compiler run in their folder would say
    const log = logs.join('').replace(/(^|[\s'"`(])\/(?:app|wasync|obj)\//gm, '$1');
    return { ok, wasm, diagnostics: parseDiagnostics(log), log, ms, pch };
  };

  t = performance.now();
  const names = Object.keys(sources);
  const jobs = names.map((name) => `${APP}/${name}`);
  let registry;
  try {
    registry = registrySource(sources, { standardBlocking: Boolean(standardBlocking) });
  } catch (e) {
    logs.push(`wasync: error: ${e.message}\n`);
    ms.compile = performance.now() - t;
    return result(false, null);
  }
  if (registry) {
    // appended to the last file (after its last line, so its line numbers stay) rather than compiled on its own:
    // one compiler run fewer per edit
    const last = names.at(-1);
    putFile(tree, `${APP}/${last}`, `${normalizeIncludes(sources[last])}\n#line 1 "wasync-registry.c"\n${registry}`);
  }
  const hot = await cc1Command(clang, userFlags(kit, args));
  const objects = [];
  let failed = false;
  for (const [i, src] of jobs.entries()) {
    const obj = `/obj/${names[i]}.o`; // "src/app.c.o" in the linker's messages
    const argv = hot(src, obj);
    const pre = pchFor(kit, clang, args, normalizeIncludes(sources[names[i]]), Object.keys(files));
    let r = pre && await runTool(clang, [...argv.slice(0, 2), '-include-pch', `${KIT_ROOT}/${pre.file}`, ...argv.slice(2)], tree);
    if (r && (r.code !== 0 || r.output.trim())) r = null; // any message at all: it comes from a plain compile
    if (r) pch.push(names[i]);
    else r = await runTool(clang, argv, tree);
    logs.push(r.output);
    if (r.code !== 0) {
      failed = true;
      continue; // the other files' messages are worth seeing too
    }
    putFile(tree, obj, fileAt(r.files, obj));
    objects.push(obj);
  }
  ms.compile = performance.now() - t;
  if (failed) return result(false, null);

  t = performance.now();
  const libs = [];
  for (const a of kit.archives) {
    const p = `${KIT_ROOT}/lib/${a.name}`;
    libs.push(...(a.wholeArchive ? ['--whole-archive', p, '--no-whole-archive'] : [p]));
  }
  const link = await linkCommand(clang);
  const out = '/obj/module.wasm';
  const r = await runTool(clang, link(objects, out, [...libs, ...kit.link]), tree);
  logs.push(r.output);
  ms.link = performance.now() - t;
  if (r.code !== 0) return result(false, null);
  const wasm = fileAt(r.files, out);
  return result(true, wasm instanceof Uint8Array ? wasm : new TextEncoder().encode(wasm));
}

function base64Bytes(b64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(b64);
  const s = atob(b64);
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  return u8;
}
