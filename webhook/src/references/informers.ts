// Informer caches of Configs and Certificates in all namespaces, for reference warnings. Each is the
// restarting informer of @openvox/shared (the controller's informers use the same one).
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '@openvox/shared';
import { RestartingInformer } from '@openvox/shared/informer';
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

export function createReferenceCache(kc: KubeConfig, logger: Logger, backoff: BackoffOptions = {}): ReferenceCache {
  const api = kc.makeApiClient(CustomObjectsApi);
  const informers = {} as Record<ReferenceKind, RestartingInformer<KubernetesObject>>;
  for (const kind of Object.keys(PLURALS) as ReferenceKind[]) {
    const plural = PLURALS[kind];
    informers[kind] = new RestartingInformer<KubernetesObject>({
      kind,
      path: `/apis/${GROUP}/${VERSION}/${plural}`,
      kubeConfig: kc,
      list: () =>
        api.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) as Promise<
          KubernetesListObject<KubernetesObject>
        >,
      logger,
      minBackoffMs: backoff.initialMs ?? 1000,
      maxBackoffMs: backoff.maxMs ?? 30_000,
      syncedMessage: 'reference cache synced',
    });
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
      if (!informer.hasSynced()) return undefined;
      return informer.get(namespace, name) !== undefined;
    },
  };
}
