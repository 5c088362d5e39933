// Rule 8 (resources): every request and limit of spec.resources and spec.helperResources must be a
// Kubernetes quantity.
import { child, invalid, verdict, type Rule } from './types.js';
import { parseQuantity } from '../quantity.js';
import type { StatusCause } from '../../admission/review.js';

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${base}.${key}` : `${base}[${key}]`;
}

export const resourcesRule: Rule = ({ spec }) => {
  const causes: StatusCause[] = [];
  for (const field of ['resources', 'helperResources'] as const) {
    const resources = child(spec, field);
    if (!resources) continue;
    for (const group of ['requests', 'limits'] as const) {
      const values = child(resources, group);
      if (!values) continue;
      for (const [name, value] of Object.entries(values)) {
        const path = keyPath(`spec.${field}.${group}`, name);
        const parsed = parseQuantity(value);
        if (!parsed.ok) causes.push(invalid(path, value, parsed.error));
        else if (parsed.value < 0) causes.push(invalid(path, value, 'must be greater than or equal to 0'));
      }
    }
  }
  return verdict(causes);
};
