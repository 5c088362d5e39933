import { authority, certificate, config, HASHES, server } from '../fixtures.test-helpers.js';
import { render, RenderError, INVALID_SPEC } from './index.js';
import type { Server } from '@openvox/shared';

const renderServer = (spec: Partial<Server['spec']>) =>
  render({
    server: server('production-ca', spec),
    config: config(),
    certificate: certificate(),
    ca: authority(),
    hashes: HASHES,
  });

function refusal(spec: Partial<Server['spec']>): RenderError {
  try {
    renderServer(spec);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error(`rendered ${JSON.stringify(spec)}`);
}

describe('the renderer refuses a Server that breaks an invariant', () => {
  it.each<[string, Partial<Server['spec']>, string]>([
    ['a CA with 3 replicas', { ca: true, replicas: 3 }, 'spec.replicas: must be 0 or 1 when ca is true'],
    [
      'a CA with autoscaling',
      { ca: true, replicas: 1, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 3 } },
      'spec.autoscaling.enabled: autoscaling cannot be enabled when ca is true',
    ],
    [
      'both PDB budgets',
      { pdb: { enabled: true, minAvailable: 1, maxUnavailable: 1 } },
      'spec.pdb: minAvailable and maxUnavailable are mutually exclusive',
    ],
    [
      'maxReplicas below minReplicas',
      { autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 2 } },
      'spec.autoscaling.maxReplicas: must be greater than or equal to minReplicas (4), got 2',
    ],
    [
      'minReplicas 0',
      { autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 2 } },
      'spec.autoscaling.minReplicas',
    ],
    ['targetCPU 0', { autoscaling: { enabled: false, targetCPU: 0 } }, 'spec.autoscaling.targetCPU'],
  ])('%s', (_what, spec, message) => {
    const error = refusal(spec);
    expect(error.reason).toBe(INVALID_SPEC);
    expect(error.message).toContain(message);
  });

  it('names every broken invariant in one message', () => {
    const error = refusal({ ca: true, replicas: 3, autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 2 } });
    expect(error.message.match(/spec\.[a-zA-Z.]+:/g)).toEqual([
      'spec.replicas:',
      'spec.autoscaling.enabled:',
      'spec.autoscaling.maxReplicas:',
    ]);
  });

  it('renders the same Servers once they keep the rules', () => {
    expect(renderServer({ ca: true, replicas: 1 }).deployment.spec!.replicas).toBe(1);
    expect(renderServer({ ca: true, replicas: 0 }).deployment.spec!.replicas).toBe(0);
    expect(renderServer({ pdb: { enabled: true, minAvailable: 1 } }).pdb).toBeDefined();
    expect(
      renderServer({ autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 2, targetCPU: 100 } }).hpa,
    ).toBeDefined();
  });
});
