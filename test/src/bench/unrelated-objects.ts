// Controller memory beside objects that are not its own: with N Servers converged, then again after
// 10,000 Secrets of 4 KiB and 10,000 ConfigMaps of other software appear in the cluster. The informers
// select the operator's managed-by label, so those objects must add next to nothing (target < 10 MiB of
// live heap; RSS is shown too, but V8 sizes its heap by allocation history and moves it by tens of MiB).
// The objects each cache holds show it directly.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RestClient, SERVER, loadKubeConfig } from '@openvox/controller';
import { clusterPaths } from '../cluster/paths.js';
import { installCrds } from '../operator/crds.js';
import { settledRss } from './process-stats.js';
import { fileKubeConfig } from '../operator/kubeconfig.js';
import { grantMetricsScraper } from '../operator/metrics-scraper.js';
import {
  CONFIG_MAP,
  ControllerProcess,
  SECRET_R as SECRET,
  benchControllerArgs,
  createDependencies,
  deleteNamespace,
  freshEndpoints,
  inBatches,
  podlessNamespace,
  server,
  waitConverged,
} from './controller.js';

export interface UnrelatedObjectsOptions {
  log: (line: string) => void;
  servers?: number;
  secrets?: number;
  configMaps?: number;
}

export interface UnrelatedObjectsResult {
  servers: number;
  secrets: number;
  configMaps: number;
  withServers: Footprint;
  withUnrelated: Footprint;
}

export interface Footprint {
  rssMiB: number;
  /** After a full GC: what the process keeps. */
  liveHeapMiB: number;
  cachedSecrets: number;
  cachedConfigMaps: number;
}

export async function benchUnrelatedObjects(opts: UnrelatedObjectsOptions): Promise<UnrelatedObjectsResult> {
  const count = opts.servers ?? 1000;
  const secrets = opts.secrets ?? 10_000;
  const configMaps = opts.configMaps ?? 10_000;
  const kubeconfig = clusterPaths.kubeconfig;
  const kc = fileKubeConfig(kubeconfig);
  const client = new RestClient(await loadKubeConfig(kubeconfig));
  await installCrds(kc);
  const id = randomBytes(3).toString('hex');
  const ns = `bench-memory-${id}`;
  const other = `bench-unrelated-${id}`;
  const args = benchControllerArgs(kubeconfig, `bench-memory-${id}`);
  await podlessNamespace(client, ns);
  await podlessNamespace(client, other);
  const metricsToken = await grantMetricsScraper(kc);
  const fresh = async () =>
    new ControllerProcess(await freshEndpoints(metricsToken), args, join(clusterPaths.logs, 'bench-memory.log'));
  let controller: ControllerProcess | undefined;
  /** A fresh process that lists everything and reconciles every (converged) Server once: its footprint. */
  const measure = async (): Promise<Footprint> => {
    controller = await fresh();
    controller.start();
    await controller.waitLeader();
    await sleep(15_000);
    const rssMiB = await settledRss(controller.pid!);
    const memory = await controller.memory();
    await controller.stop();
    const cached = (kind: string) => memory.caches.find((c) => c.kind === kind)?.objects ?? 0;
    return {
      rssMiB,
      liveHeapMiB: memory.process.heapUsed / 2 ** 20,
      cachedSecrets: cached('Secret'),
      cachedConfigMaps: cached('ConfigMap'),
    };
  };
  try {
    await createDependencies(client, ns);
    const names = Array.from({ length: count }, (_, i) => `m${String(i).padStart(4, '0')}`);
    opts.log(`memory: ${count} Servers`);
    controller = await fresh();
    controller.start();
    await controller.waitLeader();
    await inBatches(names, 50, (n) => client.create(SERVER, server(ns, n)));
    await waitConverged(client, ns, names, 600_000);
    await controller.stop();
    // Two fresh processes doing the same work, the second with the unrelated objects in the cluster.
    const withServers = await measure();
    opts.log(`memory: ${secrets} unrelated Secrets of 4 KiB and ${configMaps} ConfigMaps`);
    const payload = randomBytes(3072).toString('base64'); // 4 KiB once encoded
    const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);
    await inBatches(indexes(secrets), 100, (i) =>
      client.create(SECRET, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `s${i}`, namespace: other },
        data: { blob: payload },
      }),
    );
    await inBatches(indexes(configMaps), 100, (i) =>
      client.create(CONFIG_MAP, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${i}`, namespace: other },
        data: { k: 'v' },
      }),
    );
    const withUnrelated = await measure();
    return { servers: count, secrets, configMaps, withServers, withUnrelated };
  } finally {
    await controller?.stop();
    await deleteNamespace(client, ns);
    await deleteNamespace(client, other);
  }
}

export function formatUnrelatedObjects(r: UnrelatedObjectsResult): string {
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
  const added = r.withUnrelated.liveHeapMiB - r.withServers.liveHeapMiB;
  const line = (f: Footprint) =>
    `live heap ${f.liveHeapMiB.toFixed(1)} MiB, RSS ${f.rssMiB.toFixed(0)} MiB, cached ${f.cachedSecrets} Secrets and ${f.cachedConfigMaps} ConfigMaps`;
  return [
    `controller memory with ${r.servers} Servers converged: ${line(r.withServers)}`,
    `  + ${r.secrets} unrelated Secrets (4 KiB) and ${r.configMaps} ConfigMaps: ${line(r.withUnrelated)}`,
    `  live heap ${signed(added)} MiB (target < 10 -> ${added < 10 ? 'met' : 'NOT met'}), RSS ${signed(r.withUnrelated.rssMiB - r.withServers.rssMiB)} MiB`,
  ].join('\n');
}
