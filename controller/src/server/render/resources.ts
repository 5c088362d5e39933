// Resource requests and limits of a Server pod's containers. Every container gets ephemeral-storage
// requests and limits, so the kubelet can place the pod on a node with the disk it needs and evict
// it (instead of filling the node) when its logs or caches run away. The emptyDirs of the pod count
// against the sum of its containers' ephemeral-storage limits.
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';

type Resources = Record<string, string>;

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

/**
 * The user's requirements with our defaults for every resource the user names in neither requests nor
 * limits. A resource the user sets only a limit for keeps no default request (Kubernetes then requests
 * the limit), so a default can never exceed the user's own limit.
 */
export function withDefaults(
  defaults: V1ResourceRequirements,
  given: V1ResourceRequirements | undefined,
): V1ResourceRequirements {
  const requests: Resources = { ...(given?.requests as Resources | undefined) };
  const limits: Resources = { ...(given?.limits as Resources | undefined) };
  const named = new Set([...Object.keys(requests), ...Object.keys(limits)]);
  for (const [name, value] of Object.entries((defaults.requests ?? {}) as Resources))
    if (!named.has(name)) requests[name] = value;
  for (const [name, value] of Object.entries((defaults.limits ?? {}) as Resources))
    if (!named.has(name)) limits[name] = value;
  return {
    ...given,
    ...(Object.keys(requests).length ? { requests: sorted(requests) } : {}),
    ...(Object.keys(limits).length ? { limits: sorted(limits) } : {}),
  };
}

function sorted(values: Resources): Resources {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
}

export const serverResources = (server: Server) => withDefaults(SERVER_RESOURCES, server.spec.resources);
export const helperResources = (server: Server) => withDefaults(HELPER_RESOURCES, server.spec.helperResources);
