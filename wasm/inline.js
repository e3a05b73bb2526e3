// wasync/inline: the same API as `wasync`, with the package's modules embedded in the JS (base64) instead of
// fetched by URL, for setups that do not copy assets: esbuild, CommonJS bundles, Vite's dev server, a single file.
// It exists only in the built package (dist/inline.js): the `.wasm` imports below are turned into bytes by esbuild's
// binary loader (scripts/build-js.mjs). The examples module is embedded only in applications that import it, from
// its own entry: import { EXAMPLES_WASM } from 'wasync/inline/examples' (lib/inline-examples.js).

import { loadModule } from './lib/load.js';
import { createRuntimeFrom } from './lib/runtime.js';
import { DEFAULT_WASM } from './lib/inline-default.js';

export { DEFAULT_WASM } from './lib/inline-default.js';
export { Runtime } from './lib/runtime.js';
export { WasyncError } from './lib/errors.js';
export { traceToText, traceToChrome, CAUSES } from './lib/trace.js';

/** Creates a runtime from the embedded default module (or the `wasm` option). */
export function createRuntime(options = {}) {
  return createRuntimeFrom((wasm) => loadModule(wasm ?? DEFAULT_WASM), options);
}
