#!/usr/bin/env bash
# Installs Debian's puppet-agent (7.23) if it is missing: its Ruby runs the operator's autosign script in
# controller/src/signing-policy/autosign-script.test.ts, as the CA pods' Ruby does. (Puppet servers and
# agents themselves run as pods from the images test/images builds.)
# Needs root and the Debian archive (bookworm + bookworm-security). Idempotent: exits 0 at once when the
# package is already installed. Recipe: docs/puppetserver.md.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if installed puppet-agent; then
  echo "puppet-agent already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: must run as root to install puppet-agent" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends puppet-agent
dpkg-query -W puppet-agent
