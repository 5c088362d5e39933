// Ready endpoints behind a Service, counted from its EndpointSlices (one address per ready endpoint;
// an endpoint without conditions.ready counts as ready, as the API documents).
import type { V1EndpointSlice } from '@kubernetes/client-node';

export function readyEndpoints(slices: readonly V1EndpointSlice[]): number {
  const seen = new Set<string>();
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const address of ep.addresses ?? []) seen.add(address);
    }
  }
  return seen.size;
}
