// A debugging port for tests and benchmarks, only with --debug-port and only on 127.0.0.1 (app.ts):
// `POST /debug/resync` enqueues every object and answers once the queues drain; `GET /debug/memory`
// tells where the memory goes (per-informer objects and JSON bytes, V8 heap spaces). The chart never
// enables it, so in a cluster no pod can trigger resyncs.
import { createServer, type Server } from 'node:http';

export interface DebugHttpOptions {
  /** Enqueues every object and resolves once the queues drain; false when this replica is not working. */
  resync: () => Promise<boolean>;
  /** Any JSON-serialisable report; `gc` asks for a full garbage collection first (live objects only). */
  memory?: (gc: boolean) => unknown;
}

/** The only address the debug port binds to. */
export const DEBUG_BIND_ADDRESS = '127.0.0.1';

export function createDebugServer(opts: DebugHttpOptions): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/debug/memory' && opts.memory && req.method === 'GET') {
      const report = opts.memory(url.searchParams.get('gc') === '1');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(report));
      return;
    }
    if (path !== '/debug/resync') {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    // Reconciles are idempotent, so a resync on demand is harmless.
    opts
      .resync()
      .then((ok) =>
        res.writeHead(ok ? 200 : 409, { 'Content-Type': 'text/plain' }).end(ok ? 'resynced' : 'not the leader'),
      )
      .catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
}
