#!/usr/bin/env bash
# layout-postgresql.sh ROOT
# Turns an unpacked Debian postgresql-15 rootfs (rootfs-db.sh postgresql) into the test PostgreSQL image:
# the install-time cluster "main" removed (the entrypoint makes one in the claim), the LLVM JIT dropped
# (jit=off; 110 MiB), the server binaries on PATH, the `postgres` account as uid 1001 gid 0 (initdb needs a
# passwd entry for the running uid), /var/lib/postgresql/data as the claim's mount point.
set -euo pipefail
r=$1 files=$(cd "$(dirname "$0")" && pwd)/files
[ -x "$r/usr/lib/postgresql/15/bin/postgres" ] || { echo "layout: $r is not a postgresql-15 rootfs" >&2; exit 1; }
rm -rf "$r/var/lib/postgresql/15" "$r/etc/postgresql/15"
rm -rf "$r/usr/lib/postgresql/15/lib/bitcode" "$r/usr/lib/postgresql/15/lib/llvmjit"* "$r"/usr/lib/x86_64-linux-gnu/libLLVM-*
mkdir -p "$r/var/lib/postgresql/data"
install -m 0755 "$files/postgresql-entrypoint" "$r/usr/local/bin/postgresql-entrypoint"
sed -i 's|^postgres:x:[0-9]*:[0-9]*:[^:]*:[^:]*:[^:]*$|postgres:x:1001:0:PostgreSQL:/var/lib/postgresql:/bin/sh|' "$r/etc/passwd"
rm -f "$r/var/lib/dpkg/statoverride" && : > "$r/var/lib/dpkg/statoverride"
chown -R -h 0:0 "$r/var/lib/postgresql" "$r/var/run/postgresql" 2>/dev/null || true
chmod 0775 "$r/var/lib/postgresql" "$r/var/lib/postgresql/data"
