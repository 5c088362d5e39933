// The Config controller definition: a Config, its ConfigMap, and the CA it names.
import type { CertificateAuthority, Config } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CERTIFICATE_AUTHORITY, CONFIG, CONFIG_MAP, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { controllerKey } from '../kube/owner-reference.js';
import { ConfigReconciler } from './reconcile.js';

export function createConfigController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const configs = mgr.informer<Config & KubeObject>(CONFIG);
  const authorities = mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY);
  const reconciler = new ConfigReconciler({
    ...deps,
    caches: { configs, authorities, configMaps: mgr.informer(CONFIG_MAP) },
  });
  return {
    name: 'config',
    watches: [
      { resource: CONFIG, map: (_, obj) => [objectKey(obj)] },
      { resource: CONFIG_MAP, map: (_, obj) => controllerKey('Config', obj) },
      {
        // ca.conf and ca_ttl come from the CA: re-render every Config that names it.
        resource: CERTIFICATE_AUTHORITY,
        map: (_, obj) =>
          configs
            .list(obj.metadata?.namespace)
            .filter((c) => c.spec.authorityRef === obj.metadata?.name)
            .map(objectKey),
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => configs.list().map(objectKey),
  };
}
