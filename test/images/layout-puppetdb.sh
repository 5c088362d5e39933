#!/usr/bin/env bash
# layout-puppetdb.sh ROOT
# Turns an unpacked Debian puppetdb rootfs (rootfs-db.sh puppetdb) into the layout the operator's Database
# pods expect of an OpenVox DB image (docs/image-contract-openvoxdb.md): the AIO paths
# /etc/puppetlabs/puppetdb (bootstrap.cfg, logback.xml; conf.d is the pod's), the vardir
# /opt/puppetlabs/server/data/puppetdb and /var/log/puppetlabs as mount points, uid 1001 gid 0 able to read
# everything, and an entrypoint that runs the services in the foreground.
set -euo pipefail
r=$1 files=$(cd "$(dirname "$0")" && pwd)/files
[ -f "$r/usr/share/puppetdb/puppetdb.jar" ] || { echo "layout: $r is not a puppetdb rootfs" >&2; exit 1; }
pl=$r/etc/puppetlabs
mkdir -p "$pl"
# Debian's /etc/puppetdb becomes the AIO /etc/puppetlabs/puppetdb; its conf.d is emptied: the pod mounts
# the rendered files there, so nothing of Debian's (its 127.0.0.1-only jetty.ini, repl.ini) applies.
mv "$r/etc/puppetdb" "$pl/puppetdb"
ln -s puppetlabs/puppetdb "$r/etc/puppetdb"
rm -f "$pl/puppetdb/conf.d/"*
install -m 0644 "$files/openvoxdb-logback.xml" "$pl/puppetdb/logback.xml"
rm -f "$pl/puppetdb/request-logging.xml"
# The vardir (command queue, stockpile) and logs: emptyDirs in the pod.
mkdir -p "$r/opt/puppetlabs/server/data/puppetdb" "$r/opt/puppetlabs/server/apps" "$r/var/log/puppetlabs/puppetdb"
ln -s /usr/share/puppetdb "$r/opt/puppetlabs/server/apps/puppetdb"
rm -rf "$r/var/lib/puppetdb" "$r/var/log/puppetdb"
ln -s /opt/puppetlabs/server/data/puppetdb "$r/var/lib/puppetdb"
ln -s /var/log/puppetlabs/puppetdb "$r/var/log/puppetdb"
install -m 0755 "$files/openvoxdb-entrypoint" "$r/usr/local/bin/openvoxdb-entrypoint"
# The pod's user: uid 1001, gid 0; Debian's puppetdb account becomes it.
sed -i 's|^puppetdb:x:[0-9]*:[0-9]*:[^:]*:[^:]*:|puppetdb:x:1001:0:OpenVox DB:/opt/puppetlabs/server/data/puppetdb:|' "$r/etc/passwd"
rm -f "$r/var/lib/dpkg/statoverride" && : > "$r/var/lib/dpkg/statoverride"
dirs=("$pl" "$r/opt/puppetlabs" "$r/var/log/puppetlabs" "$r/usr/share/puppetdb")
chown -R -h 0:0 "${dirs[@]}"
chmod -R g+rX,o+rX "${dirs[@]}"
chmod -R go-w "$pl" "$r/usr/share/puppetdb"
# Writable for runs without emptyDirs (group 0).
chmod g+w "$r/opt/puppetlabs/server/data/puppetdb" "$r/var/log/puppetlabs" "$r/var/log/puppetlabs/puppetdb"
