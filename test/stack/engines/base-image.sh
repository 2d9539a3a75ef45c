#!/usr/bin/env bash
# Makes the rootfs tarball that stands in for python:3.12.8-slim-bookworm: no image can be pulled on the machines
# this tier runs on, so flask/Dockerfile's FROM is satisfied by a Debian bookworm minbase made here with debootstrap
# from the machine's own Debian mirror. It is NOT the upstream image: its Python is bookworm's python3 (3.11), from
# Debian packages; what flask/Dockerfile uses (pip, useradd, /usr/local/bin on PATH) behaves the same.
#
#   base-image.sh --path   print the tarball's path (cached outside the repo, keyed by this script's code, the CA
#                          bundle and the mirror), build nothing
#   base-image.sh          build it unless cached, then print the path (progress goes to stderr)
#
# Needs root and debootstrap. Everything debootstrap mounts (/proc, /sys in the target) lives in a private mount
# namespace, so nothing is left mounted even when it fails half way.
set -euo pipefail

ca=/etc/ssl/certs/ca-certificates.crt
packages=python3,python3-pip,python3-venv,python-is-python3,passwd,ca-certificates
suite=bookworm

# The mirror the machine's own apt uses (deb822 "URIs:" or a one-line "deb URI bookworm main").
mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    uri=$(awk -v s="$suite" '
      /^URIs:/ { u=$2 } /^Suites:/ { for (i=2;i<=NF;i++) if ($i==s && u ~ /\/debian\/?$/) { print u; exit } }
      /^deb / && $3==s && $2 ~ /\/debian\/?$/ { print $2; exit }' "$f")
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  echo http://deb.debian.org/debian
}

m=$(mirror)
# Keyed by what makes the rootfs: this script's code (not its comments), the mirror and the CA bundle.
key=$( { grep -v '^[[:space:]]*#' "${BASH_SOURCE[0]}"; echo "$m"; cat "$ca" 2>/dev/null; } | sha256sum | cut -c1-16)
cache=${WIZARD_STACK_CACHE:-${HOME:-/tmp}/.cache/istio-ingress-wizard/stack}
out=$cache/base-$key.tar

if [ "${1:-}" = --path ]; then echo "$out"; exit 0; fi
if [ -s "$out" ]; then echo "$out"; exit 0; fi

[ "$(id -u)" = 0 ] || { echo "base-image.sh: needs root (debootstrap)" >&2; exit 3; }
command -v debootstrap >/dev/null || { echo "base-image.sh: debootstrap is not installed" >&2; exit 3; }
[ -f "$ca" ] || { echo "base-image.sh: no CA bundle at $ca" >&2; exit 3; }

mkdir -p "$cache"
# Two test files starting engines at once build it once: the second waits, then finds it.
exec 9>"$cache/.base-image.lock"
flock 9
if [ -s "$out" ]; then echo "$out"; exit 0; fi
work=$(mktemp -d "$cache/.base-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
start=$(date +%s)
echo "base-image: debootstrap $suite --variant=minbase from $m (cold: a few minutes)" >&2
unshare --mount --propagation private \
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$m" >&2

# pip inside the image trusts what the machine trusts (the package proxy's CA) and, like the upstream image's
# pip, installs system-wide: bookworm marks its Python EXTERNALLY-MANAGED (PEP 668), which the upstream image's
# own Python is not, so flask/Dockerfile's plain `pip install` needs break-system-packages.
cp "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
cat > "$root/etc/pip.conf" <<PIP
[global]
cert = /etc/ssl/certs/ca-certificates.crt
break-system-packages = true
PIP
printf 'deb %s %s main\n' "$m" "$suite" > "$root/etc/apt/sources.list"
# Slim like the upstream -slim images: no docs, manuals or translations (dpkg keeps leaving them out later).
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
cat > "$root/etc/dpkg/dpkg.cfg.d/slim" <<DPKG
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/*
# debootstrap leaves the target's /proc and /sys as empty mount points and /dev with a few nodes; an engine's
# import keeps them as they are, which is what a pulled image holds too.
tar --numeric-owner --xattrs -C "$root" -cf "$work/base.tar" .
mv "$work/base.tar" "$out"
echo "base-image: built $out in $(( $(date +%s) - start )) s ($(du -h "$out" | cut -f1))" >&2
echo "$out"
