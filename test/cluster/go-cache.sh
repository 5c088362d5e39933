# Sourced by build.sh and build-node.sh: the versions, the Go environment of every build and the cache.
#   use_cache KEY REVISION LOCKNAME
#       sets $bin to the cache directory KEY_<go version>_<os>-<arch>_REVISION and exits printing it
#       when it is complete; otherwise takes the lock (waiting out a concurrent build) and checks again
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
export GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=0 GOPROXY="${GOPROXY:-$(go env GOPROXY)}"
cache_root=${OPENVOX_TESTBIN_CACHE:-$HOME/.cache/openvox-testbin}
mkdir -p "$cache_root"
export GOMODCACHE="$cache_root/gomod" GOCACHE="$cache_root/gobuild"

use_cache() {
  bin="$cache_root/${1}_$(go env GOVERSION)_$(go env GOOS)-$(go env GOARCH)_$2"
  if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi
  exec 9>"$cache_root/$3"
  echo "build: waiting for the build lock ($cache_root/$3)" >&2
  flock 9
  if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi
}
