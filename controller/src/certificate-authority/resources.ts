// API resources only the CA controller writes (the shared list lives in kube/resources.ts).
import { MANAGED_SELECTOR, type ResourceType } from '../kube/resources.js';

export const PVC: ResourceType = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
