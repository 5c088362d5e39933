// Informer caches of Configs and Certificates in all namespaces, for reference warnings.
import {
  CustomObjectsApi,
  makeInformer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '@openvox/shared';
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

interface Watched {
  informer: ReturnType<typeof makeInformer<KubernetesObject>>;
  synced: boolean;
  run?: () => Promise<void>;
}

export function createReferenceCache(kc: KubeConfig, logger: Logger, backoff: BackoffOptions = {}): ReferenceCache {
  const api = kc.makeApiClient(CustomObjectsApi);
  const initialMs = backoff.initialMs ?? 1000;
  const maxMs = backoff.maxMs ?? 30_000;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const watched = {} as Record<ReferenceKind, Watched>;
  for (const kind of Object.keys(PLURALS) as ReferenceKind[]) {
    const plural = PLURALS[kind];
    const list = () =>
      api.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) as Promise<
        KubernetesListObject<KubernetesObject>
      >;
    const informer = makeInformer<KubernetesObject>(kc, `/apis/${GROUP}/${VERSION}/${plural}`, list);
    const entry: Watched = { informer, synced: false };
    watched[kind] = entry;

    let delay = initialMs;
    let failedSinceStart = false;
    const run = async () => {
      failedSinceStart = false;
      await informer.start();
      // start() resolves after the list even when it failed; the error callback has fired by then.
      if (!failedSinceStart && !stopped) {
        if (!entry.synced) logger.info({ kind }, 'reference cache synced');
        entry.synced = true;
        delay = initialMs;
      }
    };
    // client-node stops the informer on any error but a 410 or a timeout: restart it with backoff.
    informer.on('error', (error?: unknown) => {
      failedSinceStart = true;
      if (stopped) return;
      logger.warn({ kind, err: error, retryInMs: delay }, 'reference informer failed; restarting');
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) void run();
      }, delay);
      timer.unref();
      timers.add(timer);
      delay = Math.min(delay * 2, maxMs);
    });
    entry.run = run;
  }

  return {
    start() {
      for (const entry of Object.values(watched)) void entry.run?.();
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(Object.values(watched).map((w) => w.informer.stop()));
    },
    synced: () => Object.values(watched).every((w) => w.synced),
    exists(kind, namespace, name) {
      const entry = watched[kind];
      if (!entry.synced) return undefined;
      return entry.informer.get(name, namespace) !== undefined;
    },
  };
}
