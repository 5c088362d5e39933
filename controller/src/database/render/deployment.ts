// The Database's Deployment `{database}-openvoxdb`: one OpenVox DB container reading its conf.d from one
// projected volume (ConfigMap + Secret, no subPath) and its TLS files straight from the `{cert}-tls`
// Secret (no init container: Jetty reads cert.pem, key.pem and ca_crt.pem in place). Content hashes of
// all three in the pod template roll the pods when a file, the password or the certificate changes.
import type { V1Container, V1Deployment, V1Probe, V1Volume } from '@kubernetes/client-node';
import type { Database } from '@openvox/shared/runtime';
import { DATABASE_HTTPS_PORT } from '../../contracts/names.js';
import { withDefaults } from '../../kube/requirements.js';
import { configMapName, databaseSecretName } from '../names.js';
import { CONTAINER, DATABASE_LAYOUT, LOCAL_HTTP_PORT, VOLUME } from './layout.js';
import { labelsFor, metadataFor, selectorFor } from './metadata.js';

const ANNOTATION_PREFIX = 'openvox.voxpupuli.org/';
export const CONFIG_HASH = `${ANNOTATION_PREFIX}config-hash`;
export const DATABASE_SECRET_HASH = `${ANNOTATION_PREFIX}database-secret-hash`;
export const TLS_SECRET_HASH = `${ANNOTATION_PREFIX}ssl-secret-hash`;

/** Heap of OpenVox DB unless spec.javaArgs says otherwise: PuppetDB needs ~128 MiB plus ~1 MiB per node. */
export const DEFAULT_JAVA_ARGS = '-Xms256m -Xmx512m';

/** The vardir holds PuppetDB's command queue: disk for a backlog, bounded so it cannot fill the node. */
export const DATABASE_RESOURCES = {
  requests: { 'ephemeral-storage': '1Gi' },
  limits: { 'ephemeral-storage': '4Gi' },
};

export interface DatabaseHashes {
  config: string;
  database: string;
  tls: string;
}

export interface DeploymentInput {
  db: Database;
  /** The Certificate's signed Secret (`{cert}-tls`). */
  tlsSecret: string;
  hashes: DatabaseHashes;
}

/**
 * PuppetDB answers /status/v1/simple with 200 only while every service runs, the database connection
 * included. The HTTPS port wants a client certificate, which the kubelet has none of, so the probes ask the
 * cleartext port on 127.0.0.1 from inside the container (exec, as the Go operator does).
 */
const statusCheck = (): Pick<V1Probe, 'exec'> => ({
  exec: { command: ['curl', '-sf', '--max-time', '4', `http://127.0.0.1:${LOCAL_HTTP_PORT}/status/v1/simple`] },
});

/** Startup: the JVM and the schema migration (10 min on a loaded node); then readiness; liveness only asks for the port. */
export function databaseProbes(): Pick<V1Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  return {
    startupProbe: { ...statusCheck(), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 120 },
    readinessProbe: { ...statusCheck(), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: {
      tcpSocket: { port: DATABASE_HTTPS_PORT },
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 6,
    },
  };
}

function volumes(db: Database, tlsSecret: string): V1Volume[] {
  const name = db.metadata.name!;
  return [
    {
      name: VOLUME.conf,
      projected: {
        defaultMode: 0o440,
        sources: [{ configMap: { name: configMapName(name) } }, { secret: { name: databaseSecretName(name) } }],
      },
    },
    { name: VOLUME.tls, secret: { secretName: tlsSecret, defaultMode: 0o440 } },
    { name: VOLUME.vardir, emptyDir: {} },
    { name: VOLUME.logs, emptyDir: {} },
    { name: VOLUME.tmp, emptyDir: {} },
  ];
}

function container(db: Database): V1Container {
  const image = db.spec.image;
  return {
    name: CONTAINER,
    image: image.tag ? `${image.repository}:${image.tag}` : image.repository!,
    imagePullPolicy: image.pullPolicy ?? 'IfNotPresent',
    env: [{ name: 'JAVA_ARGS', value: db.spec.javaArgs || DEFAULT_JAVA_ARGS }],
    ports: [{ name: 'https', containerPort: DATABASE_HTTPS_PORT, protocol: 'TCP' }],
    resources: withDefaults(DATABASE_RESOURCES, db.spec.resources),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: VOLUME.conf, mountPath: DATABASE_LAYOUT.confDir, readOnly: true },
      { name: VOLUME.tls, mountPath: DATABASE_LAYOUT.tlsDir, readOnly: true },
      { name: VOLUME.vardir, mountPath: DATABASE_LAYOUT.vardir },
      { name: VOLUME.logs, mountPath: DATABASE_LAYOUT.logDir },
      { name: VOLUME.tmp, mountPath: DATABASE_LAYOUT.tmpDir },
    ],
    ...databaseProbes(),
  };
}

export function renderDeployment({ db, tlsSecret, hashes }: DeploymentInput): V1Deployment {
  const pullSecrets = (db.spec.image.pullSecrets ?? []).map((s) => s.name ?? '').filter(Boolean);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadataFor(db),
    spec: {
      replicas: db.spec.replicas ?? 1,
      selector: { matchLabels: selectorFor(db) },
      // PuppetDB instances share the PostgreSQL database: a new pod may start beside the old one.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labelsFor(db),
          annotations: {
            [CONFIG_HASH]: hashes.config,
            [DATABASE_SECRET_HASH]: hashes.database,
            [TLS_SECRET_HASH]: hashes.tls,
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 0,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container(db)],
          volumes: volumes(db, tlsSecret),
          ...(pullSecrets.length ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
          ...(db.spec.priorityClassName ? { priorityClassName: db.spec.priorityClassName } : {}),
        },
      },
    },
  };
}
