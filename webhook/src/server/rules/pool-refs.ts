// Rule 9: poolRefs are DNS-1123 labels (they become label keys) without duplicates.
import { duplicate, invalid, verdict, type Rule } from './types.js';
import { LABEL_RULE, isDnsLabel } from './names.js';
import type { StatusCause } from '../../admission/review.js';

export const poolRefsRule: Rule = ({ spec }) => {
  if (!Array.isArray(spec.poolRefs)) return verdict();
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  spec.poolRefs.forEach((ref: unknown, i) => {
    if (typeof ref !== 'string') return;
    const field = `spec.poolRefs[${i}]`;
    if (!isDnsLabel(ref)) causes.push(invalid(field, ref, LABEL_RULE));
    else if (seen.has(ref)) causes.push(duplicate(field, ref, 'each Pool may be listed only once'));
    seen.add(ref);
  });
  return verdict(causes);
};
