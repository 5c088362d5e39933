import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hasPuppetCliAuth,
  createAuthority,
  loadAuthority,
  type Authority,
  type Certificate,
  type Pool,
  type Server,
} from '@openvox/shared/runtime';
import { subjectNames } from './subject-names.js';
import { issueServerCertificate } from './issue.js';
import { renewalDecision } from './renewal.js';
import { tlsSecret } from './render.js';

const cert: Certificate = {
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Certificate',
  metadata: { name: 'production-cert', namespace: 'prod', uid: 'cert-uid' },
  spec: {
    authorityRef: 'production-ca',
    certname: 'puppet',
    dnsAltNames: ['puppet.example.com', 'IP:10.0.0.1', '127.0.0.1'],
    renewBefore: '60d',
  },
};
const server = (name: string, certificateRef: string, poolRefs: string[]): Server =>
  ({
    apiVersion: 'x',
    kind: 'Server',
    metadata: { name, namespace: 'prod' },
    spec: { configRef: 'c', certificateRef, poolRefs },
  }) as Server;
const pool = (name: string): Pool => ({
  apiVersion: 'x',
  kind: 'Pool',
  metadata: { name, namespace: 'prod' },
  spec: {},
});
const now = new Date();

let authority: Authority;
beforeAll(async () => {
  const pem = await createAuthority({
    commonName: 'Puppet CA: t',
    now,
    notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
    algorithm: 'ec-p256',
  });
  authority = await loadAuthority(pem.certPem, pem.keyPem);
});

describe('subjectNames', () => {
  it('adds the Service names of the existing Pools of the Servers using the cert, sorted, IPs apart', () => {
    const names = subjectNames(
      cert,
      [
        server('ca', 'production-cert', ['production-ca', 'missing-pool']),
        server('other', 'other-cert', ['other-pool']),
      ],
      [pool('production-ca'), pool('other-pool')],
    );
    expect(names.ipAddresses).toEqual(['10.0.0.1', '127.0.0.1']);
    expect(names.dnsNames).toEqual([
      'production-ca',
      'production-ca.prod',
      'production-ca.prod.svc',
      'production-ca.prod.svc.cluster.local',
      'puppet',
      'puppet.example.com',
    ]);
  });

  it('does not change when another Server joins the same Pool', () => {
    const pools = [pool('production-ca')];
    const one = subjectNames(cert, [server('a', 'production-cert', ['production-ca'])], pools);
    const two = subjectNames(
      cert,
      [server('a', 'production-cert', ['production-ca']), server('b', 'production-cert', ['production-ca'])],
      pools,
    );
    expect(two).toEqual(one);
  });
});

describe('issueServerCertificate', () => {
  it('issues CN=certname with SANs and serverAuth+clientAuth that openssl verifies against the CA', async () => {
    const names = subjectNames(cert, [], []);
    const issued = await issueServerCertificate({ authority, cert, names, now, algorithm: 'ec-p256' });
    const x = new X509Certificate(issued.certPem);
    expect(x.subject).toBe('CN=puppet');
    expect(x.checkHost('puppet.example.com')).toBe('puppet.example.com');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(issued.keyReused).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'cert-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), authority.certPem);
      writeFileSync(join(dir, 'c.pem'), issued.certPem);
      expect(
        execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', 'ca.pem', 'c.pem'], {
          cwd: dir,
          encoding: 'utf8',
        }),
      ).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reuses the existing key on renewal and gets a new serial', async () => {
    const names = subjectNames(cert, [], []);
    const first = await issueServerCertificate({ authority, cert, names, now, algorithm: 'ec-p256' });
    const second = await issueServerCertificate({ authority, cert, names, now, existingKeyPem: first.keyPem });
    expect(second.keyReused).toBe(true);
    expect(second.keyPem).toBe(first.keyPem);
    expect(second.serialNumber).not.toBe(first.serialNumber);
  });
});

describe('pp_cli_auth for CA Servers', () => {
  const caServer = {
    ...server('production-ca', 'production-cert', []),
    spec: { configRef: 'c', certificateRef: 'production-cert', ca: true },
  } as Server;

  it('is wanted only while a CA Server mounts the certificate', () => {
    expect(subjectNames(cert, [server('compiler', 'production-cert', [])], []).cliAuth).toBeUndefined();
    expect(subjectNames(cert, [caServer], []).cliAuth).toBe(true);
    expect(
      subjectNames(cert, [{ ...caServer, spec: { ...caServer.spec, certificateRef: 'other' } }], []).cliAuth,
    ).toBeUndefined();
  });

  it('is written as Puppet writes it (UTF8String "true"), read back, and re-issues the certificate when it changes', async () => {
    const plain = await issueServerCertificate({
      authority,
      cert,
      names: subjectNames(cert, [], []),
      now,
      algorithm: 'ec-p256',
    });
    const withCa = subjectNames(cert, [caServer], []);
    const cli = await issueServerCertificate({ authority, cert, names: withCa, now, existingKeyPem: plain.keyPem });
    expect(hasPuppetCliAuth(plain.certPem)).toBe(false);
    expect(hasPuppetCliAuth(cli.certPem)).toBe(true);
    const der = new X509Certificate(cli.certPem).raw;
    expect(der.includes(Buffer.from([0x0c, 0x04, ...Buffer.from('true')]))).toBe(true);
    const decide = (certPem: string, names: typeof withCa) =>
      renewalDecision({
        certPem,
        keyPem: plain.keyPem,
        caCertPem: authority.certPem,
        certname: 'puppet',
        names,
        renewBefore: '60d',
        now,
      });
    expect(await decide(plain.certPem, withCa)).toEqual({ renew: true, reason: 'CliAuthChanged' });
    expect(await decide(cli.certPem, subjectNames(cert, [], []))).toEqual({ renew: true, reason: 'CliAuthChanged' });
    expect((await decide(cli.certPem, withCa)).renew).toBe(false);
  });
});

describe('renewalDecision', () => {
  const names = subjectNames(cert, [], []);
  const base = { caCertPem: '', certname: 'puppet', names, renewBefore: '60d', now };

  it('issues when nothing exists yet', async () => {
    expect(await renewalDecision({ ...base, caCertPem: authority.certPem })).toEqual({
      renew: true,
      reason: 'Missing',
    });
  });

  it('keeps a valid certificate and says when to look again', async () => {
    const issued = await issueServerCertificate({ authority, cert, names, now, algorithm: 'ec-p256', lifetime: '90d' });
    // The issued pair against the CA, with what differs per case.
    const decide = (extra: Partial<Parameters<typeof renewalDecision>[0]>) =>
      renewalDecision({
        ...base,
        caCertPem: authority.certPem,
        certPem: issued.certPem,
        keyPem: issued.keyPem,
        ...extra,
      });
    const d = await decide({});
    expect(d.renew).toBe(false);
    if (!d.renew) expect(Math.round((d.renewAt.getTime() - now.getTime()) / 86_400_000)).toBe(30);
    const later = new Date(now.getTime() + 31 * 86_400_000);
    expect(await decide({ now: later })).toEqual({ renew: true, reason: 'Expiring' });
    expect(await decide({ renewBefore: '99999d' })).toEqual({ renew: true, reason: 'Expiring' });
  });

  it('re-issues when the names, the key or the issuer no longer match', async () => {
    const issued = await issueServerCertificate({ authority, cert, names, now, algorithm: 'ec-p256' });
    const withPool = subjectNames(cert, [server('s', 'production-cert', ['p'])], [pool('p')]);
    const input = { ...base, caCertPem: authority.certPem, certPem: issued.certPem, keyPem: issued.keyPem };
    expect(await renewalDecision({ ...input, names: withPool })).toEqual({ renew: true, reason: 'NamesChanged' });
    expect(await renewalDecision({ ...input, certname: 'other' })).toEqual({ renew: true, reason: 'NamesChanged' });
    const other = await issueServerCertificate({ authority, cert, names, now, algorithm: 'ec-p256' });
    expect(await renewalDecision({ ...input, keyPem: other.keyPem })).toEqual({ renew: true, reason: 'KeyMismatch' });
    const otherCa = await createAuthority({
      commonName: 'other',
      now,
      notAfter: new Date(now.getTime() + 86_400_000),
      algorithm: 'ec-p256',
    });
    expect(await renewalDecision({ ...input, caCertPem: otherCa.certPem })).toEqual({
      renew: true,
      reason: 'IssuerChanged',
    });
  });
});

describe('tlsSecret', () => {
  it('holds cert.pem, key.pem and ca_crt.pem as tls-init expects, owned by the Certificate', () => {
    const s = tlsSecret(cert, { certPem: 'C', keyPem: 'K', caCertPem: 'A' });
    expect(s.metadata?.name).toBe('production-cert-tls');
    expect(
      Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])),
    ).toEqual({
      'cert.pem': 'C',
      'key.pem': 'K',
      'ca_crt.pem': 'A',
    });
    expect(s.metadata?.labels).toMatchObject({
      'openvox.voxpupuli.org/certificate': 'production-cert',
      'openvox.voxpupuli.org/certificateauthority': 'production-ca',
    });
    expect(s.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Certificate', uid: 'cert-uid', controller: true });
  });
});
