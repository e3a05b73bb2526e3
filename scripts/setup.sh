#!/usr/bin/env bash
# setup.sh [--browser]: installs what building (and with --browser, the browser tests) needs on a fresh Debian 12
# machine, then the npm dev dependencies. Quick when everything is already there: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v cmake >/dev/null || need+=(cmake)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)   # scripts/mutate.py
command -v gcc >/dev/null || need+=(gcc)
command -v clang >/dev/null || need+=(clang)
command -v emcc >/dev/null || need+=(emscripten)
command -v wasm-opt >/dev/null || need+=(binaryen)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists cmocka 2>/dev/null || need+=(libcmocka-dev)
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
command -v node >/dev/null || need+=(nodejs npm)
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # a font for the page's text (chromium only recommends it, and recommends are not installed here)
  dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
fi

if ((${#need[@]})); then
  echo "setup: installing ${need[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm dev dependencies (playwright-core drives Debian's chromium; it never downloads a browser; @yowasp/clang, 105 MB,
# compiles the kit of wasync/cc and the playground's C).
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/fast-check ] || [ ! -d node_modules/@yowasp/clang ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
