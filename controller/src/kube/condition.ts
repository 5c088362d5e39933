// One metav1.Condition, keeping lastTransitionTime while the status stays the same.
import type { Condition } from '@openvox/shared/runtime';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export function condition(
  prev: Condition[] | undefined,
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  generation: number,
  now: string,
): Condition {
  const old = prev?.find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
  };
}
