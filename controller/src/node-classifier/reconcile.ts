// The status of a NodeClassifier (one reconcile per object): Active with Ready=True when the Configs
// that name it have it rendered for their Servers; Error when a Secret its auth names is missing (the
// Servers then refuse every node with that reason); Pending while no Config names it.
import type { Config, NodeClassifier } from '@openvox/shared/runtime';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Cache } from '../kube/informer.js';
import { writePhase, type PhaseOutcome, type StatusDeps } from '../kube/phase.js';
import type { HandlerResult } from '../kube/queue.js';
import { NODE_CLASSIFIER, splitKey } from '../kube/resources.js';
import { OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';
import { encSecretName } from '../contracts/names.js';
import { resolveClassifier } from './resolve.js';

export interface NodeClassifierReconcilerDeps extends StatusDeps {
  client: KubeClient;
  caches: { nodeClassifiers: Cache<NodeClassifier & KubeObject>; configs: Cache<Config & KubeObject> };
}

/** As the Config reconciler: users' Secrets are not watched, so look again after a while. */
export const SECRET_RECHECK_MS = 60_000;

const outcome = (phase: string, status: 'True' | 'False', reason: string, message: string): PhaseOutcome => ({
  phase,
  conditionType: 'Ready',
  status,
  reason,
  message,
});

export class NodeClassifierReconciler {
  constructor(private readonly d: NodeClassifierReconcilerDeps) {}

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const nc = this.d.caches.nodeClassifiers.get(namespace, name);
    if (!nc || nc.metadata.deletionTimestamp) return;
    const configs = this.d.caches.configs
      .list(namespace)
      .filter((c) => c.spec.nodeClassifierRef === name)
      .map((c) => c.metadata.name!)
      .sort();
    const resolved = await resolveClassifier(this.d.client, nc, OPENVOX_IMAGE_LAYOUT);
    let result: PhaseOutcome;
    if (!resolved.usable) {
      const effect = configs.length ? `; the Servers of Config ${configs.join(', ')} refuse every node until then` : '';
      result = outcome('Error', 'False', resolved.reason, `${resolved.message}${effect}`);
    } else if (configs.length === 0) {
      result = outcome(
        'Pending',
        'False',
        'NotReferenced',
        'No Config names this NodeClassifier in spec.nodeClassifierRef',
      );
    } else {
      const secrets = configs.map(encSecretName).join(', ');
      result = outcome(
        'Active',
        'True',
        'Rendered',
        `Rendered into Secret ${secrets}: the Servers of Config ${configs.join(', ')} ask ${nc.spec.url} for each node`,
      );
    }
    await writePhase(this.d, NODE_CLASSIFIER, nc, result);
    return resolved.readsSecrets ? { requeueAfterMs: SECRET_RECHECK_MS } : undefined;
  }
}
