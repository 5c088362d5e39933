// Status subresource writes, skipped when nothing changed so a resync costs no writes.
import type { KubeClient, KubeObject } from './client.js';
import { stableStringify } from '../server/hash.js';
import type { ResourceType } from './resources.js';

export function sameStatus(a: unknown, b: unknown): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}

/**
 * The status we last wrote per object and the resourceVersion it was based on: while the cache still
 * shows that version, our write is the current status (the watch event has not arrived yet).
 */
export class StatusMemo {
  private readonly entries = new Map<string, { basedOn: string; status: unknown }>();
  /** The status to compare against: ours if the cached object predates our last write. */
  current(obj: KubeObject & { status?: unknown }): unknown {
    const e = this.entries.get(`${obj.metadata?.namespace}/${obj.metadata?.name}`);
    return e && e.basedOn === obj.metadata?.resourceVersion ? e.status : obj.status;
  }
  wrote(obj: KubeObject, status: unknown): void {
    this.entries.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, {
      basedOn: obj.metadata?.resourceVersion ?? '',
      status,
    });
  }
  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** Writes `status` with a merge patch when it differs from the object's; returns whether it wrote. */
export async function writeStatusIfChanged(
  client: KubeClient,
  resource: ResourceType,
  obj: KubeObject & { status?: unknown },
  status: unknown,
  memo?: StatusMemo,
): Promise<boolean> {
  if (sameStatus(memo ? memo.current(obj) : obj.status, status)) return false;
  await client.patchStatus(resource, obj.metadata!.namespace!, obj.metadata!.name!, status);
  memo?.wrote(obj, status);
  return true;
}
