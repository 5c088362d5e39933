// The CertificateAuthority kind: the Puppet CA that signs Server and agent certificates.
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { Type, bool, conditions, coreType, observedGeneration, str, stringEnum, type Static } from './schema.js';
import type { KubeObject } from './meta.js';

export const CA_PHASES = ['Pending', 'Initializing', 'Ready', 'External', 'Error'] as const;

export const CertificateAuthoritySpec = Type.Object(
  {
    ttl: Type.Optional(str('Lifetime of the CA certificate, as <n><s|m|h|d|y>.', { default: '5y' })),
    allowSubjectAltNames: Type.Optional(
      bool('Allow subject alternative names in signed certificates.', { default: true }),
    ),
    allowAuthorizationExtensions: Type.Optional(
      bool('Allow authorization extensions in signed certificates.', { default: true }),
    ),
    enableInfraCRL: Type.Optional(
      bool(
        "Keep a separate CRL of infrastructure certificates (puppetserver's enable-infra-crl). Defaults to false (the Go operator: true), as in puppetserver itself: with it on, the CA Server's CRL endpoint serves only that CRL, which lists only the certnames in infra_inventory.txt, so the operator's CRL refresh never sees an agent's revocation and the non-CA Servers keep accepting a revoked agent.",
        { default: false },
      ),
    ),
    allowAutoRenewal: Type.Optional(bool('Let agents renew their certificates automatically.', { default: true })),
    autoRenewalCertTTL: Type.Optional(str('Lifetime of auto-renewed certificates.', { default: '90d' })),
    crlRefreshInterval: Type.Optional(str('How often the CRL Secret is refreshed.', { default: '5m' })),
    storage: Type.Optional(
      Type.Object(
        {
          size: Type.Optional(str('Size of the {name}-data PersistentVolumeClaim.', { default: '1Gi' })),
          storageClass: Type.Optional(str('StorageClass of the {name}-data claim; empty means the cluster default.')),
        },
        { description: 'Storage of the CA data volume. The claim is never deleted by the operator.' },
      ),
    ),
    resources: Type.Optional(
      coreType<V1ResourceRequirements>(
        'ResourceRequirements',
        'Requests and limits of the ca-init container that seeds the CA data volume in the CA Server pod (the Go operator: its CA setup Job). A resource named in neither gets the helper default.',
      ),
    ),
    intermediateCA: Type.Optional(
      Type.Object(
        {
          enabled: bool('Run this CA as an intermediate CA signed by an outside root. Required.', { default: false }),
          secretName: Type.Optional(str('Secret with ca.pem, key.pem and crl.pem of the intermediate CA.')),
        },
        { description: 'Intermediate CA mode. Accepted and validated; this version does not act on it yet.' },
      ),
    ),
    external: Type.Optional(
      Type.Object(
        {
          url: str('Base URL of the external Puppet CA, for example https://puppet-ca.example.com:8140. Required.'),
          caSecretRef: Type.Optional(str('Secret with ca_crt.pem of the external CA.')),
          tlsSecretRef: Type.Optional(str('Secret with tls.crt and tls.key for mutual TLS to the external CA.')),
          insecureSkipVerify: Type.Optional(
            bool('Skip TLS verification of the external CA (testing only).', { default: false }),
          ),
        },
        { description: 'Use an external CA instead of running one.' },
      ),
    ),
  },
  { description: 'Desired state of the CertificateAuthority.' },
);

export const CertificateAuthorityStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(CA_PHASES, 'Current lifecycle phase.')),
    caSecretName: Type.Optional(str('Secret that holds the CA certificate (ca_crt.pem).')),
    notAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Expiry of the CA certificate.' })),
    crlNumber: Type.Optional(
      Type.Integer({ format: 'int64', description: 'CRL number of the CRL published in the Secret {name}-ca-crl.' }),
    ),
    crlThisUpdate: Type.Optional(
      Type.String({ format: 'date-time', description: 'thisUpdate (issue time) of the published CRL.' }),
    ),
    conditions: Type.Optional(
      conditions(
        'Conditions CAReady and CRLSynced (True when the last CRL refresh from the CA Server succeeded and the published CRL is not behind it; False with the reason while it fails, retried with backoff).',
      ),
    ),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the CertificateAuthority, written by the controller.' },
);

export type CertificateAuthoritySpec = Static<typeof CertificateAuthoritySpec>;
export type CertificateAuthorityStatus = Static<typeof CertificateAuthorityStatus>;
export type CertificateAuthority = KubeObject<CertificateAuthoritySpec, CertificateAuthorityStatus>;
