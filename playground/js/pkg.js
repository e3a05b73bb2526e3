// The one place that names the package. main.js loads this module dynamically so a missing or broken
// package becomes a visible error instead of a blank page.
export { createRuntime, traceToChrome, traceToText } from '/pkg/index.js';
export { EXAMPLES_WASM } from '/pkg/lib/examples.js';
