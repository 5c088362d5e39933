// A list+watch cache of one collection on top of client-node's ListWatch, shared by the webhook's
// reference cache and the controller's informers. client-node stops a ListWatch on any error other
// than 410/timeout; this wrapper restarts it with capped exponential backoff so a resource is never
// silently left unwatched, and reports whether the cache has listed. Its own entry point
// (`@openvox/shared/informer`), so the API part of the package loads no client-node code.
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type WatchEventType = 'add' | 'update' | 'delete';

/** The two log calls the wrapper makes (pino's signature). */
export interface InformerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Timers are injectable so the controller can use its clock. */
export interface InformerTimers {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** Real timers that do not keep the process alive. */
export const unrefTimers: InformerTimers = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

export interface RestartingInformerOptions<T extends KubernetesObject> {
  /** For logs. */
  kind: string;
  /** For logs: the one namespace this informer watches (namespace-scoped mode). */
  namespace?: string;
  /** Collection path, e.g. /apis/openvox.voxpupuli.org/v1alpha1/configs. */
  path: string;
  kubeConfig: KubeConfig;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  logger: InformerLogger;
  timers?: InformerTimers;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called before each restart. */
  onRestart?: () => void;
  /**
   * Called on each list after the first: 'expired' when the watch's resourceVersion was gone (410, so
   * events may have been missed and the cache is rebuilt from the list), 'restart' after other errors.
   */
  onRelist?: (reason: 'expired' | 'restart') => void;
  /** Logged (info) the first time the cache has listed; nothing when unset. */
  syncedMessage?: string;
  /**
   * The field manager whose managedFields entries the cache keeps (the controller reads its own to know
   * which fields it owns); every other entry is dropped before caching, as they are most of an object's
   * size. Unset: all are dropped.
   */
  keepManagedFieldsOf?: string;
  /**
   * Asks the API server to end each watch after this many seconds; ListWatch then watches again from
   * its resourceVersion (and re-lists on 410). Unset: watches end only on errors.
   */
  watchTimeoutSeconds?: number;
}

interface WithManagedFields {
  metadata?: { managedFields?: { manager?: string }[] };
}

/** Drops the managedFields entries of every manager but `keep`, in place. */
export function trimManagedFields(obj: unknown, keep?: string): void {
  const metadata = (obj as WithManagedFields | undefined)?.metadata;
  if (!metadata?.managedFields) return;
  const kept = keep ? metadata.managedFields.filter((e) => e.manager === keep) : [];
  if (kept.length) metadata.managedFields = kept;
  else delete metadata.managedFields;
}

export class RestartingInformer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private synced = false;
  private stopped = true;
  private failures = 0;
  private restartTimer: { cancel(): void } | undefined;

  constructor(private readonly opts: RestartingInformerOptions<T>) {
    let listed = false;
    const trim = (obj: unknown) => trimManagedFields(obj, opts.keepManagedFieldsOf);
    const watch = new ExpiryAwareWatch(opts.kubeConfig, trim, opts.watchTimeoutSeconds);
    const list = async () => {
      const result = await opts.list();
      for (const item of result.items) trim(item);
      if (listed) opts.onRelist?.(watch.takeExpired() ? 'expired' : 'restart');
      listed = true;
      // ListWatch fills its cache synchronously after this promise settles; mark synced after that.
      setImmediate(() => {
        if (!this.synced && opts.syncedMessage) {
          opts.logger.info({ kind: opts.kind, namespace: opts.namespace }, opts.syncedMessage);
        }
        this.synced = true;
        this.failures = 0;
      });
      return result;
    };
    this.lw = new ListWatch<T>(opts.path, watch, list, false, opts.labelSelector);
    this.lw.on('error', (err: unknown) => this.scheduleRestart(err));
  }

  /** Events from the watch; any event also proves the watch healthy again. */
  on(type: WatchEventType, handler: (obj: T) => void): void {
    this.lw.on(type, (obj: T) => {
      this.failures = 0;
      handler(obj);
    });
  }

  hasSynced(): boolean {
    return this.synced;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
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
      { kind: this.opts.kind, namespace: this.opts.namespace, err: String(err), delayMs: delay },
      'informer failed; restarting',
    );
    this.restartTimer?.cancel();
    this.restartTimer = (this.opts.timers ?? unrefTimers).setTimeout(() => {
      if (this.stopped) return;
      this.opts.onRestart?.();
      this.lw.start().catch((e: unknown) => this.scheduleRestart(e));
    }, delay);
  }
}

/**
 * A Watch that remembers a 410 Gone (as an ERROR event or as the watch's end), which ListWatch hides, and
 * trims each object before ListWatch caches it.
 */
class ExpiryAwareWatch extends Watch {
  private expired = false;

  constructor(
    config: KubeConfig,
    private readonly trim: (obj: unknown) => void,
    private readonly timeoutSeconds?: number,
  ) {
    super(config);
  }

  takeExpired(): boolean {
    const was = this.expired;
    this.expired = false;
    return was;
  }

  override watch(...[path, query, callback, done]: Parameters<Watch['watch']>): ReturnType<Watch['watch']> {
    const gone = (e: { code?: unknown; statusCode?: unknown } | null | undefined) =>
      e?.code === 410 || e?.statusCode === 410;
    return super.watch(
      path,
      this.timeoutSeconds ? { ...query, timeoutSeconds: this.timeoutSeconds } : query,
      (phase, obj: unknown, raw?: unknown) => {
        if (phase === 'ERROR' && gone(obj as { code?: unknown })) this.expired = true;
        else this.trim(obj);
        callback(phase, obj, raw);
      },
      (err: unknown) => {
        if (gone(err as { code?: unknown })) this.expired = true;
        done(err);
      },
    );
  }
}

export { NamespacedInformers, type NamespaceInformer } from './namespaced-informers.js';
