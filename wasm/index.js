// wasync: an async runtime for WebAssembly, written in C. This is the package's entry point.
//
//   import { createRuntime } from 'wasync';
//   import { EXAMPLES_WASM } from 'wasync/examples';            // its own entry: bundlers copy it only if imported
//   const rt = await createRuntime({ clock: 'virtual' });       // dist/wasync.wasm: the standard entry points
//   const slept = await rt.start('sleep', { ms: 10 }).promise;
//   const ex = await createRuntime({ wasm: EXAMPLES_WASM });    // dist/wasync-examples.wasm: also the examples
//   const { value, elapsedMs, trace } = await ex.runExample('join', { a: 100, b: 200 });
//
// `wasync/inline` (inline.js) is the same API with the modules embedded in the JS instead of fetched by URL.

import { loadModule } from './lib/load.js';
import { createRuntimeFrom } from './lib/runtime.js';
import { DEFAULT_WASM } from './lib/assets.js';

export { DEFAULT_WASM } from './lib/assets.js';
export { Runtime } from './lib/runtime.js';
export { WasyncError } from './lib/errors.js';
export { traceToText, traceToChrome, CAUSES } from './lib/trace.js';

/** Creates a runtime: a fresh instance of the module with its own memory, executor and trace. */
export function createRuntime(options = {}) {
  return createRuntimeFrom((wasm) => loadModule(wasm ?? DEFAULT_WASM), options);
}
