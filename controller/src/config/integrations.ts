// The Secrets a Config owns besides its ConfigMap: `{config}-enc` while it names a NodeClassifier, and
// `{config}-report-processors` while ReportProcessors name it. Each is applied only when it differs and
// deleted (when ours) once its source is gone (the Go operator left both behind). Rendered before the
// ConfigMap, so Server pods that roll for the new puppet.conf find them already there.
import type { Config, NodeClassifier, ReportProcessor } from '@openvox/shared/runtime';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned, deleteIfOwned } from '../kube/owned.js';
import { SECRET } from '../kube/resources.js';
import { OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';
import { encSecretName, reportProcessorsSecretName } from '../contracts/names.js';
import { resolveClassifier } from '../node-classifier/resolve.js';
import { encCacheDirectory, renderEncSettings, unusableEncSettings } from '../node-classifier/settings.js';
import { encSecret } from '../node-classifier/render.js';
import { resolveProcessor } from '../report-processor/resolve.js';
import { renderReportSettings, type ReportEndpoint } from '../report-processor/settings.js';
import { reportProcessorsSecret } from '../report-processor/render.js';

export interface IntegrationCaches {
  nodeClassifiers: Cache<NodeClassifier & KubeObject>;
  reportProcessors: Cache<ReportProcessor & KubeObject>;
  /** The operator's own Secrets (label-selected). */
  secrets: Cache<KubeObject>;
}

export interface IntegrationsOutcome {
  /** ReportProcessors name this Config: puppet.conf's `reports` gets the operator's processor. */
  reportProcessors: boolean;
  /** A Secret of ours is taken by someone else's object of the same name. */
  conflicts: string[];
  /** A user's Secret or ConfigMap was read: render again after a while (they are not watched). */
  readsUserValues: boolean;
  /** For the Config's status message. */
  notes: string[];
}

/** The ReportProcessors that name a Config, not being deleted. */
export function processorsOf(
  cache: Cache<ReportProcessor & KubeObject>,
  config: Config,
): (ReportProcessor & KubeObject)[] {
  return cache
    .list(config.metadata.namespace)
    .filter((rp) => rp.spec?.configRef === config.metadata.name && !rp.metadata.deletionTimestamp);
}

export async function renderIntegrations(
  client: KubeClient,
  caches: IntegrationCaches,
  config: Config & KubeObject,
): Promise<IntegrationsOutcome> {
  const ns = config.metadata.namespace!;
  const name = config.metadata.name!;
  const uid = config.metadata.uid!;
  const out: IntegrationsOutcome = { reportProcessors: false, conflicts: [], readsUserValues: false, notes: [] };
  const apply = async (desired: KubeObject) => {
    const secretName = desired.metadata!.name!;
    const result = await applyOwned(client, SECRET, desired, caches.secrets.get(ns, secretName), uid);
    if (result === 'conflict') out.conflicts.push(secretName);
  };
  const remove = (secretName: string) => deleteIfOwned(client, SECRET, caches.secrets.get(ns, secretName), uid);

  const ref = config.spec.nodeClassifierRef;
  if (ref) {
    const nc = caches.nodeClassifiers.get(ns, ref);
    let settings;
    if (!nc || nc.metadata.deletionTimestamp) {
      settings = unusableEncSettings(ref, `NodeClassifier ${ref} not found in namespace ${ns}`);
      out.notes.push(`NodeClassifier ${ref} not found: its Servers refuse every node until it exists`);
    } else {
      const resolved = await resolveClassifier(client, nc, OPENVOX_IMAGE_LAYOUT);
      out.readsUserValues ||= resolved.readsSecrets;
      settings = resolved.usable ? resolved.settings : unusableEncSettings(ref, resolved.message);
      if (!resolved.usable) out.notes.push(`NodeClassifier ${ref} is unusable (${resolved.message})`);
    }
    const cacheDir = nc?.spec.cache?.enabled ? encCacheDirectory(nc) : undefined;
    await apply(encSecret(config, renderEncSettings(settings), cacheDir) as KubeObject);
  } else {
    await remove(encSecretName(name));
  }

  const processors = processorsOf(caches.reportProcessors, config);
  if (processors.length > 0) {
    const endpoints: ReportEndpoint[] = [];
    for (const rp of processors) {
      const resolved = await resolveProcessor(client, rp, OPENVOX_IMAGE_LAYOUT);
      out.readsUserValues ||= resolved.readsSecrets;
      if (resolved.usable) endpoints.push(resolved.endpoint);
    }
    await apply(reportProcessorsSecret(config, renderReportSettings(endpoints)) as KubeObject);
    out.reportProcessors = true;
  } else {
    await remove(reportProcessorsSecretName(name));
  }
  return out;
}
