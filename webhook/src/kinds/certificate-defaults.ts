// The one default the CRD schema cannot give a Certificate: its certname is its own name, so two
// Certificates never share the CRD's old `puppet` by accident (two certificates with one certname
// revoke each other's identity). An UPDATE that drops the field keeps the stored certname: a
// certname changes only when someone sets a new one.
import { isPlainObject } from '../admission/review.js';
import type { Obj } from '../server/rules/types.js';

const specOf = (o: unknown): Obj | undefined => (isPlainObject(o) && isPlainObject(o.spec) ? o.spec : undefined);

/** The certname the Certificate is issued with: spec.certname, else (webhook bypassed) its name. */
export function effectiveCertname(object: Obj): string | undefined {
  const spec = specOf(object);
  if (typeof spec?.certname === 'string' && spec.certname !== '') return spec.certname;
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
}

/** A copy with spec.certname filled when absent or empty; a value the user set is never changed. */
export function applyCertificateDefaults(object: Obj, oldObject?: unknown): Obj {
  const spec = specOf(object);
  // A mistyped value is left for the schema stage to name.
  if (!spec || (spec.certname !== undefined && spec.certname !== '')) return object;
  const stored = specOf(oldObject)?.certname;
  const certname = typeof stored === 'string' && stored !== '' ? stored : effectiveCertname(object);
  if (certname === undefined) return object;
  return { ...object, spec: { ...spec, certname } };
}
