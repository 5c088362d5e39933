// The Server's PodDisruptionBudget, only when spec.pdb is enabled.
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { podDisruptionBudget } from '../../kube/pod-disruption-budget.js';
import { metadataFor, selectorFor } from './metadata.js';

export function renderPdb(server: Server): V1PodDisruptionBudget | undefined {
  return podDisruptionBudget(server.spec.pdb, metadataFor(server), selectorFor(server));
}
