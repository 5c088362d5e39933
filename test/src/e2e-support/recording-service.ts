// A small real HTTP service for e2e tests that pods call (an ENC classifier, a report receiver): it
// listens on the node IP (pods reach it, nothing beyond the node does), records every request, answers
// as the test says, and can be stopped and started again on the same port.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NODE } from '../cluster/node/host.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

export class RecordingService {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private port = 0;

  constructor(public reply: (req: RecordedRequest) => Reply) {}

  get url(): string {
    return `http://${NODE.ip}:${this.port}`;
  }

  /** Listens (again, on the same port once one was picked). */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(got);
        const r = this.reply(got);
        res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/plain' }).end(r.body);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, NODE.ip, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
