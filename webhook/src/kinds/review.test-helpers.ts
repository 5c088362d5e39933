// An AdmissionReview of one of our kinds, for the kind validators' tests.
import type { ValidReview } from '../admission/review.js';

export function kindReview(kind: string, spec: unknown, operation = 'CREATE'): ValidReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind },
      resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: `${kind.toLowerCase()}s` },
      namespace: 'prod',
      operation,
      object: { apiVersion: 'openvox.voxpupuli.org/v1alpha1', kind, metadata: { name: 'x' }, spec },
    },
  } as ValidReview;
}
