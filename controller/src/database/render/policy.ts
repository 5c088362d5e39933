// The Database's PodDisruptionBudget (spec.pdb.enabled) and NetworkPolicy `{database}-openvoxdb-netpol`
// (spec.networkPolicy.enabled: Ingress only, TCP 8081 from anywhere, then the user's additionalIngress).
import type { V1NetworkPolicy, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Database } from '@openvox/shared/runtime';
import { DATABASE_HTTPS_PORT } from '../../contracts/names.js';
import { podDisruptionBudget } from '../../kube/pod-disruption-budget.js';
import { networkPolicyName } from '../names.js';
import { metadataFor, selectorFor } from './metadata.js';

export function renderPdb(db: Database): V1PodDisruptionBudget | undefined {
  return podDisruptionBudget(db.spec.pdb, metadataFor(db), selectorFor(db));
}

export function renderNetworkPolicy(db: Database): V1NetworkPolicy | undefined {
  const np = db.spec.networkPolicy;
  if (np?.enabled !== true) return undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadataFor(db, networkPolicyName(db.metadata.name!)),
    spec: {
      podSelector: { matchLabels: selectorFor(db) },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: DATABASE_HTTPS_PORT }] }, ...(np.additionalIngress ?? [])],
    },
  };
}
