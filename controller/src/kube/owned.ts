// Writes to objects the controller owns: server-side apply only when needed, delete only what we control.
import type { KubeClient, KubeObject } from './client.js';
import { isSubset } from './compare.js';
import { jsonHash } from '../server/hash.js';
import { APPLIED_HASH } from '../server/names.js';
import type { ResourceType } from './resources.js';
import { FIELD_MANAGER } from '@openvox/shared';

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
 * What we applied and on top of which live resourceVersion. Right after an apply the informer cache may
 * still hold the older object; while the cache shows exactly that older version and we want the same
 * state, the apply is already done and repeating it would be a wasted write. Clear an entry when the
 * informer reports the object deleted.
 */
export class ApplyMemo {
  private readonly entries = new Map<string, { basedOn: string; hash: string }>();
  static key(r: ResourceType, namespace: string | undefined, name: string): string {
    return `${r.kind}/${namespace ?? ''}/${name}`;
  }
  get(key: string) {
    return this.entries.get(key);
  }
  set(key: string, basedOn: string, hash: string): void {
    this.entries.set(key, { basedOn, hash });
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Applies `desired` unless the live object already matches. Refuses (returns 'conflict') when a
 * same-named object exists that another owner, or nobody, controls: we never take over foreign objects.
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
  const basedOn = live?.metadata?.resourceVersion ?? '';
  const done = memo?.get(key);
  if (done && done.hash === hash && done.basedOn === basedOn) return 'unchanged';
  await client.apply(resource, stamped);
  memo?.set(key, basedOn, hash);
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

/** True when our Apply entry in managedFields owns the field at `path` (e.g. ['spec', 'replicas']). */
export function ownsField(live: KubeObject | undefined, path: string[]): boolean {
  const entries = (live?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const ours = entries.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply');
  let node: unknown = ours?.fieldsV1;
  for (const p of path) node = (node as Record<string, unknown> | undefined)?.[`f:${p}`];
  return node !== undefined;
}
