#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then runs the local cloud and the API in one process.
# Flags go to tools/start.ts: npm start -- [--in-memory] [--port N] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/ensure-system-deps.sh

bash tools/ensure-node-deps.sh
# The Node the Lambdas run, which ensure-node-deps.sh installed, first on PATH (npm does this too; here it also holds
# for `bash tools/start.sh`): the build, the web app's tools and the launcher run on it.
export PATH="$PWD/node_modules/.bin:$PATH"

echo "Building (nest build api)…"
npx nest build api

# The web app the launcher serves: its npm packages, and a build when its sources are newer than apps/web/dist.
bash tools/web/prepare-web.sh

exec node --enable-source-maps dist/tools/start.js "$@"
