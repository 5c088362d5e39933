import { X509Certificate } from 'node:crypto';
import { loadAuthority, readCrl, type CertificateAuthority } from '@openvox/shared/runtime';
import { generateAuthority, caCommonName } from './authority.js';
import { buildCrl, crlListsExactly } from './crl.js';
import { caCertSecret, caCrlSecret, caDataClaim, caKeySecret } from './render.js';

const ca: CertificateAuthority = {
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'CertificateAuthority',
  metadata: { name: 'production-ca', namespace: 'ns', uid: 'ca-uid' },
  spec: { ttl: '2y', storage: { size: '2Gi', storageClass: 'fast' } },
};
const now = new Date();
const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');

describe('generateAuthority', () => {
  it('creates an RSA 4096 CA by default, valid for spec.ttl, named like Puppet names its CA', async () => {
    const pem = await generateAuthority(ca, now);
    const cert = new X509Certificate(pem.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe(`CN=${caCommonName(ca)}`);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    const days = (new Date(cert.validTo).getTime() - now.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(730);
  }, 30_000);

  it('refuses an unparseable ttl', async () => {
    await expect(generateAuthority({ ...ca, spec: { ttl: '5 years' } }, now, 'ec-p256')).rejects.toThrow(
      /invalid duration/,
    );
  });
});

describe('buildCrl', () => {
  it('starts empty with number 1, then lists revoked serials with an increasing number', async () => {
    const pem = await generateAuthority(ca, now, 'ec-p256');
    const authority = await loadAuthority(pem.certPem, pem.keyPem);
    const first = await buildCrl({ authority, revoked: [], now });
    expect(first.crlNumber).toBe(1n);
    expect(readCrl(first.pem).revokedSerials).toEqual([]);
    expect(readCrl(first.pem).nextUpdate?.getTime()).toBe(authority.cert.notAfter.getTime());
    const second = await buildCrl({
      authority,
      previousPem: first.pem,
      revoked: [
        { serialNumber: 'ABCD', revocationDate: now },
        { serialNumber: 'abcd', revocationDate: now },
        { serialNumber: '01', revocationDate: now },
      ],
      now,
    });
    expect(second.crlNumber).toBe(2n);
    expect(second.revokedSerials).toEqual(['01', 'abcd']);
    expect(crlListsExactly(second.pem, ['ABCD', '01'])).toBe(true);
    expect(crlListsExactly(second.pem, ['01'])).toBe(false);
    expect(crlListsExactly(undefined, [])).toBe(false);
  });
});

describe('CA objects', () => {
  it('puts the public certificate, the key and the CRL in separate Secrets with the documented keys', async () => {
    const pub = caCertSecret(ca, 'CERT');
    expect(pub.metadata?.name).toBe('production-ca-ca');
    expect(Object.keys(pub.data ?? {})).toEqual(['ca_crt.pem']);
    expect(decode(pub.data?.['ca_crt.pem'])).toBe('CERT');
    expect(pub.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'CertificateAuthority',
      uid: 'ca-uid',
      controller: true,
    });
    expect(pub.metadata?.labels?.['openvox.voxpupuli.org/certificateauthority']).toBe('production-ca');

    const pem = await generateAuthority(ca, now, 'ec-p256');
    const key = caKeySecret(ca, pem);
    expect(key.metadata?.name).toBe('production-ca-ca-key');
    expect(decode(key.data?.['ca_key.pem'])).toBe(pem.keyPem);
    expect(decode(key.data?.['ca_crt.pem'])).toBe(pem.certPem);
    expect(decode(key.data?.['ca_pub.pem'])).toBe(
      new X509Certificate(pem.certPem).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(key.metadata?.ownerReferences).toBeUndefined();

    const crl = caCrlSecret(ca, 'CRL');
    expect(crl.metadata?.name).toBe('production-ca-ca-crl');
    expect(decode(crl.data?.['ca_crl.pem'])).toBe('CRL');
  });

  it('claims {ca}-data with the spec size and class and no owner (never garbage-collected)', () => {
    const pvc = caDataClaim(ca);
    expect(pvc.metadata?.name).toBe('production-ca-data');
    expect(pvc.metadata?.ownerReferences).toBeUndefined();
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '2Gi' } },
      storageClassName: 'fast',
    });
    expect(caDataClaim({ ...ca, spec: {} }).spec?.resources?.requests).toEqual({ storage: '1Gi' });
  });
});
