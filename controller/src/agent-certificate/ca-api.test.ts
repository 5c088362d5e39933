// The CA API client against a local HTTPS server that behaves like puppetserver's CA: it requires a client
// certificate signed by the CA and, for these endpoints, one with pp_cli_auth (as auth.conf does).
import { createServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  createAuthority,
  generateKeyPair,
  hasPuppetCliAuth,
  loadAuthority,
  privateKeyToPem,
  signLeaf,
  type Authority,
} from '@openvox/shared/runtime';
import { FakeClock } from '../kube/clock.js';
import { httpsCaApi, parseStatuses, type CaStatusEntry, type CaTarget } from './ca-api.js';
import { ClientIdentities } from './client-identity.js';

const now = new Date();
const later = new Date(now.getTime() + 365 * 86_400_000);
let ca: Authority;
let https: HttpsServer;
let target: CaTarget;
const requests: { method: string; url: string; body: string; host?: string }[] = [];
let statuses: CaStatusEntry[] = [];
// The raw JSON the server answers for the list (to show big serials survive), when set.
let rawList: string | undefined;

beforeAll(async () => {
  const pem = await createAuthority({ commonName: 'Puppet CA: t', now, notAfter: later, algorithm: 'ec-p256' });
  ca = await loadAuthority(pem.certPem, pem.keyPem);
  const keys = await generateKeyPair('ec-p256');
  const cert = await signLeaf(ca, {
    commonName: 'puppet',
    publicKey: keys.publicKey,
    dnsNames: ['p-ca.prod.svc'],
    usages: ['serverAuth'],
    now,
    notAfter: later,
  });
  https = createServer(
    { cert, key: await privateKeyToPem(keys.privateKey), ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, body, host: req.headers.host });
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const peerPem = `-----BEGIN CERTIFICATE-----\n${peer.raw.toString('base64')}\n-----END CERTIFICATE-----\n`;
        if (!hasPuppetCliAuth(peerPem)) return res.writeHead(403).end('Forbidden request: no pp_cli_auth');
        const m =
          /^\/puppet-ca\/v1\/(certificate_statuses\/any|certificate_status\/([^?]+)|certificate\/([^?]+))\?environment=production$/.exec(
            req.url!,
          );
        if (!m) return res.writeHead(404).end();
        if (m[1] === 'certificate_statuses/any')
          return res.writeHead(200, { 'Content-Type': 'application/json' }).end(rawList ?? JSON.stringify(statuses));
        const certname = decodeURIComponent(m[2] ?? m[3]!);
        const entry = statuses.find((s) => s.name === certname);
        if (m[3]) return entry ? res.writeHead(200).end('-----BEGIN CERTIFICATE-----\nx\n') : res.writeHead(404).end();
        if (req.method === 'GET')
          return entry ? res.writeHead(200).end(JSON.stringify(entry)) : res.writeHead(404).end();
        if (req.method === 'DELETE') {
          statuses = statuses.filter((s) => s !== entry);
          return res.writeHead(204).end();
        }
        const desired = (JSON.parse(body) as { desired_state: string }).desired_state;
        if (!entry) return res.writeHead(404).end(`Invalid certificate subject.`);
        if (desired === 'revoked' && entry.state !== 'signed')
          return res.writeHead(409).end(`Cannot revoke certificate for host ${certname} without a signed certificate`);
        entry.state = desired;
        return res.writeHead(204).end();
      });
    },
  );
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const port = (https.address() as AddressInfo).port;
  const identity = await new ClientIdentities(new FakeClock(now.getTime()), 'ec-p256').for('prod/t', ca);
  target = {
    endpoint: { host: '127.0.0.1', port, serverName: 'p-ca.prod.svc' },
    caCertPem: ca.certPem,
    clientCertPem: identity.certPem,
    clientKeyPem: identity.keyPem,
  };
});
afterAll(() => new Promise<void>((r) => https.close(() => r())));
beforeEach(() => {
  requests.length = 0;
  rawList = undefined;
  statuses = [
    { name: 'agent1', state: 'requested', fingerprint: 'AA:BB' },
    { name: 'agent2', state: 'signed', fingerprint: 'CC:DD', serial_number: '5' },
  ];
});

describe('httpsCaApi', () => {
  const api = httpsCaApi({ timeoutMs: 5000 });

  it('lists, reads, signs, revokes and cleans over mutual TLS, verified as the Service name', async () => {
    expect((await api.list(target)).map((e) => [e.name, e.state])).toEqual([
      ['agent1', 'requested'],
      ['agent2', 'signed'],
    ]);
    await api.setState(target, 'agent1', 'signed');
    expect(await api.get(target, 'agent1')).toMatchObject({ name: 'agent1', state: 'signed' });
    await api.setState(target, 'agent1', 'revoked');
    await api.clean(target, 'agent2');
    expect(await api.get(target, 'agent2')).toBeUndefined();
    expect(await api.certificate(target, 'agent1')).toContain('BEGIN CERTIFICATE');
    expect(requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'GET /puppet-ca/v1/certificate_statuses/any?environment=production ',
      'PUT /puppet-ca/v1/certificate_status/agent1?environment=production {"desired_state":"signed"}',
      'GET /puppet-ca/v1/certificate_status/agent1?environment=production ',
      'PUT /puppet-ca/v1/certificate_status/agent1?environment=production {"desired_state":"revoked"}',
      'DELETE /puppet-ca/v1/certificate_status/agent2?environment=production ',
      'GET /puppet-ca/v1/certificate_status/agent2?environment=production ',
      'GET /puppet-ca/v1/certificate/agent1?environment=production ',
    ]);
    expect(new Set(requests.map((r) => r.host))).toEqual(new Set([`p-ca.prod.svc:${target.endpoint.port}`]));
  });

  it('says what the CA Server refused, in its own words, with the status code', async () => {
    await expect(api.setState(target, 'agent1', 'revoked')).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(
        /^PUT https:\/\/p-ca\.prod\.svc:\d+ \(dialed at 127\.0\.0\.1\)\/puppet-ca\/v1\/certificate_status\/agent1: HTTP 409: Cannot revoke certificate for host agent1 without a signed certificate$/,
      ),
    });
  });

  it('is refused without pp_cli_auth (what auth.conf checks) and cannot reach a CA Server under another name', async () => {
    const keys = await generateKeyPair('ec-p256');
    const plain = await signLeaf(ca, {
      commonName: 'someone',
      publicKey: keys.publicKey,
      usages: ['clientAuth'],
      now,
      notAfter: later,
    });
    const without = { ...target, clientCertPem: plain, clientKeyPem: await privateKeyToPem(keys.privateKey) };
    await expect(api.list(without)).rejects.toMatchObject({ statusCode: 403 });
    const elsewhere = { ...target, endpoint: { ...target.endpoint, serverName: 'other.prod.svc' } };
    await expect(api.list(elsewhere)).rejects.toThrow(/other\.prod\.svc.*(altnames|Hostname)/);
  });

  it('fails with the address when nothing answers, and with a bound on the body size', async () => {
    const closed = { ...target, endpoint: { ...target.endpoint, port: 1 } };
    await expect(api.list(closed)).rejects.toThrow(
      /^GET https:\/\/p-ca\.prod\.svc:1 \(dialed at 127\.0\.0\.1\).*ECONNREFUSED/,
    );
    statuses = Array.from({ length: 200 }, (_, i) => ({ name: `agent${i}`, state: 'signed' }));
    await expect(httpsCaApi({ maxBytes: 1000 }).list(target)).rejects.toThrow(/response larger than 1000 bytes/);
  });

  it('keeps a 128-bit serial exact', async () => {
    rawList = '[{"name":"big","state":"signed","serial_number":340282366920938463463374607431768211455}]';
    expect((await api.list(target))[0]!.serial_number).toBe('340282366920938463463374607431768211455');
    expect(parseStatuses('{"serial_number": 12}')).toEqual({ serial_number: '12' });
  });
});
