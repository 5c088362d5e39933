// The Service `{pool}` in front of every pod whose Server lists the Pool in poolRefs.
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { LABEL_MANAGED_BY, LABEL_NAME, MANAGER, poolLabel, type Pool } from '@openvox/shared/runtime';
import { controllerReference } from '../kube/owner-reference.js';

export const PUPPET_PORT = 8140;
export const LABEL_POOL = 'openvox.voxpupuli.org/pool';

export function poolService(pool: Pool): V1Service {
  const name = pool.metadata.name!;
  // spec is optional for a Pool: every field has a default.
  const svc = pool.spec?.service ?? {};
  const type = svc.type ?? 'ClusterIP';
  const port: V1ServicePort = {
    name: 'https',
    protocol: 'TCP',
    port: svc.port ?? PUPPET_PORT,
    targetPort: PUPPET_PORT,
  };
  if (svc.nodePort !== undefined && type !== 'ClusterIP') port.nodePort = svc.nodePort;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: pool.metadata.namespace,
      // The user's labels first, so they cannot overwrite the operator's own.
      labels: {
        ...(svc.labels ?? {}),
        [LABEL_NAME]: 'openvox-server',
        [LABEL_MANAGED_BY]: MANAGER,
        [LABEL_POOL]: name,
      },
      ...(svc.annotations && Object.keys(svc.annotations).length > 0 ? { annotations: { ...svc.annotations } } : {}),
      ownerReferences: [controllerReference('Pool', pool.metadata)],
    },
    spec: {
      type,
      selector: { [poolLabel(name)]: 'true' },
      ports: [port],
      ...(svc.externalIPs && svc.externalIPs.length > 0 ? { externalIPs: [...svc.externalIPs] } : {}),
    },
  };
}
