// The Config controller definition: a Config, its ConfigMap, and the CA it names.
import type { Logger } from 'pino';
import { API_VERSION, type CertificateAuthority, type Config } from '@openvox/shared';
import type { Clock } from '../clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import { CERTIFICATE_AUTHORITY, CONFIG, CONFIG_MAP, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, Manager } from '../manager.js';
import { ConfigReconciler } from './reconcile.js';

export interface StackControllerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

/** namespace/name of the object of `kind` that controls `obj` (ownerReference with controller: true). */
export function controllerKey(kind: string, obj: KubeObject): string[] {
  const ref = obj.metadata?.ownerReferences?.find(
    (r) => r.controller && r.kind === kind && r.apiVersion === API_VERSION,
  );
  return ref ? [`${obj.metadata?.namespace}/${ref.name}`] : [];
}

export function createConfigController(mgr: Manager, deps: StackControllerDeps): ControllerDefinition {
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
