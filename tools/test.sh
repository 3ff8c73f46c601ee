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
# The Node the Lambdas run, which ensure-node-deps.sh installed, first on PATH (npm does this too; here it also holds
# for `bash tools/test.sh`): every step below and every process it starts (Vitest workers, npx tools) runs on it.
export PATH="$PWD/node_modules/.bin:$PATH"
# apps/web is its own npm package (the browser e2e test and the type-check use its playwright-core).
bash tools/web/prepare-web.sh --install-only

results=.local/test-results
mkdir -p "$results"

step "C++ classifier: build and GoogleTest (ctest)"
bash classifier-cpp/build.sh --test | tee "$results/ctest.log"

step "Type-check (sources and tests)"
npx tsc --noEmit -p tsconfig.json

step "Lint: ESLint, the Prettier check, clang-format and clang-tidy (npm run lint)"
npm run lint

step "Build (SWC) and the Lambda bundles (the e2e and stack tests use the deployed artefacts)"
npm run build:lambda

step "Web app: npm packages, type-check, component tests, API types up to date"
npm run test:web

step "Vitest: unit, e2e (one local system, real classifier) and the stack template"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"

# One closing line for the whole run (ctest's and Vitest's own lines stand above).
ctest_passed=$(sed -n 's/.* tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$results/ctest.log" | awk '{print $1 - $2}')
vitest_counts=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.numPassedTests, r.numFailedTests)' "$results/vitest.json")
echo
# ensure-node-deps.sh refused any other major, and tools/node-runtime.spec.ts checked the Vitest workers' Node.
echo "All tests passed in $((SECONDS - started)) s on Node $(node --version) (the Lambda runtime)."
echo "tests: $((ctest_passed + ${vitest_counts% *})) passed, ${vitest_counts#* } failed"
