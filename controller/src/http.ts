// Health, readiness and metrics endpoints.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HttpOptions {
  registry: Registry;
  /** Ready once the informer caches have synced. */
  ready: () => boolean;
  /** Enqueues every object and resolves once the queues drain; false when this replica is not working. */
  resync?: () => Promise<boolean>;
}

export function createHttpServer(opts: HttpOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/debug/resync' && opts.resync) {
      // A full resync on demand (tests, benchmarks): reconciles are idempotent, so this is harmless.
      opts
        .resync()
        .then((ok) =>
          res.writeHead(ok ? 200 : 409, { 'Content-Type': 'text/plain' }).end(ok ? 'resynced' : 'not the leader'),
        )
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok' : 'caches not synced');
    } else if (path === '/metrics') {
      opts.registry
        .metrics()
        .then((body) => res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(body))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    } else {
      res.writeHead(404).end();
    }
  });
}
