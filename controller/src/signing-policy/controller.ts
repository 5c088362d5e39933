// The SigningPolicy controller definition. Its key is the CertificateAuthority (namespace/ca): one
// Secret holds every policy of a CA. A policy event re-renders every CA of its namespace, so a policy
// that moved to another CA, or was deleted, also leaves the file of its old CA.
import type { CertificateAuthority, SigningPolicy } from '@openvox/shared/runtime';
import { LABEL_CA } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CERTIFICATE_AUTHORITY, SECRET, SIGNING_POLICY, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { SigningPolicyReconciler } from './reconcile.js';

const refKey = (p: SigningPolicy & KubeObject) => `${p.metadata.namespace}/${p.spec?.certificateAuthorityRef ?? ''}`;

export function createSigningPolicyController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const authorities = mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY);
  const policies = mgr.informer<SigningPolicy & KubeObject>(SIGNING_POLICY);
  const reconciler = new SigningPolicyReconciler({
    ...deps,
    caches: { authorities, policies, secrets: mgr.informer(SECRET) },
  });
  return {
    name: 'signingpolicy',
    watches: [
      { resource: CERTIFICATE_AUTHORITY, map: (_, obj) => [objectKey(obj)] },
      {
        resource: SIGNING_POLICY,
        map: (_, obj) => {
          const ns = obj.metadata?.namespace ?? '';
          const keys = new Set(authorities.list(ns).map(objectKey));
          keys.add(refKey(obj as SigningPolicy & KubeObject));
          return [...keys];
        },
      },
      // Our Secret changed or went away: render it again.
      {
        resource: SECRET,
        map: (_, obj) => {
          const ca = obj.metadata?.labels?.[LABEL_CA];
          return ca ? [`${obj.metadata?.namespace}/${ca}`] : [];
        },
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => [...new Set([...authorities.list().map(objectKey), ...policies.list().map(refKey)])],
  };
}
