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

export interface ControllerBenchOptions {
  log: (line: string) => void;
  servers?: number;
  restartServers?: number;
  concurrency?: number;
  kubeconfig?: string;
}

export interface ControllerBenchResult {
  servers: number;
  convergeSeconds: number;
  writesPerServer: number;
  writesByKind: Record<string, number>;
  resyncWrites: number;
  resyncSeconds: number;
  restart: {
    servers: number;
    killedAfter: number;
    convergeSeconds: number;
    deployments: number;
    orphans: number;
    duplicates: number;
  };
}

const NAMESPACE: ResourceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
const RESOURCE_QUOTA: ResourceType = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  namespaced: true,
};
export const CONFIG_MAP: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const SECRET_R: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** A namespace for benchmark objects; its ReplicaSets may create no pods (the node is not measured). */
export async function podlessNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await client.create(RESOURCE_QUOTA, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'bench-no-pods', namespace: name },
    spec: { hard: { pods: '0' } },
  });
}

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

export async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(NAMESPACE, undefined, name).catch(() => undefined);
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
  ) {
    this.url = `http://127.0.0.1:${endpoints.port}`;
  }
  start(): void {
    this.child = startNodeChild(
      'controller',
      join(REPO_ROOT, 'controller', 'dist', 'main.js'),
      [...this.args, '--port', String(this.endpoints.port), '--debug-port', String(this.endpoints.debugPort)],
      this.logFile,
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
  // Made as the Config and Certificate controllers would make them: with the label the caches select.
  const owned = (name: string) => ({ ...meta(name), labels: { [LABEL_MANAGED_BY]: MANAGER } });
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
    },
  };
}

/** Servers (of `names`) that have an owned Deployment and a status for their generation. */
async function converged(client: KubeClient, ns: string, names: string[]): Promise<number> {
  const servers = new Map((await client.list(SERVER, { namespace: ns })).items.map((s) => [s.metadata!.name!, s]));
  const deployments = new Map(
    (await client.list(DEPLOYMENT, { namespace: ns })).items.map((d) => [d.metadata!.name!, d]),
  );
  let n = 0;
  for (const name of names) {
    const s = servers.get(name) as
      (KubeObject & { status?: { phase?: string; observedGeneration?: number } }) | undefined;
    const d = deployments.get(name);
    if (
      s?.status?.phase &&
      s.status.observedGeneration === s.metadata?.generation &&
      d?.metadata?.ownerReferences?.[0]?.uid === s.metadata?.uid
    )
      n++;
  }
  return n;
}

export async function waitConverged(
  client: KubeClient,
  ns: string,
  names: string[],
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  while ((await converged(client, ns, names)) < names.length) {
    if (Date.now() - start > timeoutMs) throw new Error(`not converged after ${timeoutMs} ms`);
    await sleep(100);
  }
  return (Date.now() - start) / 1000;
}

export async function benchController(opts: ControllerBenchOptions): Promise<ControllerBenchResult> {
  const count = opts.servers ?? 200;
  const restartCount = opts.restartServers ?? 100;
  const kubeconfig = opts.kubeconfig ?? clusterPaths.kubeconfig;
  const kc = fileKubeConfig(kubeconfig);
  const client = new RestClient(await loadKubeConfig(kubeconfig));
  await installCrds(kc);

  const id = randomBytes(3).toString('hex');
  const ns = `bench-controller-${id}`;
  const metricsToken = await grantMetricsScraper(kc);
  const endpoints = () => freshEndpoints(metricsToken);
  // Only the Server controller runs: the benchmark plays the Certificate's part (status Signed, Secrets) itself.
  const args = benchControllerArgs(kubeconfig, `bench-${id}`, ['--concurrency', String(opts.concurrency ?? 8)]);
  let controller = new ControllerProcess(await endpoints(), args, join(clusterPaths.logs, 'bench-controller.log'));
  await podlessNamespace(client, ns);
  try {
    await createDependencies(client, ns);
    controller.start();
    await controller.waitLeader();

    const names = Array.from({ length: count }, (_, i) => `s${String(i).padStart(3, '0')}`);
    opts.log(`controller: applying ${count} Servers at once`);
    const before = await controller.writes();
    const t0 = Date.now();
    await inBatches(names, 50, (n) => client.create(SERVER, server(ns, n)));
    await waitConverged(client, ns, names, 300_000);
    const convergeSeconds = (Date.now() - t0) / 1000;

    // Settle (late Deployment status events may still move a status), then one full resync.
    let previous = -1;
    for (let stable = 0; stable < 4;) {
      const now = total(await controller.writes());
      stable = now === previous ? stable + 1 : 0;
      previous = now;
      await sleep(500);
    }
    const afterCreate = await controller.writes();
    const writesByKind = Object.fromEntries(Object.entries(afterCreate).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    const r0 = Date.now();
    await controller.resync();
    const resyncSeconds = (Date.now() - r0) / 1000;
    const resyncWrites = total(await controller.writes()) - total(afterCreate);
    opts.log(`controller: converged in ${convergeSeconds.toFixed(1)} s; resync wrote ${resyncWrites}`);

    // Kill -9 early in a second batch, start a fresh process, and check the end state.
    const more = Array.from({ length: restartCount }, (_, i) => `r${String(i).padStart(3, '0')}`);
    await inBatches(more, 50, (n) => client.create(SERVER, server(ns, n)));
    const r1 = Date.now();
    let killedAfter = 0;
    while ((killedAfter = await converged(client, ns, more)) < Math.max(1, Math.floor(restartCount / 5)))
      await sleep(5);
    controller.kill();
    opts.log(`controller: killed with ${killedAfter}/${restartCount} converged; restarting`);
    controller = new ControllerProcess(await endpoints(), args, join(clusterPaths.logs, 'bench-controller.log'));
    controller.start();
    await waitConverged(client, ns, more, 300_000);
    const restartSeconds = (Date.now() - r1) / 1000;
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
      servers: count,
      convergeSeconds,
      writesPerServer: total(writesByKind) / count,
      writesByKind,
      resyncWrites,
      resyncSeconds,
      restart: {
        servers: restartCount,
        killedAfter,
        convergeSeconds: restartSeconds,
        deployments: deployments.length,
        orphans,
        duplicates,
      },
    };
  } finally {
    await controller.stop();
    await deleteNamespace(client, ns);
  }
}

export function formatControllerBench(r: ControllerBenchResult): string {
  const kinds = Object.entries(r.writesByKind)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `controller: ${r.servers} Servers applied at once -> all with Deployment and status in ${r.convergeSeconds.toFixed(1)} s`,
    `  API writes per Server: ${r.writesPerServer.toFixed(2)} (${kinds})`,
    `  full resync afterwards: ${r.resyncWrites} writes in ${r.resyncSeconds.toFixed(2)} s (target 0 -> ${r.resyncWrites === 0 ? 'met' : 'NOT met'})`,
    `  kill -9 after ${r.restart.killedAfter}/${r.restart.servers} of a second batch, restart: converged in ${r.restart.convergeSeconds.toFixed(1)} s; ` +
      `${r.restart.deployments} Deployments for ${r.servers + r.restart.servers} Servers, ${r.restart.duplicates} duplicates, ${r.restart.orphans} orphans`,
  ].join('\n');
}
