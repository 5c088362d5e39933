import { computeStatus, transition, type Observation } from './status.js';

const running: Observation = {
  phase: 'Running',
  reason: 'PodsReady',
  message: '1 of 1 pods ready',
  ssl: { status: 'True', reason: 'CertificateSigned', message: 'ok' },
  ready: 1,
  desired: 1,
};

describe('computeStatus', () => {
  it('sets phase, counts, observedGeneration and both conditions', () => {
    const s = computeStatus(undefined, running, 4, 'T1');
    expect(s).toEqual({
      phase: 'Running',
      ready: 1,
      desired: 1,
      observedGeneration: 4,
      conditions: [
        {
          type: 'SSLBootstrapped',
          status: 'True',
          reason: 'CertificateSigned',
          message: 'ok',
          observedGeneration: 4,
          lastTransitionTime: 'T1',
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'PodsReady',
          message: '1 of 1 pods ready',
          observedGeneration: 4,
          lastTransitionTime: 'T1',
        },
      ],
    });
  });

  it('keeps lastTransitionTime while a condition status is unchanged, so a resync computes an identical status', () => {
    const first = computeStatus(undefined, running, 4, 'T1');
    expect(computeStatus(first, running, 4, 'T2')).toEqual(first);
    const pending = computeStatus(first, { ...running, phase: 'Pending', reason: 'PodsNotReady', ready: 0 }, 4, 'T3');
    expect(pending.conditions![0]!.lastTransitionTime).toBe('T1');
    expect(pending.conditions![1]).toMatchObject({ status: 'False', lastTransitionTime: 'T3' });
  });

  it('reports transitions on phase changes and on a new Error reason only', () => {
    const s = computeStatus(undefined, running, 1, 'T');
    expect(transition(undefined, running)).toBe(true);
    expect(transition(s, running)).toBe(false);
    const err: Observation = { ...running, phase: 'Error', reason: 'ConfigNotFound' };
    const e = computeStatus(s, err, 1, 'T');
    expect(transition(s, err)).toBe(true);
    expect(transition(e, err)).toBe(false);
    expect(transition(e, { ...err, reason: 'SecretNotFound' })).toBe(true);
  });
});
