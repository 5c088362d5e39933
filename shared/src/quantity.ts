// Kubernetes resource quantities ("4Gi", "500m", "2e3"): one parser for the webhook's rules and
// defaults and the controller's comparison of desired and live objects.

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
