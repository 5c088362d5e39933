// Issuing the server certificate with the operator's CA. A renewal keeps the existing key when it
// still matches (Puppet's own renewal keeps the key; a fresh key per retry mismatched cert and key
// in the Go operator), so a Secret is never left with a mismatched pair.
import { X509Certificate } from 'node:crypto';
import {
  generateKeyPair,
  importKeyPair,
  parseDurationSeconds,
  privateKeyToPem,
  signLeaf,
  type Authority,
  type Certificate,
  type KeyAlgorithm,
} from '@openvox/shared/runtime';
import { certname, type SubjectNames } from './subject-names.js';

/** Lifetime of operator-issued server certificates, like puppetserver's default ca_ttl-bounded 5y. */
export const DEFAULT_CERT_LIFETIME = '5y';

export interface IssueInput {
  authority: Authority;
  cert: Certificate;
  names: SubjectNames;
  now: Date;
  /** key.pem of the current `{cert}-tls`, reused when present and parseable. */
  existingKeyPem?: string;
  algorithm?: KeyAlgorithm;
  lifetime?: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
  serialNumber: string;
  keyReused: boolean;
}

export async function issueServerCertificate(input: IssueInput): Promise<IssuedCertificate> {
  let keys: Awaited<ReturnType<typeof generateKeyPair>> | undefined;
  if (input.existingKeyPem) {
    try {
      keys = await importKeyPair(input.existingKeyPem);
    } catch {
      keys = undefined;
    }
  }
  const keyReused = keys !== undefined;
  keys ??= await generateKeyPair(input.algorithm ?? 'rsa-4096');
  const lifetimeSeconds = parseDurationSeconds(input.lifetime ?? DEFAULT_CERT_LIFETIME);
  const certPem = await signLeaf(input.authority, {
    commonName: certname(input.cert),
    publicKey: keys.publicKey,
    dnsNames: input.names.dnsNames,
    ipAddresses: input.names.ipAddresses,
    usages: ['serverAuth', 'clientAuth'],
    ...(input.names.cliAuth ? { puppetCliAuth: true } : {}),
    now: input.now,
    notAfter: new Date(input.now.getTime() + lifetimeSeconds * 1000),
  });
  const parsed = new X509Certificate(certPem);
  return {
    certPem,
    keyPem: keyReused ? input.existingKeyPem! : await privateKeyToPem(keys.privateKey),
    notAfter: new Date(parsed.validTo),
    serialNumber: parsed.serialNumber.toLowerCase(),
    keyReused,
  };
}
