#!/usr/bin/env bash
# layout-node.sh ROOT
# Finishes an unpacked `rootfs.sh node` tree (mmdebstrap --variant=extract runs neither maintainer scripts
# nor customize hooks): /bin/sh, the CA bundle update-ca-certificates would write, passwd/group with the
# image's user 10001:10001 (as the Dockerfile and the chart), and no package-manager state, docs or locales.
set -euo pipefail
r=$1
ln -sfn dash "$r/bin/sh"
mkdir -p "$r/etc/ssl/certs" "$r/tmp" "$r/app" && chmod 1777 "$r/tmp"
cat "$r"/usr/share/ca-certificates/mozilla/*.crt > "$r/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/bin/sh\nopenvox:x:10001:10001:openvox:/app:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$r/etc/passwd"
printf 'root:x:0:\nopenvox:x:10001:\nnogroup:x:65534:\n' > "$r/etc/group"
rm -rf "$r"/usr/share/doc "$r"/usr/share/man "$r"/usr/share/locale "$r"/usr/share/info "$r"/usr/share/lintian \
  "$r"/var/lib/dpkg "$r"/var/cache/apt "$r"/var/lib/apt "$r"/etc/apt "$r"/var/cache/debconf "$r"/usr/share/perl5 \
  "$r"/usr/bin/dpkg* "$r"/usr/bin/debconf* "$r"/usr/share/debconf "$r"/usr/share/zoneinfo
