import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { realClock } from './clock.js';
import { RestClient } from './client.js';
import { Informer } from './informer.js';
import { localKubeConfig } from './local-kubeconfig.test-helpers.js';
import { CONFIG_MAP } from './resources.js';

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
