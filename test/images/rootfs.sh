#!/usr/bin/env bash
# rootfs.sh KIND SUITE OUT_TAR
#   KIND=puppet: Debian SUITE minbase + puppetserver (which pulls puppet-agent and openjdk-17) + ca-certificates
#                + procps: the shared base layer of the openvox-server and openvox-agent images.
#   KIND=node:   just what the operator's Node binary needs (libc6, libgcc-s1, libstdc++6, CA bundle, dash for
#                the entrypoint script), extracted without maintainer scripts.
# Writes an uncompressed rootfs tarball (numeric owners, as in the packages). Needs root and mmdebstrap.
# Docs, man pages and locales go in a --customize-hook: a --dpkgopt path-exclude for /usr/share/man
# breaks openjdk-17's postinst (it creates alternatives for man pages).
set -euo pipefail
kind=$1 suite=$2 out=$3
mirrors=("deb http://deb.debian.org/debian $suite main"
         "deb http://deb.debian.org/debian $suite-updates main"
         "deb http://deb.debian.org/debian-security $suite-security main")
strip='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* "$1"/usr/share/info/*
  "$1"/usr/share/lintian "$1"/usr/share/bug "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old
  "$1"/var/log/*.log "$1"/var/log/apt/* "$1"/var/lib/dpkg/*-old "$1"/etc/machine-id; : > "$1"/etc/machine-id'
case $kind in
  puppet)
    mmdebstrap --variant=minbase --include=puppetserver,ca-certificates,procps \
      --aptopt='Acquire::Retries "3"' --aptopt='APT::Install-Recommends "false"' \
      --customize-hook="$strip" \
      --customize-hook='rm -rf "$1"/usr/lib/jvm/*/man "$1"/usr/lib/jvm/*/legal' \
      "$suite" "$out" "${mirrors[@]}" >&2
    ;;
  node)
    # extract: unpack only, no dpkg/apt/perl in the result. /bin/sh and the CA bundle are made by hand
    # (dash's and ca-certificates' maintainer scripts do not run).
    mmdebstrap --variant=extract --include=libc6,libgcc-s1,libstdc++6,ca-certificates,dash \
      --aptopt='Acquire::Retries "3"' \
      --customize-hook="$strip" \
      --customize-hook='ln -sf dash "$1"/bin/sh
        mkdir -p "$1"/etc/ssl/certs "$1"/tmp && chmod 1777 "$1"/tmp
        cat "$1"/usr/share/ca-certificates/mozilla/*.crt > "$1"/etc/ssl/certs/ca-certificates.crt
        rm -rf "$1"/var/lib/dpkg "$1"/var/cache/apt "$1"/var/lib/apt "$1"/etc/apt
        printf "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n" > "$1"/etc/passwd
        printf "root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n" > "$1"/etc/group' \
      "$suite" "$out" "${mirrors[@]}" >&2
    ;;
  *) echo "rootfs.sh: unknown kind $kind" >&2; exit 64 ;;
esac
