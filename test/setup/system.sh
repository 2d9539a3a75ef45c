#!/usr/bin/env bash
# Installs the system tools the test suite drives for real: curl, openssl, tmux (pseudo-terminal e2e), nginx
# (the gateway stand-in) and a Python venv with the Flask app's pinned requirements. Idempotent: a machine that has
# them spends well under a second here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
for tool in curl openssl tmux; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
    apt-get update >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
  }
fi
bash "$here/nginx.sh" >/dev/null
bash "$here/python.sh" >/dev/null
