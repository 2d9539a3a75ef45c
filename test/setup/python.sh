#!/usr/bin/env bash
# Builds the Flask image's Python environment outside a container (no Docker engine here): a venv keyed by the
# hash of flask/requirements.txt, outside the repo, with the same pinned packages the Dockerfile installs.
# Idempotent and fast when the venv exists. Prints the venv path on stdout (logs go to stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/../../flask/requirements.txt"
hash="$(sha256sum "$req" | cut -c1-12)"
cache="${WIZARD_CACHE:-${HOME:-/tmp}/.cache/istio-ingress-wizard}"
venv="$cache/venv-$hash"
py="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  echo "$venv"
  exit 0
fi

mkdir -p "$cache"
# Serialise concurrent test workers creating the same venv.
exec 9>"$cache/.venv-$hash.lock"
flock 9
if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  echo "$venv"
  exit 0
fi

rm -rf "$venv"
if ! "$py" -m venv "$venv" >&2 2>/dev/null; then
  rm -rf "$venv"
  echo "python venv module missing: installing python3-venv" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends python3-venv >&2 || {
    apt-get update >&2
    apt-get install -y --no-install-recommends python3-venv >&2
  }
  "$py" -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req" >&2
touch "$venv/.complete"
echo "$venv"
