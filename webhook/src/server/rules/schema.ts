// Rule 12: types, required fields and enums from the same schema as the CRD; a mismatch is a cause, not a crash.
import { ServerSpec, createValidator, type FieldError, type Validator } from '@openvox/shared';
import type { StatusCause } from '../../admission/review.js';
import { CAUSE } from '../../admission/responses.js';
import { verdict, type Rule } from './types.js';

export function createSpecValidator(): Validator {
  return createValidator(ServerSpec, 'spec');
}

function causeType(error: FieldError): string {
  if (error.message.startsWith('Required value')) return CAUSE.required;
  if (error.message.startsWith('Unsupported value')) return CAUSE.notSupported;
  if (error.message.includes('must be of type') || error.message.includes('must be an integer or a string'))
    return CAUSE.typeInvalid;
  return CAUSE.invalid;
}

export function schemaRule(validator: Validator): Rule {
  return ({ spec }) =>
    verdict(validator(spec).map((e): StatusCause => ({ type: causeType(e), field: e.field, message: e.message })));
}
