// ca.conf: the certificate-authority settings of the CA service, from the CertificateAuthority spec
// (puppetserver's defaults when the Config has no CA).
import type { CertificateAuthority } from '@openvox/shared/runtime';
import { parseDurationSeconds } from '@openvox/shared/runtime';
import { writeHocon } from '../../writers/hocon.js';

export function renderCaConf(ca: CertificateAuthority | undefined): string {
  const spec = ca?.spec ?? {};
  const ttl = spec.autoRenewalCertTTL ?? '90d';
  parseDurationSeconds(ttl); // refuse what puppetserver would refuse at start-up
  return writeHocon({
    'certificate-authority': {
      'allow-subject-alt-names': spec.allowSubjectAltNames ?? true,
      'allow-authorization-extensions': spec.allowAuthorizationExtensions ?? true,
      // Off unless asked for: its CRL endpoint would then serve the infrastructure CRL, without agent revocations.
      'enable-infra-crl': spec.enableInfraCRL ?? false,
      'allow-auto-renewal': spec.allowAutoRenewal ?? true,
      'auto-renewal-cert-ttl': ttl,
    },
  });
}
