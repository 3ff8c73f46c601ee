#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs what is missing (system packages, npm packages, the C++
# build dependencies), builds, then runs each layer: the classifier's GoogleTest suite, the type-check, Vitest's
# unit layer (with coverage thresholds), the web app's tests, the integration layer (emulators, DynamoDB Local, the
# real classifier), e2e and browser on one local system, and the stack template. The container build is separate:
# npm run test:container.
#
# Output: one line per step with its count and time, and a summary. Each step's own output goes to
# $UDAGRAM_LOG_DIR/test/<step>.log (default .local/logs/test/); the services' logs are in $UDAGRAM_LOG_DIR itself.
# A failing step prints its failing tests with their errors, the tail of its log and of every service log written
# while it ran, and stops the run. A step is one `run_step <name> <label> <command…>` line below.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

logs=${UDAGRAM_LOG_DIR:-.local/logs}
step_logs=$logs/test
results=.local/test-results
# Where tools/test/layer-summary.reporter.ts writes each Vitest layer's counts and failures.
export UDAGRAM_TEST_RESULTS=$PWD/$results
rm -rf "$results" "$step_logs"
mkdir -p "$results" "$step_logs"
vitest=(npx vitest run --reporter=default --reporter="$PWD/tools/test/layer-summary.reporter.ts")
passed=0
failed=0
timings=()

# Adds up the counts a step left in $results (`<layer>.counts`: "passed failed skipped seconds") and describes them
# in $counts: "unit 489 passed", one entry per layer, each with its own time (also in $layer_times) when the step
# ran several.
layer_counts() {
  local since=$1 file p f s seconds
  local files=($(find "$results" -name '*.counts' -newer "$since" | sort))
  counts=
  layer_times=
  for file in "${files[@]}"; do
    read -r p f s seconds <"$file"
    passed=$((passed + p))
    failed=$((failed + f))
    counts+="$(basename "$file" .counts) $p passed"
    [ "$f" -gt 0 ] && counts+=", $f failed"
    [ "$s" -gt 0 ] && counts+=", $s skipped"
    if [ ${#files[@]} -gt 1 ] && [ -n "${seconds:-}" ]; then
      counts+=" in $seconds s"
      layer_times+="${layer_times:+, }$(basename "$file" .counts) $seconds s"
    fi
    counts+="; "
  done
  local coverage=$results/coverage.txt
  [ -f "$coverage" ] && [ "$coverage" -nt "$since" ] && counts+="coverage: $(cat "$coverage"); "
  counts=${counts%; }
}

run_step() {
  local name=$1 label=$2
  shift 2
  local log=$step_logs/$name.log since=$step_logs/.$name.started began=$SECONDS status=0
  touch "$since"
  "$@" >"$log" 2>&1 || status=$?
  local seconds=$((SECONDS - began))
  layer_counts "$since"
  timings+=("$name $seconds s${layer_times:+ ($layer_times)}")
  local verdict=ok
  [ $status -eq 0 ] || verdict=FAIL
  printf '%-4s %-11s %-41s %4d s  %s\n' "$verdict" "$name" "$label" "$seconds" "$counts"
  [ $status -eq 0 ] && return 0

  echo
  local failures shown=false
  for failures in "$results"/*.failures.txt; do
    [ -f "$failures" ] && [ "$failures" -nt "$since" ] || continue
    echo "Failing tests ($(basename "$failures" .failures.txt)):"
    cat "$failures"
    echo
    shown=true
  done
  # No failing test to show (a build or type error, a coverage threshold, a crash): the step's own last words.
  $shown || { echo "── last lines of $log"; tail -n 30 "$log"; }
  for service_log in "$logs"/*.log; do
    [ -f "$service_log" ] && [ "$service_log" -nt "$since" ] || continue
    echo "── last lines of $service_log"
    tail -n 15 "$service_log"
  done
  echo
  echo "Step '$name' failed after $((SECONDS - started)) s."
  echo "tests: $passed passed, $((failed > 0 ? failed : 1)) failed"
  exit 1
}

# Steps made of several commands: each stops at the first failure (`set -e` does not apply inside `run_step`'s `||`).
# The C++ suite's counts, from ctest's closing line ("100% tests passed, 0 tests failed out of 62").
cpp_tests() {
  bash classifier-cpp/build.sh --test || return
  local total failures
  read -r failures total < <(
    sed -n 's/.* tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$step_logs/ctest.log"
  )
  [ -n "${total:-}" ] || { echo "ctest printed no 'tests passed' line"; return 1; }
  echo "$((total - failures)) $failures 0" >"$results/ctest.counts"
}

type_check() {
  npx tsc --noEmit -p tsconfig.json || return
  npm --prefix apps/web run typecheck
}

# apps/web is its own package with its own Vitest config (a browser-like DOM); what `npm run test:web` runs.
web_tests() {
  "${vitest[@]}" --config apps/web/vitest.config.ts
}

set_up() {
  bash tools/ensure-system-deps.sh || return
  bash tools/ensure-node-deps.sh || return
  # apps/web is its own npm package (the browser tests and the type-check use its playwright-core).
  bash tools/web/prepare-web.sh --install-only
}

echo "npm test: one line per step; step logs in $step_logs/, service logs in $logs/"
run_step setup "System and npm packages" set_up
# The Node the Lambdas run, which ensure-node-deps.sh installed, first on PATH (npm does this too; here it also holds
# for `bash tools/test.sh`): every step below and every process it starts (Vitest workers, npx tools) runs on it.
export PATH="$PWD/node_modules/.bin:$PATH"
run_step ctest "C++ classifier: build and GoogleTest" cpp_tests
run_step typecheck "Type-check (API, tools, tests, web app)" type_check
run_step lint "Lint and format (TS, C++)" npm run lint
run_step build "Build (SWC) and the Lambda bundles" npm run build:lambda
run_step unit "Unit layer, with coverage thresholds" "${vitest[@]}" --project unit --coverage
run_step web "Web app: components, API client, types" web_tests
run_step integration "Emulators, DynamoDB Local, the classifier" "${vitest[@]}" --project integration
# One local system (the cloud, the Lambda emulator with the real classifier) serves both layers, one after the other.
run_step e2e-browser "e2e and browser, one local system" "${vitest[@]}" --project e2e --project browser
run_step stack "Stack template (osls package)" "${vitest[@]}" --project stack

echo
# ensure-node-deps.sh refused any other major, and tools/node-runtime.spec.ts checked the Vitest workers' Node.
echo "All tests passed in $((SECONDS - started)) s on Node $(node --version) (the Lambda runtime)."
(IFS=';'; echo "times: ${timings[*]}" | sed 's/;/; /g')
echo "tests: $passed passed, $failed failed"
