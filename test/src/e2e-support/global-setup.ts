// jest globalSetup of the e2e project: the operator runs for the whole e2e run, logs to .cluster/logs.
import { existsSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { clusterPaths } from '../cluster/paths.js';
import { isAlive } from '../cluster/processes.js';
import { operatorStatePath, startOperator, type RunningOperator } from '../operator/operator.js';

declare global {
  var openvoxOperator: RunningOperator | undefined;
}

const E2E_REGISTRATION = /^openvox-operator-e2e-(\d+)(-[a-z]+)?$/;

/**
 * A run killed before its teardown leaves Fail-policy registrations pointing at a dead webhook, which
 * would refuse every Server write; remove those whose run (pid) is gone.
 */
async function removeStaleRegistrations(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
    const list = await api.list('admissionregistration.k8s.io/v1', kind);
    for (const item of list.items) {
      const pid = E2E_REGISTRATION.exec(item.metadata?.name ?? '')?.[1];
      if (pid && !isAlive(Number(pid))) await api.delete(item).catch(() => undefined);
    }
  }
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(clusterPaths.kubeconfig)) {
    throw new Error('no local cluster: run the e2e tests through `npm test` (or `npm run cluster:up` first)');
  }
  await removeStaleRegistrations(clusterPaths.kubeconfig);
  // A name of its own, so concurrent runs on one cluster never remove each other's registrations.
  const instance = `e2e-${process.pid}`;
  process.env.OPENVOX_OPERATOR_STATE = operatorStatePath(instance);
  globalThis.openvoxOperator = await startOperator({ kubeconfig: clusterPaths.kubeconfig, logToFiles: true, instance });
}
