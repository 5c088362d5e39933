#!/usr/bin/env bash
# Installs the Debian packages the local node needs when any is missing: runc and the CNI plugins (the
# runtime's parts not built from Go modules), iptables/iproute2/conntrack (kubelet, kube-proxy, CNI),
# mmdebstrap/jq/busybox-static/gcc (test/images/build.sh), and tmux (test/e2e/start-screen.test.ts runs
# `npm start` on its pseudo-terminal). Idempotent; needs root and apt.
set -euo pipefail
packages=(runc containernetworking-plugins iptables iproute2 conntrack ethtool kmod mount procps
  mmdebstrap jq busybox-static gcc libc6-dev tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-node-packages.sh: must run as root to install: ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
