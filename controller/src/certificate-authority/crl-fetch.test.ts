import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  API_VERSION,
  createAuthority,
  generateKeyPair,
  loadAuthority,
  privateKeyToPem,
  signLeaf,
  type Authority,
  type Certificate,
  type Pool,
  type Server,
} from '@openvox/shared/runtime';
import { buildCrl } from './crl.js';
import { caServerUrl, fetchCrl, newerCrl } from './crl-fetch.js';

const now = new Date();
const later = new Date(now.getTime() + 365 * 86_400_000);
let ca: Authority;
let other: Authority;
let https: HttpsServer;
let base: string;
let served = '';

beforeAll(async () => {
  const pem = await createAuthority({ commonName: 'Puppet CA: t', now, notAfter: later, algorithm: 'ec-p256' });
  ca = await loadAuthority(pem.certPem, pem.keyPem);
  const o = await createAuthority({ commonName: 'other', now, notAfter: later, algorithm: 'ec-p256' });
  other = await loadAuthority(o.certPem, o.keyPem);
  const keys = await generateKeyPair('ec-p256');
  const cert = await signLeaf(ca, {
    commonName: 'puppet',
    publicKey: keys.publicKey,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usages: ['serverAuth'],
    now,
    notAfter: later,
  });
  https = createServer({ cert, key: await privateKeyToPem(keys.privateKey) }, (req, res) => {
    if (req.url === '/puppet-ca/v1/certificate_revocation_list/ca?environment=production') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(served);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  base = `https://localhost:${(https.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => https.close(() => r())));

describe('fetchCrl', () => {
  it('reads the CA Server CRL over TLS verified against the CA, and refuses another CA', async () => {
    served = (await buildCrl({ authority: ca, revoked: [], now })).pem;
    expect(await fetchCrl(base, ca.certPem)).toBe(served);
    await expect(fetchCrl(base, other.certPem)).rejects.toThrow();
  });
});

describe('newerCrl', () => {
  it('takes only this CA\u2019s CRLs with a higher number', async () => {
    const one = (await buildCrl({ authority: ca, revoked: [], now })).pem;
    const two = (
      await buildCrl({ authority: ca, revoked: [{ serialNumber: '0a', revocationDate: now }], previousPem: one, now })
    ).pem;
    const foreign = (await buildCrl({ authority: other, revoked: [], previousPem: two, now })).pem;
    expect(await newerCrl(ca, one, two)).toBe(two);
    expect(await newerCrl(ca, two, one)).toBeUndefined();
    expect(await newerCrl(ca, two, two)).toBeUndefined();
    expect(await newerCrl(ca, one, foreign)).toBeUndefined();
    expect(await newerCrl(ca, undefined, one)).toBe(one);
  });
});

describe('caServerUrl', () => {
  const meta = (name: string) => ({ name, namespace: 'prod' });
  const cert = (name: string, authorityRef: string): Certificate => ({
    apiVersion: API_VERSION,
    kind: 'Certificate',
    metadata: meta(name),
    spec: { authorityRef },
  });
  const server = (name: string, ca: boolean, certificateRef: string, poolRefs: string[]): Server =>
    ({
      apiVersion: API_VERSION,
      kind: 'Server',
      metadata: meta(name),
      spec: { configRef: 'c', certificateRef, ca, poolRefs },
    }) as Server;
  const pool = (name: string, port?: number): Pool => ({
    apiVersion: API_VERSION,
    kind: 'Pool',
    metadata: meta(name),
    spec: port ? { service: { port } } : {},
  });

  it('finds the Pool Service of a CA Server whose certificate this CA signs', () => {
    const certs = [cert('ca-cert', 'production-ca'), cert('other-cert', 'other-ca')];
    const servers = [
      server('compiler', false, 'ca-cert', ['p-server']),
      server('other', true, 'other-cert', ['p-other']),
      server('ca', true, 'ca-cert', ['p-missing', 'p-ca']),
    ];
    expect(
      caServerUrl('production-ca', 'prod', servers, certs, [pool('p-server'), pool('p-other'), pool('p-ca', 443)]),
    ).toBe('https://p-ca.prod.svc:443');
    expect(caServerUrl('production-ca', 'prod', servers, certs, [pool('p-server')])).toBeUndefined();
  });
});
