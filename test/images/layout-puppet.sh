#!/usr/bin/env bash
# layout-puppet.sh ROOT
# Turns an unpacked Debian puppetserver/puppet-agent rootfs (rootfs.sh puppet) into the layout the
# operator's pods expect of an OpenVox image (docs/image-contract.md): the AIO paths under
# /etc/puppetlabs, /opt/puppetlabs and /var/log/puppetlabs as real directories, Debian's paths as
# symlinks into them, uid 1001 gid 0 able to read everything, the pod's mount points present.
set -euo pipefail
r=$1 files=$(cd "$(dirname "$0")" && pwd)/files
[ -x "$r/usr/bin/puppet" ] && [ -f "$r/usr/share/puppetserver/puppetserver.jar" ] || { echo "layout: $r is not a puppet rootfs" >&2; exit 1; }
pl=$r/etc/puppetlabs
mkdir -p "$pl"

# /etc/puppet (Debian confdir) -> /etc/puppetlabs/puppet; puppetserver and code one level up, as in AIO.
mv "$r/etc/puppet" "$pl/puppet"
ln -s puppetlabs/puppet "$r/etc/puppet"
mv "$pl/puppet/puppetserver" "$pl/puppetserver"
ln -s ../puppetserver "$pl/puppet/puppetserver"
rm -rf "$pl/puppet/code"
mkdir -p "$pl/code/environments/production/manifests" "$pl/code/environments/production/modules" "$pl/code/modules"
ln -s ../code "$pl/puppet/code"
install -m 0644 "$files/puppet.conf" "$pl/puppet/puppet.conf"
# Mount points: the ssl emptyDir, the CRL Secret directory (non-CA pods), the CA claim (CA pods).
mkdir -p "$pl/puppet/ssl" "$pl/puppet/crl" "$pl/puppetserver/ca"
# Files the image ships and the operator does not render.
printf 'global: {\n    logging-config: /etc/puppetlabs/puppetserver/logback.xml\n}\n' > "$pl/puppetserver/conf.d/global.conf"
sed -i 's|/etc/puppet/puppetserver|/etc/puppetlabs/puppetserver|g' \
  "$pl/puppetserver/conf.d/webserver.conf" "$pl/puppetserver/conf.d/puppetserver.conf" "$r/etc/default/puppetserver"
# Debian's default puppetserver.conf names Debian's dirs; the operator's replaces it in pods.
mkdir -p "$pl/facter" && install -m 0644 "$files/facter.conf" "$pl/facter/facter.conf"
rm -rf "$r/etc/facter" && ln -s puppetlabs/facter "$r/etc/facter"

# /opt/puppetlabs: the operator's puppetserver.conf names these JRuby paths.
op=$r/opt/puppetlabs
mkdir -p "$op/puppet/lib/ruby/vendor_gems" "$op/puppet/cache" "$op/server/data/puppetserver/jruby-gems" "$op/bin" \
  "$op/server/apps"
ln -s /usr/lib/puppetserver/ruby/vendor_ruby "$op/puppet/lib/ruby/vendor_ruby"
ln -s /usr/lib/puppetserver/vendored-jruby-gems "$op/server/data/puppetserver/vendored-jruby-gems"
ln -s /usr/share/puppetserver "$op/server/apps/puppetserver"
for b in puppet facter hiera puppetserver; do ln -s "/usr/bin/$b" "$op/bin/$b"; done
# Debian's own state dirs point at the AIO ones (Debian's run_mode hard-codes publicdir
# /var/cache/puppet/public for root, whatever vardir says; puppet chmods it to 0755 on every run).
rm -rf "$r/var/cache/puppet"; ln -s /opt/puppetlabs/puppet/cache "$r/var/cache/puppet"
mkdir -p "$pl/puppet/devices"
rm -rf "$r/var/lib/puppet/ssl"; ln -s /etc/puppetlabs/puppet/ssl "$r/var/lib/puppet/ssl"

# Writable mount points (emptyDirs in the pod), group 0 writable for runs without them.
mkdir -p "$r/var/log/puppetlabs/puppet" "$r/var/log/puppetlabs/puppetserver" "$r/run/puppetlabs" "$r/run/puppetserver/run"
install -m 0755 "$files/openvox-server-entrypoint" "$r/usr/local/bin/openvox-server-entrypoint"

# The pod's user: uid 1001, gid 0, no supplementary groups. Debian's `puppet` account becomes that uid
# (the name puppet's `user` setting expects); its home is an emptyDir.
old_uid=$(awk -F: '$1=="puppet"{print $3}' "$r/etc/passwd") old_gid=$(awk -F: '$1=="puppet"{print $3}' "$r/etc/group")
sed -i "s|^puppet:x:[0-9]*:[0-9]*:[^:]*:[^:]*:|puppet:x:1001:0:OpenVox Server:/run/puppetserver:|" "$r/etc/passwd"
[ -n "$old_uid" ] && find "$r" -xdev -uid "$old_uid" -exec chown -h 1001 {} +
[ -n "$old_gid" ] && find "$r" -xdev -gid "$old_gid" -exec chgrp -h 0 {} +
rm -f "$r/var/lib/dpkg/statoverride" && : > "$r/var/lib/dpkg/statoverride"
dirs=("$pl" "$op" "$r/var/log/puppetlabs" "$r/run/puppetlabs" "$r/run/puppetserver" "$r/var/lib/puppet" "$r/var/lib/puppetserver"
      "$r/var/log/puppetserver" "$r/usr/share/puppetserver")
for d in "${dirs[@]}"; do [ -e "$d" ] || mkdir -p "$d"; done
chown -R -h 0:0 "${dirs[@]}"
chmod -R g+rwX,o+rX "${dirs[@]}"
chmod -R g-w,o-w "$pl" "$op" "$r/usr/share/puppetserver"
chmod g+w "$pl/puppet/ssl" "$pl/puppetserver/ca" "$op/puppet/cache" "$op/server/data/puppetserver/jruby-gems"
# Settings puppet (as root) enforces on every run, which a read-only root refuses: deviceconfdir is
# 0750 owner service, group service (the puppet user and group).
chown 1001:"${old_gid:-0}" "$pl/puppet/devices"; chmod 0750 "$pl/puppet/devices"
