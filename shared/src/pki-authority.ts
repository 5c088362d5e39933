// A Puppet-compatible certificate authority on WebCrypto: RSA (or P-256) CA keys, leaf signing with
// an explicit public key (so renewals can keep their key), CRLs with revoked serials, PEM in and out.
// Every function takes its clock (`now`) and returns PEM; private keys are PKCS#8 "PRIVATE KEY".
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Key algorithm of a CA or leaf. Puppet defaults to RSA 4096; smaller sizes exist for fast tests. */
export type KeyAlgorithm = 'rsa-4096' | 'rsa-3072' | 'rsa-2048' | 'ec-p256';
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'rsa-4096';

const RSA_HASH = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const CRL_NUMBER_OID = '2.5.29.20';

function generationParams(algorithm: KeyAlgorithm): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  if (algorithm === 'ec-p256') return EC_KEY;
  const bits = Number(algorithm.slice('rsa-'.length));
  return { ...RSA_HASH, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) };
}

function signingAlgorithm(key: CryptoKey): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return key.algorithm.name === 'ECDSA' ? EC_SIGN : RSA_HASH;
}

export async function generateKeyPair(algorithm: KeyAlgorithm = DEFAULT_KEY_ALGORITHM): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(generationParams(algorithm), true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Imports a PEM private key (PKCS#8 or PKCS#1/SEC1) and derives its public key. */
export async function importKeyPair(keyPem: string): Promise<CryptoKeyPair> {
  const nodeKey = createPrivateKey(keyPem);
  const pkcs8 = nodeKey.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(nodeKey).export({ type: 'spki', format: 'der' });
  const params = nodeKey.asymmetricKeyType === 'ec' ? EC_KEY : RSA_HASH;
  if (nodeKey.asymmetricKeyType !== 'ec' && nodeKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`unsupported private key type ${String(nodeKey.asymmetricKeyType)}`);
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { privateKey, publicKey };
}

/** A random positive 128-bit serial as hex: no counter to persist, no clash with Puppet's own serials. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function commonName(cn: string): x509.JsonName {
  // A JSON name is encoded attribute by attribute: a certname with commas or '=' cannot inject RDNs.
  return [{ CN: [cn] }];
}

export interface Authority {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  certPem: string;
}

export interface CreateAuthorityOptions {
  commonName: string;
  now: Date;
  notAfter: Date;
  algorithm?: KeyAlgorithm;
}

export interface AuthorityPem {
  certPem: string;
  keyPem: string;
}

/** A new self-signed CA: BasicConstraints CA:true (critical), keyCertSign+cRLSign, SKI and AKI. */
export async function createAuthority(options: CreateAuthorityOptions): Promise<AuthorityPem> {
  const keys = await generateKeyPair(options.algorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: commonName(options.commonName),
    keys,
    notBefore: new Date(options.now.getTime() - 5 * 60_000),
    notAfter: options.notAfter,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Loads a CA from its Secret data; fails when the key does not belong to the certificate. */
export async function loadAuthority(certPem: string, keyPem: string): Promise<Authority> {
  const cert = new x509.X509Certificate(certPem);
  const keys = await importKeyPair(keyPem);
  const certSpki = Buffer.from(cert.publicKey.rawData);
  const keySpki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  if (!certSpki.equals(keySpki)) throw new Error('CA private key does not match the CA certificate');
  return { cert, keys, certPem: cert.toString('pem') };
}

export type CertificateUsage = 'serverAuth' | 'clientAuth';

export interface LeafRequest {
  commonName: string;
  /** The subject's public key (from a fresh or reused key pair). */
  publicKey: CryptoKey;
  dnsNames?: string[];
  ipAddresses?: string[];
  usages: CertificateUsage[];
  now: Date;
  notAfter: Date;
  serialNumber?: string;
  /**
   * Puppet's pp_cli_auth extension: `puppetserver ca` run inside a CA Server's pod authenticates with
   * the pod's own certificate, and auth.conf lets certificates with it administer the CA (as the
   * certificate Puppet's own CA setup gives its server).
   */
  puppetCliAuth?: boolean;
}

/** OID of pp_cli_auth (puppetlabs arc 1.3.6.1.4.1.34380.1.3.39). */
export const PP_CLI_AUTH_OID = '1.3.6.1.4.1.34380.1.3.39';

/** True when the certificate carries pp_cli_auth = "true". */
export function hasPuppetCliAuth(certPem: string): boolean {
  const ext = new x509.X509Certificate(certPem).getExtension(PP_CLI_AUTH_OID);
  if (!ext) return false;
  const value = Buffer.from(ext.value);
  return value[0] === 0x0c && value.subarray(2).toString('utf8') === 'true';
}

/** The extension's value as Puppet writes it: a DER UTF8String "true". */
function cliAuthExtension(): x509.Extension {
  const text = Buffer.from('true', 'utf8');
  return new x509.Extension(PP_CLI_AUTH_OID, false, Buffer.concat([Buffer.from([0x0c, text.length]), text]));
}

/** Signs a leaf certificate: CA:false (critical), digitalSignature+keyEncipherment, EKU, SAN, SKI, AKI. */
export async function signLeaf(ca: Authority, request: LeafRequest): Promise<string> {
  const altNames: x509.JsonGeneralNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const notAfter = request.notAfter.getTime() > ca.cert.notAfter.getTime() ? ca.cert.notAfter : request.notAfter;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: request.serialNumber ?? randomSerial(),
    subject: commonName(request.commonName),
    issuer: ca.cert.subjectName,
    publicKey: request.publicKey,
    signingKey: ca.keys.privateKey,
    notBefore: new Date(request.now.getTime() - 5 * 60_000),
    notAfter,
    signingAlgorithm: signingAlgorithm(ca.keys.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(
        request.usages.map((u) =>
          u === 'serverAuth' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
        ),
        true,
      ),
      ...(altNames.length > 0 ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
      await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      ...(request.puppetCliAuth ? [cliAuthExtension()] : []),
    ],
  });
  return cert.toString('pem');
}

export interface RevokedEntry {
  /** Hexadecimal serial number, as X509Certificate.serialNumber gives it. */
  serialNumber: string;
  revocationDate: Date;
}

export interface CrlOptions {
  revoked: RevokedEntry[];
  /** Monotonic CRL number (RFC 5280 §5.2.3); Puppet agents and Jetty accept any positive value. */
  crlNumber: bigint;
  now: Date;
  nextUpdate: Date;
}

function derInteger(value: bigint): ArrayBuffer {
  if (value < 0n) throw new Error('CRL number must not be negative');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  if (body.length > 127) throw new Error('CRL number too large');
  return new Uint8Array(Buffer.concat([Buffer.from([0x02, body.length]), body])).buffer;
}

/** A v2 CRL signed by the CA with AKI and CRL number; entries are sorted by serial for stable output. */
export async function createCrl(ca: Authority, options: CrlOptions): Promise<string> {
  const entries = [...options.revoked]
    .sort((a, b) => a.serialNumber.localeCompare(b.serialNumber))
    .map((e) => ({ serialNumber: e.serialNumber, revocationDate: e.revocationDate }));
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subjectName,
    thisUpdate: new Date(options.now.getTime() - 5 * 60_000),
    nextUpdate: options.nextUpdate,
    signingAlgorithm: signingAlgorithm(ca.keys.privateKey),
    signingKey: ca.keys.privateKey,
    entries,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      new x509.Extension(CRL_NUMBER_OID, false, derInteger(options.crlNumber)),
    ],
  });
  // OpenSSL, Ruby and Java expect the RFC 7468 label "X509 CRL" (the library writes "CRL").
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL');
}

export interface CrlInfo {
  crlNumber: bigint;
  revokedSerials: string[];
  thisUpdate: Date;
  nextUpdate?: Date;
}

/** Reads back the fields the controller needs from a CRL PEM (to extend it on the next revocation). */
export function readCrl(pem: string): CrlInfo {
  const crl = new x509.X509Crl(pem);
  const numberExt = crl.extensions.find((e) => e.type === CRL_NUMBER_OID);
  let crlNumber = 0n;
  if (numberExt) {
    const der = Buffer.from(numberExt.value);
    crlNumber = BigInt(`0x${der.subarray(2, 2 + der[1]!).toString('hex') || '0'}`);
  }
  return {
    crlNumber,
    revokedSerials: crl.entries.map((e) => e.serialNumber.toLowerCase()),
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
  };
}

/** Does the private key belong to the certificate? (Used to decide whether a key can be reused.) */
export async function keyMatchesCertificate(certPem: string, keyPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const keys = await importKeyPair(keyPem);
    const keySpki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    return Buffer.from(cert.publicKey.rawData).equals(keySpki);
  } catch {
    return false;
  }
}

/** Is the CRL signed by this CA's key (and issued under its name)? */
export async function crlSignedBy(crlPem: string, ca: Authority): Promise<boolean> {
  try {
    const crl = new x509.X509Crl(crlPem);
    if (crl.issuer !== ca.cert.subject) return false;
    return await crl.verify({ publicKey: ca.keys.publicKey });
  } catch {
    return false;
  }
}

/** The SubjectPublicKeyInfo PEM of a private key (Puppet's CA keeps it as ca_pub.pem). */
export function publicKeyPem(keyPem: string): string {
  return createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** A DER string (UTF8String, PrintableString, IA5String) as text, anything else as hex. */
function derText(der: Buffer): string {
  const tag = der[0];
  if (tag !== 0x0c && tag !== 0x13 && tag !== 0x16) return der.toString('hex');
  let len = der[1]!;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    off = 2 + n;
  }
  return der.subarray(off, off + len).toString('utf8');
}

export interface CertificateContents {
  dnsNames: string[];
  ipAddresses: string[];
  /** Each extension in Puppet's arc (1.3.6.1.4.1.34380.1), by OID, its value as text. */
  puppetExtensions: Record<string, string>;
}

/** What a Puppet certificate says about its subject beyond the CN: alt names and Puppet extensions. */
export function certificateContents(certPem: string): CertificateContents {
  const cert = new x509.X509Certificate(certPem);
  const names = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  const puppetExtensions: Record<string, string> = {};
  for (const ext of cert.extensions)
    if (ext.type.startsWith('1.3.6.1.4.1.34380.1.')) puppetExtensions[ext.type] = derText(Buffer.from(ext.value));
  return {
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
    puppetExtensions,
  };
}
