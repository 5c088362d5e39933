import { X509Certificate, createPrivateKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuthority,
  createCrl,
  generateKeyPair,
  keyMatchesCertificate,
  loadAuthority,
  readCrl,
  signLeaf,
} from './pki-authority.js';

const now = new Date('2026-11-25T12:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

function openssl(args: string[], files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('pki-authority', () => {
  it('creates an RSA CA whose key matches and that is a CA for keyCertSign and cRLSign', async () => {
    const pem = await createAuthority({
      commonName: 'Puppet CA: test',
      now,
      notAfter: later(365),
      algorithm: 'rsa-2048',
    });
    const cert = new X509Certificate(pem.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=Puppet CA: test');
    expect(createPrivateKey(pem.keyPem).asymmetricKeyType).toBe('rsa');
    expect(pem.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.checkPrivateKey(createPrivateKey(pem.keyPem))).toBe(true);
    const ca = await loadAuthority(pem.certPem, pem.keyPem);
    expect(ca.cert.notAfter.toISOString()).toBe(later(365).toISOString());
  });

  it('refuses a CA key that does not belong to the certificate', async () => {
    const a = await createAuthority({ commonName: 'a', now, notAfter: later(1), algorithm: 'ec-p256' });
    const b = await createAuthority({ commonName: 'b', now, notAfter: later(1), algorithm: 'ec-p256' });
    await expect(loadAuthority(a.certPem, b.keyPem)).rejects.toThrow(/does not match/);
  });

  it('signs a server certificate that openssl verifies with SANs, EKU and a CN that cannot inject RDNs', async () => {
    const pem = await createAuthority({
      commonName: 'ca',
      now: new Date(),
      notAfter: later(4000),
      algorithm: 'rsa-2048',
    });
    const ca = await loadAuthority(pem.certPem, pem.keyPem);
    const keys = await generateKeyPair('rsa-2048');
    const certPem = await signLeaf(ca, {
      commonName: 'puppet, O=evil',
      publicKey: keys.publicKey,
      dnsNames: ['puppet', 'localhost'],
      ipAddresses: ['127.0.0.1'],
      usages: ['serverAuth', 'clientAuth'],
      now: new Date(),
      notAfter: later(3000),
    });
    const text = openssl(['x509', '-in', 'c.pem', '-noout', '-text', '-nameopt', 'RFC2253'], { 'c.pem': certPem });
    expect(text).toContain('DNS:puppet, DNS:localhost, IP Address:127.0.0.1');
    expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(text).toContain('CA:FALSE');
    expect(text).toMatch(/Subject: CN=puppet\\, O=evil\n/);
    expect(openssl(['verify', '-CAfile', 'ca.pem', 'c.pem'], { 'ca.pem': pem.certPem, 'c.pem': certPem })).toContain(
      'c.pem: OK',
    );
    const cert = new X509Certificate(certPem);
    expect(cert.checkHost('localhost')).toBe('localhost');
    // never outlives its CA
    expect(new Date(cert.validTo).getTime()).toBeLessThanOrEqual(
      new Date(new X509Certificate(pem.certPem).validTo).getTime(),
    );
  });

  it('writes empty and non-empty CRLs that openssl accepts and that revoke the right certificate', async () => {
    const pem = await createAuthority({
      commonName: 'ca',
      now: new Date(),
      notAfter: later(4000),
      algorithm: 'ec-p256',
    });
    const ca = await loadAuthority(pem.certPem, pem.keyPem);
    const issue = async (cn: string) => {
      const keys = await generateKeyPair('ec-p256');
      return signLeaf(ca, {
        commonName: cn,
        publicKey: keys.publicKey,
        usages: ['clientAuth'],
        now: new Date(),
        notAfter: later(30),
      });
    };
    const good = await issue('good');
    const bad = await issue('bad');
    const empty = await createCrl(ca, { revoked: [], crlNumber: 1n, now: new Date(), nextUpdate: later(1800) });
    const files = { 'ca.pem': pem.certPem, 'good.pem': good, 'bad.pem': bad };
    expect(
      openssl(['verify', '-crl_check', '-CAfile', 'ca.pem', '-CRLfile', 'crl.pem', 'good.pem', 'bad.pem'], {
        ...files,
        'crl.pem': empty,
      }),
    ).toMatch(/good.pem: OK\nbad.pem: OK/);
    const serial = new X509Certificate(bad).serialNumber.toLowerCase();
    const revoked = await createCrl(ca, {
      revoked: [{ serialNumber: serial, revocationDate: new Date() }],
      crlNumber: 200n,
      now: new Date(),
      nextUpdate: later(1800),
    });
    expect(() =>
      openssl(['verify', '-crl_check', '-CAfile', 'ca.pem', '-CRLfile', 'crl.pem', 'bad.pem'], {
        ...files,
        'crl.pem': revoked,
      }),
    ).toThrow(/certificate revoked/);
    expect(
      openssl(['verify', '-crl_check', '-CAfile', 'ca.pem', '-CRLfile', 'crl.pem', 'good.pem'], {
        ...files,
        'crl.pem': revoked,
      }),
    ).toContain('good.pem: OK');
    expect(openssl(['crl', '-in', 'crl.pem', '-noout', '-text'], { 'crl.pem': revoked })).toMatch(
      /X509v3 CRL Number: \n\s+200/,
    );
    const info = readCrl(revoked);
    expect(info.crlNumber).toBe(200n);
    expect(info.revokedSerials).toEqual([serial]);
  });

  it('tells whether a key belongs to a certificate', async () => {
    const a = await createAuthority({ commonName: 'a', now, notAfter: later(1), algorithm: 'ec-p256' });
    const b = await createAuthority({ commonName: 'b', now, notAfter: later(1), algorithm: 'ec-p256' });
    expect(await keyMatchesCertificate(a.certPem, a.keyPem)).toBe(true);
    expect(await keyMatchesCertificate(a.certPem, b.keyPem)).toBe(false);
    expect(await keyMatchesCertificate(a.certPem, 'garbage')).toBe(false);
  });
});
