// Request count and latency by path and result, registered on an injected registry.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  observe(path: string, result: string, seconds: number): void;
}

export function createMetrics(registry: Registry): WebhookMetrics {
  const requests = new Counter({
    name: 'openvox_webhook_requests_total',
    help: 'Admission webhook HTTP requests by path and result.',
    labelNames: ['path', 'result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'openvox_webhook_request_duration_seconds',
    help: 'Admission webhook request latency by path and result.',
    labelNames: ['path', 'result'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  return {
    observe(path, result, seconds) {
      requests.inc({ path, result });
      latency.observe({ path, result }, seconds);
    },
  };
}
