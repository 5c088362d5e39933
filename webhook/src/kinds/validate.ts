// Validating admission of every kind but Server: the same contract as for Server (every violation at
// once, 422 Invalid with field causes, Warning lines), without defaults.
import {
  GROUP,
  VERSION,
  agentCertificate,
  certificate,
  certificateAuthority,
  config,
  createValidator,
  database,
  nodeClassifier,
  pool,
  reportProcessor,
  mutatePath,
  signingPolicy,
  validatePath,
  type KindDefinition,
} from '@openvox/shared';
import { isPlainObject, isWrite, type AdmissionResponse, type ValidReview } from '../admission/review.js';
import jsonpatch from 'fast-json-patch';
import { allowed, denied, patched } from '../admission/responses.js';
import type { ReferenceLookup } from '../references/lookup.js';
import { schemaRule } from '../server/rules/schema.js';
import type { Rule } from '../server/rules/types.js';
import { namespaceOf } from '../server/target.js';
import { mergeCauses } from '../server/validate.js';
import { CERTIFICATE_AUTHORITY_RULES, CERTIFICATE_RULES, CONFIG_RULES, POOL_RULES } from './rules.js';
import { CONFIG_GO_RULES } from './config-rules.js';
import { DATABASE_RULES } from './database-rules.js';
import { NODE_CLASSIFIER_RULES, REPORT_PROCESSOR_RULES } from './http-rules.js';
import { ROUTE_RULES } from './route-rules.js';
import { resourcesRule } from '../server/rules/resources.js';
import { SIGNING_POLICY_RULES } from './signing-policy-rules.js';
import { AGENT_CERTIFICATE_RULES } from './agent-certificate-rules.js';
import { applyCertificateDefaults } from './certificate-defaults.js';
import { certnameUnique } from './certname-rule.js';

/** Defaults a kind's mutating endpoint patches in (the validating one judges the object with them). */
type Defaults = (object: Record<string, unknown>, oldObject: unknown) => Record<string, unknown>;
const DEFAULTS: Partial<Record<string, Defaults>> = { Certificate: applyCertificateDefaults };

export type KindHandler = (review: ValidReview) => AdmissionResponse;

function handlerFor(def: KindDefinition, rules: Rule[], references: ReferenceLookup, patch = false): KindHandler {
  const schema = schemaRule(createValidator(def.spec, 'spec'));
  const defaults = DEFAULTS[def.kind];
  return (review) => {
    const request = review.request;
    const kind = request.kind;
    const ours = isPlainObject(kind) && kind.group === GROUP && kind.version === VERSION && kind.kind === def.kind;
    const sent = isPlainObject(request.object) ? request.object : {};
    const metadata = isPlainObject(sent.metadata) ? sent.metadata : {};
    if (
      !ours ||
      !isWrite(request) ||
      (request.operation === 'UPDATE' && typeof metadata.deletionTimestamp === 'string')
    ) {
      return allowed(request.uid);
    }
    const oldObject =
      request.operation === 'UPDATE' && isPlainObject(request.oldObject) ? request.oldObject : undefined;
    // Judged with the defaults applied, so the answer does not depend on whether the mutating webhook ran.
    const object = defaults ? defaults(sent, oldObject) : sent;
    const spec = isPlainObject(object.spec) ? object.spec : {};
    const ctx = {
      object,
      spec,
      namespace: namespaceOf(request, object),
      references,
      ...(oldObject ? { oldObject } : {}),
    };
    // The schema sees spec as sent (a string spec is a type cause); a missing spec is checked as {}.
    const schemaVerdict = schema({ ...ctx, spec: (sent.spec ?? {}) as Record<string, unknown> });
    const verdicts = rules.map((r) => r(ctx));
    const causes = mergeCauses(
      schemaVerdict.causes,
      verdicts.flatMap((v) => v.causes),
    );
    const warnings = verdicts.flatMap((v) => v.warnings);
    const name = (typeof metadata.name === 'string' && metadata.name) || request.name || '';
    if (causes.length > 0) return denied(request.uid, { group: GROUP, kind: def.kind, name }, causes, warnings);
    return patch && object !== sent
      ? patched(request.uid, jsonpatch.compare(sent, object), warnings)
      : allowed(request.uid, warnings);
  };
}

/** Path → handler for the other kinds, e.g. /validate-openvox-voxpupuli-org-v1alpha1-pool (and /mutate-… for the kinds with CEL rules). */
export function kindValidators(references: ReferenceLookup): Map<string, KindHandler> {
  const entries: [KindDefinition, Rule[]][] = [
    [config, [...CONFIG_RULES, ...CONFIG_GO_RULES]],
    [certificate, [...CERTIFICATE_RULES, certnameUnique]],
    [certificateAuthority, [...CERTIFICATE_AUTHORITY_RULES, resourcesRule]],
    [pool, [...POOL_RULES, ...ROUTE_RULES]],
    [nodeClassifier, NODE_CLASSIFIER_RULES],
    [reportProcessor, REPORT_PROCESSOR_RULES],
    [database, DATABASE_RULES],
    [signingPolicy, SIGNING_POLICY_RULES],
    [agentCertificate, AGENT_CERTIFICATE_RULES],
  ];
  return new Map(
    entries.flatMap(([def, rules]) => {
      const handler = handlerFor(def, rules, references);
      // A kind whose CRD carries CEL rules is also judged at the mutating stage, before the API server's
      // CEL stage, which would otherwise answer alone and hide this webhook's other causes; a kind with
      // defaults gets them there (and the same judgement).
      const cel = JSON.stringify(def.spec).includes('x-kubernetes-validations');
      const mutating = DEFAULTS[def.kind] ? handlerFor(def, rules, references, true) : cel ? handler : undefined;
      return [
        [validatePath(def.singular), handler] as const,
        ...(mutating ? [[mutatePath(def.singular), mutating] as const] : []),
      ];
    }),
  );
}
