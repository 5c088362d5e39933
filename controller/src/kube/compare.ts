// Decides whether an owned object must be re-applied: only when the live object lacks a value we want.
// Fields others set (defaults, status, an HPA's replicas, a rollout-restart annotation) are ignored.

import { parseQuantity as parse } from '@openvox/shared/runtime';

/** The numeric value of a Kubernetes quantity ("500m", "1Gi"), or undefined. */
export function parseQuantity(s: string): number | undefined {
  const parsed = parse(s);
  return parsed.ok ? parsed.value : undefined;
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
