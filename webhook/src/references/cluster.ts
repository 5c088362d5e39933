// Decides whether a cluster is configured: an existing kubeconfig file, or running in a pod.
import { existsSync } from 'node:fs';
import { connect, type KubeConnection } from '@openvox/shared/informer';
import type { Logger } from 'pino';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface ClusterEnv {
  kubeconfig: string | undefined;
  env: NodeJS.ProcessEnv;
  fileExists?: (path: string) => boolean;
}

/** A connection, or undefined (logged once) when lookups must stay off. ~/.kube/config is not consulted on purpose. */
export async function loadClusterConfig(
  { kubeconfig, env, fileExists = existsSync }: ClusterEnv,
  logger: Logger,
): Promise<KubeConnection | undefined> {
  if (kubeconfig && fileExists(kubeconfig)) return connect(kubeconfig, env);
  if (env.KUBERNETES_SERVICE_HOST && fileExists(SERVICE_ACCOUNT_TOKEN)) return connect(undefined, env);
  logger.info(
    { kubeconfig: kubeconfig ?? null },
    kubeconfig
      ? 'kubeconfig file does not exist and not running in a pod: reference lookups are off'
      : 'no cluster configured: reference lookups are off',
  );
  return undefined;
}
