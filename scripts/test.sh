#!/usr/bin/env bash
# test.sh: sets up, builds and runs every test: C unit tests (gcc), a small mutation-testing sample, the same
# unit tests under ASan/UBSan/LSan (clang), a bounded fuzzing run, the Node tests against the built .wasm, the
# browser tests in headless Chromium, the packed package built with Vite, webpack and esbuild and type-checked with
# tsc (tools from npm, installed at set-up), and a
# reduced benchmark run that only checks the benchmarks still build and run.
# FUZZ_SECONDS (default 60) bounds the fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
jobs=$(nproc)

echo "== C unit tests (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure

echo "== mutation testing, a small sample (checks that the script works; the score is not judged here)"
python3 scripts/mutate.py --seed 1 --count 12 --time-budget 150 --timeout 30 --workers 1 --jobs "$jobs"

echo "== C unit tests under AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer (clang)"
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWASYNC_SANITIZE=ON -DWASYNC_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure

echo "== fuzzing the core (${FUZZ_SECONDS:-60} s)"
bash tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"

echo "== WebAssembly build"
bash scripts/build-wasm.sh

echo "== Node tests (the package against the built .wasm)"
node --test --test-concurrency=1 tests/node/

echo "== browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/

echo "== the package in bundlers, Node and TypeScript (tests/bundlers; installs its tools from npm at set-up)"
node --test --test-concurrency=1 tests/bundlers/

echo "== benchmarks, reduced size (checks they run; no thresholds)"
node bench/run.mjs --smoke
node bench/bridge-split.mjs --n 2000 --rounds 1 # its sides check their sums

echo "test.sh: all passed"
