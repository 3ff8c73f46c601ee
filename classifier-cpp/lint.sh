#!/usr/bin/env bash
# Lint gates for classifier-cpp: clang-format (the style in .clang-format) and clang-tidy (the profile in
# .clang-tidy), zero findings each. Debian bookworm's LLVM 14 tools (tools/ensure-system-deps.sh installs them);
# clang-tidy reads build/compile_commands.json, which build.sh --configure writes (OpenCV from its cache).
#   bash classifier-cpp/lint.sh            format check, then clang-tidy   (npm run lint:cpp)
#   bash classifier-cpp/lint.sh --format   rewrite the files in place with clang-format
#   bash classifier-cpp/lint.sh --no-tidy  the format check only (seconds)
set -euo pipefail

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$source_dir/build"
jobs="${LINT_JOBS:-2}"
mode=check
run_tidy=true

for argument in "$@"; do
  case "$argument" in
    --format) mode=format ;;
    --no-tidy) run_tidy=false ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lint.sh: unknown argument '$argument' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "classifier-cpp lint: $*"; }

require_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "classifier-cpp lint: $1 is missing; run tools/ensure-system-deps.sh (installs clang-format and clang-tidy)" >&2
  exit 1
}

# Our C++ sources: src/ and tests/ (opencv/ holds only a build script and patches; build/ is output).
cpp_files() {
  find "$source_dir/src" "$source_dir/tests" -type f \( -name '*.cpp' -o -name '*.hpp' \) | LC_ALL=C sort
}

# The formatted version must not depend on which LLVM is installed: pin bookworm's.
clang_format=clang-format-14
clang_tidy=clang-tidy-14
require_tool "$clang_format"

mapfile -t files < <(cpp_files)
if [ "$mode" = format ]; then
  "$clang_format" -i --style=file "${files[@]}"
  say "formatted ${#files[@]} files"
  exit 0
fi

started=$SECONDS
if ! "$clang_format" --dry-run --Werror --style=file "${files[@]}"; then
  echo "classifier-cpp lint: files above are not formatted; run: bash classifier-cpp/lint.sh --format" >&2
  exit 1
fi
say "clang-format: ${#files[@]} files formatted ($((SECONDS - started)) s)"
$run_tidy || exit 0

require_tool "$clang_tidy"
if [ ! -f "$build_dir/compile_commands.json" ]; then
  say "no compile_commands.json yet: configuring"
  bash "$source_dir/build.sh" --configure
fi
# Translation units only (headers are checked through them). The probe must not compile: its test says why.
mapfile -t units < <(printf '%s\n' "${files[@]}" | grep '\.cpp$' | grep -v '/tests/lambda_free_probe\.cpp$')
started=$SECONDS
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
printf '%s\0' "${units[@]}" |
  xargs -0 -P "$jobs" -n 1 nice -n 10 "$clang_tidy" -p "$build_dir" --quiet >"$log" 2>&1 || status=$?
findings="$(grep -c -E '(warning|error): ' "$log" || true)"
if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  grep -E -A3 '(warning|error): ' "$log" >&2 || cat "$log" >&2
  echo "classifier-cpp lint: clang-tidy: $findings findings in ${#units[@]} files" >&2
  exit 1
fi
say "clang-tidy: ${#units[@]} files, 0 findings ($((SECONDS - started)) s, $jobs jobs)"
