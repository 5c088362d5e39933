// Content hashes for pod annotations: a changed ConfigMap or Secret changes the pod template and rolls the pods.
import { createHash } from 'node:crypto';

export interface DataObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/**
 * sha256 over the sorted entries with explicit separators (JSON encoding), so {"ab":"c"} and {"a":"bc"}
 * differ, and key order never matters. Secrets are hashed on their base64 text, which is deterministic.
 */
export function contentHash(obj: DataObject): string {
  const entries = (m: Record<string, string> | undefined) =>
    Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([entries(obj.data), entries(obj.binaryData)]))
    .digest('hex');
}

/** A stable sha256 of any JSON value (object keys sorted). */
export function jsonHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
