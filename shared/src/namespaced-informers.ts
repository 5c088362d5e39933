// Namespace-scoped mode: one list+watch per watched namespace (a namespaced Role allows nothing wider),
// read as one cache. With no namespaces given it is a single cluster-wide informer, as before.
import type { ListedObject } from './list-watch.js';
import type { WatchEventType } from './informer.js';

/** The part of RestartingInformer this set uses (tests may pass their own). */
export interface NamespaceInformer<T> {
  on(type: WatchEventType, handler: (obj: T) => void): void;
  hasSynced(): boolean;
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string): readonly T[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class NamespacedInformers<T extends ListedObject> {
  /** Keyed by namespace; the one key `undefined` means all namespaces. */
  private readonly informers = new Map<string | undefined, NamespaceInformer<T>>();

  /** `make(undefined)` is the cluster-wide informer, used when `namespaces` is empty. */
  constructor(namespaces: readonly string[], make: (namespace: string | undefined) => NamespaceInformer<T>) {
    const keys = namespaces.length ? [...new Set(namespaces)] : [undefined];
    for (const ns of keys) this.informers.set(ns, make(ns));
  }

  /** Whether objects of this namespace can be in the cache at all. */
  watches(namespace: string): boolean {
    return this.informers.has(undefined) || this.informers.has(namespace);
  }

  on(type: WatchEventType, handler: (obj: T) => void): void {
    for (const informer of this.informers.values()) informer.on(type, handler);
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.pick(namespace)?.get(namespace, name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.pick(namespace)?.list(namespace) ?? [])];
    return [...this.informers.values()].flatMap((i) => i.list());
  }

  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  private pick(namespace: string | undefined): NamespaceInformer<T> | undefined {
    return this.informers.get(undefined) ?? (namespace === undefined ? undefined : this.informers.get(namespace));
  }
}
