// Tiny response constructors in the style of controller-runtime's admission package.
import type { AdmissionResponse, AdmissionReview, StatusCause } from './review.js';
import type { Operation as PatchOperation } from 'fast-json-patch';

export const CAUSE = {
  invalid: 'FieldValueInvalid',
  required: 'FieldValueRequired',
  notSupported: 'FieldValueNotSupported',
  duplicate: 'FieldValueDuplicate',
  forbidden: 'FieldValueForbidden',
  typeInvalid: 'FieldValueTypeInvalid',
  tooLong: 'FieldValueTooLong',
} as const;

export interface Target {
  group: string;
  kind: string;
  name: string;
}

function withWarnings(response: AdmissionResponse, warnings: readonly string[] | undefined): AdmissionResponse {
  if (warnings && warnings.length > 0) response.warnings = [...warnings];
  return response;
}

export function allowed(uid: string, warnings?: readonly string[]): AdmissionResponse {
  return withWarnings({ uid, allowed: true }, warnings);
}

/** Allowed with a base64 JSONPatch; an empty patch is a plain allow (no patch field at all). */
export function patched(uid: string, ops: readonly PatchOperation[], warnings?: readonly string[]): AdmissionResponse {
  if (ops.length === 0) return allowed(uid, warnings);
  return withWarnings(
    { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') },
    warnings,
  );
}

/** The same message apimachinery's NewInvalid builds: `Kind.group "name" is invalid: [a: x, b: y]`. */
export function invalidMessage(target: Target, causes: readonly StatusCause[]): string {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return `${target.kind}.${target.group} "${target.name}" is invalid: ${list}`;
}

/** 422 Invalid with one cause per violation: kubectl prints `The Server "x" is invalid:` and each cause. */
export function denied(
  uid: string,
  target: Target,
  causes: readonly StatusCause[],
  warnings?: readonly string[],
): AdmissionResponse {
  return withWarnings(
    {
      uid,
      allowed: false,
      status: {
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message: invalidMessage(target, causes),
        details: { name: target.name, group: target.group, kind: target.kind, causes: [...causes] },
      },
    },
    warnings,
  );
}

export function toReview(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
