#!/usr/bin/env bash
# Makes the base image the Dockerfile starts from (docker.io/library/debian:bookworm-slim) when it is
# missing. No registry is reachable here, so it is bootstrapped from the apt mirror this machine uses
# and imported; tagged under the official name, the production Dockerfile builds unchanged.
# Expects podman-env.sh to be sourced.
set -euo pipefail

local_tag=localhost/debian:bookworm-slim
official_tag=docker.io/library/debian:bookworm-slim

# The first Debian mirror (not the security archive) that serves bookworm in this machine's apt sources,
# one-line (*.list) or deb822 (*.sources) format. DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  awk '
    function pick(uri, suites) {
      if (uri !~ /security/ && (" " suites " ") ~ / bookworm /) { print uri; found = 1; exit }
    }
    FILENAME ~ /\.list$/ && $1 == "deb" {
      n = 2; if ($n ~ /^\[/) { while ($n !~ /\]$/) n++; n++ }
      pick($n, $(n + 1)); next
    }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { if (uris != "") pick(uris, suites); uris = ""; suites = ""; next }
      if ($1 == "URIs:") { uris = $2 }
      if ($1 == "Suites:") { $1 = ""; suites = $0 }
    }
    ENDFILE { if (uris != "") pick(uris, suites); uris = ""; suites = "" }
    END { if (!found) exit 1 }
  ' "${files[@]}"
}

# Keep the image as lean as the official slim one: no docs, man pages or locales from later installs
# (the same dpkg filters the official image carries), no apt caches or logs.
trim_rootfs() {
  local rootfs="$1"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info,lintian}/* "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/log/* "$rootfs"/tmp/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
}

if podman image exists "$official_tag"; then
  echo "base image $official_tag is present"
  exit 0
fi

mirror="$(debian_mirror)" || { echo "no bookworm mirror found in /etc/apt sources; set DEBIAN_MIRROR" >&2; exit 1; }
workdir="$(mktemp -d "${TMPDIR:-/tmp}/bookworm-base.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT
rootfs="$workdir/rootfs"

echo "bootstrapping bookworm (minbase) from $mirror (1-2.5 min)"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$workdir/debootstrap.log" 2>&1 ||
  { tail -n 20 "$workdir/debootstrap.log" >&2; exit 1; }
trim_rootfs "$rootfs"
tar -C "$rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$local_tag" >/dev/null
podman tag "$local_tag" "$official_tag"
echo "base image $official_tag: $(podman image inspect --format '{{.Size}}' "$official_tag" | numfmt --to=si)B"
