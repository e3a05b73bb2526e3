#!/usr/bin/env bash
# start.sh [--port N]: sets up, builds the wasm package and serves the playground (prints its URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
exec node web/server.js "$@"
