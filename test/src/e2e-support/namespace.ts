// A fresh namespace per test file, removed afterwards (kube-controller-manager finishes the deletion).
// The local cluster has a real node, and an OpenVox Server pod costs ~850 MiB and half a minute of both
// cores: a namespace runs no pods unless the test asks for them (a ResourceQuota of 0 pods, which the
// ReplicaSet controller meets with a FailedCreate event, as on any cluster with such a quota).
import { randomBytes } from 'node:crypto';
import { kubectlOk, kubectl } from './kubectl.js';

export interface NamespaceOptions {
  /** Let the node run this namespace's pods (default: no pods, the objects are what the test checks). */
  runPods?: boolean;
  /** Labels of the namespace, e.g. WEBHOOK_BYPASS_LABEL to keep the test run's webhook out of it. */
  labels?: Record<string, string>;
}

export const NO_PODS_QUOTA = 'e2e-no-pods';

export function createNamespace(prefix: string, options: NamespaceOptions = {}): string {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  kubectlOk(['create', 'namespace', name]);
  const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) kubectlOk(['label', 'namespace', name, ...labels]);
  if (!options.runPods) {
    kubectlOk(['apply', '-f', '-'], {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: NO_PODS_QUOTA, namespace: name },
      spec: { hard: { pods: '0' } },
    });
  }
  return name;
}

export function deleteNamespace(name: string): void {
  kubectl(['delete', 'namespace', name, '--wait=false']);
}
