// JVM heap sizes ("1g", "512M", "1048576"); Kubernetes quantities come from @openvox/shared.
import type { Parsed } from '@openvox/shared';

export { parseQuantity, type Parsed } from '@openvox/shared';

const JVM_SIZE = /^([0-9]+)([kKmMgGtT]?)$/;
const JVM_UNIT: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** A JVM -Xms/-Xmx size in bytes: digits with an optional k, m, g or t (any case), as the JVM reads it. */
export function parseJvmSize(input: string): Parsed {
  const match = JVM_SIZE.exec(input);
  if (!match) return { ok: false, error: 'must be digits with an optional k, m, g or t suffix, such as 512m or 2g' };
  const [, digits = '', unit = ''] = match;
  return { ok: true, value: Number(digits) * (JVM_UNIT[unit.toLowerCase()] ?? 1) };
}

/** The last -Xms and -Xmx of a JVM argument string (the JVM lets the last one win). */
export function heapFlags(javaArgs: string): { xms?: string; xmx?: string } {
  const out: { xms?: string; xmx?: string } = {};
  for (const token of javaArgs.split(/\s+/)) {
    if (token.startsWith('-Xms')) out.xms = token.slice(4);
    else if (token.startsWith('-Xmx')) out.xmx = token.slice(4);
  }
  return out;
}
