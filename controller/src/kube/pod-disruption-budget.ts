// A PodDisruptionBudget from the pdb field the Server and the Database share: rendered only when enabled,
// with minAvailable when given, else maxUnavailable (default 1).
import type { V1ObjectMeta, V1PodDisruptionBudget } from '@kubernetes/client-node';

export interface PdbField {
  enabled?: boolean;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export function podDisruptionBudget(
  pdb: PdbField | undefined,
  metadata: V1ObjectMeta,
  selector: Record<string, string>,
): V1PodDisruptionBudget | undefined {
  if (pdb?.enabled !== true) return undefined;
  const budget =
    pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : { maxUnavailable: pdb.maxUnavailable ?? 1 };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    spec: { selector: { matchLabels: selector }, ...budget },
  };
}
