#!/usr/bin/env bash
# build-wasm.sh: builds the package's two modules, wasm/dist/wasync.wasm (core, bridge, standard entries: what
# createRuntime() loads) and wasm/dist/wasync-examples.wasm (the same plus the nine examples), and
# examples/hello/dist/hello.wasm (a module of one's own entry points) with emscripten (emcmake cmake) and
# Binaryen's wasm-opt; then the kit for compiling C without emscripten (wasm/dist/cc-kit.json: the core and bridge
# precompiled by @yowasp/clang, scripts/build-cc-kit.mjs); then the package's JavaScript as it ships, minified by
# esbuild (scripts/build-js.mjs); then the playground's C editor and the in-page compiler's C-only sysroot
# (scripts/build-editor.mjs, scripts/build-cc-resources.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
# emcc's JS optimizer needs Debian's node modules (acorn) on this Node.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p build-wasm
if ! emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >build-wasm/configure.log 2>&1; then
  cat build-wasm/configure.log
  exit 1
fi
if ! cmake --build build-wasm -j"$(nproc)" --target wasync_wasm wasync_examples_wasm wasync_hello >build-wasm/build.log 2>&1; then
  cat build-wasm/build.log
  exit 1
fi
for f in wasm/dist/wasync.wasm wasm/dist/wasync-examples.wasm; do
  test -s "$f"
  echo "build-wasm: $f $(stat -c %s "$f") bytes"
done
node scripts/build-cc-kit.mjs
node scripts/build-js.mjs
node scripts/build-editor.mjs        # the playground's C editor (CodeMirror) into playground/dist/
node scripts/build-cc-resources.mjs  # the in-page compiler's C-only sysroot into playground/dist/
