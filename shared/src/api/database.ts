// The Database kind: an OpenVox DB (PuppetDB) Deployment backed by an external PostgreSQL
// (controller/src/database/).
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import {
  Type,
  conditions,
  coreType,
  int32,
  observedGeneration,
  str,
  stringEnum,
  stringMap,
  type Static,
} from './schema.js';
import { ImageSpec, NetworkPolicySpec } from './common.js';
import { PDBSpec } from './server.js';
import type { KubeObject } from './meta.js';

export const DATABASE_PHASES = ['Pending', 'WaitingForCert', 'Running', 'Error'] as const;
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export const DatabaseSpec = Type.Object(
  {
    certificateRef: str('Name of the Certificate (same namespace) whose TLS Secret the Database pods serve. Required.'),
    image: { ...ImageSpec, description: 'Container image of OpenVox DB. Required.' },
    postgres: Type.Object(
      {
        host: str('PostgreSQL host name. Required.'),
        port: Type.Optional(int32('PostgreSQL port.', { default: 5432 })),
        database: Type.Optional(str('PostgreSQL database name.', { default: 'openvoxdb' })),
        credentialsSecretRef: str('Name of the Secret with the keys username and password. Required.'),
        sslMode: Type.Optional(stringEnum(SSL_MODES, 'PostgreSQL sslmode of the connection.', { default: 'require' })),
      },
      { description: 'The external PostgreSQL connection. Required.' },
    ),
    resources: Type.Optional(
      coreType<V1ResourceRequirements>('ResourceRequirements', 'Requests and limits of the OpenVox DB container.'),
    ),
    replicas: Type.Optional(int32('Number of OpenVox DB pods.', { default: 1 })),
    javaArgs: Type.Optional(str('JVM arguments (JAVA_ARGS) of OpenVox DB.')),
    pdb: Type.Optional(PDBSpec),
    networkPolicy: Type.Optional(NetworkPolicySpec),
    priorityClassName: Type.Optional(str('PriorityClass of the pods.')),
    service: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(str('Service type.', { default: 'ClusterIP' })),
          port: Type.Optional(int32('Service port.', { default: 8081 })),
          annotations: Type.Optional(stringMap('Annotations of the Service.')),
        },
        { description: 'The Service in front of the OpenVox DB pods.' },
      ),
    ),
  },
  { description: 'Desired state of the Database.' },
);

export const DatabaseStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(DATABASE_PHASES, 'Current lifecycle phase.')),
    url: Type.Optional(str('HTTPS URL of the Database Service, used by a Config that names it in databaseRef.')),
    ready: Type.Optional(int32('Number of ready pods.')),
    desired: Type.Optional(int32('Number of pods wanted.')),
    conditions: Type.Optional(conditions('Condition Ready.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the Database, written by the controller.' },
);

export type DatabaseSpec = Static<typeof DatabaseSpec>;
export type DatabaseStatus = Static<typeof DatabaseStatus>;
export type Database = KubeObject<DatabaseSpec, DatabaseStatus>;
