// The NodeClassifier controller definition: its status follows the object and the Configs that name it.
import type { Config, NodeClassifier } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CONFIG, NODE_CLASSIFIER, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { NodeClassifierReconciler } from './reconcile.js';

export function createNodeClassifierController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const nodeClassifiers = mgr.informer<NodeClassifier & KubeObject>(NODE_CLASSIFIER);
  const configs = mgr.informer<Config & KubeObject>(CONFIG);
  const reconciler = new NodeClassifierReconciler({ ...deps, caches: { nodeClassifiers, configs } });
  return {
    name: 'nodeclassifier',
    watches: [
      { resource: NODE_CLASSIFIER, map: (_, obj) => [objectKey(obj)] },
      // A Config that starts or stops naming it (the old name is not known: every classifier of the namespace).
      { resource: CONFIG, map: (_, obj) => nodeClassifiers.list(obj.metadata?.namespace).map(objectKey) },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => nodeClassifiers.list().map(objectKey),
  };
}
