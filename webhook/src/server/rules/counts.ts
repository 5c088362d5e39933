// Rule 5: replica and instance counts, and int32 range for every int32 field.
import { INT32_MAX, INT32_MIN, child, invalid, isInt32, verdict, type Obj, type Rule } from './types.js';
import type { StatusCause } from '../../admission/review.js';

const INT32_FIELDS: [string[], string][] = [
  [['replicas'], 'spec.replicas'],
  [['maxActiveInstances'], 'spec.maxActiveInstances'],
  [['autoscaling', 'minReplicas'], 'spec.autoscaling.minReplicas'],
  [['autoscaling', 'maxReplicas'], 'spec.autoscaling.maxReplicas'],
  [['autoscaling', 'targetCPU'], 'spec.autoscaling.targetCPU'],
];

function at(spec: Obj, path: string[]): unknown {
  let node: Obj | undefined = spec;
  for (const key of path.slice(0, -1)) node = node && child(node, key);
  return node?.[path[path.length - 1] ?? ''];
}

export const countsRule: Rule = ({ spec }) => {
  const causes: StatusCause[] = [];
  for (const [path, field] of INT32_FIELDS) {
    const value = at(spec, path);
    if (Number.isInteger(value) && !isInt32(value)) {
      causes.push(invalid(field, value, `must be a 32-bit integer (${INT32_MIN} to ${INT32_MAX})`));
    }
  }
  if (isInt32(spec.replicas) && spec.replicas < 0) {
    causes.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  if (isInt32(spec.maxActiveInstances) && spec.maxActiveInstances < 1) {
    causes.push(invalid('spec.maxActiveInstances', spec.maxActiveInstances, 'must be greater than or equal to 1'));
  }
  return verdict(causes);
};
