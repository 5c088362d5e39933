// One Config reconcile: render `{config}-config` from the Config and its CA (informer caches), apply
// it only when it differs, and report phase Running, or Error with the field that cannot be written.
import type { Logger } from 'pino';
import type { CertificateAuthority, Config } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { CONFIG, CONFIG_MAP, splitKey } from '../kube/resources.js';
import { ConfigRenderError, configMapName, renderConfigMap } from './render.js';
import { writePhase } from '../kube/phase.js';

export interface ConfigReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  caches: {
    configs: Cache<Config & KubeObject>;
    authorities: Cache<CertificateAuthority & KubeObject>;
    configMaps: Cache<KubeObject>;
  };
}

export const CONFIG_READY = 'ConfigReady';

export class ConfigReconciler {
  constructor(private readonly d: ConfigReconcilerDeps) {}

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const config = this.d.caches.configs.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) return;
    const ref = config.spec.authorityRef;
    const ca = ref ? this.d.caches.authorities.get(namespace, ref) : undefined;
    const cmName = configMapName(name);
    let outcome;
    try {
      const desired = renderConfigMap(config, ca) as KubeObject;
      const result = await applyOwned(
        this.d.client,
        CONFIG_MAP,
        desired,
        this.d.caches.configMaps.get(namespace, cmName),
        config.metadata.uid!,
      );
      if (result === 'conflict') {
        outcome = {
          phase: 'Error',
          reason: 'ConfigMapConflict',
          message: `ConfigMap ${cmName} exists and is not controlled by this Config`,
        };
      } else {
        if (result === 'applied') this.d.logger.info({ key, configMap: cmName }, 'config map applied');
        const caNote = ref && !ca ? ` (CertificateAuthority ${ref} not found yet: CA settings use defaults)` : '';
        outcome = {
          phase: 'Running',
          reason: 'ConfigMapRendered',
          message: `ConfigMap ${cmName} is up to date${caNote}`,
        };
      }
    } catch (err) {
      if (!(err instanceof ConfigRenderError)) throw err;
      outcome = { phase: 'Error', reason: 'InvalidConfig', message: err.message };
    }
    await writePhase(this.d, CONFIG, config, {
      conditionType: CONFIG_READY,
      status: outcome.phase === 'Running' ? 'True' : 'False',
      ...outcome,
      fields: { configMapName: cmName },
    });
  }
}
