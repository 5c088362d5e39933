#!/usr/bin/env bash
# rootfs.sh KIND SUITE OUT_TAR
#   KIND=puppet: Debian SUITE minbase + puppetserver (which pulls puppet-agent and openjdk-17) + ca-certificates
#                + procps: the shared base layer of the openvox-server and openvox-agent images.
#   KIND=node:   just what the operator's Node binary needs (libc6, libgcc-s1, libstdc++6, ca-certificates, dash
#                for the entrypoint script), extracted without maintainer scripts (finished by layout-node.sh).
# Writes an uncompressed rootfs tarball (numeric owners, as in the packages). Needs root and mmdebstrap.
# Docs, man pages and locales go in a --customize-hook: a --dpkgopt path-exclude for /usr/share/man
# breaks openjdk-17's postinst (it creates alternatives for man pages).
set -euo pipefail
kind=$1 suite=$2 out=$3
mirrors=("deb http://deb.debian.org/debian $suite main"
         "deb http://deb.debian.org/debian $suite-updates main"
         "deb http://deb.debian.org/debian-security $suite-security main")
# One line on purpose: the hook runs as a shell script, where each new line is a new command.
strip='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* "$1"/usr/share/info/* "$1"/usr/share/lintian "$1"/usr/share/bug "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/log/*.log "$1"/var/log/apt/* "$1"/var/lib/dpkg/*-old "$1"/etc/machine-id && : > "$1"/etc/machine-id'
case $kind in
  puppet)
    mmdebstrap --variant=minbase --include=puppetserver,ca-certificates,procps \
      --aptopt='Acquire::Retries "3"' --aptopt='APT::Install-Recommends "false"' \
      --customize-hook="$strip" \
      --customize-hook='rm -rf "$1"/usr/lib/jvm/*/man "$1"/usr/lib/jvm/*/legal' \
      "$suite" "$out" "${mirrors[@]}" >&2
    ;;
  node)
    # extract: unpack only, no maintainer scripts and (mmdebstrap 1.3.5) no customize hooks: build.sh
    # strips it and adds /bin/sh, the CA bundle and passwd/group (layout-node.sh).
    mmdebstrap --variant=extract --include=libc6,libgcc-s1,libstdc++6,ca-certificates,dash \
      --aptopt='Acquire::Retries "3"' "$suite" "$out" "${mirrors[@]}" >&2
    ;;
  *) echo "rootfs.sh: unknown kind $kind" >&2; exit 64 ;;
esac
