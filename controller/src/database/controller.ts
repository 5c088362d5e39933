// The Database controller definition: the Database, its Certificate (and that Certificate's Secret), and
// the objects it owns. The user's credentials Secret is not watched (the Secret cache holds only the
// operator's own): reconcile looks again after a while (reconcile.ts).
import type { Certificate, Database } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import type { EventType } from '../kube/informer.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { ApplyMemo } from '../kube/owned.js';
import { controllerKey } from '../kube/owner-reference.js';
import {
  CERTIFICATE,
  CONFIG_MAP,
  DATABASE,
  DEPLOYMENT,
  NETWORK_POLICY,
  PDB,
  SECRET,
  SERVICE,
  objectKey,
  type ResourceType,
} from '../kube/resources.js';
import { DatabaseReconciler, type DatabaseCaches } from './reconcile.js';

export function createDatabaseController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const caches: DatabaseCaches = {
    databases: mgr.informer<Database & KubeObject>(DATABASE),
    certificates: mgr.informer<Certificate & KubeObject>(CERTIFICATE),
    secrets: mgr.informer(SECRET),
    configMaps: mgr.informer(CONFIG_MAP),
    deployments: mgr.informer(DEPLOYMENT),
    services: mgr.informer(SERVICE),
    pdbs: mgr.informer(PDB),
    networkPolicies: mgr.informer(NETWORK_POLICY),
  };
  const reconciler = new DatabaseReconciler({ ...deps, caches });
  const databasesIn = (obj: KubeObject) => caches.databases.list(obj.metadata?.namespace);
  const usingCertificate = (cert: string | undefined, obj: KubeObject) =>
    databasesIn(obj)
      .filter((db) => db.spec.certificateRef === cert)
      .map(objectKey);
  // A deleted owned object invalidates what we remember applying to it.
  const owned = (r: ResourceType) => (type: EventType, obj: KubeObject) => {
    const key = ApplyMemo.key(r, obj.metadata?.namespace, obj.metadata?.name ?? '');
    if (type === 'delete') reconciler.applied.delete(key);
    else reconciler.applied.observe(key, obj.metadata?.resourceVersion);
    return controllerKey('Database', obj);
  };
  const ownedSecret = owned(SECRET);
  return {
    name: 'database',
    watches: [
      { resource: DATABASE, map: (_, obj) => [objectKey(obj)] },
      { resource: CERTIFICATE, map: (_, obj) => usingCertificate(obj.metadata?.name, obj) },
      {
        // Ours (`{db}-openvoxdb-database`), or a Certificate's `{cert}-tls` that a Database serves.
        resource: SECRET,
        map: (type, obj) => [
          ...ownedSecret(type, obj),
          ...usingCertificate(controllerKey('Certificate', obj)[0]?.split('/')[1], obj),
        ],
      },
      { resource: CONFIG_MAP, map: owned(CONFIG_MAP) },
      { resource: DEPLOYMENT, map: owned(DEPLOYMENT) },
      { resource: SERVICE, map: owned(SERVICE) },
      { resource: PDB, map: owned(PDB) },
      { resource: NETWORK_POLICY, map: owned(NETWORK_POLICY) },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => caches.databases.list().map(objectKey),
  };
}
