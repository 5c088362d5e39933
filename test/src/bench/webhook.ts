// Webhook throughput and latency on loopback: mutate and validate against a bare express HTTPS handler.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { MUTATE_PATH, VALIDATE_PATH, mutate } from '@openvox/webhook';
import { fullServer, serverReview } from '@openvox/webhook/testing';
import { freePort } from '../cluster/processes.js';
import { waitFor200 } from '../cluster/health.js';
import { startNodeChild, type Child } from '../operator/children.js';
import { writeServingCertificate, type ServingTls } from '../operator/webhook-process.js';
import { REPO_ROOT } from '../cluster/paths.js';
import { chartNodeFlags } from './chart-node-options.js';
import { peakRssMiB, rssMiB } from './process-stats.js';
import { summariseProfile } from './profile.js';

export interface Measurement {
  name: string;
  requestsPerSecond: number;
  /** Server CPU time per request (Linux /proc); robust against other load on the machine. */
  cpuMicrosPerRequest: number | undefined;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface WebhookBenchResult {
  connections: number;
  durationSeconds: number;
  rounds: number;
  bare: Measurement;
  mutate: Measurement;
  validate: Measurement;
  /** Resident memory after the load, now and at its peak: the webhook's and the bare handler's floor. */
  memory: {
    webhookMiB: number;
    webhookPeakMiB: number;
    bareMiB: number;
    barePeakMiB: number;
    loadSeconds: number;
    nodeFlags: string[];
  };
  profile?: string;
}

export interface WebhookBenchOptions {
  connections?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Alternating rounds the duration is split into (each round runs every target once). */
  rounds?: number;
  /** Node flags of both processes; default: the heap limits the chart sets for the webhook. */
  nodeFlags?: string[];
  /** Run the webhook with --cpu-prof and write the profile here; the summary is returned. */
  cpuProfileDir?: string;
  log?: (line: string) => void;
}

const BARE_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'bare-server.js');
const WEBHOOK_MAIN = join(REPO_ROOT, 'webhook', 'dist', 'main.js');

/** One `node webhook/dist/main.js` on loopback, optionally with V8 flags (startWebhookChild takes none). */
async function startWebhookProcess(
  port: number,
  tls: ServingTls,
  logFile: string,
  nodeFlags: string[],
): Promise<Child> {
  const out = openSync(logFile, 'a');
  const args = ['--port', String(port), '--bind-address', '127.0.0.1', '--tls-cert', tls.cert, '--tls-key', tls.key];
  const child = spawn(process.execPath, [...nodeFlags, WEBHOOK_MAIN, ...args], { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: Child = {
    name: 'webhook',
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitFor200(
    'webhook',
    `https://127.0.0.1:${port}/readyz`,
    { ca: tls.ca },
    30_000,
    () => child.exitCode === null,
  );
  return handle;
}

/** What the validating webhook receives in a cluster: the object after the mutating webhook's patch. */
function bodies(): { mutate: string; validate: string } {
  const object = fullServer();
  const patch = mutate(serverReview(object)).patch;
  const ops = patch ? (JSON.parse(Buffer.from(patch, 'base64').toString()) as Operation[]) : [];
  const defaulted = jsonpatch.applyPatch(structuredClone(object), ops, true, false).newDocument;
  return { mutate: JSON.stringify(serverReview(object)), validate: JSON.stringify(serverReview(defaulted)) };
}

interface Target {
  name: string;
  url: string;
  body: string;
  /** The server process, whose CPU time per request is measured. */
  pid: number | undefined;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux). CPU time per request does not
 * grow when other processes compete for the CPU, unlike wall-clock figures.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

interface Run {
  cpuSeconds: number | undefined;
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
  non2xx: number;
}

/**
 * Runs the targets in alternating rounds so that load from other processes on the machine hits all
 * of them alike. req/s is total requests over total time; p50/p99 come from every response's own
 * latency (autocannon's summary histogram only has whole milliseconds).
 */
async function interleaved(
  targets: Target[],
  connections: number,
  seconds: number,
  rounds: number,
): Promise<Measurement[]> {
  const runs = targets.map(() => [] as Run[]);
  const slice = Math.max(1, Math.round(seconds / rounds));
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) {
      const before = cpuSeconds(target.pid);
      const run = await load(target.url, target.body, connections, slice);
      const after = cpuSeconds(target.pid);
      runs[i]!.push({ ...run, cpuSeconds: before !== undefined && after !== undefined ? after - before : undefined });
    }
  }
  return targets.map((target, i) => {
    const measured = runs[i]!;
    const latencies = Float64Array.from(measured.flatMap((r) => r.latencies)).sort();
    const requests = measured.reduce((sum, r) => sum + r.requests, 0);
    const cpu = measured.every((r) => r.cpuSeconds !== undefined)
      ? measured.reduce((sum, r) => sum + (r.cpuSeconds ?? 0), 0)
      : undefined;
    return {
      name: target.name,
      requestsPerSecond: requests / measured.reduce((sum, r) => sum + r.seconds, 0),
      cpuMicrosPerRequest: cpu === undefined || requests === 0 ? undefined : (cpu * 1e6) / requests,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      errors: measured.reduce((sum, r) => sum + r.errors, 0),
      non2xx: measured.reduce((sum, r) => sum + r.non2xx, 0),
    };
  });
}

function load(url: string, body: string, connections: number, seconds: number): Promise<Omit<Run, 'cpuSeconds'>> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else
          resolve({
            requests: result.requests.total,
            seconds: result.duration,
            latencies,
            errors: result.errors + result.timeouts,
            non2xx: result.non2xx,
          });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

export async function benchWebhook(options: WebhookBenchOptions = {}): Promise<WebhookBenchResult> {
  const connections = options.connections ?? 10;
  // 2 × (14 + 2) s: the webhook's RSS is read after 32 s of load, beside the bare handler's after 16.
  const seconds = options.durationSeconds ?? 14;
  const warmup = options.warmupSeconds ?? 2;
  const rounds = options.rounds ?? 4;
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'openvox-bench-'));
  const children: Child[] = [];
  try {
    const tls = await writeServingCertificate(dir);
    const body = bodies();

    const webhookPort = await freePort();
    const profileDir = options.cpuProfileDir;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    // Both run with the heap limits the chart gives the webhook, so the floor is comparable.
    const heapFlags = options.nodeFlags ?? chartNodeFlags('webhook');
    const nodeFlags = [...heapFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const webhookChild = await startWebhookProcess(webhookPort, tls, join(dir, 'webhook.log'), nodeFlags);
    children.push(webhookChild);
    const barePort = await freePort();
    const bare = startNodeChild(
      'bare',
      BARE_MAIN,
      [String(barePort), tls.cert, tls.key],
      join(dir, 'bare.log'),
      heapFlags,
    );
    children.push(bare);
    await waitFor200(
      'bare handler',
      `https://127.0.0.1:${barePort}/readyz`,
      { ca: tls.ca },
      15_000,
      () => bare.process.exitCode === null,
    );

    const webhook = `https://127.0.0.1:${webhookPort}`;
    const bareUrl = `https://127.0.0.1:${barePort}${VALIDATE_PATH}`;
    log(`warming up (${warmup}s each)`);
    await load(bareUrl, body.validate, connections, warmup);
    await load(webhook + MUTATE_PATH, body.mutate, connections, warmup);
    await load(webhook + VALIDATE_PATH, body.validate, connections, warmup);

    log(`measuring ${seconds}s each at ${connections} connections, in ${rounds} alternating rounds`);
    const [bareResult, mutateResult, validateResult] = await interleaved(
      [
        { name: 'bare express HTTPS handler', url: bareUrl, body: body.validate, pid: bare.process.pid },
        { name: 'mutate', url: webhook + MUTATE_PATH, body: body.mutate, pid: webhookChild.process.pid },
        { name: 'validate', url: webhook + VALIDATE_PATH, body: body.validate, pid: webhookChild.process.pid },
      ],
      connections,
      seconds,
      rounds,
    );
    const memory = {
      webhookMiB: rssMiB(webhookChild.process.pid!),
      webhookPeakMiB: peakRssMiB(webhookChild.process.pid!),
      bareMiB: rssMiB(bare.process.pid!),
      barePeakMiB: peakRssMiB(bare.process.pid!),
      // The webhook serves mutate and validate, so it has had twice the bare handler's load.
      loadSeconds: 2 * (seconds + warmup),
      nodeFlags: heapFlags,
    };
    let profile: string | undefined;
    if (profileDir) {
      // V8 writes the profile when the process exits.
      await webhookChild.stop();
      const newest = readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .pop();
      if (newest) profile = summariseProfile(join(profileDir, newest));
    }
    return {
      connections,
      durationSeconds: seconds,
      rounds,
      bare: bareResult!,
      mutate: mutateResult!,
      validate: validateResult!,
      memory,
      profile,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatWebhookBench(result: WebhookBenchResult): string {
  const rows = [result.bare, result.mutate, result.validate];
  const ratio = (m: Measurement) => `${(m.requestsPerSecond / result.bare.requestsPerSecond).toFixed(2)}x`;
  const cpu = (m: Measurement) => (m.cpuMicrosPerRequest === undefined ? '-' : m.cpuMicrosPerRequest.toFixed(0));
  const cpuRatio = (m: Measurement) =>
    m.cpuMicrosPerRequest === undefined || result.bare.cpuMicrosPerRequest === undefined
      ? '-'
      : `${(result.bare.cpuMicrosPerRequest / m.cpuMicrosPerRequest).toFixed(2)}x`;
  const columns: [string, number][] = [
    ['endpoint', 28],
    ['req/s', 8],
    ['p50 ms', 8],
    ['p99 ms', 8],
    ['vs bare', 9],
    ['CPU µs/req', 12],
    ['CPU vs bare', 13],
    ['errors', 8],
  ];
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(columns[i]![1]) : cell.padStart(columns[i]![1]))).join('');
  const lines = [
    `webhook, ${result.connections} connections, ${result.durationSeconds}s each in ${result.rounds} alternating rounds, HTTPS on 127.0.0.1`,
    '(p50/p99 over every response of all rounds; CPU = server process user+system time per request,',
    ' "CPU vs bare" = the throughput ratio one CPU would give without competing load)',
    row(columns.map(([name]) => name)),
    ...rows.map((m) =>
      row([
        m.name,
        m.requestsPerSecond.toFixed(0),
        m.p50Ms.toFixed(2),
        m.p99Ms.toFixed(2),
        ratio(m),
        cpu(m),
        cpuRatio(m),
        String(m.errors + m.non2xx),
      ]),
    ),
  ];
  const m = result.memory;
  lines.push(
    `RSS after ${m.loadSeconds} s of load: webhook ${m.webhookMiB.toFixed(0)} MiB (peak ${m.webhookPeakMiB.toFixed(0)}; target <= 100 -> ${m.webhookMiB <= 100 ? 'met' : 'NOT met'}), ` +
      `bare express floor ${m.bareMiB.toFixed(0)} MiB (peak ${m.barePeakMiB.toFixed(0)}); node ${m.nodeFlags.join(' ') || 'without flags'}`,
  );
  if (result.profile) lines.push('', result.profile);
  return lines.join('\n');
}
