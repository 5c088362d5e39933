// Which SigningPolicy signed a certificate. The autosign script decides inside the CA pod and records
// nothing the API can read, so the operator asks the same question of the signed certificate: the first
// policy of the CA's policy file (sorted by name, as the script tries them) that the certificate
// satisfies. A certificate carries what its request asked for (certname, alt names, pp_* extensions) but
// not a challengePassword, so a policy that needs one cannot be named. Pure.
import { certificateContents } from '@openvox/shared/runtime';
import type { PolicyFile, PolicyFileEntry } from '../contracts/autosign-policy.js';

/** The extension arcs a policy need not name (Puppet's data arcs); everything else in Puppet's arc must be named. */
const DATA_ARCS = ['1.3.6.1.4.1.34380.1.1.', '1.3.6.1.4.1.34380.1.2.'];

export interface SignedCertificate {
  certname: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** Text of each extension in Puppet's arc, by OID. */
  puppetExtensions: Record<string, string>;
}

export function readSignedCertificate(certname: string, pem: string): SignedCertificate {
  return { certname, ...certificateContents(pem) };
}

/** Ruby's File.fnmatch with FNM_PATHNAME, as the autosign script matches: `*`, `?`, `[...]`, `\` escapes. */
export function globMatches(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`.replace(/^\\([a-zA-Z0-9])$/, '$1');
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}

const any = (patterns: readonly string[], name: string) => patterns.some((p) => globMatches(p, name));

/** Whether the autosign script, given a request like this certificate, would have signed it under `p`. */
export function policyMatches(p: PolicyFileEntry, c: SignedCertificate): boolean {
  if (!p.any) {
    if (!p.pattern && p.csrAttributes.length === 0) return false;
    if (p.pattern && !any(p.pattern, c.certname)) return false;
    if (!p.csrAttributes.every((a) => c.puppetExtensions[a.oid] === a.value)) return false;
  }
  const dns = (p.dnsAltNames ?? []).filter((g) => !g.startsWith('IP:'));
  const ip = (p.dnsAltNames ?? []).filter((g) => g.startsWith('IP:'));
  if (!c.dnsNames.every((n) => n === c.certname || p.any || any(dns, n))) return false;
  if (!c.ipAddresses.every((n) => !p.any && any(ip, `IP:${n}`))) return false;
  const named = p.any ? [] : p.csrAttributes.map((a) => a.oid);
  return Object.keys(c.puppetExtensions).every(
    (oid) => DATA_ARCS.some((arc) => oid.startsWith(arc)) || named.includes(oid),
  );
}

/** The name of the policy that signed it, or undefined. */
export function signingPolicyOf(file: PolicyFile | undefined, c: SignedCertificate): string | undefined {
  const policies = [...(file?.policies ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return policies.find((p) => policyMatches(p, c))?.name;
}

/** The policy file's text, or undefined when it cannot be read (then no policy is named). */
export function parsePolicyFile(text: string | undefined): PolicyFile | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as PolicyFile;
    return Array.isArray(parsed.policies) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
