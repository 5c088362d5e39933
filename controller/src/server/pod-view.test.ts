import type { V1Pod } from '@kubernetes/client-node';
import { podProblems } from './pod-problems.js';
import type { KubeObject } from '../kube/client.js';
import { keepPodStatusView } from '../kube/pod-view.js';

const fullPod = (): V1Pod => ({
  metadata: {
    name: 'web-1',
    namespace: 'ns',
    labels: { 'openvox.voxpupuli.org/server': 'web' },
    annotations: { 'openvox.voxpupuli.org/config-hash': 'x'.repeat(64) },
    uid: 'u1',
    resourceVersion: '7',
  },
  spec: {
    containers: [
      {
        name: 'openvox-server',
        image: 'example/openvox-server:1',
        env: [{ name: 'JAVA_ARGS', value: '-Xmx1g' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    initContainers: [{ name: 'tls-init', image: 'example/openvox-server:1', command: ['sh', '-c', 'cp'] }],
    volumes: [{ name: 'data', emptyDir: {} }],
    nodeName: 'n1',
  },
  status: {
    phase: 'Pending',
    initContainerStatuses: [
      {
        name: 'tls-init',
        image: 'example/openvox-server:1',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ErrImagePull', message: 'not found' } },
      },
    ],
  },
});

describe('keepPodStatusView', () => {
  it('keeps what status reporting reads: the same problems from the reduced pod', () => {
    const slim = fullPod() as unknown as KubeObject;
    keepPodStatusView(slim);
    expect(podProblems([slim as unknown as V1Pod])).toEqual(podProblems([fullPod()]));
    expect(podProblems([slim as unknown as V1Pod])).toHaveLength(1);
  });

  it('drops the rest of the spec and the annotations, keeps labels and status', () => {
    const slim = fullPod() as unknown as KubeObject & { spec: unknown; status: unknown };
    keepPodStatusView(slim);
    expect(slim.spec).toEqual({
      containers: [{ name: 'openvox-server', image: 'example/openvox-server:1' }],
      initContainers: [{ name: 'tls-init', image: 'example/openvox-server:1' }],
    });
    expect(slim.metadata?.annotations).toBeUndefined();
    expect(slim.metadata?.labels).toEqual({ 'openvox.voxpupuli.org/server': 'web' });
    expect(slim.status).toEqual(fullPod().status);
  });
});
