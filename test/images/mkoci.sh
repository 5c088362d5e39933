#!/usr/bin/env bash
# mkoci.sh NAME OUT_TAR CONFIG_JSON LAYER_PREFIX...
#   NAME: full image name, e.g. localhost/openvox-test/busybox:1.35 (the io.containerd.image.name annotation)
#   CONFIG_JSON: the image "config" object, e.g. '{"Entrypoint":["/pause"],"User":"65535:65535"}'
#   LAYER_PREFIX: one per layer, bottom first, each made by layer.sh (PREFIX.tar.gz + PREFIX.diffid)
# Writes an OCI image-layout tarball importable with `ctr -n k8s.io images import OUT_TAR`.
set -euo pipefail
name=$1 out=$2 cfg=$3; shift 3
[ $# -ge 1 ] || { echo "mkoci.sh: no layers" >&2; exit 64; }
d=$(mktemp -d "${out}.XXXXXX"); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/blobs/sha256"
diffs='[]' layers='[]'
for p in "$@"; do
  diff=$(cat "$p.diffid")
  dig=$(sha256sum "$p.tar.gz" | cut -d' ' -f1); size=$(stat -c %s "$p.tar.gz")
  # A hard link when possible: the layer blob is not copied.
  ln -f "$p.tar.gz" "$d/blobs/sha256/$dig" 2>/dev/null || cp "$p.tar.gz" "$d/blobs/sha256/$dig"
  diffs=$(jq -c --arg x "sha256:$diff" '. + [$x]' <<<"$diffs")
  layers=$(jq -c --arg x "sha256:$dig" --argjson s "$size" \
    '. + [{mediaType:"application/vnd.oci.image.layer.v1.tar+gzip",digest:$x,size:$s}]' <<<"$layers")
done
blob() { local dg; dg=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$d/blobs/sha256/$dg"; echo "$dg"; }
jq -cn --argjson c "$cfg" --argjson diffs "$diffs" \
  '{architecture:"amd64",os:"linux",config:$c,rootfs:{type:"layers",diff_ids:$diffs}}' > "$d/config.json"
csize=$(stat -c %s "$d/config.json"); cdig=$(blob "$d/config.json")
jq -cn --arg cd "sha256:$cdig" --argjson cs "$csize" --argjson layers "$layers" \
  '{schemaVersion:2,mediaType:"application/vnd.oci.image.manifest.v1+json",
    config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$cd,size:$cs},layers:$layers}' > "$d/m.json"
msize=$(stat -c %s "$d/m.json"); mdig=$(blob "$d/m.json")
jq -cn --arg md "sha256:$mdig" --argjson ms "$msize" --arg n "$name" --arg t "${name##*:}" \
  '{schemaVersion:2,mediaType:"application/vnd.oci.image.index.v1+json",
    manifests:[{mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$md,size:$ms,
      annotations:{"io.containerd.image.name":$n,"org.opencontainers.image.ref.name":$t}}]}' > "$d/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$d/oci-layout"
tar -C "$d" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
echo "mkoci: $out: $name, $# layer(s), $(numfmt --to=iec "$(stat -c %s "$out")")" >&2
