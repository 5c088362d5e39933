import type { V1ObjectMeta } from '@kubernetes/client-node';

export const GROUP = 'openvox.voxpupuli.org';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** A custom object as stored: metadata from Kubernetes, spec and status from our schemas. */
export interface KubeObject<Spec, Status> {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}
