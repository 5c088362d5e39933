import { keepOwnedSpec, projectFields } from './owned-fields.js';
import type { KubeObject } from './client.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'd',
    managedFields: [
      {
        manager: 'openvox-operator',
        operation: 'Apply',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"server"}': {
                    '.': {},
                    'f:name': {},
                    'f:args': {},
                    'f:ports': { 'k:{"containerPort":8140,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
                'f:volumes': { 'k:{"name":"code"}': { '.': {}, 'f:name': {}, 'f:emptyDir': {} } },
              },
            },
          },
        },
      },
      { manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:status': {} } },
    ],
  },
  spec: {
    replicas: 2,
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    template: {
      spec: {
        dnsPolicy: 'ClusterFirst',
        containers: [
          { name: 'injected-sidecar', image: 'mesh' },
          {
            name: 'server',
            args: ['a', 'b'],
            terminationMessagePath: '/dev/termination-log',
            ports: [
              { containerPort: 8140, protocol: 'TCP' },
              { containerPort: 9999, protocol: 'TCP' },
            ],
          },
        ],
        volumes: [{ name: 'code', emptyDir: { medium: 'Memory' } }],
      },
    },
  },
  status: { readyReplicas: 2 },
});

describe('keepOwnedSpec', () => {
  it('keeps only the spec fields our field manager set: list items by key, atomic values whole', () => {
    const d = deployment();
    keepOwnedSpec(d);
    expect(d.spec).toEqual({
      replicas: 2,
      template: {
        spec: {
          containers: [{ name: 'server', args: ['a', 'b'], ports: [{ containerPort: 8140 }] }],
          volumes: [{ name: 'code', emptyDir: { medium: 'Memory' } }],
        },
      },
    });
    expect(d.status).toEqual({ readyReplicas: 2 });
  });

  it('leaves objects we never wrote as they are', () => {
    const d = deployment();
    d.metadata!.managedFields = [];
    const before = structuredClone(d.spec);
    keepOwnedSpec(d);
    expect(d.spec).toEqual(before);
  });

  it('keeps set members by value and drops fields named by another manager only', () => {
    expect(projectFields(['a', 'b', 'c'], { 'v:"a"': {}, 'v:"c"': {} })).toEqual(['a', 'c']);
    expect(projectFields({ x: 1, y: 2 }, { 'f:x': {} })).toEqual({ x: 1 });
    expect(projectFields({ x: 1 }, {})).toEqual({ x: 1 });
  });
});
