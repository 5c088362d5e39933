// A list+watch cache of one collection over a KubeConnection: list, then watch from the list's
// resourceVersion, applying ADDED/MODIFIED/DELETED to the cache and telling handlers; a watch the
// server ends is resumed from the last resourceVersion (bookmarks keep it fresh), a 410 Gone lists
// again. Replaces client-node's ListWatch with the same semantics, without its generated API.
import type { KubeConnection } from './kube/connection.js';

export type WatchEventType = 'add' | 'update' | 'delete';

export interface ListedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface ObjectList<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

/** A watch answered 410 Gone: its resourceVersion is compacted away, so events may have been missed. */
export class GoneError extends Error {
  readonly code = 410;
}

export class WatchHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The response body (a Status as JSON), for a one-line reason in the logs (api-errors.ts). */
    readonly body?: string,
  ) {
    super(message);
  }
}

export interface ListWatchOptions<T> {
  connection: KubeConnection;
  /** Collection path, e.g. /api/v1/configmaps. */
  path: string;
  list: () => Promise<ObjectList<T>>;
  labelSelector?: string;
  /**
   * Only objects whose fields match, e.g. `involvedObject.kind=Pod,reason=Unhealthy` for Events: the API
   * server filters, so the cache never holds the rest. The list must use the same selector.
   */
  fieldSelector?: string;
  /** Asks the server to end each watch after this many seconds (it is then resumed). */
  timeoutSeconds?: number;
  /** Applied to every object before it is cached. */
  transform?: (obj: T) => void;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string };
}

const keyOf = (o: ListedObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class ListWatch<T extends ListedObject> {
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly handlers: Record<WatchEventType, ((obj: T) => void)[]> = { add: [], update: [], delete: [] };
  private resourceVersion = '';
  private listed = false;
  private expired = false;
  private abort: AbortController | undefined;

  constructor(private readonly opts: ListWatchOptions<T>) {}

  on(type: WatchEventType, handler: (obj: T) => void): void {
    this.handlers[type].push(handler);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.byNamespace.get(namespace ?? '')?.get(name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    return [...this.byNamespace.values()].flatMap((m) => [...m.values()]);
  }

  /**
   * Lists when it has no resourceVersion (first start, after a 410), then watches until stopped; a watch
   * the server ends is resumed. Rejects on any other failure, keeping the resourceVersion, so the next
   * run watches on from there as client-go's reflector does.
   */
  async run(onListed: (relist?: 'expired' | 'restart') => void): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    while (!abort.signal.aborted) {
      if (!this.resourceVersion) {
        const list = await this.opts.list();
        if (abort.signal.aborted) return;
        this.replace(list.items);
        this.resourceVersion = list.metadata?.resourceVersion ?? '';
        const reason = !this.listed ? undefined : this.expired ? 'expired' : 'restart';
        this.listed = true;
        this.expired = false;
        onListed(reason);
      }
      try {
        await this.watchOnce(abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        if (!(err instanceof GoneError)) throw err;
        this.resourceVersion = '';
        this.expired = true;
      }
    }
  }

  stop(): void {
    this.abort?.abort();
  }

  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      this.opts.transform?.(item);
      seen.add(keyOf(item));
      this.upsert(item);
    }
    for (const old of this.list()) if (!seen.has(keyOf(old))) this.remove(old);
  }

  private upsert(obj: T): void {
    const ns = obj.metadata?.namespace ?? '';
    let names = this.byNamespace.get(ns);
    if (!names) this.byNamespace.set(ns, (names = new Map()));
    const name = obj.metadata?.name ?? '';
    const before = names.get(name);
    names.set(name, obj);
    if (!before) this.emit('add', obj);
    else if (before.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('update', obj);
  }

  private remove(obj: T): void {
    const ns = obj.metadata?.namespace ?? '';
    const names = this.byNamespace.get(ns);
    const cached = names?.get(obj.metadata?.name ?? '');
    names?.delete(obj.metadata?.name ?? '');
    if (names?.size === 0) this.byNamespace.delete(ns);
    this.emit('delete', cached ?? obj);
  }

  private emit(type: WatchEventType, obj: T): void {
    for (const h of this.handlers[type]) h(obj);
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    const { connection, path, labelSelector, fieldSelector, timeoutSeconds } = this.opts;
    const query = {
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      labelSelector: labelSelector || undefined,
      fieldSelector: fieldSelector || undefined,
      timeoutSeconds: timeoutSeconds ? String(timeoutSeconds) : undefined,
    };
    // A watch is quiet for as long as nothing changes; only the server ends it.
    const res = await getCollection(connection, path, query, { bodyTimeout: 0, signal });
    if (res.statusCode === 410) {
      await res.body.dump();
      throw new GoneError(`watch ${path}: 410 Gone`);
    }
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new WatchHttpError(res.statusCode, `watch ${path}: ${res.statusCode} ${text.slice(0, 200)}`, text);
    }
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of res.body) {
      rest += decoder.decode(chunk as Buffer, { stream: true });
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        if (line.trim()) this.apply(JSON.parse(line) as WatchEvent<T>);
      }
    }
  }

  private apply(event: WatchEvent<T>): void {
    const obj = event.object;
    if (event.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? '410 Gone');
      throw new WatchHttpError(obj.code ?? 500, obj.message ?? 'watch error');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    this.opts.transform?.(obj);
    if (event.type === 'DELETED') this.remove(obj);
    else this.upsert(obj);
  }
}

/** A GET of a collection with the connection's credentials; unset query values are left out. */
async function getCollection(
  connection: KubeConnection,
  path: string,
  query: Record<string, string | undefined>,
  options: { bodyTimeout: number; signal?: AbortSignal },
) {
  const url = new URL(connection.server + path);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
  return connection.dispatcher.request({
    origin: url.origin,
    path: url.pathname + url.search,
    method: 'GET',
    headers: { ...(await connection.headers()), Accept: 'application/json' },
    headersTimeout: 30_000,
    ...options,
  });
}

/** Every object of a collection, 500 a page, for callers without a REST client of their own. */
export async function listAll<T>(
  connection: KubeConnection,
  path: string,
  labelSelector?: string,
  fieldSelector?: string,
): Promise<ObjectList<T>> {
  const items: T[] = [];
  let cont = '';
  let resourceVersion: string | undefined;
  do {
    const query = {
      limit: '500',
      continue: cont || undefined,
      labelSelector: labelSelector || undefined,
      fieldSelector: fieldSelector || undefined,
    };
    const res = await getCollection(connection, path, query, { bodyTimeout: 30_000 });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new WatchHttpError(res.statusCode, `list ${path}: ${res.statusCode} ${text.slice(0, 200)}`, text);
    const page = JSON.parse(text) as ObjectList<T> & { metadata?: { continue?: string } };
    items.push(...page.items);
    cont = page.metadata?.continue ?? '';
    resourceVersion = page.metadata?.resourceVersion;
  } while (cont);
  return { items, metadata: { resourceVersion } };
}
