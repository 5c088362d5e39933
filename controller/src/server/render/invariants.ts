// The renderer's refusal: a Server that breaks an invariant of @openvox/shared (the CRD's CEL rules,
// which a CRD installed without them, or an object stored before them, escapes) is not rendered at all.
// Rendering it would run several pods on one CA volume, or an HPA on a CA.
import { serverInvariantViolations, type Server } from '@openvox/shared/runtime';
import { RenderError } from './types.js';

export const INVALID_SPEC = 'InvalidSpec';

/** Throws a RenderError naming every broken invariant with its field; returns when there is none. */
export function refuseInvalidSpec(server: Server): void {
  const violations = serverInvariantViolations(server.spec);
  if (violations.length === 0) return;
  const list = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  throw new RenderError(
    INVALID_SPEC,
    `not rendered, the spec breaks ${violations.length === 1 ? 'a rule' : 'rules'} the API server should have enforced: ${list}`,
  );
}
