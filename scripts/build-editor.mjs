// build-editor.mjs: bundles the playground's C editor (playground/editor/codemirror.js, CodeMirror 6 from npm) into
// playground/dist/codemirror.js, one minified ES module that the local server serves like the rest of the page (no
// CDN). The page imports it only when the user opens the editor; without it the page still shows and runs the
// built-in examples. scripts/build-wasm.sh runs it after the package's own JavaScript.
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const playground = join(dirname(fileURLToPath(import.meta.url)), '..', 'playground');
const result = await build({
  absWorkingDir: playground,
  entryPoints: { codemirror: 'editor/codemirror.js' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
for (const [out, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (out.endsWith('.js')) console.log(`build-editor: playground/${out} ${bytes} bytes`);
}
