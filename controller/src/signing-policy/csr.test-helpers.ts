// Certificate requests as Puppet agents send them, for the autosign tests: a CN, DNS and IP alt names,
// extension requests (pp_* values as UTF8String, as Puppet writes them) and a challengePassword.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface CsrSpec {
  certname: string;
  dnsAltNames?: string[];
  ipAltNames?: string[];
  /** OID -> text value, each an extension request. */
  extensions?: Record<string, string>;
  challengePassword?: string;
}

/** DER of a UTF8String. */
function utf8String(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  const len = body.length < 128 ? [body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return Uint8Array.from([0x0c, ...len, ...body]);
}

let keys: Promise<webcrypto.CryptoKeyPair> | undefined;

export async function csrPem(spec: CsrSpec): Promise<string> {
  keys ??= webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
  const sans = [
    ...(spec.dnsAltNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAltNames ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    ...(sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans)] : []),
    ...Object.entries(spec.extensions ?? {}).map(([oid, value]) => new x509.Extension(oid, false, utf8String(value))),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${spec.certname}`,
    keys: await keys,
    signingAlgorithm: SIGN,
    extensions,
    ...(spec.challengePassword !== undefined
      ? { attributes: [new x509.ChallengePasswordAttribute(spec.challengePassword)] }
      : {}),
  });
  return csr.toString('pem');
}
