// The openvox-server container: JVM settings, the HTTPS port, probes and the layout's mounts.
import type { V1Container, V1Probe, V1VolumeMount } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { OPENVOX_IMAGE_LAYOUT } from '../../contracts/pod-layout.js';
import { APP_NAME } from './metadata.js';
import { serverResources } from './resources.js';

export const HTTPS_PORT = OPENVOX_IMAGE_LAYOUT.sslPort;
export const DEFAULT_JAVA_ARGS = '-Xms512m -Xmx1024m';
const STATUS_PATH = '/status/v1/simple';

export function javaArgs(server: Server): string {
  const base = server.spec.javaArgs?.trim() || DEFAULT_JAVA_ARGS;
  const instances = Math.max(1, server.spec.maxActiveInstances ?? 1);
  return `${base} -Djruby-puppet.max-active-instances=${instances}`;
}

const statusCheck = (): Pick<V1Probe, 'httpGet'> => ({
  httpGet: { path: STATUS_PATH, port: HTTPS_PORT, scheme: 'HTTPS' },
});

/**
 * Three probes, three questions:
 * - startup: has the slow JVM start finished? puppetserver needs 20-230 s (JRuby pool, load
 *   dependent), so up to 6 minutes before the kubelet gives up; liveness and readiness wait for it.
 * - readiness: can it serve now? `/status/v1/simple` answers `running` only when every service is up;
 *   a busy or degraded pod leaves the Service endpoints quickly and comes back when it recovers.
 * - liveness: is the process alive and not wedged? Only that Jetty still accepts connections on the
 *   port, with 3 minutes of grace. Not the status endpoint: a load spike that makes every replica slow
 *   to answer must take them out of the Service (readiness), not restart them all at once.
 */
export function serverProbes(): Pick<V1Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  return {
    startupProbe: { ...statusCheck(), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 72 },
    readinessProbe: { ...statusCheck(), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: HTTPS_PORT }, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 6 },
  };
}

export interface ServerContainerOptions {
  image: string;
  /** The drain before SIGTERM (termination.ts). */
  lifecycle: V1Container['lifecycle'];
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
    ...serverProbes(),
    lifecycle: options.lifecycle,
    securityContext: options.securityContext,
    volumeMounts: options.volumeMounts,
    resources: serverResources(server),
  };
}
