// The Server controller definition: what it watches and how each change maps to Server keys.
import { LABEL_SERVER, type Server } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import {
  CERTIFICATE,
  CERTIFICATE_AUTHORITY,
  CONFIG,
  CONFIG_MAP,
  DEPLOYMENT,
  HPA,
  NETWORK_POLICY,
  PDB,
  PROBE_EVENT,
  SECRET,
  SERVER,
  SERVER_POD,
  objectKey,
  type ResourceType,
} from '../kube/resources.js';
import type { EventType } from '../kube/informer.js';
import { ApplyMemo } from '../kube/owned.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { controllerKey } from '../kube/owner-reference.js';
import { depKey, ReferenceIndex, type DepKind } from './index-refs.js';
import { ServerReconciler, specDeps, type ServerCaches } from './reconcile.js';
import { ObjectIndex } from '../kube/label-index.js';
import type { ProbeEventView } from '../kube/probe-event-view.js';

/** The Server controller needs what every controller needs. */
export type ServerControllerDeps = ControllerDeps;

/** Pods carry their Server's name as a label (the Deployment's selector). */
function serverOfPod(obj: KubeObject): string[] {
  const server = obj.metadata?.labels?.[LABEL_SERVER];
  return server ? [`${obj.metadata?.namespace}/${server}`] : [];
}

export function createServerController(
  mgr: Manager,
  deps: ServerControllerDeps,
): ControllerDefinition & { index: ReferenceIndex } {
  const caches: ServerCaches = {
    servers: mgr.informer(SERVER),
    configs: mgr.informer(CONFIG),
    certificates: mgr.informer(CERTIFICATE),
    authorities: mgr.informer(CERTIFICATE_AUTHORITY),
    configMaps: mgr.informer(CONFIG_MAP),
    secrets: mgr.informer(SECRET),
    deployments: mgr.informer(DEPLOYMENT),
    hpas: mgr.informer(HPA),
    pdbs: mgr.informer(PDB),
    networkPolicies: mgr.informer(NETWORK_POLICY),
    pods: mgr.informer(SERVER_POD),
    probeEventsOf: (namespace, pod) =>
      probeIndex
        .lookup(namespace, pod)
        .map((name) => probeEvents.get(namespace, name))
        .filter((e): e is ProbeEventView => e !== undefined),
  };
  // A pod's probe failures by the pod's name; fed before the watch below maps the Event to its Server.
  const probeEvents = mgr.informer<ProbeEventView>(PROBE_EVENT);
  const probeIndex = new ObjectIndex<ProbeEventView>((e) => e.involvedObject?.name);
  probeEvents.on((type, obj) => {
    if (type === 'delete') probeIndex.delete(obj);
    else probeIndex.set(obj);
  });
  const index = new ReferenceIndex();
  const reconciler = new ServerReconciler({ ...deps, caches, index });
  const byRef = (kind: DepKind) => (_: unknown, obj: KubeObject) =>
    index.users(depKey(kind, obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''));

  // A deleted owned object invalidates what we remember applying to it.
  const owned = (r: ResourceType) => (type: EventType, obj: KubeObject) => {
    const key = ApplyMemo.key(r, obj.metadata?.namespace, obj.metadata?.name ?? '');
    if (type === 'delete') reconciler.applied.delete(key);
    else reconciler.applied.observe(key, obj.metadata?.resourceVersion);
    return controllerKey('Server', obj);
  };

  return {
    name: 'server',
    index,
    watches: [
      {
        resource: SERVER,
        map: (type, obj) => {
          const key = objectKey(obj);
          // Record spec references at once, so a dependency that changes before the first reconcile still fans out.
          if (type !== 'delete') index.add(key, specDeps(obj as unknown as Server));
          reconciler.statuses.observe(key, obj.metadata?.resourceVersion);
          return [key];
        },
      },
      { resource: CONFIG, map: byRef('Config') },
      { resource: CERTIFICATE, map: byRef('Certificate') },
      { resource: CERTIFICATE_AUTHORITY, map: byRef('CertificateAuthority') },
      { resource: CONFIG_MAP, map: byRef('ConfigMap') },
      { resource: SECRET, map: byRef('Secret') },
      { resource: DEPLOYMENT, map: owned(DEPLOYMENT) },
      { resource: HPA, map: owned(HPA) },
      { resource: PDB, map: owned(PDB) },
      { resource: NETWORK_POLICY, map: owned(NETWORK_POLICY) },
      // A pod's kubelet status (image pull, crash loop) goes into its Server's Ready condition.
      { resource: SERVER_POD, map: (_, obj) => serverOfPod(obj) },
      // A failing probe (the kubelet's Unhealthy Event on one of its pods) too.
      {
        resource: PROBE_EVENT,
        map: (_, obj) => {
          const pod = (obj as ProbeEventView).involvedObject?.name;
          const live = pod ? caches.pods!.get(obj.metadata?.namespace ?? '', pod) : undefined;
          return live ? serverOfPod(live) : [];
        },
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => caches.servers.list().map(objectKey),
  };
}
