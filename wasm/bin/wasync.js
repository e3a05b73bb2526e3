#!/usr/bin/env node
// The wasync command line: list the built-in examples, run one and print its poll trace. It loads the examples
// module (dist/wasync-examples.wasm), not the default one, which has no examples.
//
//   wasync build <app.c> [more.c ...] -o <app.wasm>   (bin/build.js: a module of your own, with emcc or @yowasp/clang)
//   wasync run-c <file.c> [--trace] [--entry NAME]     (bin/run-c.js: compile with @yowasp/clang and run, no emcc)
//   wasync list
//   wasync run <example> [--trace] [--real] [--budget N] [--slice MS] [--base-url URL] [--chrome FILE] [name=value ...]

import { writeFile } from 'node:fs/promises';
import { accessSync, statSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
// The package itself, through its exports (dist/, as installed).
import { createRuntime, traceToText, traceToChrome } from 'wasync';
import { EXAMPLES_WASM } from 'wasync/examples';
import { buildCommand } from './build.js';
import { runCCommand } from './run-c.js';

const USAGE = `usage:
  wasync build <app.c> [more.c ...] -o <app.wasm> [options]
                                       build a module of your own entry points (wasync build --help)
  wasync run-c <file.c> [--trace] [--entry NAME] [--arg name=value ...]
                                       compile your C in Node (no emscripten) and run one entry (wasync run-c --help)
  wasync list                          list the built-in examples
  wasync run <example> [options] [param=value ...]
options:
  --trace            print the poll trace as a text timeline
  --real             use the real clock (default: the virtual clock, deterministic)
  --budget N         cooperative budget per poll (0: unlimited)
  --slice MS         time slice before yielding to the host
  --base-url URL     base for relative fetch URLs (the fetch example needs a server)
  --chrome FILE      also write the trace as Chrome Trace Event JSON (Perfetto, chrome://tracing)
`;

// Says why `file` cannot be written, or null when it can: checked before the run, so a long run is not wasted
// on an output that fails at the end.
function unwritable(file) {
  if (file === '') return 'an empty path';
  const full = resolve(file);
  const dir = dirname(full);
  let st;
  try {
    st = statSync(full);
  } catch (e) {
    if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') return `cannot be checked (${e.code})`;
  }
  if (st?.isDirectory()) return 'is a folder';
  if (st) {
    try {
      accessSync(full, constants.W_OK);
    } catch {
      return 'is not writable';
    }
    return null;
  }
  let dst;
  try {
    dst = statSync(dir);
  } catch {
    return `its folder ${dir} does not exist`;
  }
  if (!dst.isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `its folder ${dir} is not writable`;
  }
  return null;
}

function fail(message) {
  process.stderr.write(`wasync: ${message}\n`);
  process.exit(2);
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'build') {
    await buildCommand(rest);
    return;
  }
  if (command === 'run-c') {
    await runCCommand(rest);
    return;
  }
  if (command === 'list') {
    const rt = await createRuntime({ wasm: EXAMPLES_WASM });
    for (const e of rt.examples) {
      const params = e.params.map((p) => `${p.name}=${p.default}`).join(' ');
      process.stdout.write(`${e.name.padEnd(12)} ${e.title}${params ? `  [${params}]` : ''}\n`);
    }
    rt.close();
    return;
  }
  if (command !== 'run') fail(`unknown command '${command}'\n${USAGE}`);
  const options = { clock: 'virtual', trace: true, wasm: EXAMPLES_WASM }; // the CLI shows traces: ask for them
  const params = {};
  let name = null;
  let showTrace = false;
  let chromeFile = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const next = () => (i + 1 < rest.length ? rest[++i] : fail(`${a} needs a value`));
    if (a === '--trace') showTrace = true;
    else if (a === '--real') options.clock = 'real';
    else if (a === '--budget') options.budget = Number(next());
    else if (a === '--slice') options.sliceMs = Number(next());
    else if (a === '--base-url') options.baseUrl = next();
    else if (a === '--chrome') chromeFile = next();
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else if (a.includes('=')) {
      const [k, ...v] = a.split('=');
      const s = v.join('=');
      params[k] = /^-?\d+$/.test(s) ? Number(s) : s;
    } else if (name === null) name = a;
    else fail(`unexpected argument '${a}'`);
  }
  if (!name) fail('run needs an example name (see: wasync list)');
  if (chromeFile !== null) {
    const why = unwritable(chromeFile);
    if (why) fail(`--chrome ${chromeFile}: ${why}`);
  }
  let rt;
  try {
    rt = await createRuntime(options);
  } catch (e) {
    fail(e.message);
  }
  let run;
  try {
    run = await rt.runExample(name, params);
  } catch (e) {
    if (showTrace && e.trace) process.stdout.write(traceToText(e.trace));
    rt.close();
    fail(`${name} failed: ${e.code ?? ''} ${e.message}`);
  }
  if (showTrace) process.stdout.write(traceToText(run.trace));
  process.stdout.write(`${name}: value ${JSON.stringify(run.value)}, elapsed ${run.elapsedMs.toFixed(3)} ms (${options.clock} clock), ${run.trace.length} trace events\n`);
  if (run.truncated) process.stdout.write(`note: ${run.truncated}\n`);
  if (chromeFile) {
    try {
      await writeFile(chromeFile, JSON.stringify(traceToChrome(run.trace, { title: `wasync ${name}` })));
    } catch (e) {
      rt.close();
      fail(`--chrome ${chromeFile}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '));
    }
    process.stdout.write(`wrote ${chromeFile}\n`);
  }
  rt.close();
}

main(process.argv.slice(2)).catch((e) => fail(String(e?.message ?? e).split('\n')[0]));
