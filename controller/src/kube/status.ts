// Status subresource writes, skipped when nothing changed so a resync costs no writes.
import type { KubeClient, KubeObject } from './client.js';
import { stableStringify } from './hash.js';
import type { ResourceType } from './resources.js';

export function sameStatus(a: unknown, b: unknown): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}

/**
 * The status we last wrote per object and the resourceVersion the API server gave it. Until the informer
 * delivers that version the cached status is older than ours, so ours is the one to compare against (no
 * repeated write, no repeated transition event). Assumes the controller is the only status writer; entries
 * expire after a TTL in case a relist skips our version.
 */
export class StatusMemo {
  private readonly entries = new Map<string, { resultRv: string; status: unknown; at: number }>();
  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30_000,
  ) {}
  private static key(obj: KubeObject): string {
    return `${obj.metadata?.namespace}/${obj.metadata?.name}`;
  }
  /** The status to compare against: ours until the cache shows the version our write produced. */
  current(obj: KubeObject & { status?: unknown }): unknown {
    const e = this.entries.get(StatusMemo.key(obj));
    if (!e || e.resultRv === obj.metadata?.resourceVersion || this.now() - e.at > this.ttlMs) return obj.status;
    return e.status;
  }
  wrote(obj: KubeObject, status: unknown, resultRv: string | undefined): void {
    this.entries.set(StatusMemo.key(obj), { resultRv: resultRv ?? '', status, at: this.now() });
  }
  /** The informer delivered `rv`: once it is our own write, the cache is current. */
  observe(key: string, rv: string | undefined): void {
    if (this.entries.get(key)?.resultRv === rv) this.entries.delete(key);
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
  const result = await client.patchStatus<KubeObject>(resource, obj.metadata!.namespace!, obj.metadata!.name!, status);
  memo?.wrote(obj, status, result?.metadata?.resourceVersion);
  return true;
}
