// For the tests of the pods' Ruby scripts: a real HTTP service on 127.0.0.1 that records what it was
// sent, and the script run as a real process (async: the service answers from this same process).
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const RUBY = '/usr/bin/ruby';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface TestService {
  url: string;
  received: Received[];
  answer: (req: Received) => Answer;
  close(): Promise<void>;
}

export async function startService(answer: (req: Received) => Answer): Promise<TestService> {
  const hung: (() => void)[] = [];
  const service: TestService = { url: '', received: [], answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      service.received.push(got);
      const a = service.answer(got);
      if (a.hang) {
        hung.push(() => res.destroy());
        return;
      }
      res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.close = async () => {
    for (const h of hung) h();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return service;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args`, a minimal environment plus `env`, and `input` on stdin. */
export function runScript(file: string, args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    // puppetserver passes its JRuby settings; the scripts must not load gems from them.
    const child = spawn(file, args, {
      env: { PATH: '/usr/bin:/bin', RUBYLIB: '/nonexistent', GEM_HOME: '/nonexistent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
