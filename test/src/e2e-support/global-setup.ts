// jest globalSetup of the e2e project: the operator runs for the whole e2e run, logs to .cluster/logs.
import { existsSync } from 'node:fs';
import { clusterPaths } from '../cluster/paths.js';
import { operatorStatePath, startOperator, type RunningOperator } from '../operator/operator.js';

declare global {
  var openvoxOperator: RunningOperator | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(clusterPaths.kubeconfig)) {
    throw new Error('no local cluster: run the e2e tests through `npm test` (or `npm run cluster:up` first)');
  }
  // A name of its own, so concurrent runs on one cluster never remove each other's registrations.
  const instance = `e2e-${process.pid}`;
  process.env.OPENVOX_OPERATOR_STATE = operatorStatePath(instance);
  globalThis.openvoxOperator = await startOperator({ kubeconfig: clusterPaths.kubeconfig, logToFiles: true, instance });
}
