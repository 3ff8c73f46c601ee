#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs what is missing (system packages, npm packages, the C++
# build dependencies), builds, then runs: the classifier's GoogleTest suite, the type-check, and Vitest (unit, then
# e2e on one local cloud with the real classifier). The container build is separate: npm run test:container.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { echo; echo "== $* ($((SECONDS - started)) s)"; }

step "System and npm packages"
bash tools/ensure-system-deps.sh
bash tools/ensure-node-deps.sh

step "C++ classifier: build and GoogleTest (ctest)"
bash classifier-cpp/build.sh --test

step "Type-check (sources and tests)"
npx tsc --noEmit -p tsconfig.json

step "Build (SWC)"
npx nest build api

step "Vitest: unit and e2e"
npx vitest run

echo; echo "All tests passed in $((SECONDS - started)) s."
