#!/usr/bin/env bash
# Builds (once) istiod (pilot-discovery) and istioctl from the Go module istio.io/istio and caches them OUTSIDE the
# repo, keyed by module version:
#   ${WIZARD_STACK_CACHE:-$HOME/.cache/istio-ingress-wizard/stack}/istio-<version>/{pilot-discovery,istioctl}
#
# The module proxy serves no 1.30.x release of istio.io/istio (Istio tags are not Go-module semver tags); the closest
# it serves is the pseudo-version below, master shortly after the 1.30 branch point. The README says so.
# `go mod tidy` fails on three checksums the checksum database here lacks; istio's own go.sum (from its module zip)
# carries them, so it is appended before tidying. The checksum database stays on.
#
# stdout: PILOT_DISCOVERY=<abs path> and ISTIOCTL=<abs path>. stderr: logs. exit 3: no usable Go toolchain.
set -euo pipefail

ISTIO_MODULE_VERSION="${WIZARD_ISTIO_MODULE_VERSION:-v0.0.0-20260423205519-b01690e6db7d}"
CACHE="${WIZARD_STACK_CACHE:-${HOME:-/tmp}/.cache/istio-ingress-wizard/stack}"
log() { printf '[stack/build-istio] %s\n' "$*" >&2; }

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd -P)"
OUT="$CACHE/istio-$ISTIO_MODULE_VERSION"
PILOT="$OUT/pilot-discovery"
ISTIOCTL="$OUT/istioctl"
emit() { printf 'PILOT_DISCOVERY=%s\nISTIOCTL=%s\n' "$PILOT" "$ISTIOCTL"; }

if [[ -x "$PILOT" && -x "$ISTIOCTL" ]]; then emit; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "go not found: the real-stack tier builds istiod and istioctl from istio.io/istio" >&2; exit 3; }

exec 9>"$CACHE/.istio-build.lock"
flock 9

export CGO_ENABLED=0 GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wizard-istio-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
t0=$(date +%s)
log "building pilot-discovery + istioctl from istio.io/istio@$ISTIO_MODULE_VERSION (≈15 min cold on 2 cores) ..."
cd "$WORK"
info="$(go mod download -json "istio.io/istio@$ISTIO_MODULE_VERSION")"
zip="$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",*$/\1/p')"
gomod="$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
[[ -f "$zip" && -f "$gomod" ]] || { log "could not download istio.io/istio@$ISTIO_MODULE_VERSION"; exit 1; }
goline="$(grep -m1 -E '^go [0-9]' "$gomod")"
{
  printf 'module wizard.local/istiobuild\n\n%s\n\nrequire istio.io/istio %s\n\n' "$goline" "$ISTIO_MODULE_VERSION"
  # A dependency's replace directives do not apply to its consumers: carry istio's over.
  awk '/^replace \(/{inblk=1; next} inblk && /^\)/{inblk=0; next} inblk{print "replace " $0; next} /^replace /{print}' "$gomod"
} >go.mod
unzip -p "$zip" "istio.io/istio@$ISTIO_MODULE_VERSION/go.sum" >go.sum
cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "istio.io/istio/istioctl/cmd/istioctl"
	_ "istio.io/istio/pilot/cmd/pilot-discovery"
)
GO
go mod tidy >&2
mkdir -p "$OUT" out
go build -trimpath -ldflags="-s -w" -o out/ istio.io/istio/pilot/cmd/pilot-discovery istio.io/istio/istioctl/cmd/istioctl >&2
mv -f out/pilot-discovery "$PILOT"
mv -f out/istioctl "$ISTIOCTL"
log "built in $(( $(date +%s) - t0 ))s into $OUT ($(du -sh "$OUT" | cut -f1))"
emit
