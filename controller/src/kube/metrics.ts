// Prometheus metrics of the controller, on an injected registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ControllerMetrics {
  registry: Registry;
  reconcileTotal: Counter<'controller' | 'result'>;
  reconcileDuration: Histogram<'controller'>;
  reconcileErrors: Counter<'controller'>;
  apiWrites: Counter<'verb' | 'kind'>;
  queueDepth: Gauge<'controller'>;
  informerRestarts: Counter<'kind'>;
  informerRelists: Counter<'kind' | 'reason'>;
  informerEvents: Counter<'kind' | 'type'>;
  isLeader: Gauge;
}

export function createMetrics(registry: Registry): ControllerMetrics {
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({
      name: 'openvox_controller_reconcile_total',
      help: 'Reconciles by controller and result (success, error).',
      labelNames: ['controller', 'result'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'openvox_controller_reconcile_duration_seconds',
      help: 'Time spent in one reconcile.',
      labelNames: ['controller'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'openvox_controller_reconcile_errors_total',
      help: 'Reconciles that failed and were retried with backoff.',
      labelNames: ['controller'],
      registers,
    }),
    apiWrites: new Counter({
      name: 'openvox_controller_api_writes_total',
      help: 'Mutating API requests by verb (apply, create, update, patch_status, delete) and kind.',
      labelNames: ['verb', 'kind'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'openvox_controller_queue_depth',
      help: 'Keys waiting in the work queue.',
      labelNames: ['controller'],
      registers,
    }),
    informerRestarts: new Counter({
      name: 'openvox_controller_informer_restarts_total',
      help: 'Informer restarts after watch or list errors.',
      labelNames: ['kind'],
      registers,
    }),
    informerRelists: new Counter({
      name: 'openvox_controller_informer_relists_total',
      help: 'Lists after the first, by kind and reason: expired (410 Gone, the cache was rebuilt) or restart.',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    informerEvents: new Counter({
      name: 'openvox_controller_informer_events_total',
      help: 'Watch events delivered by the informers, by kind and type (add, update, delete).',
      labelNames: ['kind', 'type'],
      registers,
    }),
    isLeader: new Gauge({
      name: 'openvox_controller_leader',
      help: '1 while this replica holds the leader lease.',
      registers,
    }),
  };
}
