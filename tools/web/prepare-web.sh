#!/usr/bin/env bash
# Gets apps/web ready: installs its npm packages when its lock file is newer than its node_modules, and builds it
# (type-check + vite build into apps/web/dist) when any of its sources is newer than the last build.
# Usage: bash tools/web/prepare-web.sh [--install-only | --force-build]. Called by tools/start.sh and npm scripts.
set -euo pipefail
cd "$(dirname "$0")/../../apps/web"

mode="${1:-}"
case "$mode" in
  "" | --install-only | --force-build) ;;
  *) echo "Usage: $0 [--install-only | --force-build]" >&2; exit 2 ;;
esac

# npm writes node_modules/.package-lock.json on every install: older than package-lock.json means out of date.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing the web app's npm packages (npm ci in apps/web)…"
  npm ci --no-fund --no-audit
fi
[ "$mode" = --install-only ] && exit 0

built=dist/index.html
sources=(src index.html package.json package-lock.json vite.config.ts tsconfig.json)
if [ "$mode" = --force-build ] || [ ! -f "$built" ] ||
  [ -n "$(find "${sources[@]}" -newer "$built" -print -quit 2>/dev/null)" ]; then
  echo "Building the web app (apps/web: tsc + vite build)…"
  npm run build
fi
