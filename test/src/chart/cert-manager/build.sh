#!/usr/bin/env bash
# Builds a minimal cert-manager controller and cainjector (controller/ and cainjector/ beside this
# script, upstream packages of github.com/cert-manager/cert-manager) into a cache outside the repo,
# keyed by version. Prints the binary directory on stdout (last line). Nothing when already built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${CERT_MANAGER_VERSION:-v1.21.2}
revision=r1
export GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=0 GOPROXY="${GOPROXY:-$(go env GOPROXY)}"
cache_root=${OPENVOX_TESTBIN_CACHE:-$HOME/.cache/openvox-testbin}
export GOMODCACHE="$cache_root/gomod" GOCACHE="$cache_root/gobuild"
sources=$(cat "$here/controller/main.go" "$here/cainjector/main.go" "$0" | sha256sum | cut -c1-12)
bin="$cache_root/cert-manager-${version}_$(go env GOVERSION)_$(go env GOOS)-$(go env GOARCH)_${sources}_${revision}"
mkdir -p "$cache_root"
if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi
exec 9>"$cache_root/.cert-manager.lock"
flock 9
if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi

tmp="$cache_root/.tmp-cert-manager.$$"
rm -rf "$tmp"; mkdir -p "$tmp/mod" "$tmp/out"
trap 'rm -rf "$tmp"' EXIT
cp -r "$here/controller" "$here/cainjector" "$tmp/mod/"
cd "$tmp/mod"
printf 'module testbin/certmanager\n\ngo 1.26.0\n' > go.mod
echo "cert-manager ${version}: resolving modules" >&2
go get "github.com/cert-manager/cert-manager@${version}" >&2
go mod tidy >&2
echo "cert-manager: compiling controller and cainjector" >&2
go build -trimpath -ldflags "-s -w" -o "$tmp/out/cert-manager-controller" ./controller >&2
go build -trimpath -ldflags "-s -w -X main.version=${version}" -o "$tmp/out/cert-manager-cainjector" ./cainjector >&2
touch "$tmp/out/.complete"
mv -T "$tmp/out" "$bin"
echo "$bin"
