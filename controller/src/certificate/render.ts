// The Secret `{cert}-tls` tls-init copies into the pod's ssldir: cert.pem, key.pem, ca_crt.pem.
import type { V1Secret } from '@kubernetes/client-node';
import {
  LABEL_CA,
  LABEL_CERTIFICATE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGER,
  type Certificate,
} from '@openvox/shared/runtime';
import { controllerReference } from '../kube/owner-reference.js';
import { CA_CERT_KEY, TLS_CERT_KEY, TLS_KEY_KEY, tlsSecretName } from './names.js';

export { tlsSecretName };

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  caCertPem: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function tlsSecret(cert: Certificate, material: TlsMaterial): V1Secret {
  const name = cert.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: tlsSecretName(name),
      namespace: cert.metadata.namespace,
      labels: {
        [LABEL_NAME]: 'openvox-server',
        [LABEL_MANAGED_BY]: MANAGER,
        [LABEL_CERTIFICATE]: name,
        [LABEL_CA]: cert.spec.authorityRef,
      },
      ownerReferences: [controllerReference('Certificate', cert.metadata)],
    },
    data: {
      [TLS_CERT_KEY]: b64(material.certPem),
      [TLS_KEY_KEY]: b64(material.keyPem),
      [CA_CERT_KEY]: b64(material.caCertPem),
    },
  };
}
