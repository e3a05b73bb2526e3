// build-cc-kit.mjs: builds wasm/dist/cc-kit.json, what compiling a module without emscripten needs besides the
// compiler: the core (src/*.c) and the bridge (wasm/src/*.c) precompiled by @yowasp/clang into two archives, and the
// headers a module includes. `wasync/cc` (wasm/lib/cc/compile.js) then compiles a user's file and links it against
// them, in a page's Worker or in Node. Run by scripts/build-wasm.sh; needs the workspace's devDependency
// @yowasp/clang (npm ci). Format: docs/compiler.md ("The kit").
//
//   libwasync.a          the core and the bridge: linked whole (--whole-archive), because nothing in a user's
//                        objects refers to the bridge's exports, and wasm-ld would otherwise drop every member
//   libwasync-entries.a  the standard entries, the standard blocking functions and the bridge's test entries
//                        (entry_points*.c, blocking_entries.c): linked as a plain archive, so only a registry that
//                        names them (WSX_STANDARD_ENTRIES, WSX_STANDARD_BLOCKING) pulls them in
//   pch/example-O0.pch   example.h precompiled (with everything it includes: wasync.h, the C library's headers) for
//                        the flags EDIT_ARGS (-O0, the playground's): most of a small file's compile is parsing
//                        these headers. compile() uses it only for a file whose first line includes a header it
//                        covers, compiled with exactly those flags (compile.js, pchFor). Only for EDIT_ARGS: each
//                        precompiled header adds about 0.3 MB to the kit (0.4 MB in base64).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as clang from '@yowasp/clang';
import { loadToolchain, runTool, cc1Command, fileAt, putFile } from '../wasm/lib/cc/toolchain.js';
import { KIT_FORMAT, EDIT_ARGS, normalizeIncludes, userFlags, kitTree } from '../wasm/lib/cc/compile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'wasm', 'dist', 'cc-kit.json');
const flags = JSON.parse(fs.readFileSync(path.join(root, 'wasm', 'cmake', 'flags.json'), 'utf8'));
// The same lists as scripts/stage-c.mjs: native-only files stay out; registry*.c are the package's own registries.
const NATIVE_ONLY = new Set(['host_posix.c', 'trace_text.c', 'ws_host_posix.h']);
// entry_points_bridge.c: the examples module's test entries (wasm/CMakeLists.txt), cold like the standard ones.
const ENTRY_SOURCES = new Set([...flags.standardEntries, 'entry_points_bridge.c']);
const COLD = new Set([...flags.bridgeCold, ...ENTRY_SOURCES]); // as wasync.cmake, from flags.json

/** The value of an emscripten -sNAME=VALUE link flag of flags.json. */
function emSetting(name) {
  const f = flags.link.find((a) => a.startsWith(`-s${name}=`));
  if (!f) throw new Error(`build-cc-kit: wasm/cmake/flags.json has no -s${name}=`);
  return Number(f.split('=')[1]);
}

const t0 = performance.now();
const ls = (dir, re) => fs.readdirSync(path.join(root, dir)).filter((f) => re.test(f) && !NATIVE_ONLY.has(f)).sort();
const core = ls('src', /\.c$/).map((f) => `src/${f}`);
const bridge = ls('wasm/src', /\.c$/).filter((f) => !f.startsWith('registry')).map((f) => `wasm/src/${f}`);

// The headers a module may include, at their repository paths (mounted under /wasync/ with -I for each folder, and
// -fmacro-prefix-map=/wasync/=, so a trace's await points read "wasm/examples/fake_fetch.h:12" as in the emscripten
// build). The compiler's in-memory file system cannot resolve `..`: the examples' `#include "../src/entries.h"` is
// rewritten to `#include "entries.h"`, on the same line, which the -I folders find.
const INCLUDE = ['src', 'wasm/src', 'wasm/examples'];
const PCH_OF = 'example.h'; // in wasm/examples: what every example includes first, directly or through its header
const headerText = {};
for (const dir of INCLUDE) {
  for (const f of ls(dir, /\.h$/)) {
    if (f.endsWith('_internal.h')) continue; // the core's private headers: the core is precompiled
    headerText[`${dir}/${f}`] = normalizeIncludes(fs.readFileSync(path.join(root, dir, f), 'utf8'));
  }
}

// The tree: the sources at their repository paths under /wasync/, so __FILE__ (which traces show) reads
// "src/task.c" as in the emscripten build (-fmacro-prefix-map=/wasync/=).
const tree = {};
for (const rel of [...core, ...bridge]) putFile(tree, `/wasync/${rel}`, fs.readFileSync(path.join(root, rel), 'utf8'));
for (const dir of ['src', 'wasm/src']) {
  for (const f of ls(dir, /\.h$/)) putFile(tree, `/wasync/${dir}/${f}`, fs.readFileSync(path.join(root, dir, f), 'utf8'));
}

await loadToolchain(clang);
const tLoaded = performance.now();
const base = [...flags.compile, '-Wall', '-Wextra', '-I/wasync/src', '-I/wasync/wasm/src', '-fmacro-prefix-map=/wasync/='];
const hot = await cc1Command(clang, base);
const cold = await cc1Command(clang, [...base, ...flags.coldCompile]);
const objects = { main: [], entries: [] };
for (const rel of [...core, ...bridge]) {
  const name = path.basename(rel);
  const obj = `/obj/${name.replace(/\.c$/, '.o')}`;
  const r = await runTool(clang, (COLD.has(name) ? cold : hot)(`/wasync/${rel}`, obj), tree);
  if (r.code !== 0 || r.output.trim()) {
    // the package's C compiles without a warning at -Wall -Wextra; anything else is a regression to see
    process.stderr.write(r.output);
    if (r.code !== 0) throw new Error(`build-cc-kit: compiling ${rel} failed`);
  }
  putFile(tree, obj, fileAt(r.files, obj));
  (ENTRY_SOURCES.has(name) ? objects.entries : objects.main).push(obj);
}
const tCompiled = performance.now();

const archives = [];
for (const [name, objs, wholeArchive] of [['libwasync.a', objects.main, true], ['libwasync-entries.a', objects.entries, false]]) {
  const r = await runTool(clang, ['ar', 'rcs', `/obj/${name}`, ...objs], tree);
  if (r.code !== 0) throw new Error(`build-cc-kit: ar ${name} failed: ${r.output}`);
  const bytes = fileAt(r.files, `/obj/${name}`);
  archives.push({ name, wholeArchive, base64: Buffer.from(bytes).toString('base64'), bytes: bytes.length });
}

const kit = {
  format: KIT_FORMAT,
  wasync: JSON.parse(fs.readFileSync(path.join(root, 'wasm', 'package.json'), 'utf8')).version,
  clang: clang.version,
  include: INCLUDE,
  compile: flags.compile,
  coldCompile: flags.coldCompile,
  // flags.json's -sTOTAL_STACK and -sINITIAL_MEMORY in wasm-ld's words (defined once, there); memory grows
  link: ['-z', `stack-size=${emSetting('TOTAL_STACK')}`, `--initial-memory=${emSetting('INITIAL_MEMORY')}`],
  headers: headerText,
  archives,
};
const tArchived = performance.now();
kit.pch = [];
kit.pch.push(await precompile(kit, [...EDIT_ARGS]));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(kit));
const ms = (a, b) => `${((b - a) / 1000).toFixed(1)} s`;
console.log(`build-cc-kit: wasm/dist/cc-kit.json ${fs.statSync(out).size} bytes (${archives.map((a) => `${a.name} ${a.bytes}`).join(', ')}, `
  + `${kit.pch.map((p) => `${p.file} ${p.bytes}`).join(', ')}, ${Object.keys(headerText).length} headers); toolchain load ${ms(t0, tLoaded)}, `
  + `${core.length + bridge.length} files ${ms(tLoaded, tCompiled)}, precompiled headers ${ms(tArchived, performance.now())}, total ${ms(t0, performance.now())}`);

/**
 * example.h precompiled with the flags of a user's file plus `args`, as compile() mounts the kit (kitTree: the same
 * paths, the same bytes, which the compiler checks when it reads the header). Also found out here, by running the
 * preprocessor: `deps`, the names of every file it was built from, and `covers`, the headers H for which a file that
 * starts with `#include "H"` means the same with example.h included before it (example.h itself, and the headers
 * that include it first thing, under an include guard): the same tokens and the same macros afterwards.
 */
async function precompile(kit, args) {
  const header = `wasm/examples/${PCH_OF}`;
  const flags = userFlags(kit, args);
  const tree = kitTree(kit);
  const file = `pch/${PCH_OF.replace(/\.h$/, '')}${args.join('')}.pch`;
  const make = await cc1Command(clang, [...flags, '-x', 'c-header']);
  const argv = make(`/wasync/${header}`, '/obj/out.pch');
  if (!argv.includes('-emit-pch')) throw new Error(`build-cc-kit: the driver gave no -emit-pch command: ${argv.join(' ')}`);
  const r = await runTool(clang, argv, tree);
  if (r.code !== 0 || r.output.trim()) throw new Error(`build-cc-kit: precompiling ${header} failed: ${r.output}`);
  const bytes = fileAt(r.files, '/obj/out.pch');

  const cpp = await cc1Command(clang, flags);
  const preprocess = async (text, extra) => {
    putFile(tree, '/obj/check.c', text);
    const a = cpp('/obj/check.c', '/obj/check.i').map((x) => (x === '-emit-obj' ? '-E' : x));
    const p = await runTool(clang, [...a, ...extra], tree);
    if (p.code !== 0) throw new Error(`build-cc-kit: preprocessing ${JSON.stringify(text)} failed: ${p.output}`);
    return String(new TextDecoder().decode(fileAt(p.files, '/obj/check.i')));
  };
  const base = await preprocess(`#include "${PCH_OF}"\n`, []);
  const deps = [...new Set([...base.matchAll(/^# \d+ "([^"<>]+)"/gm)].map((m) => m[1].split('/').pop()))]
    .filter((n) => n !== 'check.c').sort();
  // the tokens without line markers, whitespace collapsed; and the macros defined at the end
  const same = async (text, alt) => {
    for (const extra of [[], ['-dM']]) {
      const norm = (s) => s.replace(/^# \d+ "[^\n]*$/gm, '').replace(/\s+/g, ' ').trim();
      if (norm(await preprocess(text, extra)) !== norm(await preprocess(alt, extra))) return false;
    }
    return true;
  };
  const covers = [];
  for (const [rel, text] of Object.entries(kit.headers)) {
    const name = rel.split('/').pop();
    if (name !== PCH_OF && !text.includes(`#include "${PCH_OF}"`)) continue;
    if (await same(`#include "${name}"\n`, `#include "${PCH_OF}"\n#include "${name}"\n`)) covers.push(name);
    else console.log(`build-cc-kit: ${rel} does not start like ${PCH_OF}: files that include it first are compiled without the precompiled header`);
  }
  return { file, header, args, covers: covers.sort(), deps, base64: Buffer.from(bytes).toString('base64'), bytes: bytes.length };
}
