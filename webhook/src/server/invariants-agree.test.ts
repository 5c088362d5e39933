// The CRD's CEL rules (as their TypeScript twins in @openvox/shared) and the webhook must agree: every
// Server the webhook admits keeps them (else CEL would refuse what the webhook allowed, or the
// webhook's defaults), and every Server that breaks one is denied by the webhook on the same field.
import fc from 'fast-check';
import { serverInvariantViolations, type ServerSpec } from '@openvox/shared';
import { applyServerDefaults } from './defaults.js';
import { validate, validateDeps } from './validate.js';
import { noReferences } from '../references/lookup.js';
import { serverReview } from '../testing/fixtures.js';

const deps = validateDeps(noReferences);
const count = fc.integer({ min: -2, max: 6 });
const budget = fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constantFrom('0%', '50%', '100%', '150%', ''));

const spec = fc.record(
  {
    ca: fc.boolean(),
    server: fc.boolean(),
    replicas: count,
    autoscaling: fc.record(
      { enabled: fc.boolean(), minReplicas: count, maxReplicas: count, targetCPU: fc.integer({ min: -1, max: 102 }) },
      { requiredKeys: [] },
    ),
    pdb: fc.record({ enabled: fc.boolean(), minAvailable: budget, maxUnavailable: budget }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const review = (s: Record<string, unknown>) =>
  serverReview({
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name: 'web', namespace: 'prod' },
    spec: { configRef: 'production', certificateRef: 'production-cert', ...s },
  });

describe('CEL invariants and the webhook', () => {
  it('agree on 5,000 random Servers: admitted ones keep every invariant, broken ones are denied on its field', () => {
    let admitted = 0;
    let broken = 0;
    fc.assert(
      fc.property(spec, (s) => {
        const response = validate(review(s), deps);
        const stored = applyServerDefaults(review(s).request.object as Record<string, unknown>);
        const violations = serverInvariantViolations(stored.spec as ServerSpec);
        if (response.allowed) {
          admitted++;
          expect(violations).toEqual([]);
        } else if (violations.length > 0) {
          broken++;
          const fields = response.status!.details.causes.map((c) => c.field);
          for (const v of violations) expect(fields).toContain(v.field);
        }
      }),
      { numRuns: 5000, seed: 15 },
    );
    // Both sides were exercised, not just one.
    expect(admitted).toBeGreaterThan(200);
    expect(broken).toBeGreaterThan(200);
  });
});
