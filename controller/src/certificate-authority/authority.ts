// Creating the CA key pair and certificate from a CertificateAuthority spec. RSA 4096 by default
// (what Puppet's own CA uses); the key algorithm is a controller setting so tests can pick
// rsa-2048 or ec-p256 for speed.
import {
  createAuthority,
  parseDurationSeconds,
  type AuthorityPem,
  type CertificateAuthority,
  type KeyAlgorithm,
} from '@openvox/shared/runtime';

/** Subject of the CA certificate, as Puppet names its CA ("Puppet CA: <name>"). */
export const caCommonName = (ca: CertificateAuthority): string => `Puppet CA: ${ca.metadata.name}`;

export async function generateAuthority(
  ca: CertificateAuthority,
  now: Date,
  algorithm: KeyAlgorithm = 'rsa-4096',
): Promise<AuthorityPem> {
  const ttlSeconds = parseDurationSeconds(ca.spec.ttl ?? '5y');
  if (ttlSeconds <= 0) throw new Error('spec.ttl must be longer than 0');
  return createAuthority({
    commonName: caCommonName(ca),
    now,
    notAfter: new Date(now.getTime() + ttlSeconds * 1000),
    algorithm,
  });
}
