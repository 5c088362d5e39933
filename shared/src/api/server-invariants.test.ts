import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SERVER_INVARIANTS, celValidations, serverInvariantViolations } from './server-invariants.js';

const seed = parse(readFileSync(new URL('../../../examples/server.yaml', import.meta.url), 'utf8'));

describe('serverInvariantViolations', () => {
  it('accepts the seed example and the webhook defaults', () => {
    expect(serverInvariantViolations(seed.spec)).toEqual([]);
    expect(
      serverInvariantViolations({
        ca: true,
        replicas: 1,
        autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 5, targetCPU: 75 },
        pdb: { maxUnavailable: 1 },
      }),
    ).toEqual([]);
    expect(serverInvariantViolations({ ca: true, replicas: 0 })).toEqual([]);
    expect(
      serverInvariantViolations({
        ca: false,
        replicas: 3,
        autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 3, targetCPU: 100 },
      }),
    ).toEqual([]);
  });

  it('names every broken invariant at once, with the field the API server names', () => {
    expect(
      serverInvariantViolations({
        ca: true,
        replicas: 3,
        autoscaling: { enabled: true, minReplicas: 0, maxReplicas: -1, targetCPU: 101 },
        pdb: { minAvailable: 1, maxUnavailable: '10%' },
      }),
    ).toEqual([
      {
        field: 'spec.replicas',
        message: 'must be 0 or 1 when ca is true: one pod writes the CA volume (the Deployment uses Recreate), got 3',
      },
      {
        field: 'spec.autoscaling.enabled',
        message: 'autoscaling cannot be enabled when ca is true: one pod writes the CA volume',
      },
      {
        field: 'spec.pdb',
        message:
          'minAvailable and maxUnavailable are mutually exclusive: set only one of spec.pdb.minAvailable and spec.pdb.maxUnavailable',
      },
      { field: 'spec.autoscaling.minReplicas', message: 'must be greater than or equal to 1, got 0' },
      { field: 'spec.autoscaling.maxReplicas', message: 'must be greater than or equal to minReplicas (0), got -1' },
      { field: 'spec.autoscaling.targetCPU', message: 'must be a percentage between 1 and 100, got 101' },
    ]);
  });

  it('has a CEL rule with a message expression for every check, on its node', () => {
    expect(SERVER_INVARIANTS).toHaveLength(6);
    expect(celValidations('spec').map((v) => v.fieldPath)).toEqual(['.replicas', '.autoscaling.enabled']);
    for (const { cel } of SERVER_INVARIANTS) {
      expect(cel.rule).toMatch(/^!has\(self\./);
      // A string concatenation of string(int) is estimated as unbounded and refused by the API server.
      expect(cel.messageExpression).not.toContain('+');
      expect(cel.messageExpression).toMatch(/^'[^']*'(\.format\(\[[^\]]+\]\))?$/);
    }
  });
});
