#!/usr/bin/env bash
# Builds (once) the two binaries of the real-API-server test tier:
#   kube-apiserver  from k8s.io/kubernetes            (default v1.34.4)
#   etcd            from go.etcd.io/etcd/server/v3    (default v3.6.16)
# and caches them OUTSIDE the repo, keyed by version:
#   ${WIZARD_CP_CACHE:-$HOME/.cache/istio-ingress-wizard/control-plane}/k8s-v<ver>/kube-apiserver
#   ${WIZARD_CP_CACHE:-$HOME/.cache/istio-ingress-wizard/control-plane}/etcd-v<ver>/etcd
#
# stdout: exactly two lines, KUBE_APISERVER=<abs path> and ETCD=<abs path>.
# stderr: logs.
# exit 3: Go toolchain missing/too old (the test suite turns this into a skip).
#
# Env:
#   WIZARD_CP_CACHE     cache root (see above)
#   WIZARD_K8S_VERSION  kubernetes version without "v" (default 1.34.4)
#   WIZARD_ETCD_VERSION etcd version without "v"       (default 3.6.16)
set -euo pipefail

K8S_VERSION="${WIZARD_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${WIZARD_ETCD_VERSION:-3.6.16}"
K8S_VERSION="${K8S_VERSION#v}"
ETCD_VERSION="${ETCD_VERSION#v}"
CACHE="${WIZARD_CP_CACHE:-${HOME:-/tmp}/.cache/istio-ingress-wizard/control-plane}"

log() { printf '[control-plane/build] %s\n' "$*" >&2; }

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd -P)"
K8S_DIR="$CACHE/k8s-v$K8S_VERSION"
APISERVER="$K8S_DIR/kube-apiserver"
ETCD="$CACHE/etcd-v$ETCD_VERSION/etcd"
# The node binaries of the real-stack tier come from the same module and the same build: one `go build` of all five
# shares the compiled packages, so the four extra binaries cost ~2.5 min on top of kube-apiserver, not 4 x 13 min.
K8S_CMDS=(kube-apiserver kubelet kube-controller-manager kube-scheduler kube-proxy)

emit() {
  printf 'KUBE_APISERVER=%s\n' "$APISERVER"
  printf 'ETCD=%s\n' "$ETCD"
  local c var
  for c in "${K8S_CMDS[@]:1}"; do
    var="$(printf '%s' "$c" | tr 'a-z-' 'A-Z_')"
    printf '%s=%s\n' "$var" "$K8S_DIR/$c"
  done
}

k8s_complete() {
  local c
  for c in "${K8S_CMDS[@]}"; do [[ -x "$K8S_DIR/$c" ]] || return 1; done
}

# Fast path: nothing to do, never touch go.
if k8s_complete && [[ -x "$ETCD" ]]; then
  emit
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "go not found: the real API server tier needs Go >= 1.24 (https://go.dev/dl/) to build kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION once into $CACHE; or put prebuilt binaries at $APISERVER and $ETCD (or point WIZARD_KUBE_APISERVER and WIZARD_ETCD at them)" >&2
  exit 3
fi
GOVER="$(go env GOVERSION 2>/dev/null || true)"   # e.g. go1.26.8
if [[ "$GOVER" =~ ^go1\.([0-9]+) ]]; then
  if (( BASH_REMATCH[1] < 24 )); then
    echo "go too old ($GOVER): the real API server tier needs Go >= 1.24 to build kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION" >&2
    exit 3
  fi
fi

# Serialise concurrent builds (parallel test workers / two checkouts).
exec 9>"$CACHE/.build.lock"
if command -v flock >/dev/null 2>&1; then
  log "waiting for build lock $CACHE/.build.lock"
  flock 9
fi

export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
# Newer etcd patch releases require a newer Go than the local one; the default
# GOTOOLCHAIN=auto lets `go` fetch the needed toolchain through the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wizard-cp-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

now() { date +%s; }

build_etcd() {
  [[ -x "$ETCD" ]] && return 0
  local t0 mod; t0=$(now)
  log "building etcd v$ETCD_VERSION (go.etcd.io/etcd/server/v3) with $GOVER ..."
  mod="$WORK/etcd"; mkdir -p "$mod"
  (
    cd "$mod"
    cat >go.mod <<EOF
module wizard.local/etcdbuild

go 1.24
EOF
    # server/v3's own go.mod uses relative replaces, so `go install pkg@ver`
    # refuses it; pin the sibling modules to the same release instead.
    go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/api/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/client/pkg/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/client/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/pkg/v3@v$ETCD_VERSION" >&2
    mkdir -p "$(dirname "$ETCD")"
    go build -trimpath -ldflags="-s -w" -o "$ETCD.tmp" go.etcd.io/etcd/server/v3 >&2
    mv -f "$ETCD.tmp" "$ETCD"
  )
  log "etcd v$ETCD_VERSION built in $(( $(now) - t0 ))s: $ETCD ($(du -h "$ETCD" | cut -f1))"
}

build_apiserver() {
  k8s_complete && return 0
  local t0 mod gomod minor patch major; t0=$(now)
  log "building ${K8S_CMDS[*]} v$K8S_VERSION (k8s.io/kubernetes) with $GOVER (takes 12-20 min on 2 cores) ..."
  IFS=. read -r major minor patch <<<"$K8S_VERSION"
  mod="$WORK/k8s"; mkdir -p "$mod"
  (
    cd "$mod"
    gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
    [[ -f "$gomod" ]] || { log "could not download k8s.io/kubernetes@v$K8S_VERSION go.mod"; exit 1; }
    {
      printf 'module wizard.local/k8sbuild\n\ngo 1.24.0\n\ngodebug default=go1.24\n\nrequire k8s.io/kubernetes v%s\n\n' "$K8S_VERSION"
      # k8s.io/kubernetes requires every staging module at v0.0.0 and replaces it
      # with ./staging/src/...; a consumer must replace them with real v0.X.Y tags.
      grep -E '^[[:space:]]*k8s\.io/[A-Za-z0-9._-]+ => \./staging/src/' "$gomod" |
        awk -v v="v0.$minor.$patch" '{ printf "replace %s => %s %s\n", $1, $1, v }'
    } >go.mod
    local c pkgs=()
    for c in "${K8S_CMDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
    go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >&2
    local ts ldflags
    ts="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
      ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$ts"
    done
    mkdir -p "$K8S_DIR" "$mod/out"
    go build -trimpath -ldflags="$ldflags" -o "$mod/out/" "${pkgs[@]}" >&2
    for c in "${K8S_CMDS[@]}"; do mv -f "$mod/out/$c" "$K8S_DIR/$c"; done
  )
  log "${K8S_CMDS[*]} v$K8S_VERSION built in $(( $(now) - t0 ))s into $K8S_DIR ($(du -sh "$K8S_DIR" | cut -f1))"
}

build_etcd
build_apiserver
emit
