// Wires controllers to shared informers and work queues. A controller is a definition: the resources it
// watches with a function from a changed object to the keys to reconcile, and a reconcile function.
// Adding a reconciler for another kind is one more definition passed to register().
import type { KubeConnection } from '@openvox/shared/informer';
import type { Logger } from 'pino';
import { describeApiError } from '@openvox/shared/runtime';
import type { Clock, Timer } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import type { EventRecorder } from './events.js';
import { Informer, type EventType, type InformerLike } from './informer.js';
import type { ResourceType } from './resources.js';
import type { ControllerMetrics } from './metrics.js';
import { WorkQueue, type HandlerResult } from './queue.js';

export interface WatchSpec {
  resource: ResourceType;
  /** Keys (namespace/name) of the controller's objects affected by this event. */
  map(type: EventType, obj: KubeObject): string[];
}

/** What every kind's controller is built from; the composition root (app.ts) passes the same to all. */
export interface ControllerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

export interface ControllerDefinition {
  name: string;
  watches: WatchSpec[];
  reconcile(key: string): Promise<HandlerResult | void>;
  /** Every key, enqueued on each periodic resync. */
  allKeys(): string[];
}

export interface ManagerOptions {
  connection: KubeConnection;
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  metrics: ControllerMetrics;
  concurrency: number;
  resyncMs: number;
  /** Watch only these namespaces (namespace-scoped mode); empty or absent: all. */
  namespaces?: readonly string[];
  /** Server-side end of each watch in seconds; 0 or absent: none. */
  watchTimeoutSeconds?: number;
  /** Which controllers run (by definition name); all when absent. */
  enabled?: (name: string) => boolean;
  /** Lets tests supply in-memory informers. */
  informerFactory?: (resource: ResourceType) => InformerLike<KubeObject>;
}

interface Registered {
  def: ControllerDefinition;
  queue: WorkQueue;
}

export class Manager {
  private readonly informers = new Map<string, InformerLike<KubeObject>>();
  private readonly controllers: Registered[] = [];
  private resyncTimer: Timer | undefined;
  private working = false;
  private epoch = 0;
  private started = false;

  constructor(private readonly opts: ManagerOptions) {}

  /** The shared informer of a resource, created on first use. */
  informer<T extends KubeObject>(resource: ResourceType): InformerLike<T> {
    // One informer per collection and selection (all Events and only probe failures are two caches).
    const id = `${resource.apiVersion}/${resource.plural}?${resource.labelSelector ?? ''}&${resource.fieldSelector ?? ''}`;
    let inf = this.informers.get(id);
    if (!inf) {
      inf =
        this.opts.informerFactory?.(resource) ??
        new Informer<KubeObject>(resource, {
          connection: this.opts.connection,
          client: this.opts.client,
          logger: this.opts.logger,
          clock: this.opts.clock,
          ...(resource.labelSelector ? { labelSelector: resource.labelSelector } : {}),
          ...(resource.fieldSelector ? { fieldSelector: resource.fieldSelector } : {}),
          ...(this.opts.namespaces?.length ? { namespaces: this.opts.namespaces } : {}),
          onRestart: (kind) => this.opts.metrics.informerRestarts.inc({ kind }),
          onRelist: (kind, reason) => this.opts.metrics.informerRelists.inc({ kind, reason }),
          onEvent: (kind, type) => this.opts.metrics.informerEvents.inc({ kind, type }),
          ...(this.opts.watchTimeoutSeconds ? { watchTimeoutSeconds: this.opts.watchTimeoutSeconds } : {}),
        });
      this.informers.set(id, inf);
    }
    return inf as unknown as InformerLike<T>;
  }

  /** What each informer caches: objects and their size as JSON (for /debug/memory). */
  cacheSizes(): { kind: string; objects: number; jsonBytes: number }[] {
    return [...this.informers.values()].map((i) => {
      const objects = i.list();
      return {
        kind: i.resource.kind,
        objects: objects.length,
        jsonBytes: objects.reduce((sum, o) => sum + JSON.stringify(o).length, 0),
      };
    });
  }

  /** Registers a controller; a disabled one is skipped (its informers may exist but nothing reconciles). */
  register(def: ControllerDefinition): WorkQueue | undefined {
    if (this.opts.enabled && !this.opts.enabled(def.name)) {
      this.opts.logger.info({ controller: def.name }, 'controller disabled');
      return undefined;
    }
    const { clock, concurrency, metrics } = this.opts;
    const queue = new WorkQueue({
      clock,
      concurrency,
      onDepth: (d) => metrics.queueDepth.set({ controller: def.name }, d),
    });
    for (const w of def.watches) {
      this.informer(w.resource).on((type, obj) => {
        for (const key of w.map(type, obj)) queue.add(key);
      });
    }
    this.controllers.push({ def, queue });
    return queue;
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** Starts every informer (all replicas keep warm caches, so a new leader starts at once). */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  /** Waits for the caches, then reconciles until stopWorkers(); only the leader calls this. */
  async startWorkers(): Promise<void> {
    const epoch = ++this.epoch;
    while (!this.hasSynced()) {
      if (!this.started) return;
      await new Promise<void>((r) => this.opts.clock.setTimeout(r, 50));
    }
    // Leadership may have been lost (and stopWorkers called) while the caches synced.
    if (epoch !== this.epoch) return;
    this.working = true;
    for (const { def, queue } of this.controllers) {
      for (const key of def.allKeys()) queue.add(key);
      queue.start((key) => this.run(def, key));
    }
    this.scheduleResync();
    this.opts.logger.info({ controllers: this.controllers.map((c) => c.def.name) }, 'workers started');
  }

  isWorking(): boolean {
    return this.working;
  }

  stopWorkers(): void {
    this.epoch++;
    this.working = false;
    this.resyncTimer?.cancel();
    for (const { queue } of this.controllers) queue.pause();
  }

  async stop(): Promise<void> {
    this.stopWorkers();
    this.started = false;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** Waits until no controller has queued or running keys. */
  async idle(): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.queue.idle()));
  }

  /** Enqueues every key of every controller, as the periodic resync does. */
  resync(): void {
    for (const { def, queue } of this.controllers) for (const key of def.allKeys()) queue.add(key);
  }

  private scheduleResync(): void {
    this.resyncTimer?.cancel();
    if (this.opts.resyncMs <= 0) return;
    this.resyncTimer = this.opts.clock.setTimeout(() => {
      if (!this.working) return;
      this.resync();
      this.scheduleResync();
    }, this.opts.resyncMs);
  }

  private async run(def: ControllerDefinition, key: string): Promise<HandlerResult | void> {
    const { metrics, logger, clock } = this.opts;
    const started = clock.now();
    try {
      const result = await def.reconcile(key);
      metrics.reconcileTotal.inc({ controller: def.name, result: 'success' });
      return result;
    } catch (err) {
      metrics.reconcileTotal.inc({ controller: def.name, result: 'error' });
      metrics.reconcileErrors.inc({ controller: def.name });
      // A conflict or a busy API server is resolved by the next try; anything else needs a look.
      const { transient, reason } = describeApiError(err);
      if (transient) logger.info({ controller: def.name, key, reason }, 'reconcile will be retried');
      else
        logger.error(
          { controller: def.name, key, reason },
          `reconcile of ${def.name} ${key} failed; retrying with backoff (kubectl describe shows its Events)`,
        );
      throw err;
    } finally {
      metrics.reconcileDuration.observe({ controller: def.name }, (clock.now() - started) / 1000);
    }
  }
}
