#!/usr/bin/env bash
# Runs the classifier container as a Lambda runtime process for the emulator:
#   podman-runtime.sh NAME [podman run options...] IMAGE
# The emulator ends a runtime with SIGKILL, which no trap sees: it kills this script and the orphaned
# `podman run` client would wait on a container that conmon keeps running. So a watchdog outlives this
# script and removes the container as soon as the script is gone, however it ended.
set -uo pipefail

name="$1"
shift
wrapper_pid=$$

(
  trap '' INT TERM HUP
  while kill -0 "$wrapper_pid" 2>/dev/null; do sleep 0.2; done
  podman rm --force --ignore --time 0 "$name"
) </dev/null >/dev/null 2>&1 &

podman run --rm --name "$name" "$@"
