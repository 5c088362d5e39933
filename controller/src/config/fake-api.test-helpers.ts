// An in-memory API for reconciler unit tests: writes land in per-kind caches, as informers would
// deliver them; every write is logged so tests can assert "a resync makes zero writes".
import { pino } from 'pino';
import { FakeClock } from '../clock.js';
import { ApiError, type KubeClient, type KubeList, type KubeObject } from '../kube/client.js';
import type { EventRecorder, EventSeverity } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import type { ResourceType } from '../kube/resources.js';

export class MapCache<T extends KubeObject = KubeObject> implements Cache<T> {
  readonly items = new Map<string, T>();
  put(o: T): void {
    this.items.set(`${o.metadata!.namespace}/${o.metadata!.name}`, structuredClone(o));
  }
  get(ns: string, name: string): T | undefined {
    return this.items.get(`${ns}/${name}`);
  }
  list(ns?: string): T[] {
    return [...this.items.values()].filter((o) => ns === undefined || o.metadata?.namespace === ns);
  }
}

export interface RecordedEvent {
  kind?: string;
  name?: string;
  type: EventSeverity;
  reason: string;
  message: string;
}

export function fakeApi() {
  const caches = new Map<string, MapCache>();
  const cache = <T extends KubeObject = KubeObject>(kind: string): MapCache<T> => {
    if (!caches.has(kind)) caches.set(kind, new MapCache());
    return caches.get(kind)! as unknown as MapCache<T>;
  };
  const writes: string[] = [];
  let uid = 0;
  const stored = <T extends KubeObject>(obj: T, existing?: KubeObject): T =>
    ({
      ...obj,
      metadata: { ...obj.metadata, uid: existing?.metadata?.uid ?? obj.metadata?.uid ?? `uid-${++uid}` },
    }) as T;
  const client: KubeClient = {
    list: async <T extends KubeObject>() => ({ items: [] }) as KubeList<T>,
    get: async <T extends KubeObject>(r: ResourceType, ns: string | undefined, name: string) =>
      cache(r.kind).get(ns ?? '', name) as T | undefined,
    apply: async <T extends KubeObject>(r: ResourceType, obj: T) => {
      writes.push(`apply ${r.kind} ${obj.metadata?.name}`);
      const live = cache(r.kind).get(obj.metadata!.namespace!, obj.metadata!.name!);
      const o = stored(obj, live);
      cache(r.kind).put(o);
      return o;
    },
    create: async <T extends KubeObject>(r: ResourceType, obj: T) => {
      if (r.kind !== 'Event' && cache(r.kind).get(obj.metadata!.namespace!, obj.metadata!.name!)) {
        throw new ApiError(409, `${r.kind} ${obj.metadata?.name} already exists`);
      }
      writes.push(`create ${r.kind} ${obj.metadata?.name}`);
      const o = stored(obj);
      if (r.kind !== 'Event') cache(r.kind).put(o);
      return o;
    },
    replace: async <T extends KubeObject>(_r: ResourceType, obj: T) => obj,
    patchStatus: async <T extends KubeObject>(r: ResourceType, ns: string, name: string, status: unknown) => {
      writes.push(`status ${r.kind} ${name}`);
      const o = cache(r.kind).get(ns, name)!;
      const updated = { ...o, status } as KubeObject;
      cache(r.kind).put(updated);
      return updated as T;
    },
    delete: async (r: ResourceType, ns: string | undefined, name: string) => {
      writes.push(`delete ${r.kind} ${name}`);
      cache(r.kind).items.delete(`${ns}/${name}`);
    },
  };
  const events: RecordedEvent[] = [];
  const recorder: EventRecorder = {
    record: async (obj, type, reason, message) => {
      events.push({ kind: obj.kind, name: obj.metadata?.name, type, reason, message });
    },
  };
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) });
  const clock = new FakeClock(Date.parse('2026-11-25T12:00:00Z'));
  return { cache, client, writes, events, recorder, logger, logLines, clock };
}
