// Resource requests and limits of a Server pod's containers. Every container gets ephemeral-storage
// requests and limits, so the kubelet can place the pod on a node with the disk it needs and evict
// it (instead of filling the node) when its logs or caches run away. The emptyDirs of the pod count
// against the sum of its containers' ephemeral-storage limits.
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { CertificateAuthority, Server } from '@openvox/shared/runtime';
import { withDefaults } from '../../kube/requirements.js';

export { withDefaults };

/**
 * The openvox-server container writes Puppet's vardir (reports, the file bucket, caches), its logs and
 * /tmp into emptyDirs. No CPU or memory defaults: the heap (javaArgs) decides the memory, and the
 * webhook derives the heap from a memory limit when the user gives one.
 */
export const SERVER_RESOURCES: V1ResourceRequirements = {
  requests: { 'ephemeral-storage': '1Gi' },
  limits: { 'ephemeral-storage': '4Gi' },
};

/**
 * tls-init, ca-init and crl-sync: a shell copying a few PEM files. No CPU limit (a throttled copy only
 * delays the start); memory and disk are small and bounded.
 */
export const HELPER_RESOURCES: V1ResourceRequirements = {
  requests: { cpu: '5m', memory: '8Mi', 'ephemeral-storage': '8Mi' },
  limits: { memory: '32Mi', 'ephemeral-storage': '32Mi' },
};

export const serverResources = (server: Server) => withDefaults(SERVER_RESOURCES, server.spec.resources);
export const helperResources = (server: Server) => withDefaults(HELPER_RESOURCES, server.spec.helperResources);
/**
 * ca-init seeds the CA volume: the CA's spec.resources when set (the Go operator gives them to its CA
 * setup Job, whose work ca-init and the controller do here), else the Server's helper resources.
 */
export const caInitResources = (server: Server, ca: CertificateAuthority) =>
  withDefaults(HELPER_RESOURCES, ca.spec.resources ?? server.spec.helperResources);
