#!/usr/bin/env bash
# rootfs-db.sh KIND SUITE OUT_TAR
#   KIND=puppetdb:   Debian SUITE minbase + puppetdb (7.12 in bookworm; pulls openjdk-17 and its Clojure
#                    libraries) + dbconfig-no-thanks (no database set-up at install) + curl (the pod's exec
#                    probes) + ca-certificates: the base of the OpenVox DB stand-in image.
#   KIND=postgresql: Debian SUITE minbase + postgresql-15 (contrib extensions such as pg_trgm included) +
#                    openssl (the entrypoint's self-signed server certificate).
# Kept apart from rootfs.sh: build.sh keys each cached rootfs on the script that made it, so adding these
# kinds does not rebuild the puppet rootfs. Writes an uncompressed rootfs tarball. Needs root and mmdebstrap.
set -euo pipefail
kind=$1 suite=$2 out=$3
mirrors=("deb http://deb.debian.org/debian $suite main"
         "deb http://deb.debian.org/debian $suite-updates main"
         "deb http://deb.debian.org/debian-security $suite-security main")
# One line on purpose: the hook runs as a shell script, where each new line is a new command.
strip='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* "$1"/usr/share/info/* "$1"/usr/share/lintian "$1"/usr/share/bug "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/log/*.log "$1"/var/log/apt/* "$1"/var/lib/dpkg/*-old "$1"/etc/machine-id && : > "$1"/etc/machine-id'
case $kind in
  puppetdb) include=puppetdb,dbconfig-no-thanks,curl,ca-certificates ;;
  # postgresql-common creates a cluster "main" at install; layout-postgresql.sh removes it (the entrypoint
  # makes its own in the claim).
  postgresql) include=postgresql-15,openssl ;;
  *) echo "rootfs-db.sh: unknown kind $kind" >&2; exit 64 ;;
esac
mmdebstrap --variant=minbase --include="$include" \
  --aptopt='Acquire::Retries "3"' --aptopt='APT::Install-Recommends "false"' \
  --customize-hook="$strip" \
  --customize-hook='rm -rf "$1"/usr/lib/jvm/*/man "$1"/usr/lib/jvm/*/legal' \
  "$suite" "$out" "${mirrors[@]}" >&2
