// The openvox-server container: JVM settings, the HTTPS port, probes and the layout's mounts.
import type { V1Container, V1Probe, V1VolumeMount } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared';
import { OPENVOX_IMAGE_LAYOUT } from '../../contracts/pod-layout.js';
import { APP_NAME } from './metadata.js';

export const HTTPS_PORT = OPENVOX_IMAGE_LAYOUT.sslPort;
export const DEFAULT_JAVA_ARGS = '-Xms512m -Xmx1024m';
const STATUS_PATH = '/status/v1/simple';

export function javaArgs(server: Server): string {
  const base = server.spec.javaArgs?.trim() || DEFAULT_JAVA_ARGS;
  const instances = Math.max(1, server.spec.maxActiveInstances ?? 1);
  return `${base} -Djruby-puppet.max-active-instances=${instances}`;
}

function probe(extra: Partial<V1Probe>): V1Probe {
  return { httpGet: { path: STATUS_PATH, port: HTTPS_PORT, scheme: 'HTTPS' }, ...extra };
}

export interface ServerContainerOptions {
  image: string;
  imagePullPolicy: string;
  securityContext: V1Container['securityContext'];
  volumeMounts: V1VolumeMount[];
}

export function serverContainer(server: Server, options: ServerContainerOptions): V1Container {
  return {
    name: APP_NAME,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy,
    env: [{ name: 'JAVA_ARGS', value: javaArgs(server) }],
    ports: [{ name: 'https', containerPort: HTTPS_PORT, protocol: 'TCP' }],
    startupProbe: probe({ periodSeconds: 5, failureThreshold: 60 }),
    readinessProbe: probe({ periodSeconds: 10 }),
    livenessProbe: probe({ periodSeconds: 30 }),
    securityContext: options.securityContext,
    volumeMounts: options.volumeMounts,
    ...(server.spec.resources ? { resources: server.spec.resources } : {}),
  };
}
