#!/usr/bin/env bash
# Builds localhost/udagram-classifier:dev from docker/Dockerfile with podman, offline: the base image
# comes from make-base-image.sh (--pull=never) and the model from the SqueezeNet folder in shared/
# (a named build context, since the production model cannot be downloaded here). RUN steps reach the
# apt mirror through the host network. Expects podman-env.sh to be sourced.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="${CLASSIFIER_IMAGE:-localhost/udagram-classifier:dev}"
model_dir="$(cd "$repo_root" && realpath "${SQUEEZENET_DIR:-../shared/models/squeezenet-dc}")"

# sha1s of the files in squeezenet-dc (its README publishes their sha256s; the Dockerfile checks sha1).
podman build --pull=never --network=host \
  -f "$repo_root/docker/Dockerfile" \
  --ignorefile "$repo_root/docker/Dockerfile.dockerignore" \
  --build-arg MODEL_SOURCE=context \
  --build-context "model=$model_dir" \
  --build-arg MODEL_NAME=squeezenet_v1.0_dc \
  --build-arg MODEL_WEIGHTS_FILE=squeezenet_v1.0_dc.caffemodel \
  --build-arg MODEL_WEIGHTS_SHA1=149d1a1fcd07eb60393fcd3e123db85e377323bf \
  --build-arg MODEL_CONFIG_FILE=deploy.prototxt \
  --build-arg MODEL_CONFIG_SHA1=6070362b860209581d0e5b39a8a50b49e57ce5aa \
  --build-arg MODEL_LABELS_FILE=classes.txt \
  --build-arg MODEL_LABELS_SHA1=a5d0e7e59e90086b81b11d92367c3ad2aad285d4 \
  --build-arg MODEL_INPUT_WIDTH=227 \
  --build-arg MODEL_INPUT_HEIGHT=227 \
  -t "$image" \
  "$repo_root"
