import type { V1Pod } from '@kubernetes/client-node';
import { podProblems } from './pod-problems.js';

const pod = (name: string, status: V1Pod['status'], extra: Partial<V1Pod> = {}): V1Pod => ({
  metadata: { name },
  spec: {
    containers: [{ name: 'openvox-server', image: 'example/openvox-server:1' }],
    initContainers: [{ name: 'tls-init', image: 'example/openvox-server:1' }],
  },
  status,
  ...extra,
});

describe('podProblems', () => {
  it('names the image and the kubelet reason when an image cannot be pulled, as one reason for both retry states', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff']) {
      const [p] = podProblems([
        pod('a', {
          initContainerStatuses: [
            { name: 'tls-init', state: { waiting: { reason, message: 'pull access denied' } } } as never,
          ],
        }),
      ]);
      expect(p).toEqual({
        reason: 'ImagePullFailed',
        message: `pod a container tls-init (image example/openvox-server:1): ${reason}: pull access denied`,
      });
    }
  });

  it('reports crash loops and unschedulable pods, and nothing for pods that are just starting', () => {
    const problems = podProblems([
      pod('c', {
        containerStatuses: [{ name: 'openvox-server', state: { waiting: { reason: 'CrashLoopBackOff' } } } as never],
      }),
      pod('b', {
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' },
        ],
      }),
      pod('d', {
        containerStatuses: [{ name: 'openvox-server', state: { waiting: { reason: 'ContainerCreating' } } } as never],
      }),
      pod('e', { containerStatuses: [{ name: 'openvox-server', state: { running: {} } } as never] }),
    ]);
    expect(problems).toEqual([
      { reason: 'Unschedulable', message: 'pod b cannot be scheduled: 0/1 nodes are available' },
      { reason: 'ContainerCrashing', message: 'pod c container openvox-server: CrashLoopBackOff' },
    ]);
  });

  it('ignores terminating pods and clips long kubelet messages', () => {
    const long = 'x'.repeat(1000);
    expect(
      podProblems([
        pod(
          't',
          {
            containerStatuses: [
              { name: 'openvox-server', state: { waiting: { reason: 'CrashLoopBackOff' } } } as never,
            ],
          },
          { metadata: { name: 't', deletionTimestamp: new Date() } },
        ),
      ]),
    ).toEqual([]);
    const [p] = podProblems([
      pod('l', {
        containerStatuses: [
          { name: 'openvox-server', state: { waiting: { reason: 'CrashLoopBackOff', message: long } } } as never,
        ],
      }),
    ]);
    expect(p!.message.length).toBeLessThanOrEqual(301);
  });
});
