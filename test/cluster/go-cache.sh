# Sourced by build.sh and build-node.sh: the Go environment of every build and the cache they share.
#   go_cache_env                  exports the Go settings; sets cache_root
#   cached_or_lock DIR LOCKNAME   prints DIR and exits when DIR/.complete exists; otherwise takes the
#                                 lock (waiting for a concurrent build of the same cache) and checks again
go_cache_env() {
  export GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=0 GOPROXY="${GOPROXY:-$(go env GOPROXY)}"
  cache_root=${OPENVOX_TESTBIN_CACHE:-$HOME/.cache/openvox-testbin}
  mkdir -p "$cache_root"
  export GOMODCACHE="$cache_root/gomod" GOCACHE="$cache_root/gobuild"
}

cached_or_lock() {
  if [ -f "$1/.complete" ]; then echo "$1"; exit 0; fi
  exec 9>"$cache_root/$2"
  echo "build: waiting for the build lock ($cache_root/$2)" >&2
  flock 9
  if [ -f "$1/.complete" ]; then echo "$1"; exit 0; fi
}
