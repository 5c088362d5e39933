// tls-init: copies the signed certificate into the writable ssldir with the file names Puppet expects.
import type { V1Container } from '@kubernetes/client-node';
import {
  HELPER_MOUNT,
  OPENVOX_IMAGE_LAYOUT,
  SSLDIR_SUBDIRS,
  VOLUME,
  inHelperSsl,
  tlsInitCopies,
  type ServerLayout,
} from '../../contracts/pod-layout.js';

export const TLS_INIT_CONTAINER = 'tls-init';

export function tlsInitScript(layout: ServerLayout = OPENVOX_IMAGE_LAYOUT): string {
  return [
    'set -e',
    `mkdir -p ${SSLDIR_SUBDIRS.map((d) => `${HELPER_MOUNT.ssl}/${d}`).join(' ')}`,
    ...tlsInitCopies(layout).map(({ from, to }) => `cp ${from} ${to}`),
    `chmod 640 ${inHelperSsl(layout, layout.hostprivkey)}`,
  ].join('\n');
}

export interface TlsInitOptions {
  image: string;
  imagePullPolicy: string;
}

export function tlsInitContainer(options: TlsInitOptions): V1Container {
  return {
    name: TLS_INIT_CONTAINER,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy,
    command: ['sh', '-c', tlsInitScript()],
    volumeMounts: [
      { name: VOLUME.ssl, mountPath: HELPER_MOUNT.ssl },
      { name: VOLUME.sslCert, mountPath: HELPER_MOUNT.sslCert, readOnly: true },
      { name: VOLUME.sslCa, mountPath: HELPER_MOUNT.sslCa, readOnly: true },
    ],
  };
}
