// Validating admission for Server: every violation at once, on the object as it will be stored.
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
import { SERVER_RULES, createSpecValidator, schemaRule, type Rule, type RuleContext } from './rules/index.js';
import { GROUP, VERSION, namespaceOf, serverTarget } from './target.js';

export interface ValidateDeps {
  /** schemaRule(createSpecValidator()): the ajv validator, compiled once at start-up. */
  schemaRule: Rule;
  references: ReferenceLookup;
}

/** The dependencies of validate() for a reference lookup; compiles the schema validator (slow: do it once). */
export function validateDeps(references: ReferenceLookup): ValidateDeps {
  return { schemaRule: schemaRule(createSpecValidator()), references };
}

/** The explicit rules speak about a field more precisely than the schema; keep the schema cause only for other fields. */
export function mergeCauses(schema: readonly StatusCause[], rules: StatusCause[]): StatusCause[] {
  if (schema.length === 0) return rules;
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
  const schemaVerdict = deps.schemaRule({ ...ctx, spec: schemaSpec });

  const causes: StatusCause[] = [];
  const warnings: string[] = [];
  for (const rule of SERVER_RULES) {
    const verdict = rule(ctx);
    if (verdict.causes.length > 0) causes.push(...verdict.causes);
    if (verdict.warnings.length > 0) warnings.push(...verdict.warnings);
  }
  const all = mergeCauses(schemaVerdict.causes, causes);
  return all.length === 0
    ? allowed(request.uid, warnings)
    : denied(request.uid, serverTarget(request, object), all, warnings);
}
