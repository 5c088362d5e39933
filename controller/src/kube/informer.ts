// A typed list+watch cache of one resource for the controller: the restarting informer of
// @openvox/shared (shared with the webhook), listing through our REST client; in namespace-scoped mode
// one per watched namespace, merged.
import { FIELD_MANAGER } from '@openvox/shared/runtime';
import { NamespacedInformers, RestartingInformer, type KubeConnection } from '@openvox/shared/informer';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import { OWNERSHIP_PATHS } from './owned.js';
import { LabelIndex } from './label-index.js';
import { keepOwnedSpec } from './owned-fields.js';
import { keepPodStatusView } from './pod-view.js';
import { keepProbeEventView } from './probe-event-view.js';
import { collectionPath, type ResourceType } from './resources.js';

export type EventType = 'add' | 'update' | 'delete';

const CACHE_VIEWS: Record<NonNullable<ResourceType['cacheView']>, (obj: KubeObject) => void> = {
  'owned-spec': keepOwnedSpec,
  'pod-status': keepPodStatusView,
  'probe-event': keepProbeEventView,
};
export type Handler<T> = (type: EventType, obj: T) => void;

export interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
  list(namespace?: string): T[];
}

/** Objects of a namespace by the value of the resource's indexLabel (an error for a resource without one). */
export interface LabelIndexedCache<T> extends Cache<T> {
  withLabel(namespace: string, value: string): T[];
}

export interface InformerLike<T> extends LabelIndexedCache<T> {
  readonly resource: ResourceType;
  on(handler: Handler<T>): void;
  hasSynced(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface InformerOptions {
  connection: KubeConnection;
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  labelSelector?: string;
  /** Watch only objects whose fields match, e.g. `reason=Unhealthy` (the API server filters). */
  fieldSelector?: string;
  /** Watch only these namespaces, each on its own; empty or absent: all namespaces. */
  namespaces?: readonly string[];
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onRestart?: (kind: string) => void;
  onRelist?: (kind: string, reason: 'expired' | 'restart') => void;
  onEvent?: (kind: string, type: EventType) => void;
  watchTimeoutSeconds?: number;
}

export class Informer<T extends KubeObject> implements InformerLike<T> {
  private readonly informer: NamespacedInformers<KubeObject>;
  private readonly handlers: Handler<T>[] = [];
  private readonly index: LabelIndex | undefined;

  constructor(
    readonly resource: ResourceType,
    opts: InformerOptions,
  ) {
    const watchOne = (namespace: string | undefined) =>
      new RestartingInformer<KubeObject>({
        kind: resource.kind,
        ...(namespace ? { namespace } : {}),
        path: collectionPath(resource, namespace),
        connection: opts.connection,
        list: () =>
          opts.client.list<T>(resource, {
            ...(namespace ? { namespace } : {}),
            labelSelector: opts.labelSelector,
            fieldSelector: opts.fieldSelector,
          }),
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        logger: opts.logger,
        timers: opts.clock,
        minBackoffMs: opts.minBackoffMs,
        maxBackoffMs: opts.maxBackoffMs,
        onRestart: () => opts.onRestart?.(resource.kind),
        onRelist: (reason) => opts.onRelist?.(resource.kind, reason),
        // ownsField() reads our own Apply entry, and only these paths of it; nothing reads the others'.
        keepManagedFieldsOf: FIELD_MANAGER,
        keepManagedFieldsPaths: OWNERSHIP_PATHS,
        ...(resource.cacheView ? { transform: CACHE_VIEWS[resource.cacheView] } : {}),
        ...(opts.watchTimeoutSeconds ? { watchTimeoutSeconds: opts.watchTimeoutSeconds } : {}),
      });
    this.informer = new NamespacedInformers(opts.namespaces ?? [], watchOne);
    // Registered before the handlers below, so a handler's lookup already sees the object it is told of.
    const index = resource.indexLabel ? new LabelIndex(resource.indexLabel) : undefined;
    if (index) {
      this.informer.on('add', (obj) => index.set(obj));
      this.informer.on('update', (obj) => index.set(obj));
      this.informer.on('delete', (obj) => index.delete(obj));
    }
    this.index = index;
    const emit = (type: EventType) => (obj: KubeObject) => {
      opts.onEvent?.(resource.kind, type);
      const typed = this.typed(obj);
      for (const h of this.handlers) h(type, typed);
    };
    this.informer.on('add', emit('add'));
    this.informer.on('update', emit('update'));
    this.informer.on('delete', emit('delete'));
  }

  /** Watch events carry apiVersion and kind, but a copy keeps callers from changing the cache. */
  private typed(obj: KubeObject): T {
    return { apiVersion: this.resource.apiVersion, kind: this.resource.kind, ...obj } as unknown as T;
  }

  on(handler: Handler<T>): void {
    this.handlers.push(handler);
  }

  hasSynced(): boolean {
    return this.informer.hasSynced();
  }

  get(namespace: string, name: string): T | undefined {
    const obj = this.informer.get(namespace, name);
    return obj ? this.typed(obj) : undefined;
  }

  list(namespace?: string): T[] {
    return this.informer.list(namespace).map((o) => this.typed(o));
  }

  withLabel(namespace: string, value: string): T[] {
    if (!this.index) throw new Error(`${this.resource.kind} informer has no indexLabel`);
    const found: T[] = [];
    for (const name of this.index.lookup(namespace, value)) {
      const obj = this.informer.get(namespace, name);
      if (obj) found.push(this.typed(obj));
    }
    return found;
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }
}
