// Value rules of AgentCertificate (the schema covers types, required fields and the desiredState enum):
// its CA reference and certname, both fixed once created (they name the certificate on the CA Server),
// and the transitions the CA Server would refuse anyway, judged from the stored status so kubectl
// says why at once instead of the controller a moment later.
import { SUBDOMAIN_RULE, isDnsSubdomain } from '../server/rules/names.js';
import { child, forbidden, invalid, verdict, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';

/** Puppet's certname rule (printable ASCII without `/`), without spaces and upper case, which Puppet 7+ refuses. */
const CERTNAME = /^[!-.0-~]+$/;
export const CERTNAME_RULE = "must be a Puppet certname: printable ASCII without spaces, upper case or '/'";

const stored = (o: unknown, key: 'spec' | 'status') =>
  o && typeof o === 'object' ? child(o as never, key) : undefined;

export const AGENT_CERTIFICATE_RULES: Rule[] = [
  ({ spec }) => {
    const causes: StatusCause[] = [];
    const ref = spec.certificateAuthorityRef;
    if (typeof ref === 'string' && !isDnsSubdomain(ref)) {
      causes.push(invalid('spec.certificateAuthorityRef', ref, SUBDOMAIN_RULE));
    }
    const certname = spec.certname;
    if (typeof certname === 'string' && (!CERTNAME.test(certname) || /[A-Z]/.test(certname))) {
      causes.push(invalid('spec.certname', certname, CERTNAME_RULE));
    }
    return verdict(causes);
  },
  ({ spec, oldObject }) => {
    const oldSpec = stored(oldObject, 'spec');
    if (!oldSpec) return verdict();
    const causes: StatusCause[] = [];
    for (const key of ['certificateAuthorityRef', 'certname'] as const) {
      if (oldSpec[key] !== undefined && spec[key] !== oldSpec[key]) {
        causes.push(
          forbidden(
            `spec.${key}`,
            `cannot be changed (was ${JSON.stringify(oldSpec[key])}): it names the certificate on the CA Server; create another AgentCertificate`,
          ),
        );
      }
    }
    // Only a change of desiredState is judged: a stored one the CA Server overtook must not block a label edit.
    const desired = spec.desiredState;
    const state = stored(oldObject, 'status')?.state;
    if (desired !== oldSpec.desiredState) {
      if (desired === 'signed' && state === 'revoked') {
        causes.push(
          invalid(
            'spec.desiredState',
            desired,
            `the certificate of ${String(spec.certname)} is revoked and cannot be signed again: set desiredState cleaned, then sign the agent's next request`,
          ),
        );
      }
      if (desired === 'revoked' && state === 'requested') {
        causes.push(
          invalid(
            'spec.desiredState',
            desired,
            `${String(spec.certname)} has a pending request and no certificate to revoke: set desiredState cleaned to delete the request`,
          ),
        );
      }
    }
    return verdict(causes);
  },
];
