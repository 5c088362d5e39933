// A typed list+watch cache of one resource for the controller: the restarting informer of
// @openvox/shared (shared with the webhook), listing through our REST client; in namespace-scoped mode
// one per watched namespace, merged.
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '@openvox/shared';
import { NamespacedInformers, RestartingInformer } from '@openvox/shared/informer';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import { collectionPath, type ResourceType } from './resources.js';

export type EventType = 'add' | 'update' | 'delete';
export type Handler<T> = (type: EventType, obj: T) => void;

export interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
  list(namespace?: string): T[];
}

export interface InformerLike<T> extends Cache<T> {
  readonly resource: ResourceType;
  on(handler: Handler<T>): void;
  hasSynced(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface InformerOptions {
  kubeConfig: KubeConfig;
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  labelSelector?: string;
  /** Watch only these namespaces, each on its own; empty or absent: all namespaces. */
  namespaces?: readonly string[];
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onRestart?: (kind: string) => void;
  onRelist?: (kind: string, reason: 'expired' | 'restart') => void;
  watchTimeoutSeconds?: number;
}

export class Informer<T extends KubeObject> implements InformerLike<T> {
  private readonly informer: NamespacedInformers<KubernetesObject>;
  private readonly handlers: Handler<T>[] = [];

  constructor(
    readonly resource: ResourceType,
    opts: InformerOptions,
  ) {
    const watchOne = (namespace: string | undefined) =>
      new RestartingInformer<KubernetesObject>({
        kind: resource.kind,
        ...(namespace ? { namespace } : {}),
        path: collectionPath(resource, namespace),
        kubeConfig: opts.kubeConfig,
        list: async () =>
          (await opts.client.list<T>(resource, {
            ...(namespace ? { namespace } : {}),
            labelSelector: opts.labelSelector,
          })) as unknown as KubernetesListObject<KubernetesObject>,
        labelSelector: opts.labelSelector,
        logger: opts.logger,
        timers: opts.clock,
        minBackoffMs: opts.minBackoffMs,
        maxBackoffMs: opts.maxBackoffMs,
        onRestart: () => opts.onRestart?.(resource.kind),
        onRelist: (reason) => opts.onRelist?.(resource.kind, reason),
        // ownsField() reads our own Apply entry; nothing reads the others'.
        keepManagedFieldsOf: FIELD_MANAGER,
        ...(opts.watchTimeoutSeconds ? { watchTimeoutSeconds: opts.watchTimeoutSeconds } : {}),
      });
    this.informer = new NamespacedInformers(opts.namespaces ?? [], watchOne);
    const emit = (type: EventType) => (obj: KubernetesObject) => {
      const typed = this.typed(obj);
      for (const h of this.handlers) h(type, typed);
    };
    this.informer.on('add', emit('add'));
    this.informer.on('update', emit('update'));
    this.informer.on('delete', emit('delete'));
  }

  /** client-node's cache drops apiVersion and kind; every object we hand out has them. */
  private typed(obj: KubernetesObject): T {
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

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }
}
