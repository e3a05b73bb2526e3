// wasync/trace: the trace exporters alone, for traces saved from a run; they need no runtime and no .wasm.
export { traceToText, traceToChrome, CAUSES } from './lib/trace.js';
