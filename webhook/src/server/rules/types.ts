// What every rule receives and returns: causes deny, warnings only inform.
import type { StatusCause } from '../../admission/review.js';
import { CAUSE } from '../../admission/responses.js';
import type { ReferenceLookup } from '../../references/lookup.js';

export type Obj = Record<string, unknown>;

export interface RuleContext {
  /** The object as it will be stored (defaults applied). */
  object: Obj;
  /** `object.spec`, or an empty object when it is missing or not an object. */
  spec: Obj;
  namespace: string | undefined;
  references: ReferenceLookup;
  /** The stored object on UPDATE (kind handlers only). */
  oldObject?: Obj;
}

export interface Verdict {
  readonly causes: readonly StatusCause[];
  readonly warnings: readonly string[];
}

export type Rule = (ctx: RuleContext) => Verdict;

// Most rules find nothing on most requests: share one empty verdict instead of allocating one each.
const NOTHING: Verdict = Object.freeze({ causes: Object.freeze([]), warnings: Object.freeze([]) });

export function verdict(causes: readonly StatusCause[] = [], warnings: readonly string[] = []): Verdict {
  return causes.length === 0 && warnings.length === 0 ? NOTHING : { causes, warnings };
}

/** `Invalid value: 5: detail`, the wording apimachinery's field errors use. */
export function invalid(field: string, value: unknown, detail: string): StatusCause {
  return { type: CAUSE.invalid, field, message: `Invalid value: ${show(value)}: ${detail}` };
}

export function required(field: string, detail: string): StatusCause {
  return { type: CAUSE.required, field, message: `Required value: ${detail}` };
}

export function forbidden(field: string, detail: string): StatusCause {
  return { type: CAUSE.forbidden, field, message: `Forbidden: ${detail}` };
}

export function duplicate(field: string, value: unknown, detail: string): StatusCause {
  return { type: CAUSE.duplicate, field, message: `Duplicate value: ${show(value)}: ${detail}` };
}

export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

export function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX;
}

export function child(parent: Obj, key: string): Obj | undefined {
  const value = parent[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}
