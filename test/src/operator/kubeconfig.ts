// client-node's KubeConfig of the local cluster, for the test tools that use its typed API clients.
import { KubeConfig } from '@kubernetes/client-node';
import { clusterPaths } from '../cluster/paths.js';

export function fileKubeConfig(path = clusterPaths.kubeconfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}
