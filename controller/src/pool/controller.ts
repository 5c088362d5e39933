// The Pool controller definition: the Pool, its Service and the Service's EndpointSlices.
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { Pool } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { POOL, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { controllerKey } from '../kube/owner-reference.js';
import { PoolReconciler } from './reconcile.js';
import { ENDPOINT_SLICE, LABEL_SERVICE_NAME, SERVICE } from './resources.js';

export function createPoolController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const pools = mgr.informer<Pool & KubeObject>(POOL);
  const reconciler = new PoolReconciler({
    ...deps,
    caches: {
      pools,
      services: mgr.informer(SERVICE),
      slices: mgr.informer<V1EndpointSlice & KubeObject>(ENDPOINT_SLICE),
    },
  });
  return {
    name: 'pool',
    watches: [
      { resource: POOL, map: (_, obj) => [objectKey(obj)] },
      { resource: SERVICE, map: (_, obj) => controllerKey('Pool', obj) },
      {
        resource: ENDPOINT_SLICE,
        map: (_, obj) => {
          const svc = obj.metadata?.labels?.[LABEL_SERVICE_NAME];
          return svc && pools.get(obj.metadata?.namespace ?? '', svc) ? [`${obj.metadata?.namespace}/${svc}`] : [];
        },
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => pools.list().map(objectKey),
  };
}
