// Pure rendering of a Server into its Deployment, HPA and PDB: same inputs, same objects, byte for byte.
import type {
  V1Container,
  V1Deployment,
  V1PodDisruptionBudget,
  V1PodSecurityContext,
  V1Probe,
  V1SecurityContext,
  V1Volume,
  V1VolumeMount,
  V2HorizontalPodAutoscaler,
  V1OwnerReference,
} from '@kubernetes/client-node';
import {
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_SERVER,
  MANAGER,
  poolLabel,
  type Certificate,
  type CertificateAuthority,
  type Config,
  type Server,
} from '@openvox/shared';
import {
  AUTOSIGN_HASH,
  CA_SECRET_HASH,
  CODE_IMAGE,
  CONFIG_HASH,
  SSL_SECRET_HASH,
  autosignSecretName,
  caDataClaimName,
  caSecretName,
  certSecretName,
  configMapName,
  crlSecretName,
} from './names.js';
import { caKeySecretName } from '../certificate-authority/names.js';
import { caInitContainer } from '../certificate-authority/ca-init.js';
import { crlSyncContainer } from '../certificate-authority/crl-sync.js';
import { controllerReference } from '../kube/owner-reference.js';

export const APP_NAME = 'openvox-server';
export const HTTPS_PORT = 8140;
export const DEFAULT_JAVA_ARGS = '-Xms512m -Xmx1024m';
export const DEFAULT_ENVIRONMENT_PATH = '/etc/puppetlabs/code/environments';
const STATUS_PATH = '/status/v1/simple';

/** Content hashes of the data the pods read; see hash.ts. `autosignPolicy` only for CA Servers. */
export interface ContentHashes {
  config: string;
  sslCert: string;
  ca: string;
  autosignPolicy?: string;
}

export interface RenderInput {
  server: Server;
  config: Config;
  certificate: Certificate;
  ca: CertificateAuthority;
  hashes: ContentHashes;
}

export interface Rendered {
  deployment: V1Deployment;
  hpa?: V2HorizontalPodAutoscaler;
  pdb?: V1PodDisruptionBudget;
}

/** A Server that cannot be rendered (e.g. no image anywhere); reconcile reports it as phase Error. */
export class RenderError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

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

function metadataFor(server: Server) {
  return {
    name: server.metadata.name!,
    namespace: server.metadata.namespace!,
    labels: labelsFor(server),
    ownerReferences: [ownerReference(server)],
  };
}

export function javaArgs(server: Server): string {
  const base = server.spec.javaArgs?.trim() || DEFAULT_JAVA_ARGS;
  const instances = Math.max(1, server.spec.maxActiveInstances ?? 1);
  return `${base} -Djruby-puppet.max-active-instances=${instances}`;
}

export function imageFor(server: Server, config: Config): { image: string; pullPolicy: string } {
  const own = server.spec.image;
  const repository = own?.repository || config.spec.image?.repository;
  const tag = own?.tag || config.spec.image?.tag;
  if (!repository)
    throw new RenderError(
      'NoImage',
      `neither Server ${server.metadata.name} nor Config ${config.metadata.name} sets image.repository`,
    );
  return {
    image: tag ? `${repository}:${tag}` : repository,
    pullPolicy: own?.pullPolicy || config.spec.image?.pullPolicy || 'IfNotPresent',
  };
}

/** One ConfigMap file as its own volume, mounted with subPath (names as in the Go operator). */
interface ConfigFile {
  volume: string;
  key: string;
  path: string;
  mountPath: string;
}

function configFiles(isCA: boolean): ConfigFile[] {
  const conf = '/etc/puppetlabs/puppetserver/conf.d';
  return [
    { volume: 'puppet-conf', key: 'puppet.conf', path: 'puppet.conf', mountPath: '/etc/puppetlabs/puppet/puppet.conf' },
    {
      volume: 'puppetdb-conf',
      key: 'puppetdb.conf',
      path: 'puppetdb.conf',
      mountPath: '/etc/puppetlabs/puppet/puppetdb.conf',
    },
    {
      volume: 'puppetserver-conf',
      key: 'puppetserver.conf',
      path: 'puppetserver.conf',
      mountPath: `${conf}/puppetserver.conf`,
    },
    {
      volume: 'webserver-conf',
      key: isCA ? 'webserver-ca.conf' : 'webserver.conf',
      path: 'webserver.conf',
      mountPath: `${conf}/webserver.conf`,
    },
    { volume: 'product-conf', key: 'product.conf', path: 'product.conf', mountPath: `${conf}/product.conf` },
    { volume: 'auth-conf', key: 'auth.conf', path: 'auth.conf', mountPath: `${conf}/auth.conf` },
    { volume: 'ca-conf', key: 'ca.conf', path: 'ca.conf', mountPath: `${conf}/ca.conf` },
    {
      volume: 'ca-cfg',
      key: isCA ? 'ca-enabled.cfg' : 'ca-disabled.cfg',
      path: 'ca.cfg',
      mountPath: '/etc/puppetlabs/puppetserver/services.d/ca.cfg',
    },
    {
      volume: 'logback-xml',
      key: 'logback.xml',
      path: 'logback.xml',
      mountPath: '/etc/puppetlabs/puppetserver/logback.xml',
    },
    { volume: 'metrics-conf', key: 'metrics.conf', path: 'metrics.conf', mountPath: `${conf}/metrics.conf` },
  ];
}

/** Writable directories as emptyDirs, so readOnlyRootFilesystem works. */
const WRITABLE_DIRS: [string, string][] = [
  ['puppetserver-data', '/run/puppetserver'],
  ['puppet-cache', '/opt/puppetlabs/puppet/cache'],
  ['puppet-run', '/var/run/puppetlabs'],
  ['tmp', '/tmp'],
  ['var-log', '/var/log/puppetlabs'],
];

const SECRET_MODE = 0o640;
// The CA private key: readable by the pod's group (gid 0) only, never world.
const CA_KEY_MODE = 0o440;

interface PodParts {
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
  annotations: Record<string, string>;
  pullSecrets: string[];
}

function podParts(input: RenderInput): PodParts {
  const { server, config, certificate, ca, hashes } = input;
  const isCA = server.spec.ca === true;
  const isServer = server.spec.server !== false;
  const caName = ca.metadata.name!;
  const cmName = configMapName(config.metadata.name!);

  const volumes: V1Volume[] = [{ name: 'ssl', emptyDir: {} }];
  const mounts: V1VolumeMount[] = [{ name: 'ssl', mountPath: '/etc/puppetlabs/puppet/ssl' }];
  for (const [name, mountPath] of WRITABLE_DIRS) {
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath });
  }
  volumes.push(
    { name: 'ssl-cert', secret: { secretName: certSecretName(certificate), defaultMode: SECRET_MODE } },
    { name: 'ssl-ca', secret: { secretName: caSecretName(ca), defaultMode: SECRET_MODE } },
  );
  for (const f of configFiles(isCA)) {
    volumes.push({ name: f.volume, configMap: { name: cmName, items: [{ key: f.key, path: f.path }] } });
    mounts.push({ name: f.volume, mountPath: f.mountPath, subPath: f.path, readOnly: true });
  }

  const annotations: Record<string, string> = {
    [CONFIG_HASH]: hashes.config,
    [SSL_SECRET_HASH]: hashes.sslCert,
    [CA_SECRET_HASH]: hashes.ca,
  };

  if (isCA) {
    volumes.push(
      { name: 'ca-data', persistentVolumeClaim: { claimName: caDataClaimName(caName) } },
      { name: 'autosign-policy', secret: { secretName: autosignSecretName(caName) } },
    );
    mounts.push(
      { name: 'ca-data', mountPath: '/etc/puppetlabs/puppetserver/ca' },
      // subPath mounts are not refreshed by the kubelet, so the policy's hash rolls the CA pod instead.
      {
        name: 'autosign-policy',
        mountPath: '/etc/puppetlabs/puppet/autosign-policy.yaml',
        subPath: 'autosign-policy.yaml',
        readOnly: true,
      },
    );
    if (hashes.autosignPolicy) annotations[AUTOSIGN_HASH] = hashes.autosignPolicy;
    // Read only by the ca-init container, which seeds an empty CA volume with the operator's CA.
    volumes.push(
      { name: 'ca-key', secret: { secretName: caKeySecretName(caName), defaultMode: CA_KEY_MODE } },
      { name: 'ssl-ca-crl', secret: { secretName: crlSecretName(caName), defaultMode: SECRET_MODE } },
    );
  } else {
    // A directory mount (no subPath) so the kubelet keeps the CRL current; the crl-sync sidecar copies it
    // into the plain file webserver.conf names, since puppetserver ignores the kubelet's symlink swap.
    volumes.push({ name: 'ssl-ca-crl', secret: { secretName: crlSecretName(caName), defaultMode: SECRET_MODE } });
    mounts.push({ name: 'ssl-ca-crl', mountPath: '/etc/puppetlabs/puppet/crl', readOnly: true });
  }

  const pullSecrets = (server.spec.image?.pullSecrets ?? config.spec.image?.pullSecrets ?? [])
    .map((s) => s.name ?? '')
    .filter(Boolean);
  const code = server.spec.code ?? config.spec.code;
  if (isServer && code && (code.image || code.claimName)) {
    const mountPath = config.spec.puppet?.environmentPath || DEFAULT_ENVIRONMENT_PATH;
    if (code.image) {
      volumes.push({
        name: 'code',
        image: { reference: code.image, pullPolicy: code.imagePullPolicy || 'IfNotPresent' },
      });
      annotations[CODE_IMAGE] = code.image;
      if (code.imagePullSecret) pullSecrets.push(code.imagePullSecret);
    } else {
      volumes.push({ name: 'code', persistentVolumeClaim: { claimName: code.claimName!, readOnly: true } });
    }
    mounts.push({ name: 'code', mountPath, readOnly: true });
  }
  return { volumes, mounts, annotations, pullSecrets: [...new Set(pullSecrets)] };
}

function probe(extra: Partial<V1Probe>): V1Probe {
  return { httpGet: { path: STATUS_PATH, port: HTTPS_PORT, scheme: 'HTTPS' }, ...extra };
}

function containerSecurity(config: Config): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: config.spec.readOnlyRootFilesystem === true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

const POD_SECURITY: V1PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1001,
  runAsGroup: 0,
  seccompProfile: { type: 'RuntimeDefault' },
};

// Copies the signed certificate into the writable ssl dir with the file names Puppet expects.
const TLS_INIT_SCRIPT = [
  'set -e',
  'mkdir -p /ssl/certs /ssl/private_keys /ssl/public_keys /ssl/certificate_requests /ssl/private',
  'cp /ssl-cert/cert.pem /ssl/certs/puppet.pem',
  'cp /ssl-cert/key.pem /ssl/private_keys/puppet.pem',
  'cp /ssl-ca/ca_crt.pem /ssl/certs/ca.pem',
  'chmod 640 /ssl/private_keys/puppet.pem',
].join('\n');

export function renderDeployment(input: RenderInput): V1Deployment {
  const { server, config } = input;
  const { image, pullPolicy } = imageFor(server, config);
  const parts = podParts(input);
  const security = containerSecurity(config);
  const autoscaling = server.spec.autoscaling?.enabled === true;

  // The helper containers write only to volumes, so their root filesystem is always read-only.
  const helper = (c: V1Container): V1Container => ({
    ...c,
    securityContext: { ...security, readOnlyRootFilesystem: true },
  });
  const tlsInit: V1Container = {
    name: 'tls-init',
    image,
    imagePullPolicy: pullPolicy,
    command: ['sh', '-c', TLS_INIT_SCRIPT],
    securityContext: security,
    volumeMounts: [
      { name: 'ssl', mountPath: '/ssl' },
      { name: 'ssl-cert', mountPath: '/ssl-cert', readOnly: true },
      { name: 'ssl-ca', mountPath: '/ssl-ca', readOnly: true },
    ],
  };
  const main: V1Container = {
    name: APP_NAME,
    image,
    imagePullPolicy: pullPolicy,
    env: [{ name: 'JAVA_ARGS', value: javaArgs(server) }],
    ports: [{ name: 'https', containerPort: HTTPS_PORT, protocol: 'TCP' }],
    startupProbe: probe({ periodSeconds: 5, failureThreshold: 60 }),
    readinessProbe: probe({ periodSeconds: 10 }),
    livenessProbe: probe({ periodSeconds: 30 }),
    securityContext: security,
    volumeMounts: parts.mounts,
    ...(server.spec.resources ? { resources: server.spec.resources } : {}),
  };

  const labels = labelsFor(server);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadataFor(server),
    spec: {
      // With autoscaling the HPA owns replicas; leaving the field out lets its value survive our applies.
      ...(autoscaling ? {} : { replicas: server.spec.replicas ?? 1 }),
      selector: { matchLabels: selectorFor(server) },
      // One writer for the CA volume at a time; zero-downtime rollouts otherwise.
      strategy: server.spec.ca
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels, annotations: parts.annotations },
        spec: {
          automountServiceAccountToken: false,
          securityContext: POD_SECURITY,
          // `puppetserver ca` in a CA pod talks to the CA at its default server name, `puppet`: this pod.
          ...(server.spec.ca ? { hostAliases: [{ ip: '127.0.0.1', hostnames: ['puppet'] }] } : {}),
          // CA pods: seed the CA volume first. Other pods: crl-sync, a native sidecar, keeps the CRL file fresh.
          initContainers: server.spec.ca
            ? [helper(caInitContainer({ image, imagePullPolicy: pullPolicy })), tlsInit]
            : [tlsInit, helper(crlSyncContainer({ image, imagePullPolicy: pullPolicy }))],
          containers: [main],
          volumes: parts.volumes,
          ...(parts.pullSecrets.length ? { imagePullSecrets: parts.pullSecrets.map((name) => ({ name })) } : {}),
          ...(server.spec.affinity ? { affinity: server.spec.affinity } : {}),
          ...(server.spec.topologySpreadConstraints?.length
            ? { topologySpreadConstraints: server.spec.topologySpreadConstraints }
            : {}),
          ...(server.spec.priorityClassName ? { priorityClassName: server.spec.priorityClassName } : {}),
        },
      },
    },
  };
}

export function renderHpa(server: Server): V2HorizontalPodAutoscaler | undefined {
  const a = server.spec.autoscaling;
  if (a?.enabled !== true) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadataFor(server),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: server.metadata.name! },
      minReplicas: a.minReplicas ?? 1,
      maxReplicas: a.maxReplicas || 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCPU || 75 } },
        },
      ],
    },
  };
}

export function renderPdb(server: Server): V1PodDisruptionBudget | undefined {
  const p = server.spec.pdb;
  if (p?.enabled !== true) return undefined;
  const budget =
    p.minAvailable !== undefined ? { minAvailable: p.minAvailable } : { maxUnavailable: p.maxUnavailable ?? 1 };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadataFor(server),
    spec: { selector: { matchLabels: selectorFor(server) }, ...budget },
  };
}

export function render(input: RenderInput): Rendered {
  const hpa = renderHpa(input.server);
  const pdb = renderPdb(input.server);
  return { deployment: renderDeployment(input), ...(hpa ? { hpa } : {}), ...(pdb ? { pdb } : {}) };
}
