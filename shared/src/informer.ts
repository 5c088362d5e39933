// A list+watch cache of one collection, shared by the webhook's reference cache and the controller's
// informers: the ListWatch of ./list-watch.ts, restarted with capped exponential backoff after any
// failure so a resource is never silently left unwatched, and reporting whether the cache has listed.
// Its own entry point (`@openvox/shared/informer`), so the API part of the package loads no HTTP code.
import type { KubeConnection } from './kube/connection.js';
import { ListWatch, type ListedObject, type ObjectList, type WatchEventType } from './list-watch.js';
import { describeApiError } from './api-errors.js';

export type { WatchEventType } from './list-watch.js';
export { connect, fromAccess, type KubeConnection } from './kube/connection.js';
export { listAll, type ListedObject, type ObjectList } from './list-watch.js';
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

export interface RestartingInformerOptions<T extends ListedObject> {
  /** For logs. */
  kind: string;
  /** For logs: the one namespace this informer watches (namespace-scoped mode). */
  namespace?: string;
  /** Collection path, e.g. /apis/openvox.voxpupuli.org/v1alpha1/configs. */
  path: string;
  connection: KubeConnection;
  list: () => Promise<ObjectList<T>>;
  labelSelector?: string;
  /** Watch only objects whose fields match (the list must select the same). */
  fieldSelector?: string;
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
   * The only field paths (e.g. ['spec', 'replicas']) kept in that manager's fieldsV1: the tree mirrors
   * every field it set, often a third of the object. Unset: the whole tree is kept.
   */
  keepManagedFieldsPaths?: string[][];
  /** Applied to each object before it is cached, before managedFields are trimmed. */
  transform?: (obj: T) => void;
  /**
   * Asks the API server to end each watch after this many seconds; it is then resumed from its
   * resourceVersion (and re-listed on 410). Unset: watches end only on errors.
   */
  watchTimeoutSeconds?: number;
}

type FieldsV1 = Record<string, unknown>;

interface WithManagedFields {
  metadata?: { managedFields?: { manager?: string; fieldsV1?: FieldsV1 }[] };
}

/** The part of a fieldsV1 tree on `paths`: each path's nodes, its leaf's subtree replaced by {}. */
export function pickFieldPaths(fields: FieldsV1, paths: string[][]): FieldsV1 {
  const out: FieldsV1 = {};
  for (const path of paths) {
    let from: FieldsV1 | undefined = fields;
    let to = out;
    for (const [i, name] of path.entries()) {
      const key = `f:${name}`;
      const next = from?.[key] as FieldsV1 | undefined;
      if (next === undefined) break;
      if (i === path.length - 1) to[key] = {};
      else to = (to[key] ??= {}) as FieldsV1;
      from = next;
    }
  }
  return out;
}

/** Drops the managedFields entries of every manager but `keep` (and of its tree all but `paths`), in place. */
export function trimManagedFields(obj: unknown, keep?: string, paths?: string[][]): void {
  const metadata = (obj as WithManagedFields | undefined)?.metadata;
  if (!metadata?.managedFields) return;
  const kept = keep ? metadata.managedFields.filter((e) => e.manager === keep) : [];
  if (paths) for (const e of kept) if (e.fieldsV1) e.fieldsV1 = pickFieldPaths(e.fieldsV1, paths);
  if (kept.length) metadata.managedFields = kept;
  else delete metadata.managedFields;
}

export class RestartingInformer<T extends ListedObject> {
  private readonly lw: ListWatch<T>;
  private synced = false;
  private stopped = true;
  private failures = 0;
  private restartTimer: { cancel(): void } | undefined;

  constructor(private readonly opts: RestartingInformerOptions<T>) {
    this.lw = new ListWatch<T>({
      connection: opts.connection,
      path: opts.path,
      list: opts.list,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      timeoutSeconds: opts.watchTimeoutSeconds,
      transform: (obj) => {
        opts.transform?.(obj);
        trimManagedFields(obj, opts.keepManagedFieldsOf, opts.keepManagedFieldsPaths);
      },
    });
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

  /** Resolves once the first list is cached (or has failed, a restart then being scheduled). */
  start(): Promise<void> {
    this.stopped = false;
    return new Promise<void>((resolve) => this.run(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartTimer?.cancel();
    this.lw.stop();
  }

  private run(started: () => void): void {
    this.lw
      .run((relist) => {
        if (relist) this.opts.onRelist?.(relist);
        if (!this.synced && this.opts.syncedMessage)
          this.opts.logger.info({ kind: this.opts.kind, namespace: this.opts.namespace }, this.opts.syncedMessage);
        this.synced = true;
        this.failures = 0;
        started();
      })
      .then(started, (err: unknown) => {
        started();
        this.scheduleRestart(err);
      });
  }

  private scheduleRestart(err: unknown): void {
    if (this.stopped) return;
    const min = this.opts.minBackoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.failures);
    this.failures++;
    // An API server that is busy or restarting, or a watch it closed, passes by itself: one line at info.
    const { transient, reason } = describeApiError(err);
    const fields = { kind: this.opts.kind, namespace: this.opts.namespace, reason, delayMs: delay };
    if (transient) this.opts.logger.info(fields, 'watch interrupted; listing again shortly');
    else
      this.opts.logger.warn(
        fields,
        'could not list or watch; retrying with backoff (if it persists, check the RBAC and that the CRDs are installed)',
      );
    this.restartTimer?.cancel();
    this.restartTimer = (this.opts.timers ?? unrefTimers).setTimeout(() => {
      if (this.stopped) return;
      this.opts.onRestart?.();
      this.run(() => undefined);
    }, delay);
  }
}

export { NamespacedInformers, type NamespaceInformer } from './namespaced-informers.js';
