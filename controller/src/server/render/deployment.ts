// The Server's Deployment: strategy by role, the pod's containers, volumes and scheduling settings.
import type { V1Deployment } from '@kubernetes/client-node';
import { CA_CLI_SERVER } from '../../contracts/names.js';
import type { RenderInput } from './types.js';
import { labelsFor, metadataFor, selectorFor } from './metadata.js';
import { imageFor, pullSecretsFor } from './image.js';
import { podAnnotations } from './annotations.js';
import { podVolumes, serverMounts } from './volumes.js';
import { asHelper, containerSecurity, POD_SECURITY } from './security.js';
import { tlsInitContainer } from './tls-init.js';
import { serverContainer } from './server-container.js';
import { caInitContainer } from './ca-init.js';
import { crlSyncContainer } from './crl-sync.js';
import { caInitResources, helperResources } from './resources.js';
import { topologySpread } from './topology.js';
import { preStopLifecycle, termination } from './termination.js';

export function renderDeployment(input: RenderInput): V1Deployment {
  const { server, config } = input;
  const { image, pullPolicy } = imageFor(server, config);
  const security = containerSecurity(config);
  const autoscaling = server.spec.autoscaling?.enabled === true;
  const pullSecrets = pullSecretsFor(server, config);

  const helpers = helperResources(server);
  const tlsInit = asHelper(tlsInitContainer({ image, imagePullPolicy: pullPolicy }), security, helpers);
  const stop = termination(server);
  const main = serverContainer(server, {
    lifecycle: preStopLifecycle(stop),
    image,
    imagePullPolicy: pullPolicy,
    securityContext: security,
    volumeMounts: serverMounts(input),
  });

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
        metadata: { labels: labelsFor(server), annotations: podAnnotations(input) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: POD_SECURITY,
          terminationGracePeriodSeconds: stop.gracePeriodSeconds,
          // `puppetserver ca` in a CA pod talks to the CA at its default server name, `puppet`: this pod.
          ...(server.spec.ca ? { hostAliases: [{ ip: '127.0.0.1', hostnames: [CA_CLI_SERVER] }] } : {}),
          // CA pods: seed the CA volume first. Other pods: crl-sync, a native sidecar, keeps the CRL file fresh.
          initContainers: server.spec.ca
            ? [
                asHelper(
                  caInitContainer({ image, imagePullPolicy: pullPolicy }),
                  security,
                  caInitResources(server, input.ca),
                ),
                tlsInit,
              ]
            : [tlsInit, asHelper(crlSyncContainer({ image, imagePullPolicy: pullPolicy }), security, helpers)],
          containers: [main],
          volumes: podVolumes(input),
          ...(pullSecrets.length ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
          ...(server.spec.affinity ? { affinity: server.spec.affinity } : {}),
          topologySpreadConstraints: topologySpread(server),
          ...(server.spec.priorityClassName ? { priorityClassName: server.spec.priorityClassName } : {}),
        },
      },
    },
  };
}
