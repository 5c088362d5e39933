// The AgentCertificate controller definition. Its key is the CertificateAuthority (namespace/ca): one
// listing of the CA Server serves every certname of that CA. A user's change to an AgentCertificate
// (its generation moves) reconciles the CA at once; our own status writes do not (a status-only update
// keeps the generation), so they never cost another look at the CA Server.
import type { AgentCertificate, Certificate, CertificateAuthority, Pool, Server } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import {
  AGENT_CERTIFICATE,
  CERTIFICATE,
  CERTIFICATE_AUTHORITY,
  POOL,
  SECRET,
  SERVER,
  SERVICE,
  objectKey,
} from '../kube/resources.js';
import { AgentCertificateReconciler, type AgentCertificateObject } from './reconcile.js';

const caKey = (o: KubeObject) =>
  `${o.metadata?.namespace}/${(o as AgentCertificate & KubeObject).spec?.certificateAuthorityRef ?? ''}`;

export function createAgentCertificateController(
  mgr: Manager,
  deps: ControllerDeps & { pollIntervalMs?: number },
): ControllerDefinition {
  const authorities = mgr.informer<CertificateAuthority & KubeObject>(CERTIFICATE_AUTHORITY);
  const agentCertificates = mgr.informer<AgentCertificateObject>(AGENT_CERTIFICATE);
  const reconciler = new AgentCertificateReconciler({
    ...deps,
    caches: {
      authorities,
      agentCertificates,
      secrets: mgr.informer(SECRET),
      servers: mgr.informer<Server & KubeObject>(SERVER),
      certificates: mgr.informer<Certificate & KubeObject>(CERTIFICATE),
      pools: mgr.informer<Pool & KubeObject>(POOL),
      services: mgr.informer(SERVICE),
    },
  });
  const generations = new Map<string, number | undefined>();
  return {
    name: 'agentcertificate',
    watches: [
      { resource: CERTIFICATE_AUTHORITY, map: (_, obj) => [objectKey(obj)] },
      {
        resource: AGENT_CERTIFICATE,
        map: (type, obj) => {
          reconciler.statuses.observe(objectKey(obj), obj.metadata?.resourceVersion);
          const uid = obj.metadata?.uid ?? objectKey(obj);
          if (type === 'delete') {
            generations.delete(uid);
            return [];
          }
          if (type === 'update' && generations.get(uid) === obj.metadata?.generation) return [];
          generations.set(uid, obj.metadata?.generation);
          return [caKey(obj)];
        },
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => [...new Set([...authorities.list().map(objectKey), ...agentCertificates.list().map(caKey)])],
  };
}
