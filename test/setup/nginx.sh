#!/usr/bin/env bash
# Ensures an nginx binary for the gateway stand-in (test/support/nginxGateway.ts) and prints its path.
# Idempotent and fast when nginx is already there. nginx-light is enough (ssl, split_clients, proxy).
# Test workers may call this at the same time: one installs, the others wait on the lock.
set -euo pipefail

find_nginx() {
  command -v nginx 2>/dev/null && return 0
  for p in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

if find_nginx; then exit 0; fi

exec 9>"${TMPDIR:-/tmp}/istio-ingress-wizard-nginx-setup.lock"
flock 9
if find_nginx; then exit 0; fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$@" >&2
}
# Try without refreshing the package lists first (fast), then refresh once and retry.
if ! apt_install nginx-light; then
  apt-get -o DPkg::Lock::Timeout=300 update >&2
  apt_install nginx-light || apt_install nginx
fi
# The package may have started its own service on port 80; tests run their own instances on loopback ports.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi

find_nginx
