// The Server's HorizontalPodAutoscaler, only when spec.autoscaling is enabled.
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';
import { metadataFor } from './metadata.js';

export function renderHpa(server: Server): V2HorizontalPodAutoscaler | undefined {
  const a = server.spec.autoscaling;
  if (a?.enabled !== true) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadataFor(server),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: server.metadata.name! },
      minReplicas: a.minReplicas ?? 1,
      maxReplicas: a.maxReplicas || 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCPU || 75 } },
        },
      ],
    },
  };
}
