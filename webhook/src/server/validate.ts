// Validating admission for Server: every violation at once, on the object as it will be stored.
import type { Validator } from '@openvox/shared';
import {
  isPlainObject,
  isServerRequest,
  isWrite,
  type AdmissionResponse,
  type StatusCause,
  type ValidReview,
} from '../admission/review.js';
import { allowed, denied } from '../admission/responses.js';
import type { ReferenceLookup } from '../references/lookup.js';
import { applyServerDefaults } from './defaults.js';
import { SERVER_RULES, schemaRule, type RuleContext } from './rules/index.js';
import { GROUP, VERSION, namespaceOf, serverTarget } from './target.js';

export interface ValidateDeps {
  /** createSpecValidator(): compiled once at start-up. */
  validator: Validator;
  references: ReferenceLookup;
}

/** The explicit rules speak about a field more precisely than the schema; keep the schema cause only for other fields. */
function merge(schema: StatusCause[], rules: StatusCause[]): StatusCause[] {
  const covered = new Set(rules.map((c) => c.field));
  return [...schema.filter((c) => !covered.has(c.field)), ...rules];
}

/** An UPDATE of an object that is being deleted (e.g. a finalizer removal) must never be blocked. */
function isBeingDeleted(request: ValidReview['request']): boolean {
  const object = request.object;
  return (
    request.operation === 'UPDATE' &&
    isPlainObject(object) &&
    isPlainObject(object.metadata) &&
    typeof object.metadata.deletionTimestamp === 'string'
  );
}

export function validate(review: ValidReview, deps: ValidateDeps): AdmissionResponse {
  const request = review.request;
  if (!isServerRequest(request, GROUP, VERSION) || !isWrite(request) || isBeingDeleted(request)) {
    return allowed(request.uid);
  }

  const object = applyServerDefaults(isPlainObject(request.object) ? request.object : {});
  const ctx: RuleContext = {
    object,
    spec: isPlainObject(object.spec) ? object.spec : {},
    namespace: namespaceOf(request, object),
    references: deps.references,
  };
  // The schema sees spec as sent (a string or null spec is a type cause); a missing spec is checked as {}.
  const schemaSpec = (object.spec === undefined ? {} : object.spec) as Record<string, unknown>;
  const schemaVerdict = schemaRule(deps.validator)({ ...ctx, spec: schemaSpec });

  const causes: StatusCause[] = [];
  const warnings: string[] = [];
  for (const rule of SERVER_RULES) {
    const verdict = rule(ctx);
    causes.push(...verdict.causes);
    warnings.push(...verdict.warnings);
  }
  const all = merge(schemaVerdict.causes, causes);
  return all.length === 0
    ? allowed(request.uid, warnings)
    : denied(request.uid, serverTarget(request, object), all, warnings);
}
