// What the CA Server says about one certname, in the AgentCertificate's terms. Pure. Only these fields are
// kept between polls (not the whole answer), so a 10,000-agent CA costs a few MiB.
import type { CaStatusEntry } from './ca-api.js';

export type CaState = 'requested' | 'signed' | 'revoked';
const STATES: readonly string[] = ['requested', 'signed', 'revoked'];

export interface Observed {
  certname: string;
  state: CaState;
  fingerprint?: string;
  serial?: string;
  notBefore?: string;
  notAfter?: string;
  dnsAltNames?: string[];
  authorizationExtensions?: Record<string, string>;
}

/** puppetserver writes "2026-11-25T12:00:00UTC"; the API wants RFC 3339. Unreadable: left out. */
export function caTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.replace(/ ?UTC$/, 'Z'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Decimal (as puppetserver sends it) to lower-case hex, as CRLs and X509Certificate.serialNumber show it. */
export function serialHex(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return BigInt(value).toString(16);
}

/** Undefined for an entry in a state this version does not know (it is left alone, not mirrored). */
export function observe(entry: CaStatusEntry): Observed | undefined {
  if (!STATES.includes(entry.state)) return undefined;
  const fingerprint = entry.fingerprints?.SHA256 ?? entry.fingerprints?.default ?? entry.fingerprint;
  const altNames = entry.subject_alt_names ?? entry.dns_alt_names;
  const serial = serialHex(entry.serial_number);
  const notBefore = caTime(entry.not_before);
  const notAfter = caTime(entry.not_after);
  const extensions = entry.authorization_extensions;
  return {
    certname: entry.name,
    state: entry.state as CaState,
    ...(fingerprint ? { fingerprint } : {}),
    ...(serial ? { serial } : {}),
    ...(notBefore ? { notBefore } : {}),
    ...(notAfter ? { notAfter } : {}),
    ...(altNames?.length ? { dnsAltNames: [...altNames].sort() } : {}),
    ...(extensions && Object.keys(extensions).length ? { authorizationExtensions: { ...extensions } } : {}),
  };
}

/** The listing by certname; a certname listed twice (never seen) keeps the first. */
export function observeAll(entries: readonly CaStatusEntry[]): Map<string, Observed> {
  const out = new Map<string, Observed>();
  for (const e of entries) {
    const o = observe(e);
    if (o && !out.has(o.certname)) out.set(o.certname, o);
  }
  return out;
}
