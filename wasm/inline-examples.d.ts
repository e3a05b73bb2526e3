// Types for wasync/inline/examples: the examples module embedded in the JS.
import type { InlineWasm } from './index.js';
/** The default module plus the built-in examples, embedded: createRuntime({ wasm: EXAMPLES_WASM }). */
export declare const EXAMPLES_WASM: InlineWasm;
