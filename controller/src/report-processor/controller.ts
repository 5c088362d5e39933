// The ReportProcessor controller definition: its status follows the object and its Config.
import type { Config, ReportProcessor } from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { CONFIG, REPORT_PROCESSOR, objectKey } from '../kube/resources.js';
import type { ControllerDefinition, ControllerDeps, Manager } from '../kube/manager.js';
import { ReportProcessorReconciler } from './reconcile.js';

export function createReportProcessorController(mgr: Manager, deps: ControllerDeps): ControllerDefinition {
  const reportProcessors = mgr.informer<ReportProcessor & KubeObject>(REPORT_PROCESSOR);
  const configs = mgr.informer<Config & KubeObject>(CONFIG);
  const reconciler = new ReportProcessorReconciler({ ...deps, caches: { reportProcessors, configs } });
  return {
    name: 'reportprocessor',
    watches: [
      { resource: REPORT_PROCESSOR, map: (_, obj) => [objectKey(obj)] },
      {
        resource: CONFIG,
        map: (_, obj) =>
          reportProcessors
            .list(obj.metadata?.namespace)
            .filter((rp) => rp.spec?.configRef === obj.metadata?.name)
            .map(objectKey),
      },
    ],
    reconcile: (key) => reconciler.reconcile(key),
    allKeys: () => reportProcessors.list().map(objectKey),
  };
}
