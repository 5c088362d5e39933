// Container resource requirements: the user's, completed by a kind's defaults.
import type { V1ResourceRequirements } from '@kubernetes/client-node';

type Resources = Record<string, string>;

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
