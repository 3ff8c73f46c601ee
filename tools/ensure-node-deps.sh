#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than package-lock.json (npm rewrites
# node_modules/.package-lock.json on every install). Quick when nothing changed. Used by start.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)…"
  npm ci
fi
