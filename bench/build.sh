#!/usr/bin/env bash
# build.sh: builds every side of the benchmarks (run.mjs calls it when something is missing).
#   bench/build/native    bench_core, bench_core_notrace (cmake, the host compiler)
#   bench/wasm/dist       wasync-bench.wasm, wasync-bench-notrace.wasm (emcmake, in bench/build/wasm)
#   bench/asyncify/dist   the Asyncify build (bench/asyncify/build.sh)
#   wasm/dist/*.wasm      the package's two modules, for the size comparison, if they are not built yet
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)
mkdir -p bench/build
echo "bench/build.sh: native"
cmake -S . -B bench/build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASYNC_TESTS=OFF >/dev/null
cmake --build bench/build/native -j"$jobs" --target bench_core bench_core_notrace >bench/build/native.log 2>&1 \
  || { cat bench/build/native.log; exit 1; }
echo "bench/build.sh: wasm bench modules"
emcmake cmake -S . -B bench/build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=(wasync_bench wasync_bench_notrace)
[ -s wasm/dist/wasync.wasm ] || targets+=(wasync_wasm)
[ -s wasm/dist/wasync-examples.wasm ] || targets+=(wasync_examples_wasm)
cmake --build bench/build/wasm -j"$jobs" --target "${targets[@]}" >bench/build/wasm.log 2>&1 \
  || { cat bench/build/wasm.log; exit 1; }
echo "bench/build.sh: asyncify"
bash bench/asyncify/build.sh
