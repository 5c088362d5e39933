import type { V1Pod } from '@kubernetes/client-node';
import type { ProbeEventView } from '../kube/probe-event-view.js';
import { podProblems } from './pod-problems.js';
import { isProbeFault, probeFailure } from './probe-problems.js';

const STARTED = '2026-01-01T10:00:00Z';
const pod = (ready: boolean, startedAt = STARTED): V1Pod => ({
  metadata: { name: 'compiler-1', uid: 'u1' },
  spec: { containers: [{ name: 'openvox-server', image: 'example/openvox-server:1' }] },
  status: { containerStatuses: [{ name: 'openvox-server', ready, state: { running: { startedAt } } } as never] },
});
const unhealthy = (message: string, lastTimestamp: string, extra: Partial<ProbeEventView['involvedObject']> = {}) =>
  ({
    metadata: { name: `compiler-1.${lastTimestamp}`, namespace: 'prod' },
    involvedObject: { name: 'compiler-1', uid: 'u1', fieldPath: 'spec.containers{openvox-server}', ...extra },
    message,
    lastTimestamp,
  }) as ProbeEventView;

const READINESS = 'Readiness probe failed: Get "https://10.0.0.7:8140/status/v1/simple": context deadline exceeded';

describe('isProbeFault', () => {
  it.each([
    [READINESS, true],
    ['Liveness probe failed: dial tcp 10.0.0.7:8140: connect: connection refused', true],
    ['Startup probe failed: HTTP probe failed with statuscode: 403', true],
    ['Startup probe failed: HTTP probe failed with statuscode: 404', true],
    ['(combined from similar events): Readiness probe failed: HTTP probe failed with statuscode: 500', true],
    // How a puppetserver that is still starting answers: left to the kubelet's startup limit.
    ['Startup probe failed: HTTP probe failed with statuscode: 503', false],
    [
      'Startup probe failed: Get "https://10.0.0.7:8140/status/v1/simple": dial tcp: connect: connection refused',
      false,
    ],
    ['Startup probe failed: Get "https://10.0.0.7:8140/status/v1/simple": context deadline exceeded', false],
  ])('%s: %s', (message, fault) => expect(isProbeFault(message)).toBe(fault));
});

describe('probeFailure', () => {
  it('gives the latest failure since the container started, while it is not ready', () => {
    const events = [
      unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 503', '2026-01-01T10:01:00Z'),
      unhealthy(READINESS, '2026-01-01T10:02:00Z'),
    ];
    expect(probeFailure(pod(false), events)).toBe(READINESS);
    expect(probeFailure(pod(true), events)).toBeUndefined();
  });

  it('ignores failures of an earlier start of the container, of another pod of that name, or of a helper', () => {
    expect(probeFailure(pod(false, '2026-01-01T10:05:00Z'), [unhealthy(READINESS, '2026-01-01T10:02:00Z')])).toBe(
      undefined,
    );
    expect(probeFailure(pod(false), [unhealthy(READINESS, '2026-01-01T10:02:00Z', { uid: 'old' })])).toBeUndefined();
    expect(
      probeFailure(pod(false), [
        unhealthy(READINESS, '2026-01-01T10:02:00Z', { fieldPath: 'spec.initContainers{crl-sync}' }),
      ]),
    ).toBeUndefined();
  });

  it('drops the aggregator prefix from the message', () => {
    const e = unhealthy(`(combined from similar events): ${READINESS}`, '2026-01-01T10:02:00Z');
    expect(probeFailure(pod(false), [e])).toBe(READINESS);
  });

  it('reads the time of an Event series (events.k8s.io recorders)', () => {
    const e = { ...unhealthy(READINESS, '2026-01-01T09:00:00Z'), series: { lastObservedTime: '2026-01-01T10:03:00Z' } };
    expect(probeFailure(pod(false), [e])).toBe(READINESS);
  });
});

describe('podProblems with probe failures', () => {
  it('reports ProbeFailing with the kubelet message, after container problems and only for that pod', () => {
    const events = (p: V1Pod) =>
      p.metadata?.name === 'compiler-1' ? [unhealthy(READINESS, '2026-01-01T10:02:00Z')] : [];
    const other: V1Pod = { ...pod(false), metadata: { name: 'compiler-2', uid: 'u2' } };
    expect(podProblems([pod(false), other], events)).toEqual([
      { reason: 'ProbeFailing', message: `pod compiler-1 container openvox-server: ${READINESS}` },
    ]);
    // A pod with no probe Events is only starting.
    expect(podProblems([pod(false)])).toEqual([]);
  });
});
