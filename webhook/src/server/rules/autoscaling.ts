// Rule 4: autoscaling bounds, whether or not the autoscaler is enabled.
import { child, invalid, isInt32, verdict, type Rule } from './types.js';
import type { StatusCause } from '../../admission/review.js';

export const autoscalingRule: Rule = ({ spec }) => {
  const hpa = child(spec, 'autoscaling');
  if (!hpa) return verdict();
  const causes: StatusCause[] = [];
  const { minReplicas, maxReplicas, targetCPU } = hpa;
  if (isInt32(minReplicas) && minReplicas < 1) {
    causes.push(invalid('spec.autoscaling.minReplicas', minReplicas, 'must be greater than or equal to 1'));
  }
  if (isInt32(maxReplicas) && isInt32(minReplicas) && maxReplicas < minReplicas) {
    causes.push(
      invalid(
        'spec.autoscaling.maxReplicas',
        maxReplicas,
        `must be greater than or equal to minReplicas (${minReplicas})`,
      ),
    );
  }
  if (isInt32(targetCPU) && (targetCPU < 1 || targetCPU > 100)) {
    causes.push(invalid('spec.autoscaling.targetCPU', targetCPU, 'must be a percentage between 1 and 100'));
  }
  return verdict(causes);
};
