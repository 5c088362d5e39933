// Writes to objects the controller owns: server-side apply only when needed, delete only what we control.
import type { KubeClient, KubeObject } from './client.js';
import { isSubset } from './compare.js';
import { jsonHash } from '../server/hash.js';
import { APPLIED_HASH } from '../server/names.js';
import type { ResourceType } from './resources.js';

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
 * Applies `desired` unless the live object already matches. Refuses (returns 'conflict') when a
 * same-named object exists that another owner, or nobody, controls: we never take over foreign objects.
 */
export async function applyOwned(
  client: KubeClient,
  resource: ResourceType,
  desired: KubeObject,
  live: KubeObject | undefined,
  ownerUid: string,
): Promise<ApplyOutcome> {
  if (live && !isControlledBy(live, ownerUid)) return 'conflict';
  const stamped = withAppliedHash(desired);
  if (!needsApply(stamped, live)) return 'unchanged';
  await client.apply(resource, stamped);
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
