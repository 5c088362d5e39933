import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createCa, issueCertificate } from '@openvox/shared/testing';
import { notReady, startWebhook, type RunningWebhook } from './start.js';
import { noReferences, type ReferenceLookup } from './references/lookup.js';
import { VALIDATE_PATH } from './http/app.js';
import { fullServer, serverReview } from './testing/fixtures.js';

let dir: string;
let caPem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webhook-start-'));
  const ca = await createCa('webhook-test-ca');
  caPem = ca.certPem;
  const leaf = await issueCertificate(ca, { commonName: 'localhost', ipAddresses: ['127.0.0.1'], usages: ['server'] });
  writeFileSync(join(dir, 'tls.crt'), leaf.certPem);
  writeFileSync(join(dir, 'tls.key'), leaf.keyPem);
});

function start(references: ReferenceLookup = noReferences): Promise<RunningWebhook> {
  return startWebhook(
    {
      port: 0,
      bindAddress: '127.0.0.1',
      tlsCertFile: join(dir, 'tls.crt'),
      tlsKeyFile: join(dir, 'tls.key'),
      certPollMs: 60_000,
    },
    { logger: pino({ level: 'silent' }), registry: new Registry(), references },
  );
}

function get(port: number, path: string): Promise<number> {
  return fetchStatus(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
}

/** Raw HTTPS request; resolves to the status code. */
function fetchStatus(port: number, raw: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: caPem }, () => socket.write(raw));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('startWebhook', () => {
  it('serves HTTPS on the given address and is ready with no cluster configured', async () => {
    const webhook = await start();
    try {
      expect(await get(webhook.port, '/healthz')).toBe(200);
      expect(await get(webhook.port, '/readyz')).toBe(200);
    } finally {
      await webhook.close();
    }
  });

  it('is not ready until the reference cache has synced', async () => {
    let synced = false;
    const webhook = await start({ exists: () => undefined, synced: () => synced });
    try {
      expect(await get(webhook.port, '/readyz')).toBe(503);
      expect(await get(webhook.port, '/healthz')).toBe(200);
      synced = true;
      expect(await get(webhook.port, '/readyz')).toBe(200);
    } finally {
      await webhook.close();
    }
  });

  it('finishes an in-flight request after close() and then stops accepting', async () => {
    const webhook = await start();
    const body = JSON.stringify(serverReview(fullServer()));
    const half = Math.floor(body.length / 2);
    const socket = connect({ host: '127.0.0.1', port: webhook.port, ca: caPem });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    let response = '';
    socket.on('data', (d) => (response += d));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    await new Promise((r) => setTimeout(r, 50));

    let closed = false;
    const closing = webhook.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    await expect(get(webhook.port, '/healthz')).rejects.toThrow();

    socket.write(body.slice(half));
    await ended;
    await closing;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain('"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"');
  });

  it('closes promptly with an idle keep-alive connection open', async () => {
    const webhook = await start();
    const socket = connect({ host: '127.0.0.1', port: webhook.port, ca: caPem });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    const first = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await first;
    const started = Date.now();
    await webhook.close();
    expect(Date.now() - started).toBeLessThan(2000);
    socket.destroy();
  });
});

describe('notReady', () => {
  it('names each reason the webhook cannot serve, and none when it can', () => {
    expect(notReady({ closing: false, tlsLoaded: true, referencesSynced: true })).toEqual([]);
    expect(notReady({ closing: true, tlsLoaded: false, referencesSynced: false })).toEqual([
      'shutting down',
      'TLS certificate not loaded',
      'Config and Certificate cache not synced yet',
    ]);
  });
});
