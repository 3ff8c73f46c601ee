#!/usr/bin/env bash
# Builds classifier-cpp/build/bootstrap (and classify-bench). Idempotent: installs missing Debian
# build dependencies, makes sure OpenCV 4.10 is in the cache (opencv/build-opencv.sh: built once per
# machine from Debian's source, minutes; instant afterwards), configures once (Release), then builds
# incrementally. The binaries link OpenCV statically, so they do not need the cache to run.
#   bash classifier-cpp/build.sh          build bootstrap and classify-bench
#   bash classifier-cpp/build.sh --test   build everything and run ctest (needs ../shared)
#   bash classifier-cpp/build.sh --configure   configure only (compile_commands.json for clang-tidy)
set -euo pipefail

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$source_dir/build"
log_file="$build_dir/build.log"
jobs=2
run_tests=false
configure_only=false
build_deps=(build-essential cmake pkg-config libprotobuf-dev libjpeg-dev libpng-dev libwebp-dev
  libcurl4-openssl-dev nlohmann-json3-dev libgtest-dev)

for argument in "$@"; do
  case "$argument" in
    --test) run_tests=true ;;
    --configure) configure_only=true ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$argument' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "classifier-cpp: $*"; }

# Runs a step with its output in build.log; on failure shows the end of it.
run_logged() {
  local step="$1"
  shift
  if ! "$@" >>"$log_file" 2>&1; then
    echo "classifier-cpp: $step failed; last lines of $log_file:" >&2
    tail -n 40 "$log_file" >&2
    exit 1
  fi
}

install_missing_deps() {
  local missing=()
  for package in "${build_deps[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing build dependencies: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "classifier-cpp: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  # Wait for another apt run instead of failing on its lock.
  local apt_options=(-o DPkg::Lock::Timeout=600)
  run_logged "apt-get update" "${sudo[@]}" apt-get "${apt_options[@]}" update
  run_logged "apt-get install" env DEBIAN_FRONTEND=noninteractive \
    "${sudo[@]}" apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"
}

# A cache made at another path (a moved checkout, a container mount) or against another OpenCV
# cannot be reused.
drop_foreign_cache() {
  local cache="$build_dir/CMakeCache.txt"
  [ -f "$cache" ] || return 0
  local configured_source configured_opencv
  configured_source="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")"
  configured_opencv="$(sed -n 's/^OpenCV_DIR:[A-Z]*=//p' "$cache")"
  if [ "$configured_source" != "$source_dir" ]; then
    say "build/ was configured for $configured_source; starting afresh"
    rm -rf "$build_dir"
  elif [ "$configured_opencv" != "$opencv_cmake_dir" ]; then
    say "build/ was configured with OpenCV from ${configured_opencv:-elsewhere}; starting afresh"
    rm -rf "$build_dir"
  fi
}

# One build at a time per checkout. The lock lives outside classifier-cpp/ so that taking it does
# not make the sources look newer than the binary.
lock_file="${TMPDIR:-/tmp}/classifier-cpp-build-$(printf '%s' "$source_dir" | sha1sum | cut -c1-12).lock"
exec 9>"$lock_file"
flock 9

mkdir -p "$build_dir"
: >"$log_file"
install_missing_deps
# Progress on stderr; a clear error (and no fall-back to another OpenCV) if the source cannot be had.
opencv_prefix="$(bash "$source_dir/opencv/build-opencv.sh")" || {
  echo "classifier-cpp: OpenCV 4.10 is not available (see above); nothing was built" >&2
  exit 1
}
opencv_cmake_dir="$opencv_prefix/lib/cmake/opencv4"
drop_foreign_cache
mkdir -p "$build_dir"

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  say "configuring (Release) in $build_dir"
else
  say "checking configuration"
fi
run_logged "cmake configure" cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
  -DOpenCV_DIR="$opencv_cmake_dir"
if $configure_only; then
  say "configured: $build_dir"
  exit 0
fi

if $run_tests; then
  say "building everything (-j$jobs)"
  run_logged "build" cmake --build "$build_dir" --parallel "$jobs"
  say "running tests"
  (cd "$build_dir" && ctest --output-on-failure --parallel "$jobs")
else
  say "building bootstrap and classify-bench (-j$jobs)"
  run_logged "build" cmake --build "$build_dir" --parallel "$jobs" --target bootstrap classify-bench
fi
say "done: $build_dir/bootstrap"
