// Where the local control plane keeps its files: all under .cluster/ (gitignored) in the repo root.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/src/cluster or test/dist/cluster: three levels below the repo root either way. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLUSTER_DIR = process.env.OPENVOX_CLUSTER_DIR ?? join(REPO_ROOT, '.cluster');

export const clusterPaths = {
  root: CLUSTER_DIR,
  bin: join(CLUSTER_DIR, 'bin'),
  pki: join(CLUSTER_DIR, 'pki'),
  logs: join(CLUSTER_DIR, 'logs'),
  etcdData: join(CLUSTER_DIR, 'etcd'),
  state: join(CLUSTER_DIR, 'state.json'),
  kubeconfig: join(CLUSTER_DIR, 'kubeconfig'),
  kubectl: join(CLUSTER_DIR, 'bin', 'kubectl'),
  helm: join(CLUSTER_DIR, 'bin', 'helm'),
};
