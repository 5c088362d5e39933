#!/usr/bin/env bash
# Builds kube-score (the workload linter of test/src/lint/) from the Go module proxy into the cache
# outside the repo, keyed by version. Prints the binary directory on stdout (last line). Does
# nothing when the cache is complete.
set -euo pipefail
# shellcheck source=../../cluster/go-cache.sh
source "$(dirname "$0")/../../cluster/go-cache.sh"
use_cache "kube-score-${KUBE_SCORE_VERSION}" "${KUBE_SCORE_BUILD_REVISION}" .kube-score.lock

log() { echo "build-kube-score: $(date +%T) $*" >&2; }
tmp="$cache_root/.tmp-kube-score.$$"
rm -rf "$tmp"; mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

log "kube-score ${KUBE_SCORE_VERSION}"
GOBIN="$tmp" go install -trimpath -ldflags "-s -w -X main.version=${KUBE_SCORE_VERSION#v}" \
  "github.com/zegl/kube-score/cmd/kube-score@${KUBE_SCORE_VERSION}" >&2

"$tmp/kube-score" version | grep -F "${KUBE_SCORE_VERSION#v}" >/dev/null
touch "$tmp/.complete"
rm -rf "$bin"; mv -T "$tmp" "$bin"
trap - EXIT
log "done: $bin"
echo "$bin"
