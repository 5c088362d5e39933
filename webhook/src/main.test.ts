// Runs the built entry point (npm run build first): flags, readiness without a cluster, SIGTERM drain.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:tls';
import { createCa, issueCertificate } from '@openvox/shared/testing';
import { MUTATE_PATH } from './http/app.js';
import { seedServer, serverReview } from './testing/fixtures.js';

const MAIN = resolve(process.cwd(), 'webhook/dist/main.js');

let dir: string;
let caPem: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'webhook-main-'));
  const ca = await createCa('webhook-test-ca');
  caPem = ca.certPem;
  const leaf = await issueCertificate(ca, { commonName: 'localhost', ipAddresses: ['127.0.0.1'], usages: ['server'] });
  writeFileSync(join(dir, 'tls.crt'), leaf.certPem);
  writeFileSync(join(dir, 'tls.key'), leaf.keyPem);
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  port: number;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function startMain(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [...nodeArgs, MAIN, ...args], { env: { PATH: process.env.PATH, ...env } });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolvePort, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        if (line.msg === 'listening') resolvePort({ child, port: line.port as number, logs, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`webhook exited with ${code}`)));
  });
}

function rawRequest(port: number, raw: string, split?: (write: (s: string) => void) => Promise<void>): Promise<string> {
  return new Promise((res, rej) => {
    const socket = connect({ host: '127.0.0.1', port, ca: caPem, servername: 'localhost' }, () => {
      if (split) void split((s) => socket.write(s));
      else socket.write(raw);
    });
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => res(data));
    socket.on('error', rej);
  });
}

/** Serving on a free port with the test certificate. */
const servingFlags = () => [
  '--port',
  '0',
  '--bind-address',
  '127.0.0.1',
  '--tls-cert',
  join(dir, 'tls.crt'),
  '--tls-key',
  join(dir, 'tls.key'),
];
/** A kubeconfig path that does not exist: the webhook runs without reference lookups. */
const noCluster = () => ({ KUBECONFIG: join(dir, 'does-not-exist') });

describe('node webhook/dist/main.js', () => {
  it('serves with flags, is ready with no cluster, logs that once and drains on SIGTERM', async () => {
    const { child, port, logs, exited } = await startMain(servingFlags(), noCluster());
    try {
      const ready = await rawRequest(port, 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(ready).toMatch(/^HTTP\/1\.1 200/);
      expect(logs.filter((l) => String(l.msg).includes('reference lookups are off'))).toHaveLength(1);

      const body = JSON.stringify(serverReview(seedServer(), { uid: 'sigterm-uid' }));
      const half = Math.floor(body.length / 2);
      const response = rawRequest(port, '', async (write) => {
        write(
          `POST ${MUTATE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
        );
        await new Promise((r) => setTimeout(r, 100));
        child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 100));
        write(body.slice(half));
      });
      const text = await response;
      expect(text).toMatch(/^HTTP\/1\.1 200/);
      expect(text).toContain('"uid":"sigterm-uid"');
      expect(await exited).toBe(0);
      expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.each([
    [
      'an uncaught exception',
      'process.on("SIGUSR2", () => setImmediate(() => { throw new Error("async boom"); }))',
      'uncaught exception: exiting',
    ],
    [
      'an unhandled rejection',
      'process.on("SIGUSR2", () => void Promise.reject(new Error("async boom")))',
      'unhandled rejection: exiting',
    ],
  ])('logs %s as fatal and exits 1 instead of serving on', async (_what, code, msg) => {
    // A preloaded module throws asynchronously on SIGUSR2 once the webhook is up, as a bug in a callback would.
    const started = await startMain(servingFlags(), noCluster(), [
      '--import',
      `data:text/javascript,${encodeURIComponent(code)}`,
    ]);
    try {
      started.child.kill('SIGUSR2');
      const stillRunning = new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000).unref());
      expect(await Promise.race([started.exited, stillRunning])).toBe(1);
      await new Promise((r) => setImmediate(r));
      expect(started.logs).toContainEqual(
        expect.objectContaining({ level: 60, msg, err: expect.objectContaining({ message: 'async boom' }) }),
      );
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('exits 2 with a usage message on an unknown flag', async () => {
    const child = spawn(process.execPath, [MAIN, '--prot', '1']);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --prot');
  });
});
