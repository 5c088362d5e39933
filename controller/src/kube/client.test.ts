import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { RestClient } from './client.js';
import { FencedError, LeaderFence } from './fence.js';
import { CONFIG_MAP } from './resources.js';

/** An API server stand-in that records requests and answers GETs only after `release()`. */
async function apiServer() {
  const requests: { method?: string; url?: string; userAgent?: string }[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method, url: req.url, userAgent: req.headers['user-agent'] });
    const answer = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{}}');
    if (req.method === 'GET') void held.then(answer);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { kc, requests, release, close: () => (server.closeAllConnections(), server.close()) };
}

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };

describe('RestClient with a write fence', () => {
  it('sends no write once the lease lapsed, and aborts the reads in flight', async () => {
    const api = await apiServer();
    let holds = true;
    const fence = new LeaderFence({ holdsLease: () => holds }, () => undefined);
    fence.open();
    const writes: string[] = [];
    const client = new RestClient(api.kc, { fence, userAgent: 'test-agent/1', onWrite: (v) => writes.push(v) });
    await client.apply(CONFIG_MAP, cm);
    const read = client.get(CONFIG_MAP, 'ns', 'a');
    await new Promise((r) => setTimeout(r, 50));
    holds = false;
    await expect(client.apply(CONFIG_MAP, cm)).rejects.toThrow(FencedError);
    await expect(read).rejects.toThrow();
    await expect(client.delete(CONFIG_MAP, 'ns', 'a')).rejects.toThrow(new FencedError('leadership was lost'));
    api.release();
    api.close();
    expect(api.requests.map((r) => r.method)).toEqual(['PATCH', 'GET']);
    expect(api.requests[0]!.userAgent).toBe('test-agent/1');
    expect(writes).toEqual(['apply']);
  });

  it('aborts a write whose lease lapsed between the first check and the socket write', async () => {
    const api = await apiServer();
    let holds = true;
    const fence = new LeaderFence({ holdsLease: () => holds }, () => undefined);
    fence.open();
    // onWrite runs right after the first check: the process "froze" there and resumed past its lease.
    const client = new RestClient(api.kc, { fence, onWrite: () => (holds = false) });
    await expect(client.apply(CONFIG_MAP, cm)).rejects.toThrow();
    api.release();
    api.close();
    expect(api.requests).toEqual([]);
    expect(fence.signal.aborted).toBe(true);
  });
});
