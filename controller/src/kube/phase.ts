// Status of a kind with a phase (Config, CertificateAuthority, Certificate): one
// condition with a stable lastTransitionTime, a status write only when something changed, and an
// Event only on a transition (phase change, or a different Error reason), never on every loop.
import type { Condition } from '@openvox/shared/runtime';
import type { Clock } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import type { EventRecorder } from './events.js';
import type { ResourceType } from './resources.js';
import { writeStatusIfChanged } from './status.js';

import { condition, type ConditionStatus } from './condition.js';

export { condition, type ConditionStatus };

export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PhaseOutcome {
  phase: string;
  conditionType: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  /** Other status fields (secretName, notAfter, ...). */
  fields?: Record<string, unknown>;
  /** Further conditions written beside the main one (their Events are the caller's). */
  extraConditions?: { type: string; status: ConditionStatus; reason: string; message: string }[];
}

export interface StatusDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
}

interface WithStatus {
  metadata: { generation?: number };
  status?: { phase?: string; conditions?: Condition[] };
}

/** Writes phase + one condition + fields; records an Event when the phase or the Error reason changed. */
export async function writePhase(
  deps: StatusDeps,
  resource: ResourceType,
  obj: WithStatus,
  outcome: PhaseOutcome,
): Promise<void> {
  const prev = obj.status;
  const generation = obj.metadata.generation ?? 0;
  const status = {
    ...(prev ?? {}),
    ...(outcome.fields ?? {}),
    phase: outcome.phase,
    observedGeneration: generation,
    conditions: [
      condition(
        prev?.conditions,
        outcome.conditionType,
        outcome.status,
        outcome.reason,
        outcome.message,
        generation,
        isoNow(deps.clock),
      ),
      ...(outcome.extraConditions ?? []).map((c) =>
        condition(prev?.conditions, c.type, c.status, c.reason, c.message, generation, isoNow(deps.clock)),
      ),
    ],
  };
  await writeStatusIfChanged(deps.client, resource, obj as unknown as KubeObject & { status?: unknown }, status);
  const prevReason = prev?.conditions?.find((c) => c.type === outcome.conditionType)?.reason;
  if (prev?.phase !== outcome.phase || (outcome.phase === 'Error' && prevReason !== outcome.reason)) {
    const type = outcome.phase === 'Error' ? 'Warning' : 'Normal';
    await deps.recorder.record(obj as unknown as KubeObject, type, outcome.reason, outcome.message);
  }
}
