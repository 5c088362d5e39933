#!/usr/bin/env bash
# Installs Debian's puppetserver (7.9.5) and puppet-agent (7.23) if they are missing.
# Needs root and the Debian archive (bookworm + bookworm-security). Idempotent: exits 0 at once
# when both packages are already installed. Recipe: docs/puppetserver.md.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if installed puppetserver && installed puppet-agent; then
  echo "puppetserver and puppet-agent already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: must run as root to install puppetserver and puppet-agent" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends puppetserver puppet-agent
dpkg-query -W puppetserver puppet-agent
