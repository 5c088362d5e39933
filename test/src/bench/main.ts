// npm run bench: every benchmark in order, then a summary.
// `npm run bench -- --cpu-prof` also profiles the webhook process and prints where its time goes;
// `--servers 200,1000` picks the controller's sizes (default 200,1000,5000), `--idle-seconds` its idle
// window (default 120), `--only controller|webhook` one half.
import { parseArgs } from 'node:util';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWebhook, formatWebhookBench } from './webhook.js';
import { benchHandlers, formatHandlerCost } from './handlers.js';
import { benchController, formatControllerBench } from './controller.js';
import { benchUnrelatedObjects, formatUnrelatedObjects } from './unrelated-objects.js';
import { clusterUp } from '../cluster/cluster.js';

const { values: args } = parseArgs({
  options: {
    'cpu-prof': { type: 'boolean', default: false },
    servers: { type: 'string', default: '200,1000,5000' },
    'idle-seconds': { type: 'string', default: '120' },
    only: { type: 'string' },
  },
});

function positiveInts(flag: string, text: string): number[] {
  const values = text.split(',').map(Number);
  if (!values.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--${flag}: positive integers, comma-separated`);
  return values;
}

async function main(): Promise<void> {
  const servers = positiveInts('servers', args.servers).sort((a, b) => a - b);
  const idleSeconds = positiveInts('idle-seconds', args['idle-seconds'])[0]!;
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  // Each summary is printed as soon as it is measured (the whole run takes a while), and all again at the end.
  const summaries = {
    items: [] as string[],
    push(...lines: string[]) {
      this.items.push(...lines);
      process.stdout.write(`${lines.join('\n\n')}\n\n`);
    },
  };

  // Absolute figures depend on what else runs; the ratio to the bare handler measured alongside does not.
  const machine = () => `${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)}`;
  summaries.push(`machine at start: ${machine()}`);

  if (args.only !== 'controller') await webhookBenchmarks(summaries, log, machine);
  if (args.only !== 'webhook') {
    // The controller benchmark needs the local control plane (built once, then reused while healthy).
    log('controller: local control plane');
    await clusterUp();
    summaries.push(
      formatControllerBench(await benchController({ log, servers, idleSeconds })),
      `machine at end: ${machine()}`,
    );
    log('controller: memory beside unrelated objects');
    summaries.push(formatUnrelatedObjects(await benchUnrelatedObjects({ log })), `machine at end: ${machine()}`);
  }

  process.stdout.write(`\nsummary\n\n${summaries.items.join('\n\n')}\n`);
}

async function webhookBenchmarks(
  summaries: { push(...lines: string[]): void },
  log: (line: string) => void,
  machine: () => string,
): Promise<void> {
  log('handler cost in-process');
  summaries.push(formatHandlerCost(benchHandlers()));

  const cpuProfileDir = args['cpu-prof'] ? join(tmpdir(), 'openvox-bench-profiles') : undefined;
  const webhook = await benchWebhook({ log, cpuProfileDir });
  summaries.push(formatWebhookBench(webhook), `machine at end: ${machine()}`);
  const worst =
    Math.min(webhook.mutate.requestsPerSecond, webhook.validate.requestsPerSecond) / webhook.bare.requestsPerSecond;
  const p99 = Math.max(webhook.mutate.p99Ms, webhook.validate.p99Ms);
  summaries.push(
    `target: >= 0.50x bare and p99 < 2 ms -> ${worst >= 0.5 && p99 < 2 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x, p99 ${p99.toFixed(2)} ms)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
