// The Server's PodDisruptionBudget, only when spec.pdb is enabled.
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { metadataFor, selectorFor } from './metadata.js';

export function renderPdb(server: Server): V1PodDisruptionBudget | undefined {
  const p = server.spec.pdb;
  if (p?.enabled !== true) return undefined;
  const budget =
    p.minAvailable !== undefined ? { minAvailable: p.minAvailable } : { maxUnavailable: p.maxUnavailable ?? 1 };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadataFor(server),
    spec: { selector: { matchLabels: selectorFor(server) }, ...budget },
  };
}
