// One Pool reconcile: apply the Service `{pool}` when it differs, and report the ready endpoints.
import type { Logger } from 'pino';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { Pool } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { POOL, splitKey } from '../kube/resources.js';
import { writeStatusIfChanged } from '../kube/status.js';
import { poolService } from './render.js';
import { readyEndpoints } from './endpoints.js';
import { LABEL_SERVICE_NAME, SERVICE } from './resources.js';

export interface PoolReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  caches: {
    pools: Cache<Pool & KubeObject>;
    services: Cache<KubeObject>;
    slices: Cache<V1EndpointSlice & KubeObject>;
  };
}

export class PoolReconciler {
  /** Pools whose Service conflict was already reported (an Event once, not every loop). */
  private readonly reported = new Set<string>();

  constructor(private readonly d: PoolReconcilerDeps) {}

  async reconcile(key: string): Promise<void> {
    const { namespace: ns, name } = splitKey(key);
    const pool = this.d.caches.pools.get(ns, name);
    if (!pool || pool.metadata.deletionTimestamp) {
      this.reported.delete(key);
      return;
    }
    const outcome = await applyOwned(
      this.d.client,
      SERVICE,
      poolService(pool) as KubeObject,
      this.d.caches.services.get(ns, name),
      pool.metadata.uid!,
    );
    if (outcome === 'conflict') {
      if (!this.reported.has(key)) {
        this.reported.add(key);
        await this.d.recorder.record(
          pool,
          'Warning',
          'ServiceConflict',
          `Service ${name} exists and is not controlled by this Pool`,
        );
      }
    } else {
      this.reported.delete(key);
      if (outcome === 'applied') this.d.logger.info({ key }, 'pool service applied');
    }
    const slices = this.d.caches.slices.list(ns).filter((s) => s.metadata?.labels?.[LABEL_SERVICE_NAME] === name);
    const status = {
      ...(outcome === 'conflict' ? {} : { serviceName: name }),
      endpoints: outcome === 'conflict' ? 0 : readyEndpoints(slices),
      observedGeneration: pool.metadata.generation ?? 0,
    };
    await writeStatusIfChanged(this.d.client, POOL, pool, status);
  }
}
