// Pure rendering of a Server into its Deployment, HPA, PDB and NetworkPolicy: same inputs, same objects, byte for byte.
// One file per object or part (deployment, containers, volumes, hpa, pdb); this module puts them together.
import type { Rendered, RenderInput } from './types.js';
import { renderDeployment } from './deployment.js';
import { renderHpa } from './hpa.js';
import { renderPdb } from './pdb.js';
import { renderNetworkPolicy } from './network-policy.js';
import { refuseInvalidSpec } from './invariants.js';

export * from './types.js';
export { APP_NAME, labelsFor, ownerReference, selectorFor } from './metadata.js';
export { imageFor } from './image.js';
export { DEFAULT_ENVIRONMENT_PATH } from './code.js';
export { DEFAULT_JAVA_ARGS, HTTPS_PORT, javaArgs } from './server-container.js';
export { renderDeployment } from './deployment.js';
export { renderHpa } from './hpa.js';
export { renderPdb } from './pdb.js';
export { networkPolicyName, renderNetworkPolicy } from './network-policy.js';
export { INVALID_SPEC, refuseInvalidSpec } from './invariants.js';

/** Throws RenderError for a Server it must not render (see invariants.ts, image.ts). */
export function render(input: RenderInput): Rendered {
  refuseInvalidSpec(input.server);
  const hpa = renderHpa(input.server);
  const pdb = renderPdb(input.server);
  const networkPolicy = renderNetworkPolicy(input.server);
  return {
    deployment: renderDeployment(input),
    ...(hpa ? { hpa } : {}),
    ...(pdb ? { pdb } : {}),
    ...(networkPolicy ? { networkPolicy } : {}),
  };
}
