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
import { caServerService, crlEndpoint, fetchCrl } from './crl-fetch.js';

const now = new Date();
const later = new Date(now.getTime() + 365 * 86_400_000);
let ca: Authority;
let other: Authority;
let https: HttpsServer;
let port: number;
let served = '';
let hosts: (string | undefined)[] = [];

beforeAll(async () => {
  const pem = await createAuthority({ commonName: 'Puppet CA: t', now, notAfter: later, algorithm: 'ec-p256' });
  ca = await loadAuthority(pem.certPem, pem.keyPem);
  const o = await createAuthority({ commonName: 'other', now, notAfter: later, algorithm: 'ec-p256' });
  other = await loadAuthority(o.certPem, o.keyPem);
  const keys = await generateKeyPair('ec-p256');
  const cert = await signLeaf(ca, {
    commonName: 'puppet',
    publicKey: keys.publicKey,
    // Only the Service name, as a CA Server's certificate: no IP and no localhost.
    dnsNames: ['p-ca.prod.svc'],
    usages: ['serverAuth'],
    now,
    notAfter: later,
  });
  https = createServer({ cert, key: await privateKeyToPem(keys.privateKey) }, (req, res) => {
    hosts.push(req.headers.host);
    if (req.url === '/puppet-ca/v1/certificate_revocation_list/ca?environment=production') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(served);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  port = (https.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => https.close(() => r())));

describe('fetchCrl', () => {
  it('dials an address (the ClusterIP) but verifies the Service name (TLS servername and Host), against the CA only', async () => {
    served = (await buildCrl({ authority: ca, revoked: [], now })).pem;
    hosts = [];
    const endpoint = { host: '127.0.0.1', port, serverName: 'p-ca.prod.svc' };
    expect(await fetchCrl(endpoint, ca.certPem)).toBe(served);
    expect(hosts).toEqual([`p-ca.prod.svc:${port}`]);
    // Another CA's trust, or a name the certificate does not carry: refused.
    await expect(fetchCrl(endpoint, other.certPem)).rejects.toThrow(/p-ca\.prod\.svc.*certificate/);
    await expect(fetchCrl({ ...endpoint, serverName: 'other.prod.svc' }, ca.certPem)).rejects.toThrow(
      /Hostname\/IP does not match/,
    );
  });

  it('says where it dialed when nothing listens', async () => {
    await expect(fetchCrl({ host: '127.0.0.1', port: 1, serverName: 'p-ca.prod.svc' }, ca.certPem)).rejects.toThrow(
      'GET https://p-ca.prod.svc:1 (dialed at 127.0.0.1): connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});

describe('caServerService', () => {
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
    const svc = caServerService('production-ca', 'prod', servers, certs, [
      pool('p-server'),
      pool('p-other'),
      pool('p-ca', 443),
    ]);
    expect(svc).toEqual({ service: 'p-ca', namespace: 'prod', port: 443 });
    expect(caServerService('production-ca', 'prod', servers, certs, [pool('p-server')])).toBeUndefined();
    expect(crlEndpoint(svc!, '10.0.0.7')).toEqual({ host: '10.0.0.7', port: 443, serverName: 'p-ca.prod.svc' });
    expect(crlEndpoint(svc!, 'None')).toBeUndefined();
    expect(crlEndpoint(svc!, undefined)).toBeUndefined();
  });
});
