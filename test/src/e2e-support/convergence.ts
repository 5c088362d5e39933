// Fault tests assert the end state: every Server has exactly its objects, nothing more, nothing lost.
import { kubectlOk } from './kubectl.js';
import { KIND, listObjects, server, type Obj } from './objects.js';
import { until } from './poll.js';

export function serverNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
}

/** Creates the Servers in one kubectl call, as a user applying a directory would. */
export function applyServers(ns: string, names: string[], spec: Record<string, unknown> = {}): void {
  kubectlOk(['apply', '-n', ns, '-f', '-'], {
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((n) => server(n, ns, spec)),
  });
}

/** Names of Servers whose Deployment exists and whose status reflects their current generation. */
function convergedServers(ns: string): Set<string> {
  const deployments = new Set(listObjects('deployments', ns).map((d: Obj) => d.metadata.name as string));
  const done = new Set<string>();
  for (const s of listObjects(KIND.server, ns)) {
    if (deployments.has(s.metadata.name) && s.status?.observedGeneration === s.metadata.generation && s.status?.phase) {
      done.add(s.metadata.name);
    }
  }
  return done;
}

/** Waits until every named Server has converged; returns the seconds it took. */
export async function waitForConvergence(ns: string, names: string[], timeoutMs = 180_000): Promise<number> {
  const started = Date.now();
  await until(
    `${names.length} Servers converged`,
    () => {
      const done = convergedServers(ns);
      return names.every((n) => done.has(n));
    },
    timeoutMs,
    () => names.filter((n) => !convergedServers(ns).has(n)).slice(0, 5),
  );
  return (Date.now() - started) / 1000;
}

export interface Inventory {
  deployments: number;
  servers: number;
  /** Deployments with no controller ownerReference, or one to a Server that no longer exists. */
  orphans: string[];
  /** Server names with more than one Deployment controlled by them, whatever those are named. */
  duplicates: string[];
  hpas: number;
  pdbs: number;
}

export function inventory(ns: string): Inventory {
  const servers = new Map(
    listObjects(KIND.server, ns).map((s: Obj) => [s.metadata.uid as string, s.metadata.name as string]),
  );
  const owners = new Map<string, number>();
  const orphans: string[] = [];
  const deployments = listObjects('deployments', ns);
  for (const d of deployments) {
    const ref = (d.metadata.ownerReferences ?? []).find((r: Obj) => r.controller && r.kind === 'Server');
    if (!ref || !servers.has(ref.uid)) orphans.push(d.metadata.name);
    else owners.set(ref.uid, (owners.get(ref.uid) ?? 0) + 1);
  }
  return {
    deployments: deployments.length,
    servers: servers.size,
    orphans,
    duplicates: [...owners].filter(([, n]) => n > 1).map(([uid]) => servers.get(uid)!),
    hpas: listObjects('horizontalpodautoscalers', ns).length,
    pdbs: listObjects('poddisruptionbudgets', ns).length,
  };
}
