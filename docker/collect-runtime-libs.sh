#!/bin/sh
# Copies the shared libraries a binary loads (its ldd closure) into a staging root, leaving out those
# owned by packages the runtime base image already has. Used in the builder stage so the runtime
# stage gets exactly what the binary links, not every package Debian's OpenCV depends on (Mesa, LLVM
# and GDAL's data alone are about 190 MB there, none of it loaded). Each copied library's package, version
# and copyright file go along, so what is inside stays visible to people and scanners.
#
#   collect-runtime-libs.sh BINARY BASE_PACKAGES STAGING_ROOT
#     BASE_PACKAGES: a file naming the base image's packages, one a line
set -eu

binary="$1"
base_packages="$2"
staging="$3"
manifest_dir="$staging/usr/share/doc/udagram-classifier"
mkdir -p "$manifest_dir"

# The package that ships a file. Debian's /lib is /usr/lib (merged /usr), but dpkg knows each file under the
# path its package used, so both spellings are asked.
owner_of() {
  real="$(readlink -f "$1")"
  for candidate in "$real" "${real#/usr}"; do
    if found="$(dpkg-query -S "$candidate" 2>/dev/null)"; then
      echo "$found" | head -n 1 | cut -d: -f1
      return
    fi
  done
}

if ldd "$binary" | grep -q 'not found'; then
  ldd "$binary" | grep 'not found' >&2
  exit 1
fi

# ldd's closure is transitive. Libraries opened with dlopen are not in it: the classifier's path
# (JPEG/PNG/WebP decode, DNN on the CPU, libcurl over HTTP(S)) needs none beyond glibc's own NSS and
# gconv modules, which the base image has; tools/container/test-container.sh proves it by classifying.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u | while read -r library; do
  owner="$(owner_of "$library")"
  if [ -z "$owner" ]; then echo "no package owns $library" >&2; exit 1; fi
  if grep -qx "$owner" "$base_packages"; then continue; fi
  # Store under the real directory (/lib is a symlink to /usr/lib here) and the soname, dereferenced,
  # so the copy neither replaces the base's /lib symlink nor needs the alternatives system.
  target="$staging$(readlink -f "$(dirname "$library")")/$(basename "$library")"
  mkdir -p "$(dirname "$target")"
  cp -L "$library" "$target"
  printf '%s\t%s\t%s\n' "$owner" "$(dpkg-query -W -f '${Version}' "$owner")" "$(basename "$library")"
  if [ -f "/usr/share/doc/$owner/copyright" ]; then
    mkdir -p "$staging/usr/share/doc/$owner"
    cp "/usr/share/doc/$owner/copyright" "$staging/usr/share/doc/$owner/copyright"
  fi
done >"$manifest_dir/runtime-libraries.tsv"

echo "collected $(wc -l <"$manifest_dir/runtime-libraries.tsv") libraries ($(du -sh "$staging" | cut -f1))"
