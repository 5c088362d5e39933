// The reference cache against a fake API server on 127.0.0.1: list, watch events, restart after errors.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromAccess, type KubeConnection } from '@openvox/shared/informer';
import { pino } from 'pino';
import { createReferenceCache, type ReferenceCache } from './informers.js';

const BASE = '/apis/openvox.voxpupuli.org/v1alpha1';
const object = (kind: string, namespace: string, name: string, resourceVersion = '1') => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind,
  metadata: { name, namespace, resourceVersion, uid: `${kind}-${namespace}-${name}` },
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('createReferenceCache', () => {
  let server: Server;
  let certificateListFailures: number;
  let certificateLists: number;
  const watches = new Map<string, ServerResponse>();
  let cache: ReferenceCache | undefined;

  beforeEach(async () => {
    certificateListFailures = 2;
    certificateLists = 0;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const plural = url.pathname.slice(BASE.length + 1);
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        watches.set(plural, res);
        return;
      }
      if (plural === 'certificates') {
        certificateLists++;
        if (certificateListFailures-- > 0) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code: 500 }));
          return;
        }
      }
      const items =
        plural === 'configs'
          ? [object('Config', 'prod', 'production')]
          : [object('Certificate', 'prod', 'production-cert')];
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
    for (const res of watches.values()) res.destroy();
    watches.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function kubeConfig(): KubeConnection {
    const port = (server.address() as AddressInfo).port;
    return fromAccess({ server: `http://127.0.0.1:${port}`, insecureSkipTlsVerify: true, token: 't' });
  }

  it('answers from the cache once synced, restarting a failed informer with backoff', async () => {
    cache = createReferenceCache(kubeConfig(), pino({ level: 'silent' }), { initialMs: 20, maxMs: 100 });
    expect(cache.exists('Config', 'prod', 'production')).toBeUndefined();
    expect(cache.synced()).toBe(false);
    cache.start();

    await until(() => cache!.exists('Config', 'prod', 'production') === true);
    expect(cache.exists('Config', 'prod', 'missing')).toBe(false);
    expect(cache.exists('Config', 'other', 'production')).toBe(false);

    await until(() => cache!.synced());
    expect(certificateLists).toBe(3);
    expect(cache.exists('Certificate', 'prod', 'production-cert')).toBe(true);
  });

  it('sees objects added through the watch', async () => {
    certificateListFailures = 0;
    cache = createReferenceCache(kubeConfig(), pino({ level: 'silent' }));
    cache.start();
    await until(() => cache!.synced() && watches.has('configs'));
    expect(cache.exists('Config', 'prod', 'later')).toBe(false);
    watches
      .get('configs')!
      .write(`${JSON.stringify({ type: 'ADDED', object: object('Config', 'prod', 'later', '2') })}\n`);
    await until(() => cache!.exists('Config', 'prod', 'later') === true);
    watches
      .get('configs')!
      .write(`${JSON.stringify({ type: 'DELETED', object: object('Config', 'prod', 'later', '3') })}\n`);
    await until(() => cache!.exists('Config', 'prod', 'later') === false);
  });
});
