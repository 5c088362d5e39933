// API resources only the Pool controller uses (the shared list lives in kube/resources.ts).
import type { ResourceType } from '../kube/resources.js';

// Services are the Database's too: the one definition lives in kube/resources.ts.
export { SERVICE } from '../kube/resources.js';
export const ENDPOINT_SLICE: ResourceType = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
};
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
