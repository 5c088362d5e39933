#!/usr/bin/env bash
# Builds the node's Go daemons that are not part of Kubernetes: containerd (+ its runc shim and ctr)
# and CoreDNS, from the Go module proxy into a cache outside the repo, keyed by version.
# Prints the binary directory on stdout (last line). Does nothing when the cache is complete.
set -euo pipefail
# shellcheck source=go-cache.sh
source "$(dirname "$0")/go-cache.sh"
use_cache "node-containerd-${CONTAINERD_VERSION}_coredns-${COREDNS_VERSION}" "${NODE_BUILD_REVISION}" .node.lock

log() { echo "build-node: $(date +%T) $*" >&2; }
tmp="$cache_root/.tmp-node.$$"
rm -rf "$tmp"; mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# containerd 2 is needed (not Debian's 1.6): it implements image volumes and kubelet 1.35's RuntimeConfig.
# The tags leave out the cgo snapshotters.
log "containerd ${CONTAINERD_VERSION}"
GOBIN="$tmp" go install -trimpath -tags "no_btrfs no_devmapper no_zfs" \
  -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/containerd@${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/ctr@${CONTAINERD_VERSION}" >&2

log "coredns ${COREDNS_VERSION}"
GOBIN="$tmp" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@${COREDNS_VERSION}" >&2

"$tmp/containerd" --version | grep -F "${CONTAINERD_VERSION}" >/dev/null
"$tmp/coredns" -version | grep -F "${COREDNS_VERSION#v}" >/dev/null
touch "$tmp/.complete"
rm -rf "$bin"; mv -T "$tmp" "$bin"
trap - EXIT
log "done: $bin"
echo "$bin"
