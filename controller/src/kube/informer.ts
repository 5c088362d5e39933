// A list+watch cache of one resource on top of client-node's ListWatch. client-node stops an informer
// on any error other than 410/timeout; this wrapper restarts it with capped exponential backoff so a
// resource is never silently left unwatched.
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock, Timer } from './clock.js';
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
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onRestart?: (kind: string) => void;
}

export class Informer<T extends KubeObject> implements InformerLike<T> {
  private readonly lw: ListWatch<KubernetesObject>;
  private readonly handlers: Handler<T>[] = [];
  private synced = false;
  private stopped = true;
  private failures = 0;
  private restartTimer: Timer | undefined;

  constructor(
    readonly resource: ResourceType,
    private readonly opts: InformerOptions,
  ) {
    const listFn = async () => {
      const list = await opts.client.list<T>(resource, { labelSelector: opts.labelSelector });
      // ListWatch fills its cache synchronously after this promise settles; mark synced after that.
      setImmediate(() => {
        this.synced = true;
        this.failures = 0;
      });
      return list as unknown as { items: KubernetesObject[]; metadata: { resourceVersion?: string } };
    };
    this.lw = new ListWatch(collectionPath(resource), new Watch(opts.kubeConfig), listFn, false, opts.labelSelector);
    const emit = (type: EventType) => (obj: KubernetesObject) => {
      this.failures = 0;
      const typed = { apiVersion: resource.apiVersion, kind: resource.kind, ...obj } as unknown as T;
      for (const h of this.handlers) h(type, typed);
    };
    this.lw.on('add', emit('add'));
    this.lw.on('update', emit('update'));
    this.lw.on('delete', emit('delete'));
    this.lw.on('error', (err: unknown) => this.scheduleRestart(err));
  }

  on(handler: Handler<T>): void {
    this.handlers.push(handler);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  get(namespace: string, name: string): T | undefined {
    const obj = this.lw.get(name, namespace);
    return obj
      ? ({ apiVersion: this.resource.apiVersion, kind: this.resource.kind, ...obj } as unknown as T)
      : undefined;
  }

  list(namespace?: string): T[] {
    return this.lw
      .list(namespace)
      .map((o) => ({ apiVersion: this.resource.apiVersion, kind: this.resource.kind, ...o }) as unknown as T);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.lw.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartTimer?.cancel();
    await this.lw.stop();
  }

  private scheduleRestart(err: unknown): void {
    if (this.stopped) return;
    const min = this.opts.minBackoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.failures);
    this.failures++;
    this.opts.logger.warn(
      { kind: this.resource.kind, err: String(err), delayMs: delay },
      'informer failed; restarting',
    );
    this.restartTimer?.cancel();
    this.restartTimer = this.opts.clock.setTimeout(() => {
      if (this.stopped) return;
      this.opts.onRestart?.(this.resource.kind);
      this.lw.start().catch((e: unknown) => this.scheduleRestart(e));
    }, delay);
  }
}
