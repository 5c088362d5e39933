// Kubernetes resource quantities ("4Gi", "500m", "2e3") and JVM heap sizes ("1g", "512M", "1048576").

const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)))?$/;

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/** A quantity's value in base units (bytes for memory); numbers are taken as they are. */
export function parseQuantity(input: unknown): Parsed {
  if (typeof input === 'number') {
    return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, error: 'must be a finite number' };
  }
  if (typeof input !== 'string') return { ok: false, error: 'must be a quantity such as 4Gi or 500m' };
  const match = QUANTITY.exec(input);
  if (!match) return { ok: false, error: 'must be a quantity such as 4Gi, 512Mi or 500m' };
  const [, number, suffix, exponent] = match;
  const base = Number(number);
  const value = exponent !== undefined ? base * 10 ** Number(exponent) : base * (SUFFIX[suffix ?? ''] ?? 1);
  if (!Number.isFinite(value)) return { ok: false, error: 'is too large' };
  return { ok: true, value };
}

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
