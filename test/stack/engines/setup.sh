#!/usr/bin/env bash
# Installs (once) what the real container-engine tier needs on Debian 12 — docker.io (dockerd 20.10), podman 4.3,
# docker-registry (distribution 2.8), runc, debootstrap — and makes the locally built base image
# python:3.12.8-slim-bookworm stands for (base-image.sh: cached outside the repo, a few minutes cold).
# Idempotent: on a machine that has everything it only prints the tarball's path.
#
# apt must not start the packages' services (dockerd, docker-registry): the tier runs its own, privately. While
# installing, /usr/sbin/policy-rc.d answers 101 ("action not allowed"); it is removed afterwards if it was not there.
#
# stdout: BASE_IMAGE_TAR=<abs path>. stderr: logs. exit 3: not root or no apt-get, when something is missing (the
# tier's tests then report themselves skipped with the reason).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[stack/engines/setup] %s\n' "$*" >&2; }

packages=(docker.io podman docker-registry runc debootstrap curl iproute2 util-linux ca-certificates)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "not root: cannot install ${missing[*]}"; exit 3; }
  command -v apt-get >/dev/null || { log "no apt-get: install ${missing[*]} by hand"; exit 3; }
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from test/stack/engines/setup.sh: no service starts while installing\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # runc named explicitly: podman accepts crun | runc, and crun fails on cgroup v1 hybrid hosts.
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
    apt-get update >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
  }
fi

[ "$(id -u)" = 0 ] || { log "not root: the base image needs debootstrap as root"; exit 3; }
tar=$(bash "$here/base-image.sh")
printf 'BASE_IMAGE_TAR=%s\n' "$tar"
