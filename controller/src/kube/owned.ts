// Writes to objects the controller owns: server-side apply only when needed, delete only what we control.
import type { KubeClient, KubeObject } from './client.js';
import { isSubset } from './compare.js';
import { jsonHash } from './hash.js';
import { APPLIED_HASH } from './annotations.js';
import type { ResourceType } from './resources.js';
import { FIELD_MANAGER } from '@openvox/shared/runtime';

export function controllerUid(obj: KubeObject | undefined): string | undefined {
  return obj?.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

export function isControlledBy(obj: KubeObject | undefined, ownerUid: string): boolean {
  return controllerUid(obj) === ownerUid;
}

/** Stamps the desired object with the hash of itself (see needsApply). */
export function withAppliedHash<T extends KubeObject>(desired: T): T {
  const hash = jsonHash(desired);
  return {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...desired.metadata?.annotations, [APPLIED_HASH]: hash } },
  };
}

/**
 * The live object needs an apply when it is missing, when it was last applied from a different desired
 * state (catches fields we stopped setting, such as a removed pool label), or when someone changed a
 * field we set.
 */
export function needsApply(stamped: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return true;
  if (live.metadata?.annotations?.[APPLIED_HASH] !== stamped.metadata?.annotations?.[APPLIED_HASH]) return true;
  return !isSubset({ ...stamped, status: undefined }, live);
}

export type ApplyOutcome = 'applied' | 'unchanged' | 'conflict';

/**
 * What we applied and the resourceVersion the API server gave the result. Until the informer delivers that
 * version the cache shows an older object, and repeating the apply would be a wasted write. The entry is
 * dropped when the informer delivers our version (observe), when the object is deleted, or after a TTL
 * (a relist can skip versions), so drift made by others is never ignored for long.
 */
export class ApplyMemo {
  private readonly entries = new Map<string, { hash: string; resultRv: string; at: number }>();
  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30_000,
  ) {}
  static key(r: ResourceType, namespace: string | undefined, name: string): string {
    return `${r.kind}/${namespace ?? ''}/${name}`;
  }
  /** The hash we applied, while the cache has not caught up with it. */
  pending(key: string, liveRv: string | undefined): string | undefined {
    const e = this.entries.get(key);
    if (!e || this.now() - e.at > this.ttlMs || e.resultRv === liveRv) return undefined;
    return e.hash;
  }
  set(key: string, hash: string, resultRv: string): void {
    this.entries.set(key, { hash, resultRv, at: this.now() });
  }
  /** The informer delivered `rv`: once it is our own write, the cache is current. */
  observe(key: string, rv: string | undefined): void {
    if (this.entries.get(key)?.resultRv === rv) this.entries.delete(key);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Applies `desired` unless the live object already matches. Refuses (returns 'conflict') when a
 * same-named object exists that another owner, or nobody, controls: we never take over foreign objects.
 * A label-selected cache cannot show foreign objects, so a miss there is checked by name first.
 */
export async function applyOwned(
  client: KubeClient,
  resource: ResourceType,
  desired: KubeObject,
  live: KubeObject | undefined,
  ownerUid: string,
  memo?: ApplyMemo,
): Promise<ApplyOutcome> {
  if (live && !isControlledBy(live, ownerUid)) return 'conflict';
  const stamped = withAppliedHash(desired);
  const key = ApplyMemo.key(resource, desired.metadata?.namespace, desired.metadata?.name ?? '');
  if (!needsApply(stamped, live)) {
    memo?.delete(key);
    return 'unchanged';
  }
  const hash = stamped.metadata!.annotations![APPLIED_HASH]!;
  if (memo?.pending(key, live?.metadata?.resourceVersion) === hash) return 'unchanged';
  // Only right before creating: an object our own apply made (pending above) needs no look.
  if (!live && resource.labelSelector) {
    const found = await client.get(resource, desired.metadata?.namespace, desired.metadata?.name ?? '');
    if (found && !isControlledBy(found, ownerUid)) return 'conflict';
  }
  const result = await client.apply(resource, stamped);
  memo?.set(key, hash, result?.metadata?.resourceVersion ?? '');
  return 'applied';
}

/** Deletes the object only when `ownerUid` controls it; a uid precondition guards against races. */
export async function deleteIfOwned(
  client: KubeClient,
  resource: ResourceType,
  live: KubeObject | undefined,
  ownerUid: string,
): Promise<boolean> {
  if (!live || !isControlledBy(live, ownerUid) || live.metadata?.deletionTimestamp) return false;
  await client.delete(resource, live.metadata?.namespace, live.metadata!.name!, live.metadata?.uid);
  return true;
}

/** Field manager that holds a field while its ownership passes from us to another controller. */
export const HANDOVER_MANAGER = 'openvox-operator-handover';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: Record<string, unknown>;
}

/** The fields whose ownership the controller asks about: informers cache our managedFields only for these. */
export const OWNERSHIP_PATHS: string[][] = [['spec', 'replicas']];

/** True when our Apply entry in managedFields owns the field at `path` (one of OWNERSHIP_PATHS). */
export function ownsField(live: KubeObject | undefined, path: string[]): boolean {
  if (!OWNERSHIP_PATHS.some((p) => p.join('.') === path.join('.')))
    throw new Error(`ownsField(${path.join('.')}): not in OWNERSHIP_PATHS, so the informers do not keep it`);
  const entries = (live?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const ours = entries.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply');
  let node: unknown = ours?.fieldsV1;
  for (const p of path) node = (node as Record<string, unknown> | undefined)?.[`f:${p}`];
  return node !== undefined;
}
