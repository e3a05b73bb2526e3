// examples.js: the examples module by URL, the entry `wasync/examples`. An entry of its own, not a re-export of
// `wasync`: Vite copies every `new URL(..., import.meta.url)` asset of every module it reads, used or not, so the
// examples module reaches a build only through an import of this entry.
import { WasmAsset } from './load.js';

/** dist/wasync-examples.wasm: the default module plus the built-in examples, for rt.runExample. */
export const EXAMPLES_WASM = /* @__PURE__ */ new WasmAsset('wasync-examples.wasm', () => new URL('../dist/wasync-examples.wasm', import.meta.url));
