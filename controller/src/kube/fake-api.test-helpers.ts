// An in-memory API for reconciler unit tests: writes land in per-kind caches, as informers would
// deliver them; every write is logged so tests can assert "a resync makes zero writes".
//
// Apply follows server-side apply closely enough for no-op tests to mean something: the applied
// object is merged into the live one (fields set by others survive), fields this field manager
// applied before and no longer applies are removed, and an apply that changes nothing keeps the
// resourceVersion and delivers no informer event, as the API server does.
import { pino } from 'pino';
import { FIELD_MANAGER } from '@openvox/shared';
import { FakeClock } from './clock.js';
import { ApiError, type KubeClient, type KubeList, type KubeObject } from './client.js';
import type { EventRecorder, EventSeverity } from './events.js';
import type { Cache } from './informer.js';
import type { ResourceType } from './resources.js';
import { stableStringify } from './hash.js';

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

export interface FakeWrite {
  verb: 'apply' | 'create' | 'status' | 'delete';
  kind: string;
  name: string;
  /** Only for applies by a field manager other than the operator's. */
  fieldManager?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `live` without the fields `before` set and `now` no longer sets (lists are atomic). */
function withoutDropped(live: unknown, before: unknown, now: unknown): unknown {
  if (!isObject(live) || !isObject(before)) return live;
  const out: Json = { ...live };
  for (const key of Object.keys(before)) {
    if (!isObject(now) || !(key in now)) delete out[key];
    else out[key] = withoutDropped(live[key], before[key], now[key]);
  }
  return out;
}

/** `applied` merged into `live`: maps merge key by key, lists and scalars are replaced. */
function merge(live: unknown, applied: unknown): unknown {
  if (!isObject(live) || !isObject(applied)) return structuredClone(applied);
  const out: Json = { ...live };
  for (const [key, value] of Object.entries(applied)) if (value !== undefined) out[key] = merge(live[key], value);
  return out;
}

const withoutVersion = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });

export function fakeApi(options: { onWrite?: (write: FakeWrite) => void } = {}) {
  const caches = new Map<string, MapCache>();
  const cache = <T extends KubeObject = KubeObject>(kind: string): MapCache<T> => {
    if (!caches.has(kind)) caches.set(kind, new MapCache());
    return caches.get(kind)! as unknown as MapCache<T>;
  };
  const writes: string[] = [];
  const write = (w: FakeWrite) => {
    writes.push(`${w.verb} ${w.kind} ${w.name}${w.fieldManager ? ` as ${w.fieldManager}` : ''}`);
    options.onWrite?.(w);
  };
  let uid = 0;
  let rv = 100;
  /** resourceVersion of the last write per kind (what the informer would deliver next). */
  const lastResourceVersion: Record<string, string> = {};
  /** What each field manager last applied, per object: the fields it owns. */
  const applied = new Map<string, unknown>();

  const store = <T extends KubeObject>(r: ResourceType, obj: KubeObject, existing?: KubeObject): T => {
    const o = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: existing?.metadata?.uid ?? obj.metadata?.uid ?? `uid-${++uid}`,
        resourceVersion: String(++rv),
      },
    } as T;
    lastResourceVersion[r.kind] = o.metadata!.resourceVersion!;
    if (r.kind !== 'Event') cache(r.kind).put(o);
    return o;
  };

  const client: KubeClient = {
    list: async <T extends KubeObject>() => ({ items: [] }) as KubeList<T>,
    get: async <T extends KubeObject>(r: ResourceType, ns: string | undefined, name: string) =>
      cache(r.kind).get(ns ?? '', name) as T | undefined,
    apply: async <T extends KubeObject>(r: ResourceType, obj: T, fieldManager?: string) => {
      const ns = obj.metadata!.namespace!;
      const name = obj.metadata!.name!;
      const manager = fieldManager ?? FIELD_MANAGER;
      write({ verb: 'apply', kind: r.kind, name, ...(fieldManager ? { fieldManager } : {}) });
      const live = cache(r.kind).get(ns, name);
      const key = `${r.kind}/${ns}/${name}/${manager}`;
      const merged = merge(withoutDropped(live, applied.get(key), obj), obj) as KubeObject;
      applied.set(key, structuredClone(obj));
      if (live && stableStringify(withoutVersion(merged)) === stableStringify(withoutVersion(live))) return live as T;
      return store<T>(r, merged, live);
    },
    create: async <T extends KubeObject>(r: ResourceType, obj: T) => {
      if (r.kind !== 'Event' && cache(r.kind).get(obj.metadata!.namespace!, obj.metadata!.name!)) {
        throw new ApiError(409, `${r.kind} ${obj.metadata?.name} already exists`);
      }
      write({ verb: 'create', kind: r.kind, name: obj.metadata!.name! });
      return store<T>(r, obj);
    },
    replace: async <T extends KubeObject>(_r: ResourceType, obj: T) => obj,
    patchStatus: async <T extends KubeObject>(r: ResourceType, ns: string, name: string, status: unknown) => {
      write({ verb: 'status', kind: r.kind, name });
      const o = cache(r.kind).get(ns, name)!;
      // A merge patch: a top-level null removes that status field (the rest is replaced as sent).
      const kept = isObject(status) ? Object.fromEntries(Object.entries(status).filter(([, v]) => v !== null)) : status;
      return store<T>(r, { ...o, status: kept } as KubeObject, o);
    },
    delete: async (r: ResourceType, ns: string | undefined, name: string) => {
      write({ verb: 'delete', kind: r.kind, name });
      cache(r.kind).items.delete(`${ns}/${name}`);
      for (const key of applied.keys()) if (key.startsWith(`${r.kind}/${ns}/${name}/`)) applied.delete(key);
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
  return { cache, client, writes, events, recorder, logger, logLines, clock, lastResourceVersion };
}
