// ajv validators built from the same schemas as the CRDs: types, required fields and enums.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';

export interface FieldError {
  /** Dotted path such as spec.pdb.minAvailable or spec.poolRefs[1]. */
  field: string;
  message: string;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  for (const keyword of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-preserve-unknown-fields',
    // CEL rules (api/server-invariants.ts) run in the API server; the webhook has its own rules for them.
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

/** `/spec/poolRefs/1` → `spec.poolRefs[1]`. */
export function toFieldPath(pointer: string, base = ''): string {
  let out = base;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function describe(error: ErrorObject): FieldError {
  const field = toFieldPath(error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { field: field ? `${field}.${missing}` : missing, message: `Required value: ${missing} must be set` };
    }
    case 'type':
      return { field, message: `Invalid value: must be of type ${(error.params as { type: string }).type}` };
    case 'anyOf':
      return { field, message: 'Invalid value: must be an integer or a string' };
    case 'enum':
      return {
        field,
        message: `Unsupported value: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
      };
    case 'format':
      return { field, message: `Invalid value: must be a valid ${(error.params as { format: string }).format}` };
    default:
      return { field, message: `Invalid value: ${error.message ?? 'is invalid'}` };
  }
}

/** Keeps one error per field: ajv reports each failed branch of an anyOf as well as the anyOf. */
function simplify(errors: ErrorObject[]): FieldError[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && anyOfPaths.has(error.instancePath)) continue;
    const described = describe(error);
    const key = `${described.field}\u0000${described.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(described);
    }
  }
  return out;
}

export type Validator = (value: unknown) => FieldError[];

/** Returns every schema violation of `value` (rooted at `root`, for example "spec"). */
export function createValidator(schema: TSchema, root: string): Validator {
  const check: ValidateFunction = newAjv().compile(JSON.parse(JSON.stringify(schema)));
  return (value) => {
    if (check(value)) return [];
    return simplify(check.errors ?? []).map((e) => ({
      ...e,
      field: e.field.startsWith('[') || e.field === '' ? `${root}${e.field}` : `${root}.${e.field}`,
    }));
  };
}
