import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { realClock } from './clock.js';
import { RestClient } from './client.js';
import { Informer } from './informer.js';
import { localKubeConfig } from './local-kubeconfig.test-helpers.js';
import { CONFIG_MAP, PROBE_EVENT } from './resources.js';

const cm = (name: string, rv: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: rv }, data: {} });

/** A fake API server whose watch fails the first `failures` times, then streams one ADDED event. */
function fakeApi(failures: number) {
  const calls = { list: 0, watch: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname !== '/api/v1/configmaps') return void res.writeHead(404).end();
    if (url.searchParams.get('watch') !== 'true') {
      calls.list++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ items: [cm('a', '1')], metadata: { resourceVersion: '1' } }));
    }
    calls.watch++;
    if (calls.watch <= failures) return void res.writeHead(500).end('{}');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(JSON.stringify({ type: 'ADDED', object: cm('b', '2') }) + '\n');
  });
  return { server, calls };
}

describe('Informer', () => {
  let server: Server;
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('restarts after watch errors with backoff and keeps delivering events', async () => {
    const api = fakeApi(3);
    server = api.server;
    server.closeIdleConnections();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = localKubeConfig(server);
    const restarts: string[] = [];
    const informer = new Informer(CONFIG_MAP, {
      connection: kc,
      client: new RestClient(kc),
      logger: pino({ level: 'silent' }),
      clock: realClock,
      minBackoffMs: 10,
      maxBackoffMs: 40,
      onRestart: (kind) => restarts.push(kind),
    });
    const events: string[] = [];
    informer.on((type, obj) => events.push(`${type} ${obj.metadata?.name}`));
    await informer.start();
    const deadline = Date.now() + 5000;
    while (!informer.get('ns', 'b') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await informer.stop();
    server.closeAllConnections();
    expect(informer.hasSynced()).toBe(true);
    expect(events).toEqual(['add a', 'add b']);
    expect(restarts).toEqual(['ConfigMap', 'ConfigMap', 'ConfigMap']);
    expect(api.calls).toEqual({ list: 1, watch: 4 });
    expect(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});

describe('Informer in namespace-scoped mode', () => {
  let server: Server;
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('lists and watches each watched namespace on its own path, never the whole cluster, and merges them', async () => {
    const paths: string[] = [];
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      paths.push(`${url.searchParams.get('watch') === 'true' ? 'watch' : 'list'} ${url.pathname}`);
      const ns = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/.exec(url.pathname)?.[1];
      if (!ns) return void res.writeHead(403).end('{}');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (url.searchParams.get('watch') === 'true') {
        return void res.write(
          JSON.stringify({
            type: 'ADDED',
            object: { ...cm(`late-${ns}`, '2'), metadata: { name: `late-${ns}`, namespace: ns, resourceVersion: '2' } },
          }) + '\n',
        );
      }
      res.end(
        JSON.stringify({
          items: [{ ...cm('a', '1'), metadata: { name: 'a', namespace: ns, resourceVersion: '1' } }],
          metadata: { resourceVersion: '1' },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = localKubeConfig(server);
    const informer = new Informer(CONFIG_MAP, {
      connection: kc,
      client: new RestClient(kc),
      logger: pino({ level: 'silent' }),
      clock: realClock,
      namespaces: ['team-a', 'team-b'],
    });
    const events: string[] = [];
    informer.on((type, obj) => events.push(`${type} ${obj.metadata?.namespace}/${obj.metadata?.name}`));
    await informer.start();
    const deadline = Date.now() + 5000;
    while (!(informer.get('team-a', 'late-team-a') && informer.get('team-b', 'late-team-b')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await informer.stop();
    server.closeAllConnections();
    expect(informer.hasSynced()).toBe(true);
    expect([...new Set(paths)].sort()).toEqual([
      'list /api/v1/namespaces/team-a/configmaps',
      'list /api/v1/namespaces/team-b/configmaps',
      'watch /api/v1/namespaces/team-a/configmaps',
      'watch /api/v1/namespaces/team-b/configmaps',
    ]);
    expect(events.sort()).toEqual(['add team-a/a', 'add team-a/late-team-a', 'add team-b/a', 'add team-b/late-team-b']);
    expect(
      informer
        .list()
        .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)
        .sort(),
    ).toEqual(['team-a/a', 'team-a/late-team-a', 'team-b/a', 'team-b/late-team-b']);
    expect(informer.list('team-b')).toHaveLength(2);
    expect(informer.get('team-c', 'a')).toBeUndefined();
    expect(informer.get('team-a', 'a')?.kind).toBe('ConfigMap');
  });

  it('lists and watches Events with the field selector, and caches only the view of each', async () => {
    const queries: string[] = [];
    const event = (name: string, rv: string) => ({
      metadata: { name, namespace: 'ns', resourceVersion: rv, managedFields: [{ manager: 'kubelet' }] },
      involvedObject: { kind: 'Pod', name: 'compiler-1', uid: 'u1', fieldPath: 'spec.containers{openvox-server}' },
      reason: 'Unhealthy',
      message: `Readiness probe failed: ${'x'.repeat(1000)}`,
      source: { component: 'kubelet', host: 'node' },
      reportingComponent: 'kubelet',
      type: 'Warning',
      count: 3,
      lastTimestamp: '2026-01-01T00:00:03Z',
    });
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const watch = url.searchParams.get('watch') === 'true';
      queries.push(`${watch ? 'watch' : 'list'} ${url.pathname} ${url.searchParams.get('fieldSelector')}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (watch) return void res.write(JSON.stringify({ type: 'ADDED', object: event('b', '2') }) + '\n');
      res.end(JSON.stringify({ items: [event('a', '1')], metadata: { resourceVersion: '1' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = localKubeConfig(server);
    const informer = new Informer(PROBE_EVENT, {
      connection: kc,
      client: new RestClient(kc),
      logger: pino({ level: 'silent' }),
      clock: realClock,
      fieldSelector: PROBE_EVENT.fieldSelector,
    });
    await informer.start();
    const deadline = Date.now() + 5000;
    while (!informer.get('ns', 'b') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await informer.stop();
    server.closeAllConnections();
    const selector =
      'involvedObject.kind=Pod,involvedObject.fieldPath=spec.containers{openvox-server},reason=Unhealthy';
    expect([...new Set(queries)]).toEqual([`list /api/v1/events ${selector}`, `watch /api/v1/events ${selector}`]);
    const cached = informer.get('ns', 'b') as Record<string, unknown>;
    expect(Object.keys(cached).sort()).toEqual([
      'apiVersion',
      'count',
      'involvedObject',
      'kind',
      'lastTimestamp',
      'message',
      'metadata',
    ]);
    expect(cached.metadata).toEqual({ name: 'b', namespace: 'ns', resourceVersion: '2' });
    expect((cached.message as string).length).toBe(300);
  });
});
