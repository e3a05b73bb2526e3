#!/usr/bin/env bash
# build.sh: builds the Asyncify side of the benchmarks with emscripten (Debian's 3.1.6).
#
#   dist/workloads.js + .wasm   bench/asyncify/workloads.c: the workloads on Asyncify fibers
#   dist/examples.js + .wasm    bench/asyncify/examples.c: the package's nine examples on Asyncify fibers
#   dist/minimal.js + .wasm     bench/asyncify/minimal.c: one emscripten_sleep (the floor of Asyncify's size)
# (workloads.c and examples.c share the scheduler in fibers.h.)
#
# Loading under Node 20 ESM: emscripten 3.1.6's EXPORT_ES6 glue uses __dirname and tries fetch() on file paths, so
# it breaks in an ES module. What works: -sMODULARIZE (a factory function, CommonJS glue) loaded from the .mjs
# driver with createRequire(). The repository's package.json says "type": "module", so dist/ gets its own
# package.json with "type": "commonjs" (emitting .cjs is not supported by this emcc).
# Flags as the package's module where they apply: -O3, emmalloc, memory growth, no filesystem.
set -euo pipefail
cd "$(dirname "$0")"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
mkdir -p dist
printf '{ "type": "commonjs" }\n' > dist/package.json
common=(-O3 -sASYNCIFY -sMODULARIZE=1 -sALLOW_MEMORY_GROWTH=1 -sMALLOC=emmalloc -sFILESYSTEM=0
        -sINITIAL_MEMORY=16777216 -sTOTAL_STACK=65536)
emcc "${common[@]}" -sEXPORT_NAME=createWorkloads -sASYNCIFY_STACK_SIZE=16384 \
  -sEXPORTED_RUNTIME_METHODS=ccall -o dist/workloads.js workloads.c
# examples: no ccall (the driver calls the exports directly and passes strings in malloc'd memory)
emcc "${common[@]}" -sEXPORT_NAME=createExamples -sASYNCIFY_STACK_SIZE=16384 -o dist/examples.js examples.c
emcc "${common[@]}" -sEXPORT_NAME=createMinimal -sEXPORTED_RUNTIME_METHODS=ccall -o dist/minimal.js minimal.c
ls -l dist/*.js dist/*.wasm | awk '{ print "build-asyncify:", $NF, $5, "bytes" }'
