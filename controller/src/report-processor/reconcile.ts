// The status of a ReportProcessor (one reconcile per object): Active with Ready=True when its Config's
// Servers send it their reports; Error when a Secret or ConfigMap it names is missing (it is then left
// out, the Config's other endpoints keep working); Pending while its Config does not exist.
import type { Config, ReportProcessor } from '@openvox/shared/runtime';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Cache } from '../kube/informer.js';
import { writePhase, type PhaseOutcome, type StatusDeps } from '../kube/phase.js';
import type { HandlerResult } from '../kube/queue.js';
import { REPORT_PROCESSOR, splitKey } from '../kube/resources.js';
import { OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';
import { reportProcessorsSecretName } from '../contracts/names.js';
import { resolveProcessor } from './resolve.js';

export interface ReportProcessorReconcilerDeps extends StatusDeps {
  client: KubeClient;
  caches: { reportProcessors: Cache<ReportProcessor & KubeObject>; configs: Cache<Config & KubeObject> };
}

/** As the Config reconciler: users' Secrets and ConfigMaps are not watched, so look again after a while. */
export const VALUES_RECHECK_MS = 60_000;

const outcome = (phase: string, status: 'True' | 'False', reason: string, message: string): PhaseOutcome => ({
  phase,
  conditionType: 'Ready',
  status,
  reason,
  message,
});

export class ReportProcessorReconciler {
  constructor(private readonly d: ReportProcessorReconcilerDeps) {}

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const rp = this.d.caches.reportProcessors.get(namespace, name);
    if (!rp || rp.metadata.deletionTimestamp) return;
    const configName = rp.spec.configRef;
    const config = this.d.caches.configs.get(namespace, configName);
    const resolved = await resolveProcessor(this.d.client, rp, OPENVOX_IMAGE_LAYOUT);
    let result: PhaseOutcome;
    if (!resolved.usable) {
      result = outcome('Error', 'False', resolved.reason, `${resolved.message}; no report is sent to ${rp.spec.url}`);
    } else if (!config) {
      result = outcome('Pending', 'False', 'ConfigNotFound', `Config ${configName} (spec.configRef) not found`);
    } else {
      result = outcome(
        'Active',
        'True',
        'Rendered',
        `Rendered into Secret ${reportProcessorsSecretName(configName)}: the Servers of Config ${configName} send each report to ${rp.spec.url}`,
      );
    }
    await writePhase(this.d, REPORT_PROCESSOR, rp, result);
    return resolved.readsSecrets ? { requeueAfterMs: VALUES_RECHECK_MS } : undefined;
  }
}
