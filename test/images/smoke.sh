#!/usr/bin/env bash
# Proves the stand-in images work without a kubelet: unpacks openvox-server, openvox-agent and code from
# their OCI tarballs and runs them the way the operator's Server pod would, in a private mount + network +
# PID namespace (unshare) with chroot and setpriv:
#   - root filesystems bind-mounted read-only; the pod's emptyDirs as tmpfs; the operator's rendered
#     ConfigMap files (render-config.mjs on examples/config.yaml) bind-mounted read-only at the pod's subPaths;
#     Secrets (server certificate, CA, CRL from a throwaway openssl CA) as read-only directories;
#   - tls-init, crl-sync (once, as the sidecar would before the server starts) and ca-init scripts from the
#     operator's code, run in the server image as uid 1001 gid 0, no capabilities, no new privileges;
#   - the entrypoint as uid 1001 gid 0 with the operator's JAVA_ARGS; /status/v1/simple must answer
#     `running` over https on the namespace's loopback;
#   - `puppet agent -t` from the agent image (root, read-only root, ssl emptyDir) must apply the catalog
#     from the code image (exit 2, "catalog from the code image for agent1").
# Everything lives in one temp dir and one namespace: on exit no mount and no process is left.
# Usage: test/images/smoke.sh   (root; after `npm ci && npm run build`; builds the images if needed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "smoke: needs root" >&2; exit 1; }
log() { echo "smoke: $(date +%T) $*" >&2; }
images=$("$here/build.sh" | tail -1)
tmp=$(mktemp -d /tmp/openvox-smoke.XXXXXX)
ns_pid=
cleanup() {
  [ -n "$ns_pid" ] && kill -TERM "$ns_pid" 2>/dev/null && wait "$ns_pid" 2>/dev/null || true
  if grep -q " $tmp" /proc/mounts; then echo "smoke: mounts left under $tmp:" >&2; grep " $tmp" /proc/mounts >&2; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"

unpack() { # OCI_TAR DEST: applies the image's layers in order (plain tar; these images have no whiteouts)
  local oci=$1 dest=$2 x="$tmp/oci.$$" m l
  mkdir -p "$x" "$dest"; tar -C "$x" -xf "$oci"
  m=$(jq -r '.manifests[0].digest' "$x/index.json" | cut -d: -f2)
  for l in $(jq -r '.layers[].digest' "$x/blobs/sha256/$m" | cut -d: -f2); do
    tar --numeric-owner -xpzf "$x/blobs/sha256/$l" -C "$dest"
  done
  rm -rf "$x"
}
s=$SECONDS
unpack "$images/openvox-server.oci.tar" "$tmp/server"
unpack "$images/openvox-agent.oci.tar" "$tmp/agent"
unpack "$images/code.oci.tar" "$tmp/code"
log "unpacked openvox-server, openvox-agent, code in $(( SECONDS - s )) s ($(du -sh "$tmp/server" | cut -f1) server rootfs)"

# The operator's ConfigMap data, and the Secrets a pod mounts (0640 root:root, as the kubelet writes them).
node "$here/render-config.mjs" "$tmp/pod/config" >&2
p="$tmp/pki"; mkdir -p "$p"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$p/ca_key.pem" -out "$p/ca_crt.pem" -days 2 -subj "/CN=Smoke CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl pkey -in "$p/ca_key.pem" -pubout -out "$p/ca_pub.pem"
leaf() { # CN EXT...
  local cn=$1; shift
  openssl req -new -newkey rsa:2048 -nodes -keyout "$p/$cn.key" -subj "/CN=$cn" -out "$p/$cn.csr" 2>/dev/null
  openssl x509 -req -in "$p/$cn.csr" -CA "$p/ca_crt.pem" -CAkey "$p/ca_key.pem" -CAcreateserial -days 2 \
    -out "$p/$cn.pem" -extfile <(printf '%s\n' "$@") 2>/dev/null
}
leaf puppet "subjectAltName=DNS:puppet,DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth,clientAuth"
leaf agent1 "extendedKeyUsage=clientAuth"
printf '[ca]\ndefault_ca=c\n[c]\ndatabase=%s/index.txt\ncrlnumber=%s/crlnumber\ndefault_md=sha256\ndefault_crl_days=2\n' "$p" "$p" > "$p/ca.cnf"
: > "$p/index.txt"; echo 01 > "$p/crlnumber"
openssl ca -config "$p/ca.cnf" -gencrl -keyfile "$p/ca_key.pem" -cert "$p/ca_crt.pem" -out "$p/ca_crl.pem" 2>/dev/null
secret() { local d=$1; shift; mkdir -p "$d"; install -m 0640 "$@" "$d/"; }
secret "$tmp/pod/ssl-cert" /dev/null; cp "$p/puppet.pem" "$tmp/pod/ssl-cert/cert.pem"; cp "$p/puppet.key" "$tmp/pod/ssl-cert/key.pem"
secret "$tmp/pod/ssl-ca" "$p/ca_crt.pem"
secret "$tmp/pod/crl" "$p/ca_crl.pem"
secret "$tmp/pod/ca-key" "$p/ca_crt.pem" "$p/ca_key.pem" "$p/ca_pub.pem"
chmod 0640 "$tmp"/pod/ssl-cert/*; rm -f "$tmp/pod/ssl-cert/null"
printf '127.0.0.1\tlocalhost puppet\n' > "$tmp/pod/hosts"

# The agent's ssldir content (an agent pod would get it from its own Secret or a CSR).
mkdir -p "$tmp/pod/agent-ssl/certs" "$tmp/pod/agent-ssl/private_keys"
cp "$p/agent1.pem" "$tmp/pod/agent-ssl/certs/agent1.pem"; cp "$p/ca_crt.pem" "$tmp/pod/agent-ssl/certs/ca.pem"
cp "$p/ca_crl.pem" "$tmp/pod/agent-ssl/crl.pem"; install -m 0600 "$p/agent1.key" "$tmp/pod/agent-ssl/private_keys/agent1.pem"

# Inside the namespace. $1=tmp. Prints results on stdout.
cat > "$tmp/ns.sh" <<'NS'
set -euo pipefail
t=$1 S=$1/server A=$1/agent P=$1/pod
log() { echo "smoke[ns]: $(date +%T) $*" >&2; }
el() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
mount --make-rprivate /
ip link set lo up
# Containers' mount points (runc creates missing ones before the root goes read-only).
mkdir -p "$S/ssl" "$S/ssl-cert" "$S/ssl-ca" "$S/crl" "$S/ca" "$S/ca-key"
for f in puppetdb.conf; do [ -e "$S/etc/puppetlabs/puppet/$f" ] || : > "$S/etc/puppetlabs/puppet/$f"; done
for f in product.conf; do [ -e "$S/etc/puppetlabs/puppetserver/conf.d/$f" ] || : > "$S/etc/puppetlabs/puppetserver/conf.d/$f"; done
for r in "$S" "$A"; do
  mount --bind "$r" "$r"
  mount -t proc proc "$r/proc"
  mount -t sysfs -o ro sysfs "$r/sys"
  mount -t tmpfs -o mode=0755,size=1m dev "$r/dev"
  for d in null zero random urandom full tty; do : > "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
  [ -e "$r/etc/hosts" ] || : > "$r/etc/hosts"   # the kubelet mounts /etc/hosts into every container
  mount --bind -o ro "$P/hosts" "$r/etc/hosts"
  # emptyDirs (mode 0777, as the kubelet makes them)
  for d in /etc/puppetlabs/puppet/ssl /run/puppetserver /opt/puppetlabs/puppet/cache /run/puppetlabs /tmp /var/log/puppetlabs; do
    mount -t tmpfs -o mode=0777,size=256m emptydir "$r$d"
  done
done
# Server pod: ConfigMap items (subPath, read-only), Secret directories, the code image volume.
cm() { mount --bind -o ro "$P/config/$1" "$S$2"; }
cm puppet.conf /etc/puppetlabs/puppet/puppet.conf
cm puppetdb.conf /etc/puppetlabs/puppet/puppetdb.conf
for k in puppetserver webserver product auth ca metrics; do cm $k.conf /etc/puppetlabs/puppetserver/conf.d/$k.conf; done
cm ca-disabled.cfg /etc/puppetlabs/puppetserver/services.d/ca.cfg
cm logback.xml /etc/puppetlabs/puppetserver/logback.xml
mount --bind -o ro "$P/crl" "$S/etc/puppetlabs/puppet/crl"
mount --bind -o ro "$t/code" "$S/etc/puppetlabs/code/environments"
# The helper containers' own mounts of the same volumes.
mount --bind "$S/etc/puppetlabs/puppet/ssl" "$S/ssl"
mount --bind -o ro "$P/ssl-cert" "$S/ssl-cert"; mount --bind -o ro "$P/ssl-ca" "$S/ssl-ca"; mount --bind -o ro "$P/crl" "$S/crl"
mount --bind -o ro "$P/ca-key" "$S/ca-key"; mount -t tmpfs -o mode=0777 ca-data "$S/ca"
# readOnlyRootFilesystem
mount -o remount,bind,ro "$S"; mount -o remount,bind,ro "$A"
as_pod() { # the pod's securityContext: runAsUser 1001, runAsGroup 0, no supplementary groups, drop ALL, no new privs
  chroot "$S" /usr/bin/setpriv --reuid=1001 --regid=0 --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- \
    /usr/bin/env -i PATH=/opt/puppetlabs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    HOME=/run/puppetserver HOSTNAME=smoke-server "$@"
}
if touch "$S/etc/rofs-check" 2>/dev/null; then log "root filesystem is writable"; exit 1; fi
echo "readOnlyRootFilesystem: touch /etc/rofs-check refused"
as_pod sh -c "$TLS_INIT"; echo "tls-init: rc=0, ssl: $(cd "$S/ssl" && find . -type f | sort | tr '\n' ' ')"
as_pod env CRL_SOURCE=/crl/ca_crl.pem CRL_TARGET=/ssl/crl.pem CRL_SYNC_INTERVAL=1 timeout 3 /bin/sh -c "$CRL_SYNC" || [ $? = 124 ]
echo "crl-sync: $(as_pod test -s /ssl/crl.pem && echo /ssl/crl.pem present)"
as_pod env CA_DIR=/ca CA_KEY_DIR=/ca-key CA_CRL_DIR=/crl /bin/sh -c "$CA_INIT"
echo "ca-init: $(cd "$S/ca" && ls | tr '\n' ' ')"
started=$(date +%s.%N)
as_pod env JAVA_ARGS="$JAVA_ARGS" /usr/local/bin/openvox-server-entrypoint > "$t/server.log" 2>&1 &
srv=$!
status=
for _ in $(seq 1 400); do   # ~7-20 min budget: starts take 20-230 s on a loaded 2-core VM
  status=$(curl -sk --max-time 2 https://127.0.0.1:8140/status/v1/simple || true)
  [ "$status" = running ] && break
  kill -0 $srv 2>/dev/null || { log "server exited"; tail -40 "$t/server.log" >&2; exit 1; }
  sleep 1
done
[ "$status" = running ] || { tail -40 "$t/server.log" >&2; exit 1; }
java=$(pgrep -f puppetserver.jar | head -1)
printf 'server: /status/v1/simple = %s after %.1f s; java uid/gid %s; VmRSS %s\n' "$status" \
  "$(el "$started")" "$(ps -o uid=,gid= -p "$java" | xargs)" "$(awk '/VmRSS/{print $2 $3}' /proc/$java/status)"
echo "server: curl -sk https://127.0.0.1:8140/status/v1/simple -> $(curl -sk https://127.0.0.1:8140/status/v1/simple)"
# Agent pod: ssl emptyDir with its certificate, read-only root, as root (agents run puppet as root).
cp -r "$P/agent-ssl/." "$A/etc/puppetlabs/puppet/ssl/"
set +e
a0=$(date +%s.%N)
chroot "$A" /usr/bin/env -i PATH=/opt/puppetlabs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  HOME=/root HOSTNAME=smoke-agent puppet agent -t --server puppet --certname agent1 --color=false > "$t/agent.log" 2>&1
rc=$?
set -e
printf 'agent: puppet agent -t --server puppet --certname agent1 -> exit %s in %.1f s\n' "$rc" "$(el "$a0")"
grep -E 'Notice|Error|Warning' "$t/agent.log" | sed 's/^/agent:   /'
printf 'server: java VmRSS %s, VmHWM %s after the agent run\n' "$(awk '/VmRSS/{print $2 $3}' /proc/$java/status)" "$(awk '/VmHWM/{print $2 $3}' /proc/$java/status)"
s0=$(date +%s.%N); kill -TERM "$java"; src=0; wait $srv || src=$?
printf 'server: SIGTERM -> exit %s in %.1f s\n' "$src" "$(el "$s0")"
grep -c -E ' (ERROR|WARN) ' "$t/server.log" | sed 's/^/server: ERROR+WARN log lines: /'
grep -E ' (ERROR|WARN) ' "$t/server.log" | cut -c1-220 | sed 's/^/server:   /' | head -10
[ "$rc" = 2 ] && grep -q 'catalog from the code image for agent1' "$t/agent.log"
NS
# The operator's own helper scripts, from its compiled code.
eval "$(cd "$repo" && node --input-type=module -e "
const q = (s) => \"'\" + s.replaceAll(\"'\", \"'\\\\''\") + \"'\";
const { CA_INIT_SCRIPT } = await import('./controller/dist/certificate-authority/ca-init.js');
const { CRL_SYNC_SCRIPT } = await import('./controller/dist/certificate-authority/crl-sync.js');
const { javaArgs } = await import('./controller/dist/server/render.js');
console.log('export CA_INIT=' + q(CA_INIT_SCRIPT));
console.log('export CRL_SYNC=' + q(CRL_SYNC_SCRIPT));
console.log('export JAVA_ARGS=' + q(javaArgs({ metadata: { name: 's' }, spec: {} })));
")"
export TLS_INIT="$(cd "$repo" && node --input-type=module -e "
import { readFileSync } from 'node:fs';
const src = readFileSync('./controller/dist/server/render.js', 'utf8');
const m = /const TLS_INIT_SCRIPT = (\[[\s\S]*?\])\.join/.exec(src);
console.log(eval(m[1]).join('\n'));
")"
log "starting the pod namespace (JAVA_ARGS=$JAVA_ARGS)"
unshare --mount --net --pid --fork --mount-proc bash "$tmp/ns.sh" "$tmp" &
ns_pid=$!
set +e; wait "$ns_pid"; rc=$?; set -e; ns_pid=
if [ "$rc" != 0 ]; then log "FAILED (rc=$rc); server log tail:"; tail -30 "$tmp/server.log" >&2 || true; tail -30 "$tmp/agent.log" >&2 || true; exit 1; fi
log "PASS"
