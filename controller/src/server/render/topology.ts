// Where a Server's replicas go: spread over nodes and zones by default, so one node or zone failure
// takes only part of them. ScheduleAnyway: a small cluster (one node, no zone labels) still runs every
// replica; the spread only steers the scheduler's choice. The user's own constraints replace ours.
import type { V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { selectorFor } from './metadata.js';

export const SPREAD_TOPOLOGY_KEYS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] as const;

export function topologySpread(server: Server): V1TopologySpreadConstraint[] {
  if (server.spec.topologySpreadConstraints?.length) return server.spec.topologySpreadConstraints;
  return SPREAD_TOPOLOGY_KEYS.map((topologyKey) => ({
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selectorFor(server) },
    // Count only the pods of the current ReplicaSet, so a rollout's old pods do not skew the new ones.
    matchLabelKeys: ['pod-template-hash'],
  }));
}
