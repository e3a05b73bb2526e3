// build.js: `wasync build app.c [more.c ...] -o app.wasm`: compiles a module of your own entry points with the
// wasync core and bridge, with emcc and the package's flags (cmake/flags.json, shared with cmake/wasync.cmake),
// without CMake. The registry of entries is the one your sources declare (WS_MODULE_ENTRIES), or, if none does,
// one generated from every WS_ENTRY(...) they contain. Where emcc is not installed, @yowasp/clang (an optional
// dependency of the package) compiles your sources and links them against the package's prebuilt kit
// (dist/cc-kit.json; bin/run-c.js, wasync/cc); the command says which toolchain it used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compileWithClang, importClang, UsageError, CompileFailed } from './run-c.js';

export const BUILD_USAGE = `usage: wasync build <app.c> [more.c ...] -o <out.wasm> [options]
options:
  -o FILE              the module to write (required)
  -I DIR               an include directory of your own (repeatable)
  -D NAME[=VALUE]      a macro definition (repeatable)
  --standard-entries   also compile the package's standard entries (host_echo, fetch_text, sleep, ...)
  --cold FILE          a source run once per start or per runtime, built for size (-Oz) (repeatable)
  --keep               keep the intermediate objects (prints where)
environment:
  EMCC                 the emcc to use (default: emcc on PATH)
Without emcc, the optional dependency @yowasp/clang compiles (the same flags; --keep has no objects to keep).
`;

const INSTALL_EMCC = 'emcc (emscripten) is not on PATH: install it (Debian/Ubuntu: sudo apt-get install emscripten; '
  + 'elsewhere: https://emscripten.org/docs/getting_started/downloads.html), or set EMCC to its path, or install the '
  + 'fallback compiler, an optional dependency of wasync: npm install @yowasp/clang';

class BuildError extends Error {}

/** Where the package keeps its C: the installed package's c/ (staged by npm pack), or a checkout's src/. */
export function cLayout(pkgDir) {
  const staged = path.join(pkgDir, 'c');
  // the package ships c/ and not src/; a checkout has src/ (and c/ only during npm pack)
  if (!fs.existsSync(path.join(pkgDir, 'src', 'bridge.c')) && fs.existsSync(path.join(staged, 'core'))) {
    const core = path.join(staged, 'core');
    return {
      core: fs.readdirSync(core).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(core, f)),
      bridgeDir: path.join(staged, 'bridge'),
      include: [path.join(staged, 'include'), path.join(staged, 'bridge')],
      prefixMap: [`${staged}/`, 'wasync/'],
    };
  }
  const repo = path.join(pkgDir, '..');
  const src = path.join(repo, 'src');
  const nativeOnly = new Set(['host_posix.c', 'trace_text.c']); // the same list as scripts/stage-c.mjs
  return {
    core: fs.readdirSync(src).filter((f) => f.endsWith('.c') && !nativeOnly.has(f)).sort().map((f) => path.join(src, f)),
    bridgeDir: path.join(pkgDir, 'src'),
    include: [src, path.join(pkgDir, 'src')],
    prefixMap: [`${repo}/`, ''],
  };
}

function parseArgs(argv) {
  const o = { sources: [], cold: [], out: null, includes: [], defines: [], standard: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new BuildError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-o') o.out = next();
    else if (a === '-I') o.includes.push(next());
    else if (a.startsWith('-I') && a.length > 2) o.includes.push(a.slice(2));
    else if (a === '-D') o.defines.push(next());
    else if (a.startsWith('-D') && a.length > 2) o.defines.push(a.slice(2));
    else if (a === '--standard-entries') o.standard = true;
    else if (a === '--cold') o.cold.push(next());
    else if (a === '--keep') o.keep = true;
    else if (a.startsWith('-')) throw new BuildError(`unknown option ${a} (see: wasync build --help)`);
    else o.sources.push(a);
  }
  if (!o.sources.length) throw new BuildError('no source files (see: wasync build --help)');
  if (!o.out) throw new BuildError('-o <out.wasm> is required');
  for (const f of [...o.sources, ...o.cold]) {
    if (!fs.existsSync(f)) throw new BuildError(`no such file: ${f}`);
    if (!fs.statSync(f).isFile()) throw new BuildError(`not a file: ${f}`);
    if (!f.endsWith('.c')) throw new BuildError(`not a C source (.c): ${f}`);
  }
  for (const d of o.includes) if (!fs.existsSync(d)) throw new BuildError(`no such include directory: ${d}`);
  return o;
}

function findOnPath(cmd) {
  if (cmd.includes('/')) return fs.existsSync(cmd) ? path.resolve(cmd) : null;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return null;
}

/** The registry: declared by a source (WS_MODULE_ENTRIES), else generated from the WS_ENTRY declarations. */
function registrySource(files, standard) {
  const entries = [];
  const blocking = [];
  let ownEntries = false, ownBlocking = false;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (/\bWS_MODULE_ENTRIES\s*\(/.test(text)) ownEntries = true;
    if (/\bWS_MODULE_BLOCKING\s*\(/.test(text)) ownBlocking = true;
    for (const m of text.matchAll(/\bWS_ENTRY\s*\(\s*([A-Za-z_]\w*)\s*,/g)) entries.push(m[1]);
    for (const m of text.matchAll(/\bWS_BLOCKING_FN\s*\(\s*([A-Za-z_]\w*)\s*\)/g)) blocking.push(m[1]);
  }
  if (!ownEntries && !entries.length) {
    throw new BuildError('no entry points: declare one with WS_ENTRY(fn, ...) (ws_module.h), or list them with '
      + 'WS_MODULE_ENTRIES(...) in one source');
  }
  // blocking functions (ws_blocking.h): the ones declared with WS_BLOCKING_FN, and the standard ones with --standard
  const fns = [...blocking.map((b) => `&${b}_blocking`), ...(standard ? ['WSX_STANDARD_BLOCKING'] : [])];
  const lines = [];
  if (!ownEntries) {
    lines.push('#include "ws_module.h"', ...entries.map((e) => `extern const wsx_entry ${e}_entry;`),
      `WS_MODULE_ENTRIES(${entries.map((e) => `&${e}_entry`).join(', ')});`);
  }
  if (!ownBlocking && fns.length) {
    lines.push('#include "ws_blocking.h"', ...blocking.map((b) => `extern const ws_blocking_def ${b}_blocking;`),
      `WS_MODULE_BLOCKING(${fns.join(', ')});`);
  }
  if (!lines.length) return null;
  return ['/* generated by wasync build: the entries declared with WS_ENTRY and the blocking functions declared with WS_BLOCKING_FN in the sources */', ...lines, ''].join('\n');
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', (e) => resolve({ code: 127, error: e }));
    child.on('close', (code) => resolve({ code }));
  });
}

/** The build with @yowasp/clang and the kit: your sources (the cold ones too; the kit's flags are -O3) and, with
 * --standard-entries, a registry that adds the standard entries to yours. */
async function buildWithClang(o) {
  let sources = [...o.sources, ...o.cold];
  let tmp = null;
  if (o.standard) {
    const registry = registrySource(sources, true);
    if (registry) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-build-'));
      const reg = path.join(tmp, 'wasync_registry.c');
      fs.writeFileSync(reg, registry.replace('#include "ws_module.h"', '#include "entries.h"').replace('WS_MODULE_ENTRIES(', 'WS_MODULE_ENTRIES(WSX_STANDARD_ENTRIES, '));
      sources = [...sources, reg];
    } // else your own registry lists them (WSX_STANDARD_ENTRIES); the kit has them
  }
  try {
    const built = await compileWithClang({ sources, includes: o.includes, defines: o.defines });
    const out = path.resolve(o.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, built.wasm);
    process.stdout.write(`wasync build: wrote ${o.out} (${built.wasm.length} bytes) with @yowasp/clang ${built.clangVersion} `
      + `(emcc is not on PATH)${registrySource([...o.sources, ...o.cold]) ? '; registry generated from WS_ENTRY declarations' : ''}\n`);
  } catch (e) {
    if (e instanceof UsageError) throw new BuildError(e.message);
    if (e instanceof CompileFailed) throw new BuildError(e.message);
    throw e;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function build(argv, pkgDir) {
  const o = parseArgs(argv);
  const emcc = findOnPath(process.env.EMCC || 'emcc');
  if (!emcc) {
    if (await importClang()) return buildWithClang(o);
    throw new BuildError(INSTALL_EMCC);
  }
  const flags = JSON.parse(fs.readFileSync(path.join(pkgDir, 'cmake', 'flags.json'), 'utf8'));
  const c = cLayout(pkgDir);
  // Debian's emscripten runs its JS tools with the system node, which needs Debian's node modules (acorn)
  const env = { ...process.env };
  if (fs.existsSync('/usr/share/nodejs')) env.NODE_PATH = ['/usr/share/nodejs', env.NODE_PATH].filter(Boolean).join(path.delimiter);
  let version = '';
  try {
    version = execFileSync(emcc, ['--version'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch { /* reported below if it cannot compile either */ }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-build-'));
  try {
    const registry = registrySource([...o.sources, ...o.cold], o.standard);
    // the bridge's sources, hot (built like the core) and cold, as flags.json lists them for cmake/wasync.cmake too
    const bridge = (names) => names.map((f) => path.join(c.bridgeDir, f));
    const hot = bridge(flags.bridgeHot);
    const cold = [...bridge(flags.bridgeCold), ...o.cold];
    if (o.standard) cold.push(...bridge(flags.standardEntries));
    if (registry) {
      const reg = path.join(tmp, 'wasync_registry.c');
      fs.writeFileSync(reg, registry);
      cold.push(reg);
    }
    const common = [
      ...flags.compile, ...c.include.map((d) => `-I${d}`), ...o.includes.map((d) => `-I${path.resolve(d)}`),
      ...o.defines.map((d) => `-D${d}`), `-fmacro-prefix-map=${c.prefixMap[0]}=${c.prefixMap[1]}`,
      `-fmacro-prefix-map=${process.cwd()}/=`,
    ];
    // your sources first: a mistake in them is reported before the package's sources are compiled
    const jobs = [
      ...o.sources.map((f) => ({ f: path.resolve(f), extra: [] })),
      ...c.core.map((f) => ({ f, extra: [] })),
      ...hot.map((f) => ({ f: path.resolve(f), extra: [] })),
      ...cold.map((f) => ({ f: path.resolve(f), extra: flags.coldCompile })),
    ];
    const objects = jobs.map((j, i) => path.join(tmp, `${i}-${path.basename(j.f, '.c')}.o`));
    // two compilers at a time: a laptop's worth, and what CI machines share
    let next = 0;
    let failed = null;
    const worker = async () => {
      while (next < jobs.length && !failed) {
        const i = next++;
        const r = await run(emcc, [...common, ...jobs[i].extra, '-c', jobs[i].f, '-o', objects[i]], env);
        if (r.code !== 0 && !failed) failed = { job: jobs[i], r };
      }
    };
    await Promise.all([worker(), worker()]);
    if (failed) {
      if (failed.r.error) throw new BuildError(`could not run ${emcc}: ${failed.r.error.message}`);
      throw new BuildError(`compiling ${path.relative(process.cwd(), failed.job.f)} failed (the compiler's messages are above)`);
    }
    const out = path.resolve(o.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const linked = await run(emcc, [...objects, ...flags.link, '-o', out], env);
    if (linked.code !== 0) throw new BuildError('linking failed (the linker\'s messages are above)');
    const size = fs.statSync(out).size;
    process.stdout.write(`wasync build: wrote ${o.out} (${size} bytes) with ${version || 'emcc'} (${emcc})`
      + `${registry ? '; registry generated from WS_ENTRY declarations' : ''}\n`);
    if (o.keep) process.stdout.write(`wasync build: objects kept in ${tmp}\n`);
  } finally {
    if (!o.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The `build` command: exits 0 on success, 1 on a build failure, 2 on bad usage. */
export async function buildCommand(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(BUILD_USAGE);
    return;
  }
  const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    await build(argv, pkgDir);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    process.stderr.write(`wasync build: ${e.message}\n`);
    process.exit(/unknown option|needs a value|required|no source files/.test(e.message) ? 2 : 1);
  }
}
