// Certnames are unique per CertificateAuthority: two Certificates with one certname would share one
// identity on the CA (a revocation of one revokes the other). The webhook's Certificate cache names
// the holder; when the cache cannot answer (not synced yet, namespace not watched, lookups off) the
// request is allowed with a warning and the controller, which sees every stored Certificate, reports
// the conflict in the later one's status instead (reason CertnameConflict) and issues nothing for it.
import { isPlainObject } from '../admission/review.js';
import { duplicate, verdict, type Obj, type Rule, type RuleContext } from '../server/rules/types.js';
import { effectiveCertname } from './certificate-defaults.js';

const nameOf = (o: unknown) =>
  isPlainObject(o) && isPlainObject(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : '';

export const UNCHECKED_WARNING =
  'spec.certname was not checked for uniqueness (the webhook has not yet listed the Certificates); the controller reports a conflict in status';

export const certnameUnique: Rule = (ctx: RuleContext) => {
  const { object, spec, namespace, references } = ctx;
  const certname = effectiveCertname(object);
  const authorityRef = spec.authorityRef;
  if (!certname || typeof authorityRef !== 'string' || !namespace || !references.certnameHolders) return verdict();
  const holders = references.certnameHolders(namespace, authorityRef, certname);
  if (holders === undefined) return verdict([], [UNCHECKED_WARNING]);
  const others = holders.filter((h) => h !== nameOf(object)).sort();
  if (others.length === 0) return verdict();
  const message = `already used by Certificate "${others[0]}" under CertificateAuthority "${authorityRef}": certnames must be unique per CA (set another spec.certname)`;
  // A stored duplicate (made before this rule, or while the webhook was down) must not block unrelated
  // edits such as a label: an UPDATE that keeps the certname is warned, not denied.
  const kept =
    ctx.oldObject !== undefined && effectiveCertname(ctx.oldObject as Obj)?.toLowerCase() === certname.toLowerCase();
  if (kept) return verdict([], [`spec.certname ${JSON.stringify(certname)} is ${message}`]);
  return verdict([duplicate('spec.certname', certname, message)]);
};
