// Types for wasync/inline: the API of `wasync`, with the package's modules embedded in the JS.
import type { InlineWasm } from './index.js';
export * from './index.js';
/** The default module, embedded: what createRuntime() from wasync/inline loads. */
export declare const DEFAULT_WASM: InlineWasm;
