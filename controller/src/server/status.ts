// Pure status computation: what reconcile observed → the Server's status, keeping transition times stable.
import type { ServerPhase, ServerStatus } from '@openvox/shared/runtime';

import { condition, type ConditionStatus as CondStatus } from '../kube/condition.js';

export interface Observation {
  phase: ServerPhase;
  /** CamelCase reason of the Ready condition (and of the Error phase). */
  reason: string;
  message: string;
  ssl: { status: CondStatus; reason: string; message: string };
  ready: number;
  desired: number;
  /** Non-CA Servers: the CRL number of the `{ca}-ca-crl` Secret their pods mount. */
  crlNumber?: number;
  /** A problem the kubelet reports (image pull, crash loop): an Event of type Warning with the reason. */
  warning?: boolean;
}

export function computeStatus(
  prev: ServerStatus | undefined,
  obs: Observation,
  generation: number,
  now: string,
): ServerStatus {
  const readyStatus: CondStatus = obs.phase === 'Running' ? 'True' : 'False';
  return {
    phase: obs.phase,
    ready: obs.ready,
    desired: obs.desired,
    ...(obs.crlNumber !== undefined ? { crlNumber: obs.crlNumber } : {}),
    observedGeneration: generation,
    conditions: [
      condition(prev?.conditions, 'SSLBootstrapped', obs.ssl.status, obs.ssl.reason, obs.ssl.message, generation, now),
      condition(prev?.conditions, 'Ready', readyStatus, obs.reason, obs.message, generation, now),
    ],
  };
}

/** An event is due when the phase changes, or the problem does (an Error or a pod problem with another reason). */
export function transition(prev: ServerStatus | undefined, obs: Observation): boolean {
  if (prev?.phase !== obs.phase) return true;
  if (obs.phase !== 'Error' && !obs.warning) return false;
  return prev.conditions?.find((c) => c.type === 'Ready')?.reason !== obs.reason;
}
