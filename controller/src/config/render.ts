// The `{config}-config` ConfigMap: every file an OpenVox Server pod mounts, rendered from the Config
// and the CertificateAuthority it names. Pure and deterministic: same inputs, same bytes.
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  LABEL_CONFIG,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGER,
  type CertificateAuthority,
  type Config,
} from '@openvox/shared/runtime';
import { OPENVOX_IMAGE_LAYOUT, type ConfigFileKey, type ServerLayout } from '../contracts/pod-layout.js';
import { renderPuppetConf, type PuppetConfExtras } from './files/puppet-conf.js';
import { renderPuppetdbConf } from './files/puppetdb-conf.js';
import { renderWebserverConf } from './files/webserver-conf.js';
import { renderPuppetserverConf } from './files/puppetserver-conf.js';
import { renderAuthConf } from './files/auth-conf.js';
import { renderCaConf } from './files/ca-conf.js';
import { CA_DISABLED_CFG, CA_ENABLED_CFG } from './files/services.js';
import { renderProductConf } from './files/product-conf.js';
import { renderMetricsConf } from './files/metrics-conf.js';
import { renderLogbackXml } from './files/logback.js';
import { controllerReference } from '../kube/owner-reference.js';
import { configMapName } from './names.js';

export { configMapName };
export type { PuppetConfExtras };

/** Thrown when the Config holds a value that cannot be written safely; the message names the field. */
export class ConfigRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigRenderError';
  }
}

/** The ConfigMap data, keys sorted. */
export function renderConfigData(
  config: Config,
  ca: CertificateAuthority | undefined,
  layout: ServerLayout = OPENVOX_IMAGE_LAYOUT,
  extras: PuppetConfExtras = { reportProcessors: false },
): Record<ConfigFileKey, string> {
  try {
    const spec = config.spec;
    // The two webserver variants are identical today (both read hostcrl); keeping both keys lets
    // pods mount by role as the seed's Pod Anatomy describes.
    const webserver = renderWebserverConf(spec, layout);
    const data: Record<ConfigFileKey, string> = {
      'auth.conf': renderAuthConf(undefined, spec.puppetserver?.authorizationRules),
      'ca-disabled.cfg': CA_DISABLED_CFG,
      'ca-enabled.cfg': CA_ENABLED_CFG,
      'ca.conf': renderCaConf(ca),
      'logback.xml': renderLogbackXml(spec),
      'metrics.conf': renderMetricsConf(spec.metrics),
      'product.conf': renderProductConf(),
      'puppet.conf': renderPuppetConf(spec, ca, layout, extras),
      'puppetdb.conf': renderPuppetdbConf(spec, extras.databaseUrl),
      'puppetserver.conf': renderPuppetserverConf(spec, layout),
      'webserver-ca.conf': webserver,
      'webserver.conf': webserver,
    };
    return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1))) as Record<
      ConfigFileKey,
      string
    >;
  } catch (err) {
    throw new ConfigRenderError(`cannot render Config ${config.metadata.name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export function renderConfigMap(
  config: Config,
  ca: CertificateAuthority | undefined,
  layout?: ServerLayout,
  extras?: PuppetConfExtras,
): V1ConfigMap {
  const name = config.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(name),
      namespace: config.metadata.namespace,
      labels: { [LABEL_NAME]: 'openvox-server', [LABEL_MANAGED_BY]: MANAGER, [LABEL_CONFIG]: name },
      ownerReferences: [controllerReference('Config', config.metadata)],
    },
    data: renderConfigData(config, ca, layout, extras),
  };
}
