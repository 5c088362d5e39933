// The ownerReference every object the operator renders carries: its controlling custom object.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { KubeObject } from './client.js';
import { API_VERSION } from '@openvox/shared/runtime';

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

/** namespace/name of the object of `kind` that controls `obj` (ownerReference with controller: true). */
export function controllerKey(kind: string, obj: KubeObject): string[] {
  const ref = obj.metadata?.ownerReferences?.find(
    (r) => r.controller && r.kind === kind && r.apiVersion === API_VERSION,
  );
  return ref ? [`${obj.metadata?.namespace}/${ref.name}`] : [];
}
