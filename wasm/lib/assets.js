// assets.js: the default module by URL, for the `wasync` entry. Vite and webpack see this `new URL(..., import.meta.url)`
// and copy dist/wasync.wasm into the build. Its own module, so the `wasync/inline` entry does not pull it in.
import { WasmAsset } from './load.js';

/** The default module, dist/wasync.wasm: the core, the bridge and the standard entry points. */
export const DEFAULT_WASM = /* @__PURE__ */ new WasmAsset('wasync.wasm', () => new URL('../dist/wasync.wasm', import.meta.url));
