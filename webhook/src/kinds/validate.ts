// Validating admission for Config, Certificate, CertificateAuthority, Pool and SigningPolicy: the same contract as
// for Server (every violation at once, 422 Invalid with field causes), without defaults or warnings.
import {
  GROUP,
  VERSION,
  certificate,
  certificateAuthority,
  config,
  createValidator,
  pool,
  signingPolicy,
  validatePath,
  type KindDefinition,
} from '@openvox/shared';
import { isPlainObject, isWrite, type AdmissionResponse, type ValidReview } from '../admission/review.js';
import { allowed, denied } from '../admission/responses.js';
import type { ReferenceLookup } from '../references/lookup.js';
import { schemaRule } from '../server/rules/schema.js';
import type { Rule } from '../server/rules/types.js';
import { namespaceOf } from '../server/target.js';
import { CERTIFICATE_AUTHORITY_RULES, CERTIFICATE_RULES, CONFIG_RULES, POOL_RULES } from './rules.js';
import { SIGNING_POLICY_RULES } from './signing-policy-rules.js';

export type KindHandler = (review: ValidReview) => AdmissionResponse;

function handlerFor(def: KindDefinition, rules: Rule[], references: ReferenceLookup): KindHandler {
  const schema = schemaRule(createValidator(def.spec, 'spec'));
  return (review) => {
    const request = review.request;
    const kind = request.kind;
    const ours = isPlainObject(kind) && kind.group === GROUP && kind.version === VERSION && kind.kind === def.kind;
    const object = isPlainObject(request.object) ? request.object : {};
    const metadata = isPlainObject(object.metadata) ? object.metadata : {};
    if (
      !ours ||
      !isWrite(request) ||
      (request.operation === 'UPDATE' && typeof metadata.deletionTimestamp === 'string')
    ) {
      return allowed(request.uid);
    }
    const spec = isPlainObject(object.spec) ? object.spec : {};
    const ctx = { object, spec, namespace: namespaceOf(request, object), references };
    // The schema sees spec as sent (a string spec is a type cause); a missing spec is checked as {}.
    const verdicts = [
      schema({ ...ctx, spec: (object.spec ?? {}) as Record<string, unknown> }),
      ...rules.map((r) => r(ctx)),
    ];
    const causes = verdicts.flatMap((v) => v.causes);
    const name = (typeof metadata.name === 'string' && metadata.name) || request.name || '';
    return causes.length === 0
      ? allowed(request.uid)
      : denied(request.uid, { group: GROUP, kind: def.kind, name }, causes);
  };
}

/** Path → handler for the other kinds, e.g. /validate-openvox-voxpupuli-org-v1alpha1-pool. */
export function kindValidators(references: ReferenceLookup): Map<string, KindHandler> {
  const entries: [KindDefinition, Rule[]][] = [
    [config, CONFIG_RULES],
    [certificate, CERTIFICATE_RULES],
    [certificateAuthority, CERTIFICATE_AUTHORITY_RULES],
    [pool, POOL_RULES],
    [signingPolicy, SIGNING_POLICY_RULES],
  ];
  return new Map(entries.map(([def, rules]) => [validatePath(def.singular), handlerFor(def, rules, references)]));
}
