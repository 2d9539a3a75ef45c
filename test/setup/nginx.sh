#!/usr/bin/env bash
# Ensures an nginx binary for the gateway stand-in (test/support/nginxGateway.ts) and prints its path.
# Idempotent and fast when nginx is already there. nginx-light is enough (ssl, split_clients, proxy).
set -euo pipefail

find_nginx() {
  command -v nginx 2>/dev/null && return 0
  for p in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

if ! find_nginx >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  # Try without refreshing the package lists first (fast), then refresh once and retry.
  if ! apt-get install -y --no-install-recommends nginx-light >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends nginx-light >&2 ||
      apt-get install -y --no-install-recommends nginx >&2
  fi
  # The package's service may have been started by the install; tests run their own instances.
  if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
fi

find_nginx
