// Rule 12: types, required fields and enums from the same schema as the CRD; a mismatch is a cause, not a crash.
import { ServerSpec, createValidator, type FieldError, type Validator } from '@openvox/shared';
import type { StatusCause } from '../../admission/review.js';
import { CAUSE } from '../../admission/responses.js';
import { show, verdict, type Rule } from './types.js';

export function createSpecValidator(): Validator {
  return createValidator(ServerSpec, 'spec');
}

function causeType(error: FieldError): string {
  if (error.message.startsWith('Required value')) return CAUSE.required;
  if (error.message.startsWith('Unsupported value')) return CAUSE.notSupported;
  if (error.message.includes('must be of type') || error.message.includes('must be an integer or a string')) {
    return CAUSE.typeInvalid;
  }
  return CAUSE.invalid;
}

/** The value at a field path such as `spec.pdb.minAvailable` or `spec.poolRefs[1]`, relative to spec. */
function valueAt(spec: unknown, field: string): unknown {
  const parts = field.replace(/^spec\.?/, '').match(/[^.[\]]+/g) ?? [];
  let node: unknown = spec;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** `Invalid value: must be ...` -> `Invalid value: "three": must be ...`, as apimachinery prints it. */
function withValue(message: string, value: unknown): string {
  if (value === undefined) return message;
  const match = /^(Invalid value|Unsupported value): (.*)$/.exec(message);
  return match ? `${match[1]}: ${show(value)}: ${match[2]}` : message;
}

export function schemaRule(validator: Validator): Rule {
  return ({ spec }) =>
    verdict(
      validator(spec).map((e): StatusCause => ({
        type: causeType(e),
        field: e.field,
        message: withValue(e.message, valueAt(spec, e.field)),
      })),
    );
}
