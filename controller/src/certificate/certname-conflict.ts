// Two Certificates of one CA with one certname would share an identity (a revocation of one revokes
// the other). The webhook refuses the second; this catches what slipped past it (two created at once,
// one created while the webhook was down, duplicates stored before the rule): the oldest keeps the
// certname (creation time, then name, so every reconcile picks the same one) and the others are
// reported and not issued.
import type { Certificate } from '@openvox/shared/runtime';
import { certname } from './subject-names.js';

/** RFC 3339 text as the API sends it (typed Date by client-node); not created yet sorts last. */
const created = (t: Date | string | undefined) => (t instanceof Date ? t.toISOString() : (t ?? '9999'));

/** The Certificate that holds `cert`'s certname when it is another one; undefined when `cert` may use it. */
export function certnameHolder(cert: Certificate, certificates: readonly Certificate[]): Certificate | undefined {
  const wanted = certname(cert).toLowerCase();
  const sharing = certificates.filter(
    (c) =>
      c.spec.authorityRef === cert.spec.authorityRef &&
      !c.metadata.deletionTimestamp &&
      certname(c).toLowerCase() === wanted,
  );
  if (!sharing.some((c) => c.metadata.name === cert.metadata.name)) sharing.push(cert);
  const key = (c: Certificate) => `${created(c.metadata.creationTimestamp)}\u0000${c.metadata.name}`;
  const holder = sharing.reduce((a, b) => (key(b) < key(a) ? b : a));
  return holder.metadata.name === cert.metadata.name ? undefined : holder;
}
