// Labels, selector and ownerReference every object rendered for a Server carries.
import type { V1OwnerReference } from '@kubernetes/client-node';
import {
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_SERVER,
  MANAGER,
  poolLabel,
  type Server,
} from '@openvox/shared/runtime';
import { controllerReference } from '../../kube/owner-reference.js';

export const APP_NAME = 'openvox-server';

export function labelsFor(server: Server): Record<string, string> {
  const name = server.metadata.name!;
  const labels: Record<string, string> = {
    [LABEL_NAME]: APP_NAME,
    [LABEL_INSTANCE]: name,
    [LABEL_MANAGED_BY]: MANAGER,
    [LABEL_SERVER]: name,
  };
  for (const pool of [...new Set(server.spec.poolRefs ?? [])].sort()) labels[poolLabel(pool)] = 'true';
  return labels;
}

export function selectorFor(server: Server): Record<string, string> {
  return { [LABEL_SERVER]: server.metadata.name! };
}

export function ownerReference(server: Server): V1OwnerReference {
  return controllerReference('Server', server.metadata);
}

export function metadataFor(server: Server) {
  return {
    name: server.metadata.name!,
    namespace: server.metadata.namespace!,
    labels: labelsFor(server),
    ownerReferences: [ownerReference(server)],
  };
}
