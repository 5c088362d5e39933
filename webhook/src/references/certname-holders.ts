// Which Certificates hold a certname under a CA: the pure part of the certname rule's lookup, over
// the trimmed Certificates the reference cache keeps (name, spec.authorityRef, spec.certname).
export interface CertificateView {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { authorityRef?: unknown; certname?: unknown };
}

/** The certname a stored Certificate is issued with: spec.certname, else its name (as the controller reads it). */
export function certnameOf(cert: CertificateView): string | undefined {
  const c = cert.spec?.certname;
  return typeof c === 'string' && c !== '' ? c : cert.metadata?.name;
}

export function certnameHolders(
  certificates: readonly CertificateView[],
  authorityRef: string,
  certname: string,
): string[] {
  const wanted = certname.toLowerCase();
  return certificates
    .filter((c) => c.spec?.authorityRef === authorityRef && certnameOf(c)?.toLowerCase() === wanted)
    .map((c) => c.metadata?.name ?? '')
    .sort();
}

/**
 * What the cache keeps of a Certificate: enough to answer the certname rule and reference warnings,
 * so 10,000 Certificates cost a few MiB rather than their full objects with managedFields.
 */
export function trimCertificate(obj: CertificateView & Record<string, unknown>): void {
  const { name, namespace, resourceVersion } = obj.metadata ?? {};
  const { authorityRef, certname } = obj.spec ?? {};
  for (const key of Object.keys(obj)) if (key !== 'metadata' && key !== 'spec') delete obj[key];
  obj.metadata = { name, namespace, resourceVersion };
  obj.spec = { authorityRef, ...(certname !== undefined ? { certname } : {}) };
}
