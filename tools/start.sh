#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then runs the local cloud and the API in one process.
# Flags go to tools/start.ts: npm start -- [--in-memory] [--port N] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/ensure-system-deps.sh

# npm writes node_modules/.package-lock.json on every install: older than package-lock.json means out of date.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)…"
  npm ci
fi

echo "Building (nest build api)…"
npx nest build api

exec node --enable-source-maps dist/tools/start.js "$@"
