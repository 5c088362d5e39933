// The ownerReference every object the operator renders carries: its controlling custom object.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import { API_VERSION } from '@openvox/shared';

export function controllerReference(kind: string, owner: Pick<V1ObjectMeta, 'name' | 'uid'>): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind,
    name: owner.name!,
    uid: owner.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}
