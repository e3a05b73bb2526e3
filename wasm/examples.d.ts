// Types for wasync/examples: the examples module by URL (dist/wasync-examples.wasm).
import type { WasmAsset } from './index.js';
/** The default module plus the built-in examples: createRuntime({ wasm: EXAMPLES_WASM }), then rt.runExample. */
export declare const EXAMPLES_WASM: WasmAsset;
