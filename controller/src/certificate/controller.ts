// The Certificate controller definition: the Certificate, its Secret, its CA, and the Servers and
// Pools whose names it carries.
import type { Certificate, CertificateAuthority, KeyAlgorithm, Pool, Server } from '@openvox/shared/runtime';
import { LABEL_CA, LABEL_CERTIFICATE } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CERTIFICATE, CERTIFICATE_AUTHORITY, POOL, SECRET, SERVER, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { CertificateReconciler } from './reconcile.js';

export function createCertificateController(
  mgr: Manager,
  deps: ControllerDeps & { keyAlgorithm: KeyAlgorithm },
): ControllerDefinition {
  const certificates = mgr.informer<Certificate & KubeObject>(CERTIFICATE);
  const servers = mgr.informer<Server & KubeObject>(SERVER);
  const reconciler = new CertificateReconciler({
    ...deps,
    caches: {
      certificates,
      authorities: mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY),
      servers,
      pools: mgr.informer<Pool & KubeObject>(POOL),
      secrets: mgr.informer(SECRET),
    },
  });
  const certsOfCa = (ns: string | undefined, ca: string | undefined) =>
    certificates
      .list(ns)
      .filter((c) => c.spec.authorityRef === ca)
      .map(objectKey);
  // Pool and Server changes can change the names; Certificates whose names did not change make no writes.
  const certsOfNamespace = (_: unknown, obj: KubeObject) => certificates.list(obj.metadata?.namespace).map(objectKey);
  return {
    name: 'certificate',
    watches: [
      // The other Certificates of its CA too: one that gives up (or frees) a certname unblocks the next.
      {
        resource: CERTIFICATE,
        map: (_, obj) => [
          objectKey(obj),
          ...certsOfCa(obj.metadata?.namespace, (obj as unknown as Certificate).spec?.authorityRef),
        ],
      },
      { resource: CERTIFICATE_AUTHORITY, map: (_, obj) => certsOfCa(obj.metadata?.namespace, obj.metadata?.name) },
      {
        resource: SECRET,
        map: (_, obj) => {
          const cert = obj.metadata?.labels?.[LABEL_CERTIFICATE];
          if (cert) return [`${obj.metadata?.namespace}/${cert}`];
          // The CA's key Secret (it has the CA label and no certificate label).
          return certsOfCa(obj.metadata?.namespace, obj.metadata?.labels?.[LABEL_CA]);
        },
      },
      { resource: SERVER, map: certsOfNamespace },
      { resource: POOL, map: certsOfNamespace },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => certificates.list().map(objectKey),
  };
}
