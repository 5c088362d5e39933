// API resources the AgentCertificate controller reads besides the shared ones (kube/resources.ts).
import { MANAGED_SELECTOR, type ResourceType } from '../kube/resources.js';

/** Our Pool Services (the CA Server is dialed at its Service's ClusterIP); the same informer as the Pool controller's. */
export const SERVICE: ResourceType = {
  apiVersion: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
