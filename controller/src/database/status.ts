// What one Database reconcile observed, as its status: phase, the Ready condition, and a second condition
// saying whether the Database's certificate names the host its clients connect to. Pure.
import type { Certificate } from '@openvox/shared/runtime';
import type { PhaseOutcome } from '../kube/phase.js';

export type DatabasePhase = 'Pending' | 'WaitingForCert' | 'Running' | 'Error';

export const READY = 'Ready';
export const CERTIFICATE_NAMES_HOST = 'CertificateNamesHost';

export interface Counts {
  ready: number;
  desired: number;
}

export function outcome(
  phase: DatabasePhase,
  reason: string,
  message: string,
  fields: Record<string, unknown>,
  extra: PhaseOutcome['extraConditions'] = [],
): PhaseOutcome {
  return {
    phase,
    conditionType: READY,
    status: phase === 'Running' ? 'True' : 'False',
    reason,
    message,
    fields,
    extraConditions: extra,
  };
}

/** Running once a pod is ready (the Go operator's rule), Pending before. */
export function runningOutcome(
  counts: Counts,
  fields: Record<string, unknown>,
  extra: PhaseOutcome['extraConditions'],
) {
  const summary = `${counts.ready} of ${counts.desired} pods ready`;
  return counts.ready > 0
    ? outcome('Running', 'PodsReady', summary, { ...fields, ...counts }, extra)
    : outcome('Pending', 'PodsNotReady', summary, { ...fields, ...counts }, extra);
}

/**
 * Puppetserver checks the Database's certificate against the host of puppetdb.conf's URL. The certname
 * and the dnsAltNames are the certificate's DNS names (subject-names.ts of the Certificate kind).
 */
export function hostCondition(cert: Certificate, host: string): NonNullable<PhaseOutcome['extraConditions']>[number] {
  const names = [cert.spec.certname ?? cert.metadata.name!, ...(cert.spec.dnsAltNames ?? [])];
  return names.includes(host)
    ? {
        type: CERTIFICATE_NAMES_HOST,
        status: 'True',
        reason: 'HostNamed',
        message: `Certificate ${cert.metadata.name} names ${host}`,
      }
    : {
        type: CERTIFICATE_NAMES_HOST,
        status: 'False',
        reason: 'HostNotNamed',
        message: `Certificate ${cert.metadata.name} does not name ${host} (add it to spec.dnsAltNames): the Servers refuse a PuppetDB whose certificate lacks the host they connect to`,
      };
}
