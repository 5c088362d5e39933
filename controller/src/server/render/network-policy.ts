// The Server's NetworkPolicy {server}-netpol, only when spec.networkPolicy is enabled: Ingress only,
// one rule admitting TCP to the puppetserver port from anywhere, then the user's additionalIngress.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { metadataFor, selectorFor } from './metadata.js';
import { HTTPS_PORT } from './server-container.js';

export const networkPolicyName = (server: string): string => `${server}-netpol`;

export function renderNetworkPolicy(server: Server): V1NetworkPolicy | undefined {
  const np = server.spec.networkPolicy;
  if (np?.enabled !== true) return undefined;
  const meta = metadataFor(server);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { ...meta, name: networkPolicyName(server.metadata.name!) },
    spec: {
      podSelector: { matchLabels: selectorFor(server) },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: HTTPS_PORT }] }, ...(np.additionalIngress ?? [])],
    },
  };
}
