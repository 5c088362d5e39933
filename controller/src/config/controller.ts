// The Config controller definition: a Config, its ConfigMap and Secrets, the CA, NodeClassifier and
// ReportProcessors it uses.
import type { CertificateAuthority, Config, Database, NodeClassifier, ReportProcessor } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import {
  CERTIFICATE_AUTHORITY,
  CONFIG,
  CONFIG_MAP,
  DATABASE,
  NODE_CLASSIFIER,
  REPORT_PROCESSOR,
  SECRET,
  objectKey,
} from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { controllerKey } from '../kube/owner-reference.js';
import { ConfigReconciler } from './reconcile.js';

export function createConfigController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const configs = mgr.informer<Config & KubeObject>(CONFIG);
  const authorities = mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY);
  const reconciler = new ConfigReconciler({
    ...deps,
    caches: {
      configs,
      authorities,
      configMaps: mgr.informer(CONFIG_MAP),
      nodeClassifiers: mgr.informer<NodeClassifier & KubeObject>(NODE_CLASSIFIER),
      reportProcessors: mgr.informer<ReportProcessor & KubeObject>(REPORT_PROCESSOR),
      secrets: mgr.informer(SECRET),
      databases: mgr.informer<Database & KubeObject>(DATABASE),
    },
  });
  const configsIn = (obj: KubeObject) => configs.list(obj.metadata?.namespace);
  return {
    name: 'config',
    watches: [
      { resource: CONFIG, map: (_, obj) => [objectKey(obj)] },
      { resource: CONFIG_MAP, map: (_, obj) => controllerKey('Config', obj) },
      // Our `{config}-enc` and `{config}-report-processors` changed or went away: render them again.
      { resource: SECRET, map: (_, obj) => controllerKey('Config', obj) },
      {
        // ca.conf and ca_ttl come from the CA: re-render every Config that names it.
        resource: CERTIFICATE_AUTHORITY,
        map: (_, obj) =>
          configsIn(obj)
            .filter((c) => c.spec.authorityRef === obj.metadata?.name)
            .map(objectKey),
      },
      {
        resource: NODE_CLASSIFIER,
        map: (_, obj) =>
          configsIn(obj)
            .filter((c) => c.spec.nodeClassifierRef === obj.metadata?.name)
            .map(objectKey),
      },
      {
        // puppetdb.conf names the Database's Service port.
        resource: DATABASE,
        map: (_, obj) =>
          configsIn(obj)
            .filter((c) => c.spec.databaseRef === obj.metadata?.name)
            .map(objectKey),
      },
      // Every Config of the namespace: a ReportProcessor that moved to another Config must leave the old
      // one's Secret too (the Go operator kept sending it the reports of the old Config).
      { resource: REPORT_PROCESSOR, map: (_, obj) => configsIn(obj).map(objectKey) },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => configs.list().map(objectKey),
  };
}
