#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then runs the local cloud and the API in one process.
# Flags go to tools/start.ts: npm start -- [--in-memory] [--port N] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/ensure-system-deps.sh

bash tools/ensure-node-deps.sh

echo "Building (nest build api)…"
npx nest build api

exec node --enable-source-maps dist/tools/start.js "$@"
