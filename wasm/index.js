// wasync: an async runtime for WebAssembly, written in C. This is the package's entry point.
//
//   import { createRuntime } from 'wasync';
//   const rt = await createRuntime({ clock: 'virtual' });
//   const { value, elapsedMs, trace } = await rt.runExample('join', { a: 100, b: 200 });

import { loadModule } from './lib/load.js';
import { createRuntimeFrom } from './lib/runtime.js';

export { Runtime } from './lib/runtime.js';
export { WasyncError } from './lib/errors.js';
export { traceToText, traceToChrome, CAUSES } from './lib/trace.js';

/** Creates a runtime: a fresh instance of the module with its own memory, executor and trace. */
export function createRuntime(options = {}) {
  return createRuntimeFrom(loadModule, options);
}
