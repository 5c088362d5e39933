// Database: accepted and validated, but this version renders nothing for it (NodeClassifier and
// ReportProcessor have controllers of their own). Their status says so plainly (phase Pending, Ready=False reason NotImplemented),
// instead of a success nobody delivered.
import type { Condition } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { condition } from '../kube/condition.js';
import type { Cache } from '../kube/informer.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { DATABASE, objectKey, splitKey, type ResourceType } from '../kube/resources.js';
import { writeStatusIfChanged } from '../kube/status.js';

export const NOT_IMPLEMENTED = 'NotImplemented';

type Later = KubeObject & { status?: { conditions?: Condition[] } };

export function notImplementedStatus(kind: string, obj: Later, now: string) {
  const generation = obj.metadata?.generation ?? 0;
  return {
    phase: 'Pending',
    conditions: [
      condition(
        obj.status?.conditions,
        'Ready',
        'False',
        NOT_IMPLEMENTED,
        `This version of the operator accepts and validates ${kind} objects but does not act on them yet`,
        generation,
        now,
      ),
    ],
    observedGeneration: generation,
  };
}

export async function reconcileLater(
  client: KubeClient,
  resource: ResourceType,
  cache: Cache<Later>,
  key: string,
  clock: Clock,
): Promise<void> {
  const { namespace, name } = splitKey(key);
  const obj = cache.get(namespace, name);
  if (!obj || obj.metadata?.deletionTimestamp) return;
  const status = notImplementedStatus(resource.kind, obj, new Date(clock.now()).toISOString());
  // The kept lastTransitionTime makes an unchanged object compare equal: a resync writes nothing.
  await writeStatusIfChanged(client, resource, obj, { ...(obj.status ?? {}), ...status });
}

/** Their controller names are the kinds' singular names, as for the other kinds. */
export const LATER_RESOURCES: readonly ResourceType[] = [DATABASE];

export function createLaterControllers(mgr: Manager, deps: ControllerDeps): ControllerDefinition[] {
  return LATER_RESOURCES.map((resource) => {
    const cache = mgr.informer<Later>(resource);
    return {
      name: resource.kind.toLowerCase(),
      watches: [{ resource, map: (_, obj) => [objectKey(obj)] }],
      reconcile: (key) => reconcileLater(deps.client, resource, cache, key, deps.clock),
      allKeys: () => cache.list().map(objectKey),
    };
  });
}
