// One reconcile per CertificateAuthority (key namespace/ca): render the SigningPolicies that name it
// into `{ca}-autosign-policy` (applied only when it differs) and give each policy its status: Active,
// or Error with the reason. A policy that cannot be rendered (its Secret or key is missing) is left
// out of the file, so it grants nothing, while the other policies of the CA keep working (the Go
// operator stopped rendering every policy of the CA instead). With no policy the file is empty and
// nothing is signed automatically.
import type { Logger } from 'pino';
import type { CertificateAuthority, SigningPolicy } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { writePhase, type PhaseOutcome } from '../kube/phase.js';
import type { HandlerResult } from '../kube/queue.js';
import { SECRET, SIGNING_POLICY, splitKey } from '../kube/resources.js';
import { autosignSecretName } from '../contracts/names.js';
import { PolicyError, policyEntry, renderPolicyFile, type PolicyFileEntry } from './policy-file.js';
import { autosignSecret } from './render.js';

type SecretObject = KubeObject & { data?: Record<string, string> };

export interface SigningPolicyReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  caches: {
    authorities: Cache<CertificateAuthority & KubeObject>;
    policies: Cache<SigningPolicy & KubeObject>;
    /** Our own Secrets (label-selected); the users' Secrets that policies name are read by name. */
    secrets: Cache<SecretObject>;
  };
}

export const SIGNING_POLICY_READY = 'Ready';
/**
 * The users' Secrets are not watched (the Secret cache holds only ours), so a CA whose policies read
 * one is rendered again this often: a rotated pre-shared key reaches the CA pod within this plus the
 * kubelet's volume refresh.
 */
export const SECRET_RECHECK_MS = 60_000;

const error = (reason: string, message: string): PhaseOutcome => ({
  phase: 'Error',
  conditionType: SIGNING_POLICY_READY,
  status: 'False',
  reason,
  message,
});

export class SigningPolicyReconciler {
  constructor(private readonly d: SigningPolicyReconcilerDeps) {}

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace: ns, name } = splitKey(key);
    const policies = this.d.caches.policies
      .list(ns)
      .filter((p) => p.spec?.certificateAuthorityRef === name && !p.metadata.deletionTimestamp);
    const ca = this.d.caches.authorities.get(ns, name);
    if (!ca || ca.metadata.deletionTimestamp) {
      return this.report(policies, () =>
        error('CertificateAuthorityNotFound', `CertificateAuthority ${name} not found in namespace ${ns}`),
      );
    }
    if (ca.spec.external) {
      return this.report(policies, () =>
        error(
          'ExternalCertificateAuthority',
          `CertificateAuthority ${name} is external: its CA signs elsewhere, and no CA Server here runs its policies`,
        ),
      );
    }

    const entries: PolicyFileEntry[] = [];
    const failed = new Map<string, PolicyError>();
    for (const policy of policies) {
      try {
        entries.push(policyEntry(policy, await this.values(policy)));
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        failed.set(policy.metadata.name!, err);
      }
    }
    const secretName = autosignSecretName(name);
    const outcome = await applyOwned(
      this.d.client,
      SECRET,
      autosignSecret(ca, renderPolicyFile(entries)) as KubeObject,
      this.d.caches.secrets.get(ns, secretName),
      ca.metadata.uid!,
    );
    if (outcome === 'applied')
      this.d.logger.info({ key, secret: secretName, policies: entries.length }, 'autosign policy applied');
    const conflict =
      outcome === 'conflict'
        ? error('SecretConflict', `Secret ${secretName} exists and is not controlled by CertificateAuthority ${name}`)
        : undefined;
    await this.report(policies, (p) => {
      const why = failed.get(p.metadata.name!);
      if (why) return error(why.reason, why.message);
      return (
        conflict ?? {
          phase: 'Active',
          conditionType: SIGNING_POLICY_READY,
          status: 'True',
          reason: 'PolicyRendered',
          message: `In Secret ${secretName}, which the CA Server of ${name} reads for every certificate request`,
        }
      );
    });
    const readsSecrets = policies.some((p) => (p.spec.csrAttributes ?? []).some((a) => a.valueFrom));
    return readsSecrets ? { requeueAfterMs: SECRET_RECHECK_MS } : undefined;
  }

  /** The expected value of each csrAttributes entry, in order; a missing Secret or key is a PolicyError. */
  private async values(policy: SigningPolicy): Promise<string[]> {
    const ns = policy.metadata.namespace!;
    const values: string[] = [];
    for (const [i, a] of (policy.spec.csrAttributes ?? []).entries()) {
      const ref = a.valueFrom?.secretKeyRef;
      if (!ref) {
        values.push(a.value ?? '');
        continue;
      }
      const field = `csrAttributes[${i}].valueFrom.secretKeyRef`;
      const secret = (await this.d.client.get(SECRET, ns, ref.name)) as SecretObject | undefined;
      if (!secret) throw new PolicyError('SecretNotFound', `${field}: Secret ${ref.name} not found`);
      const data = secret.data?.[ref.key];
      if (data === undefined)
        throw new PolicyError('SecretKeyNotFound', `${field}: Secret ${ref.name} has no key ${ref.key}`);
      values.push(Buffer.from(data, 'base64').toString('utf8'));
    }
    return values;
  }

  private async report(
    policies: (SigningPolicy & KubeObject)[],
    outcome: (p: SigningPolicy & KubeObject) => PhaseOutcome,
  ): Promise<void> {
    for (const p of policies) await writePhase(this.d, SIGNING_POLICY, p, outcome(p));
  }
}
