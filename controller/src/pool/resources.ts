// API resources only the Pool controller uses (the shared list lives in kube/resources.ts).
import { MANAGED_SELECTOR, type ResourceType } from '../kube/resources.js';

export const SERVICE: ResourceType = {
  apiVersion: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const ENDPOINT_SLICE: ResourceType = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
};
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
