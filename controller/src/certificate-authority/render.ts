// Objects a CertificateAuthority owns: the public Secret `{ca}-ca`, the private `{ca}-ca-key`, the
// CRL `{ca}-ca-crl` and the data claim `{ca}-data`. Pure functions of the CA and PEM text. The
// claim carries no ownerReference: the operator never deletes CA data, not even through GC.
import type { V1ObjectMeta, V1PersistentVolumeClaim, V1Secret } from '@kubernetes/client-node';
import {
  publicKeyPem,
  LABEL_CA,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGER,
  type CertificateAuthority,
} from '@openvox/shared/runtime';
import {
  CA_CERT_KEY,
  CA_CRL_KEY,
  CA_KEY_KEY,
  CA_PUB_KEY,
  caDataClaimName,
  caKeySecretName,
  caPublicSecretName,
  crlSecretName,
} from './names.js';
import { controllerReference } from '../kube/owner-reference.js';

function labels(ca: CertificateAuthority): Record<string, string> {
  return { [LABEL_NAME]: 'openvox-server', [LABEL_MANAGED_BY]: MANAGER, [LABEL_CA]: ca.metadata.name! };
}

function meta(ca: CertificateAuthority, name: string, owned: boolean): V1ObjectMeta {
  return {
    name,
    namespace: ca.metadata.namespace,
    labels: labels(ca),
    ...(owned
      ? {
          ownerReferences: [controllerReference('CertificateAuthority', ca.metadata)],
        }
      : {}),
  };
}

const secret = (metadata: V1ObjectMeta, data: Record<string, string>): V1Secret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata,
  type: 'Opaque',
  // `data`, not `stringData`: stringData is write-only and would never compare equal on re-apply.
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
});

export function caCertSecret(ca: CertificateAuthority, certPem: string): V1Secret {
  return secret(meta(ca, caPublicSecretName(ca.metadata.name!), true), { [CA_CERT_KEY]: certPem });
}

/**
 * The CA private key, with its certificate so the CA can be restored from this Secret alone. Not
 * owned by the CA object, like the claim: deleting a CertificateAuthority by mistake must not
 * destroy the key every issued certificate chains to; re-creating it picks the key up again.
 */
export function caKeySecret(ca: CertificateAuthority, pem: { certPem: string; keyPem: string }): V1Secret {
  return secret(meta(ca, caKeySecretName(ca.metadata.name!), false), {
    [CA_CERT_KEY]: pem.certPem,
    [CA_KEY_KEY]: pem.keyPem,
    // Puppet's cadir keeps the public key too; a CA pod can seed its cadir from this Secret alone.
    [CA_PUB_KEY]: publicKeyPem(pem.keyPem),
  });
}

export function caCrlSecret(ca: CertificateAuthority, crlPem: string): V1Secret {
  return secret(meta(ca, crlSecretName(ca.metadata.name!), true), { [CA_CRL_KEY]: crlPem });
}

export function caDataClaim(ca: CertificateAuthority): V1PersistentVolumeClaim {
  const storage = ca.spec.storage ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(ca, caDataClaimName(ca.metadata.name!), false),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: storage.size || '1Gi' } },
      ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
    },
  };
}
