// The CertificateAuthority controller definition: the CA and the Secrets and claim it creates.
import type { Registry } from 'prom-client';
import type { Certificate, CertificateAuthority, KeyAlgorithm, Pool, Server } from '@openvox/shared/runtime';
import { LABEL_CA } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CERTIFICATE, CERTIFICATE_AUTHORITY, POOL, SECRET, SERVER, SERVICE, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { CertificateAuthorityReconciler } from './reconcile.js';
import { PVC } from './resources.js';
import { createCaMetrics } from './metrics.js';

/** Secrets and claims we create carry the CA label (the key Secret and claim have no owner). */
function caLabelKey(_: unknown, obj: KubeObject): string[] {
  const ca = obj.metadata?.labels?.[LABEL_CA];
  return ca ? [`${obj.metadata?.namespace}/${ca}`] : [];
}

export function createCertificateAuthorityController(
  mgr: Manager,
  deps: ControllerDeps & { keyAlgorithm: KeyAlgorithm; registry?: Registry },
): ControllerDefinition {
  const authorities = mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY);
  const casOfNamespace = (_: unknown, obj: KubeObject) => authorities.list(obj.metadata?.namespace).map(objectKey);
  const reconciler = new CertificateAuthorityReconciler({
    ...deps,
    ...(deps.registry ? { metrics: createCaMetrics(deps.registry) } : {}),
    caches: {
      authorities,
      secrets: mgr.informer(SECRET),
      claims: mgr.informer(PVC),
      servers: mgr.informer<Server & KubeObject>(SERVER),
      certificates: mgr.informer<Certificate & KubeObject>(CERTIFICATE),
      pools: mgr.informer<Pool & KubeObject>(POOL),
      services: mgr.informer(SERVICE),
    },
  });
  return {
    name: 'certificateauthority',
    watches: [
      { resource: CERTIFICATE_AUTHORITY, map: (_, obj) => [objectKey(obj)] },
      { resource: SECRET, map: caLabelKey },
      { resource: PVC, map: caLabelKey },
      // A Pool Service appearing, changing its ClusterIP or going: the CA Server may be dialed elsewhere.
      { resource: SERVICE, map: casOfNamespace },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => authorities.list().map(objectKey),
  };
}
