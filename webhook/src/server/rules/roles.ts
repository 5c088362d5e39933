// Rules 6 and 7: a CA runs as exactly one pod, and a pod must serve at least one role.
import { child, forbidden, invalid, isInt32, verdict, type Rule } from './types.js';
import type { StatusCause } from '../../admission/review.js';

export const caRule: Rule = ({ spec }) => {
  if (spec.ca !== true) return verdict();
  const causes: StatusCause[] = [];
  if (isInt32(spec.replicas) && spec.replicas > 1) {
    causes.push(
      invalid(
        'spec.replicas',
        spec.replicas,
        'must be 0 or 1 when ca is true: one pod writes the CA volume (the Deployment uses Recreate)',
      ),
    );
  }
  if (child(spec, 'autoscaling')?.enabled === true) {
    causes.push(
      forbidden(
        'spec.autoscaling.enabled',
        'autoscaling cannot be enabled when ca is true: one pod writes the CA volume',
      ),
    );
  }
  return verdict(causes);
};

export const rolesRule: Rule = ({ spec }) => {
  if (spec.server === false && spec.ca === false) {
    return verdict([invalid('spec.server', false, 'server and ca cannot both be false: the pod would serve nothing')]);
  }
  return verdict();
};
