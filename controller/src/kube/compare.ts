// Decides whether an owned object must be re-applied: only when the live object lacks a value we want.
// Fields others set (defaults, status, an HPA's replicas, a rollout-restart annotation) are ignored.

const QUANTITY = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const FACTORS: Record<string, number> = {
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

/** The numeric value of a Kubernetes quantity ("500m", "1Gi"), or undefined. */
export function parseQuantity(s: string): number | undefined {
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * FACTORS[m[2] ?? '']!;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/**
 * True when every value in `desired` is present and equal in `live`. Zero values match a missing field
 * (the API server omits them); quantities under `resources` compare by value ("1000m" equals "1").
 */
export function isSubset(desired: unknown, live: unknown, inResources = false): boolean {
  if (desired === undefined) return true;
  if (live === undefined || live === null) return isEmpty(desired);
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((d, i) => isSubset(d, live[i], inResources));
  }
  if (desired && typeof desired === 'object') {
    if (typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) =>
      isSubset(v, (live as Record<string, unknown>)[k], inResources || k === 'resources'),
    );
  }
  if (desired === live) return true;
  if (inResources && typeof desired === 'string' && typeof live === 'string') {
    const a = parseQuantity(desired);
    const b = parseQuantity(live);
    return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12;
  }
  return false;
}
