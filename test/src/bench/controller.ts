// Controller benchmark on the local control plane: N Servers applied at once → time until every one has
// its Deployment and a status, API writes per Server, writes of a full resync afterwards (must be 0),
// and a kill -9 in the middle of a second batch followed by a restart (must converge, no duplicates or orphans).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_VERSION, LABEL_MANAGED_BY, MANAGER } from '@openvox/shared';
import {
  CERTIFICATE,
  DEPLOYMENT,
  RestClient,
  SERVER,
  loadKubeConfig,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '@openvox/controller';
import { REPO_ROOT, clusterPaths } from '../cluster/paths.js';
import { freePort } from '../cluster/processes.js';
import { installCrds } from '../operator/crds.js';
import { fileKubeConfig } from '../operator/kubeconfig.js';
import { startNodeChild, type Child } from '../operator/children.js';
import { grantMetricsScraper } from '../operator/metrics-scraper.js';
import { readMetrics } from '../e2e-support/metrics.js';
import { chartNodeFlags } from './chart-node-options.js';
import { WatchedNamespace, countConverged, type Watched } from './watched-namespace.js';
import { idleCpuSeconds, peakRssMiB, rssMiB, settledRss } from './process-stats.js';

export interface ControllerBenchOptions {
  log: (line: string) => void;
  /** Sizes to run, smallest first; the first one also runs the kill -9 restart. */
  servers?: number[];
  restartServers?: number;
  concurrency?: number;
  kubeconfig?: string;
  idleSeconds?: number;
  /** Node flags of the controller process; default: what the chart sets (its heap limits). */
  nodeFlags?: string[];
}

export interface RestartResult {
  servers: number;
  killedAfter: number;
  convergeSeconds: number;
  deployments: number;
  orphans: number;
  duplicates: number;
}

export interface ScaleResult {
  servers: number;
  /** Apply → every Server has its Deployment. */
  deploymentsSeconds: number;
  /** Apply → every Server has an owned Deployment and a status for its generation. */
  statusesSeconds: number;
  objectWritesPerServer: number;
  eventWritesPerServer: number;
  writesByKind: Record<string, number>;
  rssStartMiB: number;
  rssSettleMiB: number;
  rssPeakMiB: number;
  idleCpuSeconds: number;
  idleSeconds: number;
  /** Watch events by kind, and reconciles, during the idle window: what the cluster made it do. */
  idleEvents: Record<string, number>;
  idleReconciles: number;
  resyncWrites: number;
  resyncSeconds: number;
  restart?: RestartResult;
  /** At settle. */
  memory: MemoryReport;
}

export interface MemoryReport {
  process: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  heapSpaces: { space: string; usedBytes: number; sizeBytes: number }[];
  caches: { kind: string; objects: number; jsonBytes: number }[];
}

export interface ControllerBenchResult {
  scales: ScaleResult[];
  nodeFlags: string[];
}

const NAMESPACE: ResourceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
export const CONFIG_MAP: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const SECRET_R: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** A namespace for benchmark objects (whose pods never run: see server()). */
export async function benchNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * Bench pods ask for a node that does not exist: they are created and stay Pending, so the node is not
 * measured and, once the scheduler has marked them unschedulable, nothing changes. (A pods=0 quota
 * instead keeps the ReplicaSet controller retrying: ~12 rejected creates and 2 Deployment status
 * updates per Server a minute, each a watch event and a reconcile for the controller under test.)
 */
const NO_NODE = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: 'openvox.voxpupuli.org/bench-no-such-node', operator: 'Exists' }] },
      ],
    },
  },
};

/** A Server-controller-only process on its own Lease, so a controller left running elsewhere cannot keep it from leading. */
export function benchControllerArgs(kubeconfig: string, leaseId: string, extra: string[] = []): string[] {
  return [
    '--kubeconfig',
    kubeconfig,
    '--bind-address',
    '127.0.0.1',
    '--leader-election-id',
    leaseId,
    ...extra,
    '--controllers',
    'server',
  ];
}

/** Deletes the namespace and, with `wait`, returns once it is gone (its objects with it). */
export async function deleteNamespace(client: KubeClient, name: string, wait = false): Promise<void> {
  await client.delete(NAMESPACE, undefined, name).catch(() => undefined);
  for (const deadline = Date.now() + 300_000; wait && Date.now() < deadline; await sleep(1000))
    if (!(await client.get(NAMESPACE, undefined, name))) return;
}
const custom = (kind: string, plural: string): ResourceType => ({
  apiVersion: API_VERSION,
  kind,
  plural,
  namespaced: true,
});

/** Ports of one controller process and the scraper token its /metrics are read with. */
export interface Endpoints {
  port: number;
  debugPort: number;
  metricsToken: string;
}

/** Free ports for one more controller process. */
export async function freshEndpoints(metricsToken: string): Promise<Endpoints> {
  return { port: await freePort(), debugPort: await freePort(), metricsToken };
}

export class ControllerProcess {
  private child: Child | undefined;
  readonly url: string;
  constructor(
    private readonly endpoints: Endpoints,
    private readonly args: string[],
    private readonly logFile: string,
    private readonly nodeFlags: string[] = [],
  ) {
    this.url = `http://127.0.0.1:${endpoints.port}`;
  }
  start(): void {
    this.child = startNodeChild(
      'controller',
      join(REPO_ROOT, 'controller', 'dist', 'main.js'),
      [...this.args, '--port', String(this.endpoints.port), '--debug-port', String(this.endpoints.debugPort)],
      this.logFile,
      this.nodeFlags,
    );
  }
  kill(): void {
    this.child?.process.kill('SIGKILL');
  }
  get pid(): number | undefined {
    return this.child?.process.pid;
  }
  async stop(): Promise<void> {
    await this.child?.stop();
  }
  async metrics(): Promise<string> {
    return readMetrics(this.url, this.endpoints.metricsToken);
  }
  /** Sums of a counter's series by one label (e.g. watch events by kind). */
  async counter(name: string, label: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const pattern = new RegExp(`^${name}\\{(.*)\\} (\\S+)$`);
    for (const line of (await this.metrics()).split('\n')) {
      const m = pattern.exec(line);
      const key = m && new RegExp(`${label}="([^"]*)"`).exec(m[1]!)?.[1];
      if (key !== undefined && key !== null) out[key] = (out[key] ?? 0) + Number(m![2]);
    }
    return out;
  }
  async writes(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const line of (await this.metrics()).split('\n')) {
      const m = /^openvox_controller_api_writes_total\{verb="([^"]*)",kind="([^"]*)"\} (\S+)$/.exec(line);
      if (m && m[2] !== 'Lease') out[`${m[1]} ${m[2]}`] = Number(m[3]);
    }
    return out;
  }
  async waitLeader(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (/^openvox_controller_leader 1$/m.test(await this.metrics())) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('controller did not become leader');
      await sleep(200);
    }
  }
  /** The controller's own account of its memory (GET /debug/memory). */
  async memory(): Promise<MemoryReport> {
    const res = await fetch(`http://127.0.0.1:${this.endpoints.debugPort}/debug/memory?gc=1`);
    return (await res.json()) as MemoryReport;
  }
  async resync(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.endpoints.debugPort}/debug/resync`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`resync: ${res.status} ${await res.text()}`);
  }
}

const total = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

export async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export async function createDependencies(client: KubeClient, ns: string): Promise<void> {
  const meta = (name: string) => ({ name, namespace: ns });
  // Made as the Config and Certificate controllers would make them (with the label the caches select),
  // and before the Config: a stray controller reconciling it then finds them there.
  const owned = (name: string) => ({ ...meta(name), labels: { [LABEL_MANAGED_BY]: MANAGER } });
  await client.create(CONFIG_MAP, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: owned('production-config'),
    data: { 'puppet.conf': '[main]\n' },
  });
  for (const [name, key] of [
    ['cert-tls', 'cert.pem'],
    ['ca-ca', 'ca_crt.pem'],
    ['ca-ca-crl', 'ca_crl.pem'],
  ] as const) {
    await client.create(SECRET_R, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: owned(name),
      stringData: { [key]: 'x' },
    });
  }
  await client.create(custom('CertificateAuthority', 'certificateauthorities'), {
    apiVersion: API_VERSION,
    kind: 'CertificateAuthority',
    metadata: meta('ca'),
    spec: {},
  });
  await client.create(custom('Config', 'configs'), {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: meta('production'),
    spec: { image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.1' }, authorityRef: 'ca' },
  });
  await client.create(CERTIFICATE, {
    apiVersion: API_VERSION,
    kind: 'Certificate',
    metadata: meta('cert'),
    spec: { authorityRef: 'ca' },
  });
  await client.patchStatus(CERTIFICATE, ns, 'cert', { phase: 'Signed', secretName: 'cert-tls' });
}

export function server(ns: string, name: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: { name, namespace: ns },
    spec: {
      configRef: 'production',
      certificateRef: 'cert',
      ca: false,
      server: true,
      replicas: 1,
      javaArgs: '-Xms512m -Xmx1024m',
      maxActiveInstances: 1,
      affinity: NO_NODE,
    },
  };
}

/** Servers (of `names`) that have an owned Deployment and a status for their generation. */
async function converged(client: KubeClient, ns: string, names: string[]): Promise<number> {
  const servers = new Map((await client.list(SERVER, { namespace: ns })).items.map((s) => [s.metadata!.name!, s]));
  const deployments = new Map(
    (await client.list(DEPLOYMENT, { namespace: ns })).items.map((d) => [d.metadata!.name!, d]),
  );
  return countConverged(
    names,
    (name) => servers.get(name) as Watched | undefined,
    (name) => deployments.get(name) as Watched | undefined,
  );
}

export async function waitConverged(
  client: KubeClient,
  ns: string,
  names: string[],
  timeoutMs: number,
  pollMs = 100,
): Promise<number> {
  const start = Date.now();
  while ((await converged(client, ns, names)) < names.length) {
    if (Date.now() - start > timeoutMs) throw new Error(`not converged after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
  return (Date.now() - start) / 1000;
}

/** One size: a fresh namespace and controller process, N Servers applied at once, then idle and a resync. */
async function benchScale(
  opts: ControllerBenchOptions,
  client: KubeClient,
  kubeconfig: string,
  count: number,
  fresh: (log: string, ns: string) => Promise<ControllerProcess>,
  withRestart: boolean,
): Promise<ScaleResult> {
  const ns = `bench-controller-${randomBytes(3).toString('hex')}`;
  let controller = await fresh('bench-controller.log', ns);
  await benchNamespace(client, ns);
  try {
    await createDependencies(client, ns);
    controller.start();
    await controller.waitLeader();
    await sleep(5000);
    const rssStartMiB = rssMiB(controller.pid!);

    const names = Array.from({ length: count }, (_, i) => `s${String(i).padStart(4, '0')}`);
    opts.log(`controller: applying ${count} Servers at once`);
    const before = await controller.writes();
    const watched = await WatchedNamespace.start(kubeconfig, ns);
    const t0 = Date.now();
    await inBatches(names, 50, (n) => client.create(SERVER, server(ns, n)));
    const deploymentsSeconds = await waitFor(async () => watched.deploymentCount() >= count, t0, 50);
    await waitFor(async () => watched.converged(names) >= count, t0, 100);
    const statusesSeconds = (Date.now() - t0) / 1000;
    await watched.stop();

    // Settle: the cluster's controllers finish with our objects (kube-controller-manager makes every
    // ReplicaSet and pod and updates each Deployment's status, the scheduler marks the pods unschedulable)
    // and our writes stop: no write and no watch event for 10 s. Then measure, idle, and one full resync.
    const activity = async () =>
      total(await controller.writes()) +
      total(await controller.counter('openvox_controller_informer_events_total', 'kind'));
    let previous = -1;
    for (let quiet = 0, deadline = Date.now() + 600_000; quiet < 10 && Date.now() < deadline;) {
      const now = await activity();
      quiet = now === previous ? quiet + 1 : 0;
      previous = now;
      await sleep(1000);
    }
    const afterCreate = await controller.writes();
    const writesByKind = Object.fromEntries(Object.entries(afterCreate).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    const rssSettleMiB = await settledRss(controller.pid!);
    const memory = await controller.memory();
    opts.log(`controller: ${count} converged in ${statusesSeconds.toFixed(1)} s; ${opts.idleSeconds ?? 120} s idle`);
    const eventsBefore = await controller.counter('openvox_controller_informer_events_total', 'kind');
    const reconcilesBefore = total(await controller.counter('openvox_controller_reconcile_total', 'controller'));
    const idleCpu = await idleCpuSeconds(controller.pid!, opts.idleSeconds ?? 120);
    const eventsAfter = await controller.counter('openvox_controller_informer_events_total', 'kind');
    const idleEvents = Object.fromEntries(
      Object.entries(eventsAfter)
        .map(([k, v]) => [k, v - (eventsBefore[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
    const idleReconciles =
      total(await controller.counter('openvox_controller_reconcile_total', 'controller')) - reconcilesBefore;
    const rssPeakMiB = peakRssMiB(controller.pid!);
    const r0 = Date.now();
    await controller.resync();
    const resyncSeconds = (Date.now() - r0) / 1000;
    const resyncWrites = total(await controller.writes()) - total(afterCreate);
    const events = Object.entries(writesByKind).filter(([k]) => k.endsWith(' Event'));
    const eventWrites = events.reduce((a, [, v]) => a + v, 0);

    const result: ScaleResult = {
      servers: count,
      deploymentsSeconds,
      statusesSeconds,
      objectWritesPerServer: (total(writesByKind) - eventWrites) / count,
      eventWritesPerServer: eventWrites / count,
      writesByKind,
      rssStartMiB,
      rssSettleMiB,
      rssPeakMiB,
      idleCpuSeconds: idleCpu,
      idleEvents,
      idleReconciles,
      idleSeconds: opts.idleSeconds ?? 120,
      resyncWrites,
      resyncSeconds,
      memory,
    };
    if (withRestart) {
      ({ controller, restart: result.restart } = await killAndRestart(opts, client, ns, controller, fresh));
    }
    return result;
  } finally {
    await controller.stop();
    // Gone before the next size starts: a fresh controller would otherwise list what is left of it.
    await deleteNamespace(client, ns, true);
  }
}

/** Kill -9 early in a second batch, start a fresh process, and check the end state. */
async function killAndRestart(
  opts: ControllerBenchOptions,
  client: KubeClient,
  ns: string,
  controller: ControllerProcess,
  fresh: (log: string, ns: string) => Promise<ControllerProcess>,
): Promise<{ controller: ControllerProcess; restart: RestartResult }> {
  const restartCount = opts.restartServers ?? 100;
  const more = Array.from({ length: restartCount }, (_, i) => `r${String(i).padStart(3, '0')}`);
  await inBatches(more, 50, (n) => client.create(SERVER, server(ns, n)));
  const r1 = Date.now();
  let killedAfter = 0;
  while ((killedAfter = await converged(client, ns, more)) < Math.max(1, Math.floor(restartCount / 5))) await sleep(5);
  controller.kill();
  opts.log(`controller: killed with ${killedAfter}/${restartCount} converged; restarting`);
  const next = await fresh('bench-controller.log', ns);
  next.start();
  await waitConverged(client, ns, more, 300_000);
  const convergeSeconds = (Date.now() - r1) / 1000;
  const deployments = (await client.list(DEPLOYMENT, { namespace: ns })).items;
  const serverUids = new Set((await client.list(SERVER, { namespace: ns })).items.map((s) => s.metadata!.uid));
  const orphans = deployments.filter((d) => !serverUids.has(d.metadata?.ownerReferences?.[0]?.uid ?? '')).length;
  const perOwner = new Map<string, number>();
  for (const d of deployments) {
    const uid = d.metadata?.ownerReferences?.[0]?.uid ?? '';
    perOwner.set(uid, (perOwner.get(uid) ?? 0) + 1);
  }
  const duplicates = [...perOwner.values()].filter((n) => n > 1).length;
  return {
    controller: next,
    restart: {
      servers: restartCount,
      killedAfter,
      convergeSeconds,
      deployments: deployments.length,
      orphans,
      duplicates,
    },
  };
}

async function waitFor(
  done: () => Promise<boolean>,
  since: number,
  pollMs: number,
  timeoutMs = 900_000,
): Promise<number> {
  while (!(await done())) {
    if (Date.now() - since > timeoutMs) throw new Error(`not done after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
  return (Date.now() - since) / 1000;
}

export async function benchController(opts: ControllerBenchOptions): Promise<ControllerBenchResult> {
  const sizes = opts.servers ?? [200, 1000, 5000];
  const kubeconfig = opts.kubeconfig ?? clusterPaths.kubeconfig;
  const kc = fileKubeConfig(kubeconfig);
  const client = new RestClient(await loadKubeConfig(kubeconfig));
  await installCrds(kc);
  const metricsToken = await grantMetricsScraper(kc);
  const id = randomBytes(3).toString('hex');
  // Only the Server controller runs: the benchmark plays the Certificate's part (status Signed, Secrets) itself.
  const args = benchControllerArgs(kubeconfig, `bench-${id}`, ['--concurrency', String(opts.concurrency ?? 8)]);
  const nodeFlags = opts.nodeFlags ?? chartNodeFlags('controller');
  // Each process watches its size's namespace only: other runs' objects in the cluster neither cost it
  // memory nor make it work while it is measured.
  const fresh = async (log: string, ns: string) =>
    new ControllerProcess(
      await freshEndpoints(metricsToken),
      [...args, '--watch-namespaces', ns],
      join(clusterPaths.logs, log),
      nodeFlags,
    );
  const scales: ScaleResult[] = [];
  for (const [i, count] of sizes.entries())
    scales.push(await benchScale(opts, client, kubeconfig, count, fresh, i === 0));
  return { scales, nodeFlags };
}

const TARGET_RSS_MIB: Record<number, number> = { 200: 120, 5000: 200 };

export function formatControllerBench(r: ControllerBenchResult): string {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows = r.scales.map((s) => {
    const rssTarget = TARGET_RSS_MIB[s.servers];
    return [
      String(s.servers),
      s.deploymentsSeconds.toFixed(1),
      s.statusesSeconds.toFixed(1),
      s.objectWritesPerServer.toFixed(2),
      s.eventWritesPerServer.toFixed(2),
      s.rssStartMiB.toFixed(0),
      `${s.rssSettleMiB.toFixed(0)}${rssTarget ? ` (<=${rssTarget} ${met(s.rssSettleMiB <= rssTarget)})` : ''}`,
      s.rssPeakMiB.toFixed(0),
      `${s.idleCpuSeconds.toFixed(2)}/${s.idleSeconds}s`,
      String(s.resyncWrites),
    ];
  });
  const header = [
    'Servers',
    'all Deployments s',
    'all statuses s',
    'object writes/Server',
    'Event writes/Server',
    'RSS start MiB',
    'RSS settle MiB',
    'RSS peak MiB',
    'idle CPU s',
    'resync writes',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [
    `controller: N Servers applied at once (one process per size; Server controller only; node ${r.nodeFlags.join(' ') || 'without flags'})`,
    fmt(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(fmt),
  ];
  for (const s of r.scales) {
    const kinds = Object.entries(s.writesByKind)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(`  ${s.servers}: writes ${kinds}; resync ${s.resyncSeconds.toFixed(2)} s`);
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    const p = s.memory.process;
    const caches = s.memory.caches
      .filter((c) => c.objects > 0)
      .sort((a, b) => b.jsonBytes - a.jsonBytes)
      .map((c) => `${c.kind} ${c.objects} (${mib(c.jsonBytes)} MiB JSON)`)
      .join(', ');
    const idle =
      Object.entries(s.idleEvents)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    lines.push(`  ${s.servers}: while idle: ${s.idleReconciles} reconciles, watch events: ${idle}`);
    lines.push(
      `  ${s.servers}: heap used ${mib(p.heapUsed)} of ${mib(p.heapTotal)} MiB, external ${mib(p.external)} MiB; caches: ${caches}`,
    );
  }
  const thousand = r.scales.find((s) => s.servers === 1000);
  const worstIdle = Math.max(...r.scales.map((s) => (s.idleCpuSeconds * 120) / s.idleSeconds));
  const worstWrites = Math.max(...r.scales.map((s) => s.objectWritesPerServer));
  lines.push(
    `  targets: idle CPU <= 0.3 s/120 s ${met(worstIdle <= 0.3)} (worst ${worstIdle.toFixed(2)}); ` +
      `<= 3 object writes/Server ${met(worstWrites <= 3)} (worst ${worstWrites.toFixed(2)}); ` +
      `resync 0 writes ${met(r.scales.every((s) => s.resyncWrites === 0))}` +
      (thousand ? `; 1,000 Servers -> all Deployments <= 30 s ${met(thousand.deploymentsSeconds <= 30)}` : ''),
  );
  const restart = r.scales.find((s) => s.restart);
  if (restart?.restart) {
    const x = restart.restart;
    lines.push(
      `  kill -9 after ${x.killedAfter}/${x.servers} of a second batch, restart: converged in ${x.convergeSeconds.toFixed(1)} s; ` +
        `${x.deployments} Deployments for ${restart.servers + x.servers} Servers, ${x.duplicates} duplicates, ${x.orphans} orphans`,
    );
  }
  return lines.join('\n');
}
