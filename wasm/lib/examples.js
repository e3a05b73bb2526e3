// examples.js: the examples module by URL. Its own module (and its own file in the built package), so a bundler
// copies dist/wasync-examples.wasm only into applications that import EXAMPLES_WASM.
import { WasmAsset } from './load.js';

/** dist/wasync-examples.wasm: the default module plus the nine built-in examples, for rt.runExample. */
export const EXAMPLES_WASM = /* @__PURE__ */ new WasmAsset('wasync-examples.wasm', () => new URL('../dist/wasync-examples.wasm', import.meta.url));
