#!/usr/bin/env bash
# Installs the system packages the local cloud and the tests need when they are missing: Java 17+ for DynamoDB Local,
# Chromium for the web app's browser tests (driven by playwright-core, which cannot download a browser here),
# bookworm's clang-format and clang-tidy (LLVM 14) for the C++ lint gate (classifier-cpp/lint.sh).
# Idempotent and quick (no apt call) when everything is there. Called by tools/start.sh and the test script.
set -euo pipefail

java_major_version() {
  # `openjdk version "17.0.15" …` → 17; `java version "1.8.0_…"` → 1.
  java -version 2>&1 | sed -n 's/^.* version "\([0-9]*\).*$/\1/p' | head -n 1
}

packages=()
if ! command -v java >/dev/null 2>&1 || [ "$(java_major_version)" -lt 17 ]; then
  packages+=(openjdk-17-jre-headless)
fi
if [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium)
fi
if ! command -v clang-format-14 >/dev/null 2>&1 || ! command -v clang-tidy-14 >/dev/null 2>&1; then
  packages+=(clang-format clang-tidy)
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${packages[*]} (this script knows only apt-get)" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

echo "Installing ${packages[*]} with apt-get…"
export DEBIAN_FRONTEND=noninteractive
# Slim Debian images lack this directory, and the JRE's postinst fails without it.
"${sudo[@]}" mkdir -p /usr/share/man/man1
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
