#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then runs the local cloud and the API in one process.
# Flags go to tools/start.ts: npm start -- [--in-memory] [--port N] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
# Lambda runs Node 22; the SDK's notice that it will soon require Node 22 is noise on this Node 20 machine.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash tools/ensure-system-deps.sh

bash tools/ensure-node-deps.sh

echo "Building (nest build api)…"
npx nest build api

# The web app the launcher serves: its npm packages, and a build when its sources are newer than apps/web/dist.
bash tools/web/prepare-web.sh

exec node --enable-source-maps dist/tools/start.js "$@"
