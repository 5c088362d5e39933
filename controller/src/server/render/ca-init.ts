// Seeding the CA pod's cadir (`{ca}-data` claim) with the operator's CA. Without it, puppetserver's
// CA service would find an empty cadir and generate a CA of its own, so agents signed by the CA
// Server and Servers signed by the operator would not trust each other. The init container copies
// the CA from `{ca}-ca-key` and the CRL from `{ca}-ca-crl` once, when the claim has no ca_crt.pem;
// after that the CA service owns the directory (serial, inventory, signed certificates, revocations).
import type { V1Container } from '@kubernetes/client-node';
import { HELPER_MOUNT, VOLUME } from '../../contracts/pod-layout.js';
import { CA_CERT_KEY, CA_CRL_KEY, CA_KEY_KEY, CA_PUB_KEY } from '../../contracts/names.js';

/** POSIX sh; paths come from the environment, never from user input. */
export const CA_INIT_SCRIPT = [
  'set -eu',
  ': "${CA_DIR:?}" "${CA_KEY_DIR:?}" "${CA_CRL_DIR:?}"',
  'if [ -s "$CA_DIR/ca_crt.pem" ]; then echo "ca-init: $CA_DIR already holds a CA"; exit 0; fi',
  'umask 027',
  'mkdir -p "$CA_DIR/signed" "$CA_DIR/requests"',
  `cp "$CA_KEY_DIR/${CA_KEY_KEY}" "$CA_DIR/ca_key.pem"`,
  `cp "$CA_KEY_DIR/${CA_PUB_KEY}" "$CA_DIR/ca_pub.pem"`,
  `cp "$CA_CRL_DIR/${CA_CRL_KEY}" "$CA_DIR/ca_crl.pem"`,
  `cp "$CA_CRL_DIR/${CA_CRL_KEY}" "$CA_DIR/infra_crl.pem"`,
  ': > "$CA_DIR/inventory.txt"',
  ': > "$CA_DIR/infra_inventory.txt"',
  ': > "$CA_DIR/infra_serials"',
  // Puppet counts serials in hex from 1; the operator's own certificates use random 128-bit serials.
  'printf "0001" > "$CA_DIR/serial"',
  'chmod 0644 "$CA_DIR/ca_crl.pem" "$CA_DIR/infra_crl.pem" "$CA_DIR/ca_pub.pem"',
  // ca_crt.pem last: its presence marks a complete seed.
  `cp "$CA_KEY_DIR/${CA_CERT_KEY}" "$CA_DIR/ca_crt.pem.tmp" && chmod 0644 "$CA_DIR/ca_crt.pem.tmp" && mv "$CA_DIR/ca_crt.pem.tmp" "$CA_DIR/ca_crt.pem"`,
  'echo "ca-init: seeded $CA_DIR from the operator CA"',
].join('\n');

export interface CaInitOptions {
  image: string;
  imagePullPolicy?: string;
  /** Volume names as the Server pod declares them. */
  caDataVolume?: string;
  caKeyVolume?: string;
  caCrlVolume?: string;
}

export const CA_INIT_CONTAINER = 'ca-init';

/**
 * The init container for CA Server pods (before the server starts). The pod needs two more Secret
 * volumes: `{ca}-ca-key` (mode 0400/0440) and `{ca}-ca-crl`.
 */
export function caInitContainer(options: CaInitOptions): V1Container {
  return {
    name: CA_INIT_CONTAINER,
    image: options.image,
    ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
    command: ['/bin/sh', '-c', CA_INIT_SCRIPT],
    env: [
      { name: 'CA_DIR', value: HELPER_MOUNT.caData },
      { name: 'CA_KEY_DIR', value: HELPER_MOUNT.caKey },
      { name: 'CA_CRL_DIR', value: HELPER_MOUNT.caCrl },
    ],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [
      { name: options.caDataVolume ?? VOLUME.caData, mountPath: HELPER_MOUNT.caData },
      { name: options.caKeyVolume ?? VOLUME.caKey, mountPath: HELPER_MOUNT.caKey, readOnly: true },
      { name: options.caCrlVolume ?? VOLUME.crl, mountPath: HELPER_MOUNT.caCrl, readOnly: true },
    ],
  };
}
