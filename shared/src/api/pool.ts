// The Pool kind: a Service in front of the Servers that list it in poolRefs.
import { Type, int32, str, stringEnum, stringList, stringMap, observedGeneration, type Static } from './schema.js';
import type { KubeObject } from './meta.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

export const PoolSpec = Type.Object(
  {
    service: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(stringEnum(SERVICE_TYPES, 'Service type.', { default: 'ClusterIP' })),
          port: Type.Optional(int32('Service port, 1 to 65535.', { default: 8140 })),
          nodePort: Type.Optional(int32('Node port when type is NodePort or LoadBalancer.')),
          annotations: Type.Optional(stringMap('Annotations of the Service.')),
          labels: Type.Optional(stringMap('Extra labels of the Service.')),
          externalIPs: Type.Optional(stringList('External IPs of the Service.')),
        },
        { description: 'The Service {name} that selects the pods of the member Servers.' },
      ),
    ),
  },
  { description: 'Desired state of the Pool.' },
);

export const PoolStatus = Type.Object(
  {
    serviceName: Type.Optional(str('Name of the Service.')),
    endpoints: Type.Optional(int32('Number of ready endpoints behind the Service.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the Pool, written by the controller.' },
);

export type PoolSpec = Static<typeof PoolSpec>;
export type PoolStatus = Static<typeof PoolStatus>;
export type Pool = KubeObject<PoolSpec, PoolStatus>;
