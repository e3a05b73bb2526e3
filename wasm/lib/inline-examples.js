// inline-examples.js: dist/wasync-examples.wasm embedded in the JS, the entry `wasync/inline/examples` (build-time
// only, like inline-default.js).
import { InlineWasm } from './load.js';
import bytes from '../dist/wasync-examples.wasm';

/** The examples module, embedded. */
export const EXAMPLES_WASM = /* @__PURE__ */ new InlineWasm('wasync-examples.wasm', () => bytes);
