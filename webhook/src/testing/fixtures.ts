// Realistic Server objects and AdmissionReviews for tests and the benchmark (never for production code).
import type { AdmissionRequest, ValidReview } from '../admission/review.js';

export type ServerObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
};

/** The seed's example Server (a combined CA and catalog server). */
export function seedServer(): ServerObject {
  return {
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name: 'production-ca', namespace: 'default' },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-ca', 'production-server'],
      ca: true,
      server: true,
      replicas: 1,
      javaArgs: '-Xms1g -Xmx2g',
      maxActiveInstances: 4,
    },
  };
}

/** A catalog server with the fields a production user sets: resources, PDB and autoscaling. */
export function fullServer(): ServerObject {
  return {
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name: 'production-server', namespace: 'default', labels: { team: 'infra' } },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-server'],
      server: true,
      replicas: 3,
      maxActiveInstances: 4,
      resources: { requests: { cpu: '1', memory: '3Gi' }, limits: { cpu: '4', memory: '4Gi' } },
      autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10, targetCPU: 70 },
      pdb: { enabled: true, maxUnavailable: 1 },
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'production-server' } },
        },
      ],
    },
  };
}

export const SERVER_KIND = { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind: 'Server' };

/** An AdmissionReview v1 as the API server sends it for a Server. */
export function serverReview(object: unknown, request: Partial<AdmissionRequest> = {}): ValidReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: SERVER_KIND,
      resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: 'servers' },
      namespace: 'default',
      operation: 'CREATE',
      object,
      dryRun: false,
      ...request,
    },
  };
}
