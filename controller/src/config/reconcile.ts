// One Config reconcile: render the Secrets of its NodeClassifier and ReportProcessors (integrations.ts),
// then `{config}-config` from the Config and its CA (informer caches), each applied only when it
// differs, and report phase Running, or Error with the field that cannot be written.
import type { Logger } from 'pino';
import type { CertificateAuthority, Config, Database } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { CONFIG, CONFIG_MAP, splitKey } from '../kube/resources.js';
import { ConfigRenderError, configMapName, renderConfigMap } from './render.js';
import { writePhase } from '../kube/phase.js';
import type { HandlerResult } from '../kube/queue.js';
import { renderIntegrations, type IntegrationCaches } from './integrations.js';
import { DATABASE_HTTPS_PORT, databaseUrl } from '../contracts/names.js';

export interface ConfigReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  caches: {
    configs: Cache<Config & KubeObject>;
    authorities: Cache<CertificateAuthority & KubeObject>;
    configMaps: Cache<KubeObject>;
    databases: Cache<Database & KubeObject>;
  } & IntegrationCaches;
}

/**
 * Users' Secrets and ConfigMaps that a NodeClassifier or ReportProcessor reads are not watched (the
 * caches hold only the operator's objects): a Config that uses one is rendered again this often.
 */
export const VALUES_RECHECK_MS = 60_000;

export const CONFIG_READY = 'ConfigReady';

export class ConfigReconciler {
  constructor(private readonly d: ConfigReconcilerDeps) {}

  /**
   * The URL of the Database in databaseRef. It follows from the Database's name and service port
   * (contracts/names.ts), so a Config applied before its Database (GitOps order) already names the right
   * Service at the default port, and says so in its status until the Database exists.
   */
  private database(config: Config): { url: string; note?: string } | undefined {
    const ref = config.spec.databaseRef;
    if (!ref) return undefined;
    const ns = config.metadata.namespace!;
    const db = this.d.caches.databases.get(ns, ref);
    if (!db || db.metadata.deletionTimestamp)
      return { url: databaseUrl(ns, ref), note: `Database ${ref} not found yet: puppetdb.conf names its default URL` };
    return { url: databaseUrl(ns, ref, db.spec.service?.port ?? DATABASE_HTTPS_PORT) };
  }

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const config = this.d.caches.configs.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) return;
    const integrations = await renderIntegrations(this.d.client, this.d.caches, config);
    const ref = config.spec.authorityRef;
    const ca = ref ? this.d.caches.authorities.get(namespace, ref) : undefined;
    const cmName = configMapName(name);
    const database = this.database(config);
    let outcome;
    try {
      const desired = renderConfigMap(config, ca, undefined, {
        reportProcessors: integrations.reportProcessors,
        ...(database ? { databaseUrl: database.url } : {}),
      }) as KubeObject;
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
      } else if (integrations.conflicts.length > 0) {
        outcome = {
          phase: 'Error',
          reason: 'SecretConflict',
          message: `Secret(s) ${integrations.conflicts.join(', ')} exist and are not controlled by this Config`,
        };
      } else {
        if (result === 'applied') this.d.logger.info({ key, configMap: cmName }, 'config map applied');
        const notes = [
          ...(ref && !ca ? [`CertificateAuthority ${ref} not found yet: CA settings use defaults`] : []),
          ...(database?.note ? [database.note] : []),
          ...integrations.notes,
        ];
        outcome = {
          phase: 'Running',
          reason: 'ConfigMapRendered',
          message: `ConfigMap ${cmName} is up to date${notes.length ? ` (${notes.join('; ')})` : ''}`,
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
    return integrations.readsUserValues ? { requeueAfterMs: VALUES_RECHECK_MS } : undefined;
  }
}
