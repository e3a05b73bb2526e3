// run-c.js: `wasync run-c file.c [more.c ...]`: compiles your C with @yowasp/clang (wasync/cc, no emscripten), runs
// one entry in Node on the virtual clock and prints its value, elapsed time, printf output and (--trace) poll trace.
// Also the compiler behind `wasync build` when emcc is absent (compileWithClang, used by build.js).
import fs from 'node:fs';
import path from 'node:path';

export const RUN_C_USAGE = `usage: wasync run-c <file.c> [more.c ...] [options] [name=value ...]
  compiles the files with @yowasp/clang (no emscripten needed) and runs one entry in Node
options:
  --entry NAME       the entry to run (default: the only one, else the first declared)
  --arg NAME=VALUE   an argument of the entry (the same as a bare NAME=VALUE)
  --trace            print the poll trace as a text timeline
  --real             use the real clock (default: the virtual clock, deterministic)
  -I DIR, -D NAME[=VALUE]   as for the compiler
`;

export class UsageError extends Error {}
export class CompileFailed extends Error {}

const CLANG_MISSING = '@yowasp/clang is not installed: it is an optional dependency of wasync '
  + '(npm install wasync without --omit=optional, or npm install @yowasp/clang)';

/** The imported @yowasp/clang module, or null when it is not installed. */
export async function importClang() {
  try {
    return await import('@yowasp/clang');
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && /@yowasp\/clang/.test(e.message)) return null;
    throw e;
  }
}

/** The virtual path of a file on disk: relative to the working folder (what __FILE__ and the messages show), or its
 * name alone when it lies outside. */
function virtualPath(file) {
  const rel = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? path.basename(file) : rel;
}

/** The headers in `dir` and its subfolders (at most `limit`; no dot folders, no node_modules), keyed by virtual path. */
function headersUnder(dir, files, limit = 500) {
  const walk = (d, depth) => {
    let list;
    try {
      list = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      if (Object.keys(files).length >= limit) return;
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 4 && !e.name.startsWith('.') && e.name !== 'node_modules') walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.h')) files[virtualPath(p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir, 0);
}

/**
 * Compiles `sources` (paths on disk) with @yowasp/clang and the package's kit; throws UsageError for a missing
 * compiler or kit, CompileFailed (the compiler's messages already written to stderr) for a mistake in the C.
 * @returns {Promise<{ wasm: Uint8Array, clangVersion: string, ms: object }>}
 */
export async function compileWithClang({ sources, includes = [], defines = [], extraArgs = [] }) {
  const clang = await importClang();
  if (!clang) throw new UsageError(CLANG_MISSING);
  const { compile, readKit, CC_KIT } = await import('wasync/cc');
  const kit = await readKit(CC_KIT);
  const files = {};
  // headers next to the sources and in the -I folders, so that #include "x.h" finds them
  for (const dir of new Set([...sources.map((f) => path.dirname(path.resolve(f))), ...includes.map((d) => path.resolve(d))])) headersUnder(dir, files);
  for (const f of sources) files[virtualPath(f)] = fs.readFileSync(f, 'utf8');
  const args = [...includes.map((d) => `-I/app/${virtualPath(d)}`), ...defines.map((d) => `-D${d}`), ...extraArgs];
  const r = await compile({ clang, kit, files, args });
  if (r.log) process.stderr.write(r.log.endsWith('\n') ? r.log : `${r.log}\n`);
  if (!r.ok) throw new CompileFailed('compiling failed (the compiler\'s messages are above)');
  return { wasm: r.wasm, clangVersion: clang.version ?? 'unknown', ms: r.ms };
}

function parseArgs(argv) {
  const o = { sources: [], includes: [], defines: [], entry: null, trace: false, clock: 'virtual', params: {} };
  const param = (a) => {
    const [k, ...v] = a.split('=');
    if (!k) throw new UsageError(`bad argument '${a}': expected name=value`);
    const s = v.join('=');
    o.params[k] = /^-?\d+$/.test(s) ? Number(s) : s;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--trace') o.trace = true;
    else if (a === '--real') o.clock = 'real';
    else if (a === '--entry') o.entry = next();
    else if (a === '--arg') {
      const v = next();
      if (!v.includes('=')) throw new UsageError(`--arg ${v}: expected name=value`);
      param(v);
    } else if (a === '-I') o.includes.push(next());
    else if (a.startsWith('-I') && a.length > 2) o.includes.push(a.slice(2));
    else if (a === '-D') o.defines.push(next());
    else if (a.startsWith('-D') && a.length > 2) o.defines.push(a.slice(2));
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see: wasync run-c --help)`);
    else if (a.includes('=') && !a.endsWith('.c')) param(a);
    else o.sources.push(a);
  }
  if (!o.sources.length) throw new UsageError('run-c needs a C file (see: wasync run-c --help)');
  for (const f of o.sources) {
    if (!f.endsWith('.c')) throw new UsageError(`not a C source (.c): ${f}`);
    if (!fs.existsSync(f)) throw new UsageError(`no such file: ${f}`);
    if (!fs.statSync(f).isFile()) throw new UsageError(`not a file: ${f}`);
  }
  for (const d of o.includes) if (!fs.existsSync(d)) throw new UsageError(`no such include directory: ${d}`);
  return o;
}

/** The `run-c` command: exit 0 when the entry completed, 1 when compiling or the run failed, 2 on bad usage. */
export async function runCCommand(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(RUN_C_USAGE);
    return;
  }
  const fail = (code, msg) => {
    process.stderr.write(`wasync run-c: ${msg}\n`);
    process.exitCode = code;
  };
  let o, built;
  try {
    o = parseArgs(argv);
    built = await compileWithClang(o);
  } catch (e) {
    if (e instanceof UsageError) return fail(2, e.message);
    if (e instanceof CompileFailed) return fail(1, e.message);
    throw e;
  }
  const { createRuntime, traceToText } = await import('wasync');
  let rt;
  try {
    rt = await createRuntime({
      wasm: built.wasm, clock: o.clock, trace: true,
      stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s),
    });
  } catch (e) {
    return fail(1, `cannot load the compiled module: ${e.message}`);
  }
  const name = o.entry ?? rt.entries[0];
  if (!rt.entries.includes(name)) {
    rt.close();
    return fail(2, `no entry named '${name}' (the module has: ${rt.entries.join(', ')})`);
  }
  const isExample = rt.examples.some((e) => e.name === name);
  let value, elapsed, trace, error = null;
  try {
    if (isExample) {
      ({ value, elapsedMs: elapsed, trace } = await rt.runExample(name, o.params));
    } else {
      rt.readTrace({ clear: true });
      value = await rt.start(name, o.params).promise;
      trace = rt.readTrace();
      elapsed = trace.length ? trace.at(-1).t : 0;
    }
  } catch (e) {
    error = e;
    trace = e.trace ?? (rt.closed ? [] : rt.readTrace());
  }
  if (o.trace && trace) process.stdout.write(traceToText(trace));
  rt.close();
  if (error) return fail(1, `${name} failed: ${error.code ?? error.name ?? ''} ${error.message}`.replace(/\s+/g, ' '));
  process.stdout.write(`${name}: value ${JSON.stringify(value)}, elapsed ${elapsed.toFixed(3)} ms (${o.clock} clock), `
    + `${trace.length} trace events; compiled with @yowasp/clang ${built.clangVersion} in `
    + `${((built.ms.compile + built.ms.link) / 1000).toFixed(2)} s\n`);
}
