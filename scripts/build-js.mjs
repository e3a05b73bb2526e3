// build-js.mjs: builds the package's JavaScript as users download it: wasm/index.js, wasm/inline.js and their
// modules bundled and minified by esbuild into wasm/dist/, with source maps (the readable sources stay in wasm/ and
// are what the repository's tests, playground and benchmarks import). Run after the .wasm files are built
// (scripts/build-wasm.sh runs both): wasync/inline embeds them.
//
// Entry points (package.json "exports"):           shared code goes into dist/chunk-*.js (esbuild splitting)
//   dist/index.js             wasync                  modules by URL (Vite and webpack copy the .wasm files)
//   dist/inline.js            wasync/inline           modules embedded as base64
//   dist/trace.js             wasync/trace            the trace decoders and exporters alone
//   dist/examples.js          wasync/examples         EXAMPLES_WASM by URL  } entries of their own: bundlers copy (or
//   dist/inline-examples.js   wasync/inline/examples  EXAMPLES_WASM embedded} embed) the examples only when imported
//   dist/cc.js                wasync/cc               compiling C with @yowasp/clang and dist/cc-kit.json
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', 'wasm');
const dist = join(pkg, 'dist');
for (const f of ['wasync.wasm', 'wasync-examples.wasm']) {
  if (!existsSync(join(dist, f))) throw new Error(`build-js: ${join(dist, f)} is missing: run bash scripts/build-wasm.sh`);
}
// Remove the previous build's JS (chunk names carry a hash), keeping the .wasm files.
for (const f of readdirSync(dist)) if (/\.js(\.map)?$/.test(f)) rmSync(join(dist, f));

const result = await build({
  absWorkingDir: pkg,
  entryPoints: {
    index: 'index.js',
    inline: 'inline.js',
    trace: 'trace.js',
    examples: 'lib/examples.js',
    'inline-examples': 'lib/inline-examples.js',
    cc: 'lib/cc/compile.js',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  minify: true,
  // Short lines: Node prints the whole source line of an uncaught error's throw site above the message, and one
  // 18 KB line of minified code would bury the message in a user's terminal.
  lineLimit: 120,
  sourcemap: 'linked',
  sourcesContent: true,
  legalComments: 'none',
  loader: { '.wasm': 'binary' },
  logLevel: 'warning',
  metafile: true,
});

// The URL modules must keep their `new URL('../dist/<file>', import.meta.url)`: it is what bundlers look for, and it
// resolves from dist/ exactly as from lib/. Each in its own output file, so the examples module is copied only when used.
const js = readdirSync(dist).filter((f) => f.endsWith('.js'));
const holders = (wasm) => js.filter((f) => readFileSync(join(dist, f), 'utf8').includes(`new URL("../dist/${wasm}",import.meta.url)`));
const [a, b] = [holders('wasync.wasm'), holders('wasync-examples.wasm')];
if (a.length !== 1 || b.length !== 1 || a[0] === b[0]) throw new Error(`build-js: the module URLs are not each in one file of their own: ${a} / ${b}`);
for (const [out, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (out.endsWith('.js')) console.log(`build-js: wasm/${out} ${bytes} bytes`);
}
