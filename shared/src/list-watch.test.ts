import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromAccess } from './kube/connection.js';
import { ListWatch, listAll, type ObjectList } from './list-watch.js';

interface Obj {
  metadata: { name: string; namespace: string; resourceVersion: string };
}
const obj = (name: string, rv: string): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

/** A stand-in watch endpoint: each watch request is handed to the next script in `watches`. */
async function fakeWatchServer(watches: ((res: ServerResponse, rv: string) => void)[]) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const rv = new URL(req.url!, 'http://x').searchParams.get('resourceVersion') ?? '';
    seen.push(rv);
    const next = watches.shift();
    if (!next) return void res.writeHead(200); // a quiet, open watch
    next(res, rv);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const connection = fromAccess({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    insecureSkipTlsVerify: true,
  });
  return { server, connection, seen };
}

const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

describe('ListWatch', () => {
  it('resumes a watch the server ended from the last resourceVersion (bookmarks too); a 410 lists again', async () => {
    const lists: ObjectList<Obj>[] = [
      { items: [obj('a', '1'), obj('b', '1')], metadata: { resourceVersion: '1' } },
      { items: [obj('a', '9'), obj('c', '9')], metadata: { resourceVersion: '9' } },
    ];
    const api = await fakeWatchServer([
      // Split inside a line and inside a multi-byte character: the decoder must join them.
      (res) => {
        const text = line('MODIFIED', { ...obj('a', '2'), data: 'ü' }) + line('BOOKMARK', obj('', '5'));
        const bytes = Buffer.from(text);
        const cut = bytes.indexOf(Buffer.from('ü')) + 1;
        res.writeHead(200);
        res.write(bytes.subarray(0, cut));
        setTimeout(() => res.end(bytes.subarray(cut)), 20);
      },
      (res) => {
        res.writeHead(200);
        res.end(line('ERROR', { kind: 'Status', code: 410, message: 'too old resource version' }));
      },
    ]);
    const events: string[] = [];
    const relists: (string | undefined)[] = [];
    const lw = new ListWatch<Obj>({
      connection: api.connection,
      path: '/api/v1/configmaps',
      list: async () => lists.shift()!,
    });
    for (const t of ['add', 'update', 'delete'] as const)
      lw.on(t, (o) => events.push(`${t} ${o.metadata.name}@${o.metadata.resourceVersion}`));
    const running = lw.run((relist) => relists.push(relist));
    const deadline = Date.now() + 5000;
    while (api.seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    lw.stop();
    await running;
    api.server.closeAllConnections();
    api.server.close();

    expect(api.seen).toEqual(['1', '5', '9']);
    expect(relists).toEqual([undefined, 'expired']);
    expect(events).toEqual(['add a@1', 'add b@1', 'update a@2', 'update a@9', 'add c@9', 'delete b@1']);
    expect(lw.get('a', 'ns')).toEqual(obj('a', '9'));
    expect(lw.list('ns').map((o) => o.metadata.name)).toEqual(['a', 'c']);
  });

  it('rejects on a failed watch but keeps its resourceVersion, so the next run watches on without a list', async () => {
    const api = await fakeWatchServer([(res) => void res.writeHead(500).end('{"message":"boom"}')]);
    let lists = 0;
    const lw = new ListWatch<Obj>({
      connection: api.connection,
      path: '/api/v1/configmaps',
      list: async () => (lists++, { items: [], metadata: { resourceVersion: '7' } }),
    });
    await expect(lw.run(() => undefined)).rejects.toThrow('watch /api/v1/configmaps: 500');
    const again = lw.run(() => undefined);
    while (api.seen.length < 2) await new Promise((r) => setTimeout(r, 10));
    lw.stop();
    await again;
    api.server.closeAllConnections();
    api.server.close();
    expect({ lists, watchedFrom: api.seen }).toEqual({ lists: 1, watchedFrom: ['7', '7'] });
  });
});

describe('ListWatch with a field selector', () => {
  it('sends the selector on every watch, and listAll on every page', async () => {
    const queries: string[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const q = url.searchParams;
      queries.push(`${q.get('watch') ? 'watch' : `list ${q.get('continue') ?? ''}`} ${q.get('fieldSelector')}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (q.get('watch')) return void res.end(line('ADDED', obj('b', '3')));
      const first = !q.get('continue');
      res.end(
        JSON.stringify({
          items: [obj(first ? 'a' : 'c', '2')],
          metadata: { resourceVersion: '2', ...(first ? { continue: 'next' } : {}) },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const connection = fromAccess({
      server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      insecureSkipTlsVerify: true,
    });
    const fieldSelector = 'involvedObject.kind=Pod,reason=Unhealthy';
    const lw = new ListWatch<Obj>({
      connection,
      path: '/api/v1/events',
      fieldSelector,
      list: () => listAll<Obj>(connection, '/api/v1/events', undefined, fieldSelector),
    });
    const running = lw.run(() => undefined);
    const deadline = Date.now() + 5000;
    while (queries.filter((q) => q.startsWith('watch')).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    lw.stop();
    await running;
    server.closeAllConnections();
    server.close();
    expect(queries.slice(0, 4)).toEqual([
      `list  ${fieldSelector}`,
      `list next ${fieldSelector}`,
      `watch ${fieldSelector}`,
      `watch ${fieldSelector}`,
    ]);
    expect(lw.list('ns').map((o) => o.metadata.name)).toEqual(['a', 'c', 'b']);
  });
});
