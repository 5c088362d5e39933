import { X509Certificate } from 'node:crypto';
import { loadAuthority, readCrl, type CertificateAuthority } from '@openvox/shared';
import { generateAuthority, caCommonName } from './authority.js';
import { buildCrl, crlListsExactly } from './crl.js';
import { caCertSecret, caCrlSecret, caDataClaim, caKeySecret } from './render.js';
import { CRL_SYNC_SCRIPT, crlSyncContainer } from './crl-sync.js';

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

describe('crlSyncContainer', () => {
  it('is a native sidecar that holds the server back until the CRL file exists', () => {
    const c = crlSyncContainer({ image: 'img:1' });
    expect(c.restartPolicy).toBe('Always');
    expect(c.startupProbe?.exec?.command).toEqual(['test', '-s', '/ssl/crl.pem']);
    expect(c.volumeMounts).toEqual([
      { name: 'ssl', mountPath: '/ssl' },
      { name: 'ssl-ca-crl', mountPath: '/crl', readOnly: true },
    ]);
    expect(c.command).toEqual(['/bin/sh', '-c', CRL_SYNC_SCRIPT]);
    expect(c.securityContext?.capabilities?.drop).toEqual(['ALL']);
  });
});

describe('caInitContainer', () => {
  it('seeds an empty cadir once from the key and CRL Secrets, and leaves a seeded one alone', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { CA_INIT_SCRIPT, caInitContainer } = await import('./ca-init.js');
    const root = mkdtempSync(join(tmpdir(), 'ca-init-'));
    try {
      const keyDir = join(root, 'key');
      const crlDir = join(root, 'crl');
      const caDir = join(root, 'ca');
      mkdirSync(keyDir);
      mkdirSync(crlDir);
      for (const f of ['ca_crt.pem', 'ca_key.pem', 'ca_pub.pem']) writeFileSync(join(keyDir, f), f);
      writeFileSync(join(crlDir, 'ca_crl.pem'), 'crl');
      const run = () =>
        execFileSync('/bin/sh', ['-c', CA_INIT_SCRIPT], {
          env: { PATH: '/usr/bin:/bin', CA_DIR: caDir, CA_KEY_DIR: keyDir, CA_CRL_DIR: crlDir },
          encoding: 'utf8',
        });
      expect(run()).toContain('seeded');
      expect(readdirSync(caDir).sort()).toEqual([
        'ca_crl.pem',
        'ca_crt.pem',
        'ca_key.pem',
        'ca_pub.pem',
        'infra_crl.pem',
        'infra_inventory.txt',
        'infra_serials',
        'inventory.txt',
        'requests',
        'serial',
        'signed',
      ]);
      expect(readFileSync(join(caDir, 'serial'), 'utf8')).toBe('0001');
      writeFileSync(join(caDir, 'serial'), '0042');
      expect(run()).toContain('already holds a CA');
      expect(readFileSync(join(caDir, 'serial'), 'utf8')).toBe('0042');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(caInitContainer({ image: 'img' }).volumeMounts?.map((m) => m.mountPath)).toEqual([
      '/ca',
      '/ca-key',
      '/ca-crl',
    ]);
  });
});
