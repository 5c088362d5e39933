// Informer caches of Configs and Certificates, for reference warnings: in all namespaces, or (namespace-
// scoped mode) one list+watch per watched namespace, merged. Each is the restarting informer of
// @openvox/shared (the controller's informers use the same one).
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '@openvox/shared';
import { NamespacedInformers, RestartingInformer } from '@openvox/shared/informer';
import type { Logger } from 'pino';
import type { ReferenceKind, ReferenceLookup } from './lookup.js';

const PLURALS: Record<ReferenceKind, string> = { Config: 'configs', Certificate: 'certificates' };

export interface ReferenceCache extends ReferenceLookup {
  start(): void;
  stop(): Promise<void>;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

export function createReferenceCache(
  kc: KubeConfig,
  logger: Logger,
  backoff: BackoffOptions = {},
  namespaces: readonly string[] = [],
): ReferenceCache {
  const api = kc.makeApiClient(CustomObjectsApi);
  const informers = {} as Record<ReferenceKind, NamespacedInformers<KubernetesObject>>;
  for (const kind of Object.keys(PLURALS) as ReferenceKind[]) {
    const plural = PLURALS[kind];
    const watchOne = (namespace: string | undefined) =>
      new RestartingInformer<KubernetesObject>({
        kind,
        ...(namespace ? { namespace } : {}),
        path: namespace
          ? `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`
          : `/apis/${GROUP}/${VERSION}/${plural}`,
        kubeConfig: kc,
        list: () =>
          (namespace
            ? api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
            : api.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<
            KubernetesListObject<KubernetesObject>
          >,
        logger,
        minBackoffMs: backoff.initialMs ?? 1000,
        maxBackoffMs: backoff.maxMs ?? 30_000,
        syncedMessage: 'reference cache synced',
      });
    informers[kind] = new NamespacedInformers(namespaces, watchOne);
  }

  return {
    start() {
      // start() settles after the first list; a failed one restarts by itself.
      for (const informer of Object.values(informers)) void informer.start().catch(() => undefined);
    },
    async stop() {
      await Promise.all(Object.values(informers).map((i) => i.stop()));
    },
    synced: () => Object.values(informers).every((i) => i.hasSynced()),
    exists(kind, namespace, name) {
      const informer = informers[kind];
      // Not watched: unknown, not missing (a false "does not exist" warning would mislead).
      if (!informer.hasSynced() || !informer.watches(namespace)) return undefined;
      return informer.get(namespace, name) !== undefined;
    },
  };
}
