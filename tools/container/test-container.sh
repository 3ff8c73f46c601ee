#!/usr/bin/env bash
# npm run test:container — the classifier's Lambda container image, built and run with rootful podman (no Docker
# engine, no registry here): sets podman up, makes the base image when missing, builds the image (cached layers
# make a rebuild take seconds), then classifies the fixture photos through the LambdaEmulator and
# @aws-sdk/client-lambda with the image as the function's runtime. Minutes on a fresh machine; not part of `npm test`.
set -euo pipefail

started_at_ms="$(date +%s%3N)"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
image="${CLASSIFIER_IMAGE:-localhost/udagram-classifier:dev}"
export CLASSIFIER_IMAGE="$image"

seconds_since() { awk -v since="$1" -v now="$(date +%s%3N)" 'BEGIN { printf "%.1f", (now - since) / 1000 }'; }

source tools/container/podman-env.sh
# cwebp makes a WebP copy of a fixture photo: the classifier decodes WebP too, and no fixture is one.
command -v cwebp >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends webp >/dev/null
}

bash tools/container/make-base-image.sh

build_started_ms="$(date +%s%3N)"
build_log="$repo_root/.local/podman/build.log"
echo "building $image (log: ${build_log#"$repo_root"/})"
if ! bash tools/container/build-image.sh >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  echo "image build failed" >&2
  exit 1
fi
size_bytes="$(podman image inspect --format '{{.Size}}' "$image")"
echo "built $image in $(seconds_since "$build_started_ms") s: $((size_bytes / 1000000)) MB ($(grep -c 'Using cache' "$build_log" || true) cached steps)"

# Bundled with esbuild (resolving the @app/* and @dev/* aliases) so that only this runner and what it imports are
# compiled, for the Node that runs it next.
npx esbuild tools/container/classify-through-invoke.ts --bundle --platform=node --format=esm --target="node$(node -p process.versions.node)" \
  --packages=external --log-level=warning --outfile=.local/container/classify-through-invoke.mjs

CONTAINER_TEST_STARTED_AT_MS="$started_at_ms" node .local/container/classify-through-invoke.mjs
