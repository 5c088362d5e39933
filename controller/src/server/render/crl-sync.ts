// CRL refresh on non-CA pods. puppetserver 7 watches the directory of ssl-crl-path but compares
// event paths with the CRL's canonical path as resolved at start-up; a Secret volume's atomic
// symlink swap changes that canonical path, so a revoked certificate would keep working until a
// restart (docs/puppetserver.md; a revocation on real pods: test/e2e/chart-pods.test.ts).
//
// So webserver.conf points ssl-crl-path at a regular file in the ssl emptyDir, and this native
// sidecar (an init container with restartPolicy Always) keeps that file equal to the `{ca}-ca-crl`
// Secret: it copies once before the server starts (its startupProbe holds the main container back
// until the file exists) and again whenever the Secret content changes. Each update is written to a
// temporary file in the same directory and renamed over the target, so puppetserver never reads a
// half-written CRL and its watcher sees an event on the watched path.
import type { V1Container } from '@kubernetes/client-node';
import { crlSyncPaths, HELPER_MOUNT, OPENVOX_IMAGE_LAYOUT, VOLUME } from '../../contracts/pod-layout.js';

/** POSIX sh; paths come from the environment, never from user input. */
export const CRL_SYNC_SCRIPT = [
  'set -eu',
  ': "${CRL_SOURCE:?}" "${CRL_TARGET:?}" "${CRL_SYNC_INTERVAL:=10}"',
  'sync_once() {',
  '  [ -s "$CRL_SOURCE" ] || return 0',
  '  if [ ! -f "$CRL_TARGET" ] || ! cmp -s "$CRL_SOURCE" "$CRL_TARGET"; then',
  '    if cp "$CRL_SOURCE" "$CRL_TARGET.tmp" && chmod 0644 "$CRL_TARGET.tmp" && mv -f "$CRL_TARGET.tmp" "$CRL_TARGET"; then',
  '      echo "crl-sync: updated $CRL_TARGET"',
  '    else',
  '      echo "crl-sync: could not update $CRL_TARGET, retrying" >&2',
  '    fi',
  '  fi',
  '}',
  'trap "exit 0" TERM INT',
  'while :; do sync_once; sleep "$CRL_SYNC_INTERVAL" & wait $!; done',
].join('\n');

export interface CrlSyncOptions {
  image: string;
  imagePullPolicy?: string;
  /** Volume names as the Server pod declares them. */
  sslVolume?: string;
  crlVolume?: string;
  intervalSeconds?: number;
}

export const CRL_SYNC_CONTAINER = 'crl-sync';

/** The sidecar for non-CA Server pods; list it in initContainers after tls-init. */
export function crlSyncContainer(options: CrlSyncOptions): V1Container {
  const { source, target } = crlSyncPaths(OPENVOX_IMAGE_LAYOUT);
  return {
    name: CRL_SYNC_CONTAINER,
    image: options.image,
    ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
    restartPolicy: 'Always',
    command: ['/bin/sh', '-c', CRL_SYNC_SCRIPT],
    env: [
      { name: 'CRL_SOURCE', value: source },
      { name: 'CRL_TARGET', value: target },
      { name: 'CRL_SYNC_INTERVAL', value: String(options.intervalSeconds ?? 10) },
    ],
    startupProbe: { exec: { command: ['test', '-s', target] }, periodSeconds: 1, failureThreshold: 120 },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: options.sslVolume ?? VOLUME.ssl, mountPath: HELPER_MOUNT.ssl },
      // A directory mount (no subPath) so the kubelet keeps it current.
      { name: options.crlVolume ?? VOLUME.crl, mountPath: HELPER_MOUNT.crl, readOnly: true },
    ],
  };
}
