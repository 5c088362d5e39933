// Status subresource writes, skipped when nothing changed so a resync costs no writes.
import type { KubeClient, KubeObject } from './client.js';
import { stableStringify } from '../server/hash.js';
import type { ResourceType } from './resources.js';

export function sameStatus(a: unknown, b: unknown): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}

/** Writes `status` with a merge patch when it differs from the object's; returns whether it wrote. */
export async function writeStatusIfChanged(
  client: KubeClient,
  resource: ResourceType,
  obj: KubeObject & { status?: unknown },
  status: unknown,
): Promise<boolean> {
  if (sameStatus(obj.status, status)) return false;
  await client.patchStatus(resource, obj.metadata!.namespace!, obj.metadata!.name!, status);
  return true;
}
