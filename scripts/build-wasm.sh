#!/usr/bin/env bash
# build-wasm.sh: builds wasm/dist/wasync.wasm (the package's module) and examples/hello/dist/hello.wasm (a module
# of one's own entry points) with emscripten (emcmake cmake) and Binaryen's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
# emcc's JS optimizer needs Debian's node modules (acorn) on this Node.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p build-wasm
if ! emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >build-wasm/configure.log 2>&1; then
  cat build-wasm/configure.log
  exit 1
fi
if ! cmake --build build-wasm -j"$(nproc)" --target wasync_wasm wasync_hello >build-wasm/build.log 2>&1; then
  cat build-wasm/build.log
  exit 1
fi
test -s wasm/dist/wasync.wasm
echo "build-wasm: wasm/dist/wasync.wasm $(stat -c %s wasm/dist/wasync.wasm) bytes"
