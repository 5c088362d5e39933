// The status of one AgentCertificate from what the CA Server lists and the step taken. Pure, and stable:
// the same listing gives the same status (timestamps only move on a transition), so a poll of an
// unchanged CA writes nothing.
import type { AgentCertificateStatus } from '@openvox/shared/runtime';
import { condition, type ConditionStatus } from '../kube/condition.js';
import type { Observed } from './observe.js';
import type { Step } from './transitions.js';

export const READY = 'Ready';

export interface ReadyOutcome {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export function readyOf(step: Exclude<Step, { kind: 'forget' } | { kind: 'act' }>): ReadyOutcome {
  if (step.kind === 'done') return { status: 'True', reason: 'DesiredStateReached', message: step.message };
  return { status: 'False', reason: step.reason, message: step.message };
}

export function agentStatus(
  prev: AgentCertificateStatus | undefined,
  observed: Observed | undefined,
  signedBy: string | undefined,
  ready: ReadyOutcome,
  generation: number,
  now: string,
): AgentCertificateStatus {
  return {
    ...(observed
      ? {
          state: observed.state,
          ...(observed.fingerprint ? { fingerprint: observed.fingerprint } : {}),
          ...(observed.serial ? { serial: observed.serial } : {}),
          ...(observed.notBefore ? { notBefore: observed.notBefore } : {}),
          ...(observed.notAfter ? { notAfter: observed.notAfter } : {}),
          ...(observed.dnsAltNames ? { dnsAltNames: observed.dnsAltNames } : {}),
          ...(observed.authorizationExtensions ? { authorizationExtensions: observed.authorizationExtensions } : {}),
        }
      : {}),
    ...(signedBy ? { signedBy } : {}),
    conditions: [condition(prev?.conditions, READY, ready.status, ready.reason, ready.message, generation, now)],
    observedGeneration: generation,
  };
}

/**
 * Only Ready changes, the rest is kept: what the CA Server last said stays visible while it cannot be asked.
 * Fields a merge patch would otherwise keep are left as they are (the status is written whole).
 */
export function withReady(
  prev: AgentCertificateStatus | undefined,
  ready: ReadyOutcome,
  generation: number,
  now: string,
): AgentCertificateStatus {
  return {
    ...(prev ?? {}),
    conditions: [condition(prev?.conditions, READY, ready.status, ready.reason, ready.message, generation, now)],
    observedGeneration: generation,
  };
}
