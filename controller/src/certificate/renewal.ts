// When must the server certificate be (re-)issued? Pure: the current PEMs, the wanted names and
// issuer, renewBefore and the clock in; a decision with a reason and the next check time out.
import { X509Certificate } from 'node:crypto';
import { hasPuppetCliAuth, keyMatchesCertificate, parseDurationSeconds } from '@openvox/shared/runtime';
import type { SubjectNames } from './subject-names.js';

export type RenewalReason =
  'Missing' | 'KeyMismatch' | 'IssuerChanged' | 'NamesChanged' | 'CliAuthChanged' | 'Expiring';

export type RenewalDecision = { renew: true; reason: RenewalReason } | { renew: false; notAfter: Date; renewAt: Date };

export interface RenewalInput {
  certPem?: string;
  keyPem?: string;
  caCertPem: string;
  certname: string;
  names: SubjectNames;
  renewBefore: string;
  now: Date;
}

function sanOf(cert: X509Certificate): SubjectNames {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(', ')) {
    if (part.startsWith('DNS:')) dnsNames.push(part.slice(4).toLowerCase());
    else if (part.startsWith('IP Address:')) ipAddresses.push(part.slice(11).toLowerCase());
  }
  return { dnsNames: dnsNames.sort(), ipAddresses: ipAddresses.sort() };
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function renewalDecision(input: RenewalInput): Promise<RenewalDecision> {
  if (!input.certPem || !input.keyPem) return { renew: true, reason: 'Missing' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(input.certPem);
  } catch {
    return { renew: true, reason: 'Missing' };
  }
  if (!(await keyMatchesCertificate(input.certPem, input.keyPem))) return { renew: true, reason: 'KeyMismatch' };
  const ca = new X509Certificate(input.caCertPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { renew: true, reason: 'IssuerChanged' };
  const san = sanOf(cert);
  if (
    cert.subject !== `CN=${input.certname}` ||
    !same(san.dnsNames, input.names.dnsNames) ||
    !same(san.ipAddresses, input.names.ipAddresses)
  ) {
    return { renew: true, reason: 'NamesChanged' };
  }
  if (hasPuppetCliAuth(input.certPem) !== (input.names.cliAuth === true))
    return { renew: true, reason: 'CliAuthChanged' };
  const notAfter = new Date(cert.validTo);
  const renewAt = new Date(notAfter.getTime() - parseDurationSeconds(input.renewBefore) * 1000);
  if (input.now.getTime() >= renewAt.getTime()) return { renew: true, reason: 'Expiring' };
  return { renew: false, notAfter, renewAt };
}
