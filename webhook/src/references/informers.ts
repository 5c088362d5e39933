// Informer caches of Configs and Certificates, for reference warnings: in all namespaces, or (namespace-
// scoped mode) one list+watch per watched namespace, merged. Each is the restarting informer of
// @openvox/shared (the controller's informers use the same one).
import { GROUP, VERSION } from '@openvox/shared';
import {
  listAll,
  NamespacedInformers,
  RestartingInformer,
  type KubeConnection,
  type ListedObject,
} from '@openvox/shared/informer';
import type { Logger } from 'pino';
import type { ReferenceKind, ReferenceLookup } from './lookup.js';
import { certnameHolders, trimCertificate, type CertificateView } from './certname-holders.js';

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
  namespaces: readonly string[] = [],
): ReferenceCache {
  const informers = {} as Record<ReferenceKind, NamespacedInformers<ListedObject>>;
  for (const kind of Object.keys(PLURALS) as ReferenceKind[]) {
    const watchOne = (namespace: string | undefined) => {
      const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
      const path = `/apis/${GROUP}/${VERSION}${scope}/${PLURALS[kind]}`;
      return new RestartingInformer<ListedObject>({
        kind,
        ...(namespace ? { namespace } : {}),
        path,
        connection,
        list: () => listAll<ListedObject>(connection, path),
        logger,
        minBackoffMs: backoff.initialMs ?? 1000,
        maxBackoffMs: backoff.maxMs ?? 30_000,
        syncedMessage: 'reference cache synced',
        ...(kind === 'Certificate'
          ? { transform: (obj: ListedObject) => trimCertificate(obj as CertificateView & Record<string, unknown>) }
          : {}),
      });
    };
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
    certnameHolders(namespace, authorityRef, certname) {
      const informer = informers.Certificate;
      if (!informer.hasSynced() || !informer.watches(namespace)) return undefined;
      return certnameHolders(informer.list(namespace) as CertificateView[], authorityRef, certname);
    },
  };
}
