import { renderNetworkPolicy } from './network-policy.js';
import type { Server } from '@openvox/shared';

const server = (networkPolicy?: Server['spec']['networkPolicy']): Server => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Server',
  metadata: { name: 'compiler', namespace: 'prod', uid: 'uid-compiler' },
  spec: { configRef: 'production', certificateRef: 'cert', ...(networkPolicy ? { networkPolicy } : {}) },
});

describe('Server NetworkPolicy', () => {
  it('renders none when absent or disabled', () => {
    expect(renderNetworkPolicy(server())).toBeUndefined();
    expect(renderNetworkPolicy(server({ enabled: false, additionalIngress: [{}] }))).toBeUndefined();
  });

  it("admits TCP 8140 from anywhere first, then the additional rules, for this Server's pods only", () => {
    const extra = { from: [{ podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9404 }] };
    expect(renderNetworkPolicy(server({ enabled: true, additionalIngress: [extra] }))).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'compiler-netpol',
        namespace: 'prod',
        labels: { 'openvox.voxpupuli.org/server': 'compiler', 'app.kubernetes.io/managed-by': 'openvox-operator' },
        ownerReferences: [{ kind: 'Server', name: 'compiler', uid: 'uid-compiler', controller: true }],
      },
      spec: {
        podSelector: { matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: 8140 }] }, extra],
      },
    });
  });
});
