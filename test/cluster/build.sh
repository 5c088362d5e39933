#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy, etcd and helm from Go
# modules into a cache outside the repo, keyed by every version that changes the output.
# Prints the binary directory on stdout (last line). Does nothing when the cache is complete.
set -euo pipefail
# shellcheck source=go-cache.sh
source "$(dirname "$0")/go-cache.sh"
use_cache "k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_helm-${HELM_VERSION}" "${BUILD_REVISION}" .lock

log() { echo "build: $(date +%T) $*" >&2; }
tmp="$cache_root/.tmp.$$"
rm -rf "$tmp"; mkdir -p "$tmp/out"
trap 'rm -rf "$tmp"' EXIT

# --- Kubernetes: a tools module whose staging replace block comes from the version's own go.mod.
log "kubernetes ${K8S_VERSION}: resolving modules (the first build takes 15-30 minutes on 2 cores)"
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
staging=v0.${K8S_VERSION#v1.}
mkdir -p "$tmp/k8s" && cd "$tmp/k8s"
printf 'module testbin/k8s\n\ngo 1.25.0\n' > go.mod
gomod_file=$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
sed -n 's|^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/src/.*|\1|p' "$gomod_file" > staging.txt
[ "$(wc -l < staging.txt)" -ge 25 ] || { log "unexpected staging list:"; cat staging.txt >&2; exit 1; }
{
  echo
  echo "require k8s.io/kubernetes ${K8S_VERSION}"
  echo 'replace ('
  awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}' staging.txt
  echo ')'
} >> go.mod
cat > tools.go <<'GO'
//go:build tools

package tools
GO
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
  go get -tool "k8s.io/kubernetes/cmd/$cmd@${K8S_VERSION}" >&2
done
ld="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld="$ld -X $p.gitVersion=${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor}"
  ld="$ld -X $p.gitTreeState=clean -X $p.gitCommit=0000000000000000000000000000000000000000"
  ld="$ld -X $p.buildDate=1970-01-01T00:00:00Z"
done
log "kubernetes: compiling kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy"
go build -trimpath -ldflags "$ld" -o "$tmp/out/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
  k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy >&2

# --- etcd: its server module is a main package and resolves cleanly as a dependency.
log "etcd ${ETCD_VERSION}"
mkdir -p "$tmp/etcd" && cd "$tmp/etcd"
printf 'module testbin/etcd\n\ngo 1.25.0\n' > go.mod
go get -tool "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" >&2
go build -trimpath -ldflags "-s -w" -o "$tmp/out/etcd" go.etcd.io/etcd/server/v3 >&2

# --- helm: no replace directives, so go install works directly.
log "helm ${HELM_VERSION}"
GOBIN="$tmp/out" go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" \
  "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2

log "checking versions"
# grep without -q: -q stops reading at the first match, and under pipefail the writer's SIGPIPE (141) fails the build.
"$tmp/out/kube-apiserver" --version | grep -F "Kubernetes ${K8S_VERSION}" >/dev/null
"$tmp/out/kubectl" version --client | grep -F "${K8S_VERSION}" >/dev/null
"$tmp/out/kubelet" --version | grep -F "Kubernetes ${K8S_VERSION}" >/dev/null
"$tmp/out/etcd" --version | grep -F "${ETCD_VERSION#v}" >/dev/null
"$tmp/out/helm" version --short | grep -F "${HELM_VERSION}" >/dev/null
touch "$tmp/out/.complete"
rm -rf "$bin"; mv -T "$tmp/out" "$bin"
log "done: $bin"
echo "$bin"
