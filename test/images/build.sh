#!/usr/bin/env bash
# Builds the local test images as OCI image-layout tarballs (import with `ctr -n k8s.io images import FILE`)
# into a cache outside the repo, and prints that directory as the last line of stdout (logs go to stderr).
#
#   test/images/build.sh            pause, busybox, code, openvox-server, openvox-agent, puppetdb, postgresql
#   test/images/build.sh operator   openvox-operator from the repo's built dist (run `npm run build` first);
#                                   prints its own directory, keyed on the dist + lock file
#   test/images/build.sh all        both; prints the directory of the first set
#
# Cache: ${OPENVOX_TESTBIN_CACHE:-$HOME/.cache/openvox-testbin}/images-<suite>-<sources hash>-r<revision>/
# (the hash covers this directory's build sources, not smoke.sh or docs). Each image is built only when its
# marker (.NAME.complete) is missing; builds hold a flock; temp dirs are removed on any exit.
# Env: OPENVOX_IMAGES_SUITE (default bookworm). Needs root, mmdebstrap, jq, gcc (static libc), apt-get.
set -euo pipefail
shopt -s inherit_errexit   # rootfs() runs in $(...): its failures must stop the build
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
REVISION=1
suite=${OPENVOX_IMAGES_SUITE:-bookworm}
what=${1:-base}
case $what in base|operator|all) ;; *) echo "usage: $0 [base|operator|all]" >&2; exit 64 ;; esac

cache_root=${OPENVOX_TESTBIN_CACHE:-$HOME/.cache/openvox-testbin}
srchash=$(cd "$here" && cat build.sh mkoci.sh layer.sh rootfs.sh rootfs-db.sh layout-puppet.sh layout-node.sh \
  layout-puppetdb.sh layout-postgresql.sh files/* | sha256sum | cut -c1-12)
dir="$cache_root/images-$suite-$srchash-r$REVISION"
base_images=(pause busybox code openvox-server openvox-agent puppetdb postgresql)

operator_key() {
  # The app layer: the three workspaces' dist and package.json; the deps layer: lock file + node binary.
  local node; node=$(readlink -f "$repo/node_modules/node/bin/node" 2>/dev/null || true)
  [ -x "$node" ] || { echo "build: $repo/node_modules/node/bin/node missing: run npm ci" >&2; exit 1; }
  for w in shared webhook controller; do
    [ -f "$repo/$w/dist/main.js" ] || [ "$w" = shared ] || { echo "build: $w/dist missing: run npm run build" >&2; exit 1; }
  done
  deps_key=$( { cat "$repo/package-lock.json" "$repo/package.json" "$repo"/{shared,webhook,controller}/package.json;
                stat -c %s "$node"; } | sha256sum | cut -c1-12)
  app_key=$( cd "$repo" && { find shared/dist webhook/dist controller/dist -type f ! -name '*.map' ! -name '*.d.ts' \
               ! -name '*.tsbuildinfo' -print0 | sort -z | xargs -0 sha256sum; echo "$deps_key"; } | sha256sum | cut -c1-12)
  opdir="$dir/operator-$app_key"
}

done_base() { local i; for i in "${base_images[@]}"; do [ -f "$dir/.$i.complete" ] || return 1; done; }
done_operator() { [ -f "$opdir/.openvox-operator.complete" ]; }
finish() { if [ "$what" = operator ]; then echo "$opdir"; else echo "$dir"; fi; }

[ "$what" = base ] || operator_key
case $what in
  base) done_base && { finish; exit 0; } ;;
  operator) done_operator && { finish; exit 0; } ;;
  all) done_base && done_operator && { finish; exit 0; } ;;
esac

[ "$(id -u)" = 0 ] || { echo "build: needs root (mmdebstrap, numeric owners)" >&2; exit 1; }
mkdir -p "$dir"
exec 9>"$cache_root/.images.lock"
echo "build: waiting for the images lock ($cache_root/.images.lock)" >&2
flock 9
log() { echo "build: $(date +%T) $*" >&2; }
tmp=$(mktemp -d "$cache_root/.tmp-images.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PATH="$here:$PATH"
T() { local s=$SECONDS; "$@"; log "  ($(( SECONDS - s )) s: $*)"; }
smalltar() { tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$1" -cf "$2" .; }
size() { numfmt --to=iec "$(stat -c %s "$1")"; }

# Cached base rootfs tarballs, keyed on the script that makes them alone (editing the layout does not re-run
# mmdebstrap): rootfs.sh for puppet and node, rootfs-db.sh for puppetdb and postgresql.
rootfs() {
  local kind=$1 rk out script=rootfs.sh
  case $kind in puppetdb|postgresql) script=rootfs-db.sh ;; esac
  rk=$(cat "$here/$script" | sha256sum | cut -c1-12)
  out="$cache_root/rootfs-$kind-$suite-$rk-r$REVISION.tar"
  if [ ! -f "$out" ]; then
    log "mmdebstrap: $kind rootfs ($suite)"
    local s=$SECONDS
    "$script" "$kind" "$suite" "$tmp/rootfs-$kind.tar"
    # Not grep -q: it would stop reading early and, under pipefail, tar's SIGPIPE would fail a good rootfs.
    tar -tf "$tmp/rootfs-$kind.tar" | grep -E '^\./(usr/)?lib/x86_64-linux-gnu/libc\.so\.6$' >/dev/null \
      || { log "mmdebstrap $kind: no usable rootfs in $tmp/rootfs-$kind.tar"; exit 1; }
    mv "$tmp/rootfs-$kind.tar" "$out"
    log "mmdebstrap $kind: $(( SECONDS - s )) s, $(size "$out")"
  fi
  echo "$out"
}

build_pause() {
  mkdir -p "$tmp/pause/root"
  gcc -Os -static -s -o "$tmp/pause/root/pause" "$here/files/pause.c"
  smalltar "$tmp/pause/root" "$tmp/pause.tar"; layer.sh "$tmp/pause.tar" "$tmp/pause"
  mkoci.sh localhost/openvox-test/pause:3.10 "$dir/pause.oci.tar" '{"Entrypoint":["/pause"],"User":"65535:65535"}' "$tmp/pause"
}

build_busybox() {
  local r="$tmp/bb/root"
  mkdir -p "$r"/{bin,tmp,etc,proc,sys,dev} "$tmp/bb/deb"
  (cd "$tmp/bb/deb" && apt-get download -q busybox-static >&2) && dpkg-deb -x "$tmp"/bb/deb/busybox-static_*.deb "$tmp/bb/x"
  cp "$tmp/bb/x/bin/busybox" "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"; chmod 1777 "$r/tmp"
  smalltar "$r" "$tmp/bb.tar"; layer.sh "$tmp/bb.tar" "$tmp/bb"
  mkoci.sh localhost/openvox-test/busybox:1.35 "$dir/busybox.oci.tar" '{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]}' "$tmp/bb"
}

build_code() {
  local r="$tmp/code/root"
  # The operator mounts code.image at the environmentpath (/etc/puppetlabs/code/environments), so the image
  # root holds the environments; `environments -> .` also serves a mount at the codedir.
  mkdir -p "$r/production/manifests" "$r/production/modules"
  install -m 0644 "$here/files/site.pp" "$r/production/manifests/site.pp"
  ln -s . "$r/environments"
  smalltar "$r" "$tmp/code.tar"; layer.sh "$tmp/code.tar" "$tmp/code"
  mkoci.sh localhost/openvox-test/code:1 "$dir/code.oci.tar" '{}' "$tmp/code"
}

# openvox-server and openvox-agent share one layer (Debian's puppetserver depends on puppet-agent);
# containerd stores it once.
puppet_layer() {
  [ -f "$dir/puppet-layer.tar.gz" ] && return 0
  local base r="$tmp/puppet/root"; base=$(rootfs puppet)
  mkdir -p "$r"
  T tar --numeric-owner -xpf "$base" -C "$r"
  layout-puppet.sh "$r"
  T tar --numeric-owner --sort=name -C "$r" -cf "$tmp/puppet-layer.tar" .
  rm -rf "$r"
  T layer.sh "$tmp/puppet-layer.tar" "$tmp/puppet-layer"
  rm -f "$tmp/puppet-layer.tar"
  mv "$tmp/puppet-layer.diffid" "$dir/puppet-layer.diffid"; mv "$tmp/puppet-layer.tar.gz" "$dir/puppet-layer.tar.gz"
}
# The PuppetDB termini (storeconfigs_backend, reports and facts `puppetdb`): Debian's puppet-terminus-puppetdb,
# the same version as the puppetdb image, as a layer of its own above the shared one (the real OpenVox Server
# image ships openvoxdb-termini). Pure Ruby below /usr/lib/ruby/vendor_ruby/puppet, which puppetserver's
# load path reaches through the puppet symlink.
termini_layer() {
  [ -f "$dir/termini-layer.tar.gz" ] && return 0
  local r="$tmp/termini/root"
  mkdir -p "$tmp/termini/deb" "$r"
  (cd "$tmp/termini/deb" && apt-get download -q puppet-terminus-puppetdb >&2)
  dpkg-deb -x "$tmp"/termini/deb/puppet-terminus-puppetdb_*.deb "$r"
  rm -rf "$r/usr/share"
  smalltar "$r" "$tmp/termini.tar"; layer.sh "$tmp/termini.tar" "$tmp/termini-layer"
  mv "$tmp/termini-layer.diffid" "$dir/termini-layer.diffid"; mv "$tmp/termini-layer.tar.gz" "$dir/termini-layer.tar.gz"
}
PATHS='PATH=/opt/puppetlabs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
build_openvox-server() {
  puppet_layer
  termini_layer
  mkoci.sh localhost/openvox-test/openvox-server:7.9.5 "$dir/openvox-server.oci.tar" \
    "$(jq -cn --arg p "$PATHS" '{Entrypoint:["/usr/local/bin/openvox-server-entrypoint"],User:"1001:0",
       Env:[$p,"LANG=C.UTF-8","JAVA_ARGS=-Xms512m -Xmx1024m"],ExposedPorts:{"8140/tcp":{}},WorkingDir:"/",
       Labels:{"org.opencontainers.image.description":"OpenVox Server stand-in: Debian puppetserver 7.9.5 in the AIO layout, with the PuppetDB termini"}}')" \
    "$dir/puppet-layer" "$dir/termini-layer"
}
build_openvox-agent() {
  puppet_layer
  mkoci.sh localhost/openvox-test/openvox-agent:7.23 "$dir/openvox-agent.oci.tar" \
    "$(jq -cn --arg p "$PATHS" '{Cmd:["puppet","agent","--test"],Env:[$p,"LANG=C.UTF-8"],WorkingDir:"/",
       Labels:{"org.opencontainers.image.description":"OpenVox agent stand-in: Debian puppet-agent 7.23 in the AIO layout"}}')" \
    "$dir/puppet-layer"
}

# One image from one cached rootfs: unpack, lay out, one layer.
db_image() {
  local kind=$1 name=$2 cfg=$3 base r="$tmp/$1/root"; base=$(rootfs "$kind")
  mkdir -p "$r"
  T tar --numeric-owner -xpf "$base" -C "$r"
  "layout-$kind.sh" "$r"
  T tar --numeric-owner --sort=name -C "$r" -cf "$tmp/$kind-layer.tar" .
  rm -rf "$r"
  T layer.sh "$tmp/$kind-layer.tar" "$tmp/$kind-layer"
  rm -f "$tmp/$kind-layer.tar"
  mkoci.sh "$name" "$dir/$kind.oci.tar" "$cfg" "$tmp/$kind-layer"
}
# OpenVox DB stand-in: Debian's puppetdb 7.12 (docs/image-contract-openvoxdb.md).
build_puppetdb() {
  db_image puppetdb localhost/openvox-test/puppetdb:7.12.1 \
    "$(jq -cn '{Entrypoint:["/usr/local/bin/openvoxdb-entrypoint"],User:"1001:0",
       Env:["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8","JAVA_ARGS=-Xmx256m"],
       ExposedPorts:{"8081/tcp":{}},WorkingDir:"/",
       Labels:{"org.opencontainers.image.description":"OpenVox DB stand-in: Debian puppetdb 7.12.1 in the AIO layout"}}')"
}
# PostgreSQL 15 for the e2e tests: one application database from POSTGRES_USER/PASSWORD/DB (files/postgresql-entrypoint).
build_postgresql() {
  db_image postgresql localhost/openvox-test/postgresql:15 \
    "$(jq -cn '{Entrypoint:["/usr/local/bin/postgresql-entrypoint"],User:"1001:0",
       Env:["PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin","LANG=C.UTF-8","PGDATA=/var/lib/postgresql/data/pgdata"],
       ExposedPorts:{"5432/tcp":{}},WorkingDir:"/",
       Labels:{"org.opencontainers.image.description":"PostgreSQL 15 (Debian postgresql-15) for the e2e tests"}}')"
}

# openvox-operator: three layers. base (Debian libc/libstdc++/CA bundle, cached in $dir), deps (node binary +
# production node_modules, cached per lock file), app (dist; rebuilt whenever the dist changes, < 1 MiB).
build_openvox-operator() {
  mkdir -p "$opdir"
  if [ ! -f "$dir/node-base.tar.gz" ]; then
    local base r="$tmp/node/root"; base=$(rootfs node)
    mkdir -p "$r" && tar --numeric-owner -xpf "$base" -C "$r" && layout-node.sh "$r"
    tar --numeric-owner --sort=name -C "$r" -cf "$tmp/node-base.tar" . && rm -rf "$r"
    T layer.sh "$tmp/node-base.tar" "$tmp/node-base"
    mv "$tmp/node-base.diffid" "$dir/node-base.diffid"; mv "$tmp/node-base.tar.gz" "$dir/node-base.tar.gz"
  fi
  local deps="$dir/operator-deps-$deps_key"
  if [ ! -f "$deps.tar.gz" ]; then
    local r="$tmp/deps/root"
    mkdir -p "$r/app" "$r/usr/local/bin"
    cp "$repo/package.json" "$repo/package-lock.json" "$r/app/"
    for w in shared webhook controller; do mkdir -p "$r/app/$w" && cp "$repo/$w/package.json" "$r/app/$w/"; done
    # The lock file names a test workspace too; npm ci needs its package.json to resolve the tree.
    mkdir -p "$tmp/deps/test" && cp "$repo/test/package.json" "$tmp/deps/test/" 2>/dev/null || true
    [ -f "$repo/test/package.json" ] && mkdir -p "$r/app/test" && cp "$repo/test/package.json" "$r/app/test/"
    log "npm ci --omit=dev (shared, webhook, controller)"
    T bash -c "cd '$r/app' && npm ci --omit=dev --no-audit --no-fund --prefer-offline --ignore-scripts \
                 -w shared -w webhook -w controller >&2"
    rm -rf "$r/app/test" "$r/app/node_modules/.package-lock.json"
    find "$r/app/node_modules" -name '*.md' -delete
    install -m 0755 "$(readlink -f "$repo/node_modules/node/bin/node")" "$r/usr/local/bin/node"
    install -m 0755 "$here/files/openvox-operator" "$r/usr/local/bin/openvox-operator"
    smalltar "$r" "$tmp/deps.tar"; T layer.sh "$tmp/deps.tar" "$tmp/deps"
    mv "$tmp/deps.diffid" "$deps.diffid"; mv "$tmp/deps.tar.gz" "$deps.tar.gz"
  fi
  local a="$tmp/app/root"
  mkdir -p "$a/app"
  for w in shared webhook controller; do
    mkdir -p "$a/app/$w" && (cd "$repo/$w" && find dist -type f ! -name '*.map' ! -name '*.tsbuildinfo' ! -name '*.d.ts' \
      -print0 | tar --null -T - -cf -) | tar -C "$a/app/$w" -xf -
  done
  smalltar "$a" "$tmp/app.tar"; layer.sh "$tmp/app.tar" "$tmp/app"
  mkoci.sh localhost/openvox-test/openvox-operator:dev "$opdir/openvox-operator.oci.tar" \
    '{"Entrypoint":["/usr/local/bin/openvox-operator"],"Cmd":["controller"],"User":"10001:10001","WorkingDir":"/app",
      "Env":["PATH=/usr/local/bin:/usr/bin:/bin","NODE_ENV=production"],"ExposedPorts":{"9443/tcp":{},"8080/tcp":{}}}' \
    "$dir/node-base" "$deps" "$tmp/app"
  touch "$opdir/.openvox-operator.complete"
  # Keep the three newest operator builds.
  ls -1dt "$dir"/operator-*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
}

build() {
  local i=$1 s=$SECONDS
  log "building $i"
  "build_$i"
  [ "$i" = openvox-operator ] || touch "$dir/.$i.complete"
  log "$i: $(( SECONDS - s )) s"
}

if [ "$what" != operator ]; then
  for i in "${base_images[@]}"; do [ -f "$dir/.$i.complete" ] || build "$i"; done
fi
if [ "$what" != base ]; then done_operator || build openvox-operator; fi
log "done: $(cd "$dir" && ls -1 ./*.oci.tar operator-*/*.oci.tar 2>/dev/null | xargs -r du -h | tr '\n' ' ')"
finish
