// The Server kind: a Deployment of OpenVox Server pods (CA, catalog server, or both).
import type { V1Affinity, V1ResourceRequirements, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import {
  Type,
  bool,
  conditions,
  coreList,
  coreType,
  int32,
  intOrString,
  observedGeneration,
  str,
  stringEnum,
  stringList,
  type Static,
} from './schema.js';
import { CodeSpec, ImageSpec, NetworkPolicySpec } from './common.js';
import type { KubeObject } from './meta.js';
import { celValidations } from './server-invariants.js';

export const SERVER_PHASES = ['Pending', 'WaitingForCert', 'Running', 'Error'] as const;
export type ServerPhase = (typeof SERVER_PHASES)[number];

export const AutoscalingSpec = Type.Object(
  {
    enabled: Type.Optional(bool('Activate a HorizontalPodAutoscaler for this Server.', { default: false })),
    minReplicas: Type.Optional(int32('Minimum replicas the autoscaler keeps; at least 1.', { default: 1 })),
    maxReplicas: Type.Optional(
      int32('Maximum replicas the autoscaler may create; at least minReplicas.', { default: 5 }),
    ),
    targetCPU: Type.Optional(int32('Target average CPU utilization in percent, 1 to 100.', { default: 75 })),
  },
  {
    description: 'HorizontalPodAutoscaler settings. Not allowed together with ca: true.',
    'x-kubernetes-validations': celValidations('autoscaling'),
  },
);

export const PDBSpec = Type.Object(
  {
    enabled: Type.Optional(bool('Activate a PodDisruptionBudget for this Server.', { default: false })),
    minAvailable: Type.Optional(
      intOrString(
        'Minimum pods that must stay available during a voluntary disruption: an integer or a percentage such as "50%". Mutually exclusive with maxUnavailable.',
      ),
    ),
    maxUnavailable: Type.Optional(
      intOrString(
        'Maximum pods that may be unavailable during a voluntary disruption: an integer or a percentage such as "25%". Mutually exclusive with minAvailable. Defaults to 1 when enabled and neither is set.',
      ),
    ),
  },
  { description: 'PodDisruptionBudget settings.', 'x-kubernetes-validations': celValidations('pdb') },
);

export const ServerSpec = Type.Object(
  {
    configRef: str('Name of the Config (same namespace) with the shared configuration. Required.'),
    certificateRef: str('Name of the Certificate (same namespace) whose signed TLS Secret the pods mount. Required.'),
    poolRefs: Type.Optional(
      stringList('Names of the Pools this Server joins; each adds a pod label the Pool Service selects.'),
    ),
    image: Type.Optional(ImageSpec),
    ca: Type.Optional(
      bool('Run the certificate authority role: mounts the CA data volume; allows one replica only.', {
        default: false,
      }),
    ),
    server: Type.Optional(bool('Run the server role: catalog compilation and file serving.', { default: true })),
    replicas: Type.Optional(int32('Number of pod replicas when autoscaling is off.', { default: 1 })),
    autoscaling: Type.Optional(AutoscalingSpec),
    resources: Type.Optional(
      coreType<V1ResourceRequirements>(
        'ResourceRequirements',
        'Requests and limits of the openvox-server container. A resource named in neither requests nor limits gets the default: ephemeral-storage request 1Gi, limit 4Gi (vardir, logs, /tmp); no CPU or memory defaults.',
      ),
    ),
    helperResources: Type.Optional(
      coreType<V1ResourceRequirements>(
        'ResourceRequirements',
        'Requests and limits of each helper container (tls-init, ca-init, crl-sync). A resource named in neither requests nor limits gets the default: requests cpu 5m, memory 8Mi, ephemeral-storage 8Mi; limits memory 32Mi, ephemeral-storage 32Mi.',
      ),
    ),
    javaArgs: Type.Optional(
      Type.String({
        description:
          'JVM arguments (JAVA_ARGS). Defaults to -Xms{N}m -Xmx{N}m with N = 75% of resources.limits.memory when a memory limit is set, otherwise -Xms512m -Xmx1024m.',
      }),
    ),
    maxActiveInstances: Type.Optional(int32('Number of JRuby instances per pod.', { default: 1 })),
    code: Type.Optional(CodeSpec),
    topologySpreadConstraints: Type.Optional(
      coreList<V1TopologySpreadConstraint>(
        'TopologySpreadConstraint',
        'How pods spread across topology domains. When empty, the pods spread over nodes (kubernetes.io/hostname) and zones (topology.kubernetes.io/zone) with maxSkew 1 and whenUnsatisfiable ScheduleAnyway; a list given here replaces that default.',
      ),
    ),
    affinity: Type.Optional(coreType<V1Affinity>('Affinity', 'Pod affinity and anti-affinity rules.')),
    priorityClassName: Type.Optional(str('PriorityClass of the pods.')),
    pdb: Type.Optional(PDBSpec),
    networkPolicy: Type.Optional(NetworkPolicySpec),
  },
  { description: 'Desired state of the Server.', 'x-kubernetes-validations': celValidations('spec') },
);

export const ServerStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(SERVER_PHASES, 'Current lifecycle phase.')),
    ready: Type.Optional(int32('Number of ready pods.')),
    desired: Type.Optional(int32("Number of pods wanted: spec.replicas, or the autoscaler's desired count.")),
    crlNumber: Type.Optional(
      Type.Integer({
        format: 'int64',
        description:
          "Non-CA Servers: CRL number of the {ca}-ca-crl Secret the pods mount; its crl-sync sidecar copies it to puppetserver's CRL file within 10 s of the kubelet updating the volume.",
      }),
    ),
    conditions: Type.Optional(conditions('Conditions SSLBootstrapped and Ready.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the Server, written by the controller.' },
);

export type ServerSpec = Static<typeof ServerSpec>;
export type ServerStatus = Static<typeof ServerStatus>;
export type Server = KubeObject<ServerSpec, ServerStatus>;

/** The fields the webhook always fills in; the controller may rely on them being present. */
export type DefaultedServerSpec = ServerSpec &
  Required<Pick<ServerSpec, 'ca' | 'server' | 'replicas' | 'maxActiveInstances' | 'javaArgs'>>;
