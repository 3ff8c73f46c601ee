#!/usr/bin/env bash
# Builds OpenCV 4.10 (core, imgproc, dnn; static) from Debian's source tarball, pinned by sha256, and
# installs it into a cache outside the repository keyed by that checksum, the build options, our
# patches and the toolchain. Only the first run on a machine builds (8–10 minutes on 2 cores); later
# runs print the install prefix at once. Progress goes to stderr, the prefix to stdout.
#
#   bash classifier-cpp/opencv/build-opencv.sh                 print the prefix, building it if needed
#   bash classifier-cpp/opencv/build-opencv.sh --prefix DIR    build into DIR (the container image)
#   bash classifier-cpp/opencv/build-opencv.sh --print-prefix  print the cached prefix; build nothing
#
# Why: Debian bookworm ships OpenCV 4.6, which predates the DNN module's fast convolution (4.7+:
# Winograd, fused Conv+Add; 4.8–4.10: faster x86/ARM kernels). Trixie's binaries need a newer glibc,
# so its *source* is built here with bookworm's toolchain and protobuf.
# Environment: OPENCV_TARBALL (a local copy of the tarball; checked all the same), OPENCV_DEBIAN_MIRROR
# (default http://deb.debian.org/debian), UDAGRAM_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/udagram),
# OPENCV_BUILD_JOBS (default: nproc), OPENCV_BUILD_NICE (default 10: other work keeps the cores).
set -euo pipefail

readonly opencv_version=4.10.0
readonly tarball_name="opencv_${opencv_version}+dfsg.orig.tar.xz"
readonly tarball_sha256=4ca619efbad524c550771ab110332fc81293fb720bd03980fe58bc15f9ca3be8
readonly debian_suite=trixie
readonly build_deps=(build-essential cmake ninja-build pkg-config xz-utils zlib1g-dev libprotobuf-dev
  protobuf-compiler libjpeg-dev libpng-dev libwebp-dev)

# What the classifier links: core, imgproc and dnn. No OpenCL, IPP, TBB, GUI or video. The dfsg
# tarball has no 3rdparty/, so everything that would come from there is off and protobuf is bookworm's.
# Threads: OpenCV's own pthreads pool. imgcodecs (JPEG, PNG and WebP through the system's libraries,
# nothing else) is built for the tests alone: it is their reference decoder and encoder. The classifier
# decodes with libjpeg-turbo, libpng and libwebp itself and never links it.
readonly cmake_options=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DBUILD_LIST=core,imgproc,dnn,imgcodecs
  -DBUILD_PROTOBUF=OFF -DWITH_PROTOBUF=ON -DPROTOBUF_UPDATE_FILES=ON
  -DWITH_FLATBUFFERS=OFF -DOPENCV_DNN_TFLITE=OFF
  -DWITH_OPENCL=OFF -DOPENCV_DNN_OPENCL=OFF -DWITH_IPP=OFF -DBUILD_IPP_IW=OFF -DWITH_TBB=OFF -DWITH_OPENMP=OFF
  -DWITH_PTHREADS_PF=ON -DWITH_EIGEN=OFF -DWITH_LAPACK=OFF -DWITH_ITT=OFF -DWITH_CAROTENE=OFF -DWITH_KLEIDICV=OFF
  -DWITH_CUDA=OFF -DWITH_VULKAN=OFF -DWITH_OPENVINO=OFF -DWITH_HALIDE=OFF -DWITH_WEBNN=OFF -DWITH_TIMVX=OFF
  -DWITH_CANN=OFF -DWITH_ONNX=OFF -DWITH_VA=OFF -DWITH_OPENGL=OFF -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_FFMPEG=OFF
  -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF -DWITH_1394=OFF
  -DWITH_JPEG=ON -DBUILD_JPEG=OFF -DWITH_PNG=ON -DBUILD_PNG=OFF -DWITH_WEBP=ON -DBUILD_WEBP=OFF -DWITH_SPNG=OFF
  -DBUILD_ZLIB=OFF -DWITH_TIFF=OFF -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF -DWITH_OPENEXR=OFF -DWITH_AVIF=OFF
  -DWITH_GDAL=OFF -DWITH_GDCM=OFF -DWITH_IMGCODEC_HDR=OFF -DWITH_IMGCODEC_SUNRASTER=OFF
  -DWITH_IMGCODEC_PXM=OFF -DWITH_IMGCODEC_PFM=OFF -DWITH_QUIRC=OFF -DWITH_ADE=OFF
  -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOCS=OFF -DBUILD_opencv_apps=OFF
  -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF -DOPENCV_GENERATE_PKGCONFIG=OFF -DENABLE_PRECOMPILED_HEADERS=OFF
)

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${UDAGRAM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/udagram}"
jobs="${OPENCV_BUILD_JOBS:-$(nproc)}"
niceness="${OPENCV_BUILD_NICE:-10}"
mirror="${OPENCV_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
prefix=""
print_only=false

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift ;;
    --print-prefix) print_only=true ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-opencv.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "opencv: $*" >&2; }
fail() { echo "opencv: error: $*" >&2; exit 1; }

# The cache key: what decides the bytes of the installed libraries.
cache_key() {
  {
    echo "$tarball_sha256"
    printf '%s\n' "${cmake_options[@]}"
    cat "$script_dir"/patches/*.patch
    uname -m
    c++ --version 2>/dev/null | head -n 1
    dpkg-query -W -f '${Version}\n' libprotobuf-dev 2>/dev/null || true
  } | sha256sum | cut -c1-16
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; return; fi
  command -v sudo >/dev/null || fail "need root (or sudo) to run: $*"
  sudo "$@"
}

install_missing_deps() {
  local missing=()
  for package in "${build_deps[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing build dependencies: ${missing[*]}"
  local apt_options=(-o DPkg::Lock::Timeout=600 -q)
  as_root apt-get "${apt_options[@]}" update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y --no-install-recommends \
    "${missing[@]}" >&2
}

tarball_is_good() {
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$tarball_sha256" ]
}

# Asks apt, through a private configuration (the system's sources stay as they are), for the URI of
# trixie's orig tarball and downloads that one file. apt's exit status is not trusted either way: the
# tarball's checksum decides.
fetch_tarball() {
  local target="$1"
  if [ -n "${OPENCV_TARBALL:-}" ]; then
    tarball_is_good "$OPENCV_TARBALL" ||
      fail "OPENCV_TARBALL=$OPENCV_TARBALL is missing or its sha256 is not $tarball_sha256"
    cp "$OPENCV_TARBALL" "$target"
    return
  fi
  local apt_root
  apt_root="$(mktemp -d "${TMPDIR:-/tmp}/opencv-apt.XXXXXX")"
  mkdir -p "$apt_root/lists/partial" "$apt_root/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $debian_suite main" \
    >"$apt_root/sources.list"
  cat >"$apt_root/apt.conf" <<EOF
Dir::Etc::SourceList "$apt_root/sources.list";
Dir::Etc::SourceParts "$apt_root/no-source-parts";
Dir::State::Lists "$apt_root/lists";
Dir::Cache "$apt_root/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Sandbox::User "root";
EOF
  say "fetching $tarball_name from Debian $debian_suite's source packages ($mirror)"
  local uri=""
  if APT_CONFIG="$apt_root/apt.conf" apt-get -q update >"$apt_root/update.log" 2>&1; then
    uri="$(APT_CONFIG="$apt_root/apt.conf" apt-get source --print-uris "opencv/$debian_suite" 2>/dev/null |
      awk -v name="$tarball_name" '$2 == name { gsub("\047", "", $1); print $1 }' || true)"
  fi
  if [ -z "$uri" ]; then
    sed 's/^/  /' "$apt_root/update.log" >&2
    rm -rf "$apt_root"
    fail "could not find $tarball_name in $debian_suite's source index at $mirror. Without it the classifier
  cannot be built (there is no fall-back to bookworm's OpenCV 4.6). Set OPENCV_DEBIAN_MIRROR to a reachable
  Debian mirror, or OPENCV_TARBALL to a local copy (sha256 $tarball_sha256)."
  fi
  /usr/lib/apt/apt-helper -o APT::Sandbox::User=root -q download-file "$uri" "$target.part" >&2 || true
  rm -rf "$apt_root"
  tarball_is_good "$target.part" || {
    rm -f "$target.part"
    fail "$uri did not give a file with sha256 $tarball_sha256"
  }
  mv "$target.part" "$target"
}

# ninja's "[n/m]" lines become a progress line every 5 %, with the elapsed time; all output goes to the log.
show_progress() {
  local log="$1" start="$SECONDS" last=-5 line done total percent
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [[ "$line" =~ ^\[([0-9]+)/([0-9]+)\] ]]; then
      done="${BASH_REMATCH[1]}" total="${BASH_REMATCH[2]}"
      percent=$((done * 100 / total))
      if [ $((percent - last)) -ge 5 ] || [ "$done" -eq "$total" ]; then
        last=$percent
        say "$(printf '%3d%% (%d/%d steps, %dm%02ds)' "$percent" "$done" "$total" \
          $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)))"
      fi
    fi
  done
}

build_into() {
  local target="$1" work="$2" tarball="$3"
  local log="$work/build.log"
  rm -rf "$work"
  mkdir -p "$work"
  say "unpacking and patching"
  tar -C "$work" -xf "$tarball"
  local source="$work/opencv-$opencv_version"
  for patch_file in "$script_dir"/patches/*.patch; do
    patch -d "$source" -p1 --quiet --forward <"$patch_file" >>"$log" 2>&1 || fail "patch $patch_file failed (see $log)"
  done
  say "configuring (log: $log)"
  cmake -G Ninja -S "$source" -B "$work/build" -DCMAKE_INSTALL_PREFIX="$target" "${cmake_options[@]}" \
    >>"$log" 2>&1 || { tail -n 40 "$log" >&2; fail "cmake configure failed (see $log)"; }
  say "compiling core, imgproc and dnn with $jobs jobs at nice $niceness (a one-off: 8–10 minutes on 2 cores)"
  local status=0
  nice -n "$niceness" cmake --build "$work/build" --parallel "$jobs" 2>&1 | show_progress "$log" || status=$?
  [ "$status" -eq 0 ] || { tail -n 40 "$log" >&2; fail "build failed (see $log)"; }
  cmake --install "$work/build" >>"$log" 2>&1 || fail "install failed (see $log)"
}

if [ -z "$prefix" ]; then
  key="$(cache_key)"
  prefix="$cache_dir/opencv-$opencv_version-$key"
  if $print_only || [ -f "$prefix/.complete" ]; then
    echo "$prefix"
    exit 0
  fi
  mkdir -p "$cache_dir"
  # One build per cache at a time; a second caller waits and then finds it done.
  exec 8>"$cache_dir/opencv-$opencv_version.lock"
  if ! flock -n 8; then
    say "another build of OpenCV $opencv_version is running; waiting for it"
    flock 8
  fi
  if [ -f "$prefix/.complete" ]; then echo "$prefix"; exit 0; fi
  install_missing_deps
  # The toolchain may have just been installed: the key must describe it.
  key="$(cache_key)"
  prefix="$cache_dir/opencv-$opencv_version-$key"
  if [ -f "$prefix/.complete" ]; then echo "$prefix"; exit 0; fi
  say "OpenCV $opencv_version is not in the cache yet; building it once into $prefix"
  started=$SECONDS
  tarball="$cache_dir/downloads/$tarball_name"
  mkdir -p "$(dirname "$tarball")"
  tarball_is_good "$tarball" || fetch_tarball "$tarball"
  say "source checked: sha256 $tarball_sha256"
  work="$cache_dir/opencv-$opencv_version-$key.work"
  rm -rf "$prefix"
  build_into "$prefix" "$work" "$tarball"
  rm -rf "$work"
  touch "$prefix/.complete"
  say "installed in $prefix ($(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s)"
  echo "$prefix"
else
  # Explicit prefix (the container image's opencv stage): no cache, no lock.
  install_missing_deps
  tarball="${TMPDIR:-/tmp}/$tarball_name"
  tarball_is_good "$tarball" || fetch_tarball "$tarball"
  say "source checked: sha256 $tarball_sha256"
  build_into "$prefix" "${TMPDIR:-/tmp}/opencv-build" "$tarball"
  rm -rf "${TMPDIR:-/tmp}/opencv-build" "$tarball"
  touch "$prefix/.complete"
  echo "$prefix"
fi
