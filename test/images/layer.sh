#!/usr/bin/env bash
# layer.sh IN_TAR OUT_PREFIX
# Compresses one uncompressed layer tarball into OUT_PREFIX.tar.gz and records its uncompressed digest
# (the OCI diff_id) in OUT_PREFIX.diffid, so an unchanged layer (e.g. a base rootfs) is compressed once
# and reused by several images. Writes through temp files: a killed run leaves no half layer behind.
set -euo pipefail
in=$1 out=$2
sha256sum "$in" | cut -d' ' -f1 > "$out.diffid.tmp"
gzip -1 -n -c "$in" > "$out.tar.gz.tmp"
mv "$out.tar.gz.tmp" "$out.tar.gz"; mv "$out.diffid.tmp" "$out.diffid"
