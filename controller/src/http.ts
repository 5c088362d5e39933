// The controller's HTTP port: /healthz and /readyz for the kubelet (no auth), and /metrics for
// callers whose bearer token the API server authenticates and allows to get the URL /metrics.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { TokenAuthorizer } from './kube/token-auth.js';

export interface HttpOptions {
  registry: Registry;
  /** Ready once the informer caches have synced. */
  ready: () => boolean;
  /** Decides from the Authorization header whether /metrics may be read (TokenReview + SubjectAccessReview). */
  authorizeMetrics: TokenAuthorizer;
}

const TEXT = { 'Content-Type': 'text/plain' };

export function createHttpServer(opts: HttpOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, TEXT).end('ok');
    } else if (path === '/readyz') {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, TEXT).end(ok ? 'ok' : 'caches not synced');
    } else if (path === '/metrics') {
      opts
        .authorizeMetrics(req.headers.authorization)
        .then(async (decision) => {
          if (decision.status !== 200) {
            const headers = decision.status === 401 ? { ...TEXT, 'WWW-Authenticate': 'Bearer' } : TEXT;
            res.writeHead(decision.status, headers).end(decision.message);
            return;
          }
          const body = await opts.registry.metrics();
          res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(body);
        })
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    } else {
      res.writeHead(404).end();
    }
  });
}
