#!/usr/bin/env bash
# Installs what the real node of the stack tier needs on a fresh Debian 12 machine, idempotently:
# containerd (CRI), runc, the CNI plugins (/usr/lib/cni), iptables, iproute2, util-linux (unshare, nsenter),
# gcc + libc6-dev (the static pause and httpd images), openssl, curl, kubectl-less (the tests use the kubectl on PATH,
# installed by test/setup/system.sh if at all). No service is started: a temporary /usr/sbin/policy-rc.d that exits
# 101 stops the packages' init scripts, and is removed again if it was not there before.
# The Kubernetes binaries themselves come from test/control-plane/build.sh (cached outside the repo).
# exit 0: everything present; exit 3: not root / no apt-get (the tier then reports itself as skipped).
set -euo pipefail

PKGS=(containerd runc containernetworking-plugins iptables iproute2 util-linux gcc libc6-dev openssl curl tar)
log() { printf '[stack/node/setup] %s\n' "$*" >&2; }

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "all present: ${PKGS[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  log "missing ${missing[*]} and cannot install (needs root and apt-get)"
  exit 3
fi

policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
# Only refresh the package lists when they do not know a missing package yet.
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
  log "apt-get update"
  apt-get update -qq
fi
log "installing ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
log "done"
