// The Pool kind: a Service in front of the Servers that list it in poolRefs.
import {
  Type,
  bool,
  int32,
  str,
  stringEnum,
  stringList,
  stringMap,
  observedGeneration,
  type Static,
} from './schema.js';
import type { KubeObject } from './meta.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

export const HOSTNAME_REQUIRED = 'hostname is required when route is enabled';
export const GATEWAY_REQUIRED = 'gatewayRef.name is required when route is enabled';

export const RouteSpec = Type.Object(
  {
    enabled: bool('Create a Gateway API TLSRoute {name} for this Pool. Required when route is set.', {
      default: false,
    }),
    hostname: Type.Optional(str('SNI host name the route matches, for example puppet.example.com.')),
    gatewayRef: Type.Optional(
      Type.Object(
        {
          name: str('Name of the Gateway (same namespace). Required.'),
          sectionName: Type.Optional(str('Listener of the Gateway to attach to.')),
        },
        { description: 'The Gateway the route attaches to.' },
      ),
    ),
    injectDNSAltName: Type.Optional(
      bool("Add hostname to the dnsAltNames of the Certificates of this Pool's Servers.", { default: false }),
    ),
  },
  {
    description:
      'Outside access through a Gateway API TLSRoute (TLS passthrough). Accepted and validated; this version does not render the TLSRoute yet.',
    // The Go rules read absent strings as errors; has() first gives its message instead.
    'x-kubernetes-validations': [
      { rule: '!self.enabled || (has(self.hostname) && size(self.hostname) > 0)', message: HOSTNAME_REQUIRED },
      {
        rule: '!self.enabled || (has(self.gatewayRef) && size(self.gatewayRef.name) > 0)',
        message: GATEWAY_REQUIRED,
      },
    ],
  },
);

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
    route: Type.Optional(RouteSpec),
    // Fields of older Go operator releases that its own sample still carries (config/samples/pool.yaml).
    configRef: Type.Optional(
      str('Deprecated and ignored (older Go operator releases): Servers join a Pool through their poolRefs.'),
    ),
    selector: Type.Optional(
      stringMap(
        'Deprecated and ignored (older Go operator releases): the Service selects the pods of the Servers that list this Pool in poolRefs.',
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
