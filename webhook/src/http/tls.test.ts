import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createCa, issueCertificate, type KeyPairPem } from '@openvox/shared/testing';
import { createReloadingServer, type ReloadingServer } from './tls.js';

function servedCertificate(port: number, ca: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.on('error', reject);
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('reloading TLS server', () => {
  let dir: string;
  let caPem: string;
  let first: KeyPairPem;
  let second: KeyPairPem;
  let tls: ReloadingServer | undefined;

  beforeAll(async () => {
    const ca = await createCa('webhook-test-ca');
    caPem = ca.certPem;
    const leaf = {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usages: ['server' as const],
    };
    first = await issueCertificate(ca, leaf);
    second = await issueCertificate(ca, leaf);
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-tls-'));
  });

  afterEach(async () => {
    tls?.stopWatching();
    await new Promise<void>((resolve) => (tls ? tls.server.close(() => resolve()) : resolve()));
    tls = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(pollIntervalMs: number, watch = true): Promise<number> {
    writeFileSync(join(dir, 'tls.crt'), first.certPem);
    writeFileSync(join(dir, 'tls.key'), first.keyPem);
    tls = await createReloadingServer((_req, res) => res.end('ok'), {
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      logger: pino({ level: 'silent' }),
      pollIntervalMs,
      watch,
    });
    await new Promise<void>((resolve) => tls!.server.listen(0, '127.0.0.1', resolve));
    return (tls.server.address() as AddressInfo).port;
  }

  // Replace both files atomically, as a Secret volume update does.
  function rotate(pair: KeyPairPem): void {
    writeFileSync(join(dir, 'tls.crt.new'), pair.certPem);
    writeFileSync(join(dir, 'tls.key.new'), pair.keyPem);
    renameSync(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
    renameSync(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
  }

  const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

  it('serves the new certificate after the files change, without a restart', async () => {
    const port = await start(60_000);
    const before = await servedCertificate(port, caPem);
    expect(before.fingerprint256).toBe(fingerprintOf(first.certPem));
    rotate(second);
    await until(
      async () => (await servedCertificate(port, caPem)).fingerprint256 === fingerprintOf(second.certPem),
      5000,
    );
    expect(tls!.server.listening).toBe(true);
  });

  it('picks up a change through the poll when no watch event arrives', async () => {
    const port = await start(100, false);
    rotate(second);
    await until(
      async () => (await servedCertificate(port, caPem)).fingerprint256 === fingerprintOf(second.certPem),
      5000,
    );
  });

  it('follows a Secret volume update: the ..data symlink swapped to a new directory', async () => {
    // The kubelet's layout: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/, swapped atomically.
    const version = (name: string, pair: KeyPairPem) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'tls.crt'), pair.certPem);
      writeFileSync(join(dir, name, 'tls.key'), pair.keyPem);
    };
    version('..v1', first);
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync(join('..data', 'tls.crt'), join(dir, 'tls.crt'));
    symlinkSync(join('..data', 'tls.key'), join(dir, 'tls.key'));
    tls = await createReloadingServer((_req, res) => res.end('ok'), {
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 60_000,
    });
    await new Promise<void>((resolve) => tls!.server.listen(0, '127.0.0.1', resolve));
    const port = (tls.server.address() as AddressInfo).port;
    expect((await servedCertificate(port, caPem)).fingerprint256).toBe(fingerprintOf(first.certPem));

    version('..v2', second);
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await until(
      async () => (await servedCertificate(port, caPem)).fingerprint256 === fingerprintOf(second.certPem),
      5000,
    );
  });

  it('keeps the old certificate while the key does not match yet', async () => {
    const port = await start(60_000);
    writeFileSync(join(dir, 'tls.crt'), second.certPem);
    expect(await tls!.reload()).toBe(false);
    expect((await servedCertificate(port, caPem)).fingerprint256).toBe(fingerprintOf(first.certPem));
    writeFileSync(join(dir, 'tls.key'), second.keyPem);
    await until(
      async () => (await servedCertificate(port, caPem)).fingerprint256 === fingerprintOf(second.certPem),
      5000,
    );
  });

  it('starts without files, is not loaded, and loads them when they appear', async () => {
    tls = await createReloadingServer((_req, res) => res.end('ok'), {
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 100,
    });
    expect(tls.loaded()).toBe(false);
    await new Promise<void>((resolve) => tls!.server.listen(0, '127.0.0.1', resolve));
    rotate(first);
    await until(async () => tls!.loaded(), 5000);
    const port = (tls.server.address() as AddressInfo).port;
    expect((await servedCertificate(port, caPem)).fingerprint256).toBe(fingerprintOf(first.certPem));
  });
});
