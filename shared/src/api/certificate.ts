// The Certificate kind: a server certificate signed by a CertificateAuthority.
import {
  Type,
  bool,
  conditions,
  observedGeneration,
  str,
  stringEnum,
  stringList,
  stringMap,
  type Static,
} from './schema.js';
import type { KubeObject } from './meta.js';

export const CERTIFICATE_PHASES = [
  'Pending',
  'Requesting',
  'WaitingForSigning',
  'Signed',
  'Renewing',
  'Error',
] as const;

export const CertificateSpec = Type.Object(
  {
    authorityRef: str('Name of the CertificateAuthority (same namespace) that signs this certificate. Required.'),
    certname: Type.Optional(
      str(
        "Puppet certname: the certificate common name. Unique among the Certificates of one CertificateAuthority (a second one is refused, naming the first). Defaults to the Certificate's name (set at admission; an update that drops it keeps the stored value).",
      ),
    ),
    dnsAltNames: Type.Optional(stringList('Extra DNS subject alternative names.')),
    renewBefore: Type.Optional(str('Renew this long before expiry, as <n><s|m|h|d|y>.', { default: '60d' })),
    csrExtensions: Type.Optional(
      Type.Object(
        {
          ppCliAuth: Type.Optional(bool('Request the pp_cli_auth extension.', { default: false })),
          ppRole: Type.Optional(str('pp_role extension value.')),
          ppEnvironment: Type.Optional(str('pp_environment extension value.')),
          customExtensions: Type.Optional(stringMap('Other Puppet extensions by short name.')),
        },
        { description: 'Puppet certificate extensions requested in the CSR.' },
      ),
    ),
  },
  { description: 'Desired state of the Certificate.' },
);

export const CertificateStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(CERTIFICATE_PHASES, 'Current lifecycle phase.')),
    secretName: Type.Optional(str('Secret ({name}-tls) with cert.pem, key.pem and ca_crt.pem, set once signed.')),
    notAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Expiry of the signed certificate.' })),
    conditions: Type.Optional(conditions('Condition CertSigned.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the Certificate, written by the controller.' },
);

export type CertificateSpec = Static<typeof CertificateSpec>;
export type CertificateStatus = Static<typeof CertificateStatus>;
export type Certificate = KubeObject<CertificateSpec, CertificateStatus>;
