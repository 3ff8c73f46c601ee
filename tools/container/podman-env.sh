# Sourced by the container scripts: makes rootful podman usable on a machine without a Docker engine.
# Installs podman, runc and debootstrap when missing, and points podman at a containers.conf of ours
# (the system-wide one is left alone).
#   - runc, not crun: crun 1.8 fails on hybrid cgroups ("cgroups in hybrid mode not supported").
#   - default_ulimits within this shell's hard limits: rootful podman asks for 1048576 open files and
#     processes by default and setrlimit fails without CAP_SYS_RESOURCE.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
podman_dir="$repo_root/.local/podman"

ensure_container_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Prints the lower of a hard limit and a cap ("unlimited" counts as no limit).
limit_at_most() {
  local hard="$1" cap="$2"
  if [ "$hard" = unlimited ] || [ "$hard" -gt "$cap" ]; then echo "$cap"; else echo "$hard"; fi
}

write_containers_conf() {
  local nofile nproc
  nofile="$(limit_at_most "$(ulimit -Hn)" 1048576)"
  nproc="$(limit_at_most "$(ulimit -Hu)" 32768)"
  mkdir -p "$podman_dir"
  cat >"$podman_dir/containers.conf" <<CONF
# Written by tools/container/podman-env.sh; see there for why.
[containers]
default_ulimits = [
  "nofile=${nofile}:${nofile}",
  "nproc=${nproc}:${nproc}",
]

[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$podman_dir/containers.conf"
}

ensure_container_tools
write_containers_conf
