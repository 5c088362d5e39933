// Informer caches of Configs and Certificates in all namespaces, for reference warnings. Each is the
// restarting informer of @openvox/shared (the controller's informers use the same one).
import { GROUP, VERSION } from '@openvox/shared';
import { listAll, RestartingInformer, type KubeConnection, type ListedObject } from '@openvox/shared/informer';
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
  connection: KubeConnection,
  logger: Logger,
  backoff: BackoffOptions = {},
): ReferenceCache {
  const informers = {} as Record<ReferenceKind, RestartingInformer<ListedObject>>;
  for (const kind of Object.keys(PLURALS) as ReferenceKind[]) {
    const path = `/apis/${GROUP}/${VERSION}/${PLURALS[kind]}`;
    informers[kind] = new RestartingInformer<ListedObject>({
      kind,
      path,
      connection,
      list: () => listAll<ListedObject>(connection, path),
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
