#!/bin/sh
# Builds the libFuzzer target with clang into build-fuzz and fuzzes for SECONDS (default 60) on a copy of the
# seed corpus (the repository is not modified). Usage: tests/fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
set -eu
SECONDS_TO_RUN=${1:-60}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${WASYNC_FUZZ_BUILD:-$ROOT/build-fuzz}
CC=${CC:-clang}
export CC
cmake -S "$ROOT" -B "$BUILD" -DWASYNC_FUZZ=ON -DWASYNC_TESTS=ON -DWASYNC_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$BUILD" --target fuzz_core -j"$(nproc 2>/dev/null || echo 2)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasync-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus"
cp "$ROOT"/tests/fuzz/corpus/* "$WORK/corpus/" 2>/dev/null || true
ARTIFACTS="$BUILD/fuzz-artifacts"
mkdir -p "$ARTIFACTS"
cd "$WORK"
# A crash leaves its input in $ARTIFACTS (outside the repository); reproduce with: $BUILD/tests/fuzz_core FILE
"$BUILD/tests/fuzz_core" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -max_len=512 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/" "$@" "$WORK/corpus"
