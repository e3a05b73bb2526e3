// run-c.js: `wasync run-c file.c [more.c ...]`: compiles your C with @yowasp/clang (wasync/cc, no emscripten), runs
// one entry in Node on the virtual clock and prints its value, elapsed time, printf output and (--trace) poll trace.
// Also the compiler behind `wasync build` when emcc is absent (compileWithClang, used by build.js). The program runs
// in a worker thread (run-c-worker.js) under a watchdog: a poll that never returns is stopped after --timeout seconds.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export const RUN_C_USAGE = `usage: wasync run-c <file.c> [more.c ...] [options] [name=value ...]
  compiles the files with @yowasp/clang (no emscripten needed) and runs one entry in Node
options:
  --entry NAME       the entry to run (default: the only one, else the first declared)
  --arg NAME=VALUE   an argument of the entry (the same as a bare NAME=VALUE)
  --trace            print the poll trace as a text timeline
  --real             use the real clock (default: the virtual clock, deterministic)
  --timeout SECONDS  stop the program when it has not finished after this long (default 5; 0: never);
                     exit status 124
  -I DIR, -D NAME[=VALUE]   as for the compiler
`;

/** Seconds the program may run before the watchdog stops it, unless --timeout says otherwise. */
export const RUN_C_DEFAULT_TIMEOUT_S = 5;
/** The exit status when the watchdog stopped the program (that of coreutils' timeout). */
export const RUN_C_TIMEOUT_EXIT = 124;
const MAX_TIMEOUT_S = 86_400;
const STARTUP_S = 30;

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
export async function compileWithClang({ sources, includes = [], defines = [], extraArgs = [], standardBlocking = false }) {
  const clang = await importClang();
  if (!clang) throw new UsageError(CLANG_MISSING);
  const { compile, readKit, CC_KIT } = await import('wasync/cc');
  const kit = await readKit(CC_KIT);
  const files = {};
  // headers next to the sources and in the -I folders, so that #include "x.h" finds them
  for (const dir of new Set([...sources.map((f) => path.dirname(path.resolve(f))), ...includes.map((d) => path.resolve(d))])) headersUnder(dir, files);
  for (const f of sources) files[virtualPath(f)] = fs.readFileSync(f, 'utf8');
  const args = [...includes.map((d) => `-I/app/${virtualPath(d)}`), ...defines.map((d) => `-D${d}`), ...extraArgs];
  const r = await compile({ clang, kit, files, args, standardBlocking });
  if (r.log) process.stderr.write(r.log.endsWith('\n') ? r.log : `${r.log}\n`);
  if (!r.ok) throw new CompileFailed('compiling failed (the compiler\'s messages are above)');
  return { wasm: r.wasm, clangVersion: clang.version ?? 'unknown', ms: r.ms };
}

function parseArgs(argv) {
  const o = { sources: [], includes: [], defines: [], entry: null, trace: false, clock: 'virtual', params: {},
    timeout: RUN_C_DEFAULT_TIMEOUT_S };
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
    else if (a === '--timeout') {
      const v = next();
      const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
      if (!(n <= MAX_TIMEOUT_S)) throw new UsageError(`--timeout ${v}: expected seconds from 0 to ${MAX_TIMEOUT_S} (0: no watchdog)`);
      o.timeout = n;
    }
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
    built = await compileWithClang({ ...o, standardBlocking: true }); // the examples' offload.c runs as it is
  } catch (e) {
    if (e instanceof UsageError) return fail(2, e.message);
    if (e instanceof CompileFailed) return fail(1, e.message);
    throw e;
  }
  const outcome = await runInWorker(o, built.wasm);
  if (outcome.timedOut) {
    return fail(RUN_C_TIMEOUT_EXIT, `${outcome.running ?? 'the program'} was stopped after ${o.timeout} s (--timeout): a poll that never returns `
      + '(like while (1) {}) holds the only thread, so every other task, timer and callback starves; wait with '
      + 'WS_AWAIT so the poll returns Pending (or, if it just needs longer, raise --timeout)');
  }
  if (outcome.error) return fail(1, `the run failed: ${outcome.error.message}`);
  const d = outcome.done;
  if (!d) {
    process.exitCode = outcome.exit;
    return;
  }
  process.stdout.write(`${d.name}: value ${d.value}, elapsed ${d.elapsed.toFixed(3)} ms (${o.clock} clock), `
    + `${d.events} trace events; compiled with @yowasp/clang ${built.clangVersion} in `
    + `${((built.ms.compile + built.ms.link) / 1000).toFixed(2)} s\n`);
}

/**
 * Runs the compiled module in a worker thread, writing what it prints as it arrives; when `o.timeout` seconds pass
 * first, terminates it (a blocked poll cannot be interrupted from inside its own thread).
 * @returns {Promise<{ exit?: number, done?: object, running?: string, timedOut?: boolean, error?: Error }>}
 */
function runInWorker(o, wasm) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./run-c-worker.js', import.meta.url), {
      workerData: { wasm, clock: o.clock, entry: o.entry, params: o.params, trace: o.trace },
    });
    const result = {};
    let settled = false;
    const settle = (extra) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, ...extra });
    };
    // the limit counts from the entry's start; loading the module (which runs C constructors) gets at least
    // STARTUP_S, so that a busy machine's slow worker start is not taken for a blocked poll
    let timer = null;
    const arm = (s) => {
      clearTimeout(timer);
      if (o.timeout > 0) timer = setTimeout(() => {
        worker.terminate();
        settle({ timedOut: true });
      }, s * 1000);
    };
    arm(Math.max(o.timeout, STARTUP_S));
    worker.on('message', (m) => {
      if (settled) return;
      if (m.out !== undefined) process.stdout.write(m.out);
      else if (m.err !== undefined) process.stderr.write(m.err);
      else if (m.done) result.done = m.done;
      else if (m.running) {
        result.running = m.running;
        arm(o.timeout);
      }
      else if (m.exit !== undefined) {
        // done: the worker need not wind down by itself (a runtime may keep helper threads)
        result.exit = m.exit;
        settle({});
        worker.terminate();
      }
    });
    worker.on('error', (e) => settle({ error: e }));
    worker.on('exit', () => settle({ exit: result.exit ?? 1 }));
  });
}
