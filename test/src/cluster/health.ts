// Polls health endpoints until they answer 200 or a deadline passes.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TlsFiles {
  ca: string;
  cert?: string;
  key?: string;
}

export function getStatus(url: string, tls?: TlsFiles, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const options = tls
      ? { ca: readFileSync(tls.ca), cert: tls.cert && readFileSync(tls.cert), key: tls.key && readFileSync(tls.key) }
      : {};
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { ...options, timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export async function waitFor200(
  what: string,
  url: string,
  tls: TlsFiles | undefined,
  timeoutMs: number,
  alive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await getStatus(url, tls)) === 200) return;
    if (!alive()) throw new Error(`${what} exited before it became healthy; see its log in .cluster/logs`);
    await sleep(250);
  }
  throw new Error(`${what} not healthy at ${url} after ${timeoutMs / 1000} s; see its log in .cluster/logs`);
}
