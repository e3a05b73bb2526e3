// inline-default.js: dist/wasync.wasm embedded in the JS (build-time only: esbuild's binary loader, scripts/build-js.mjs).
import { InlineWasm } from './load.js';
import bytes from '../dist/wasync.wasm';

/** The default module, embedded. */
export const DEFAULT_WASM = /* @__PURE__ */ new InlineWasm('wasync.wasm', () => bytes);
