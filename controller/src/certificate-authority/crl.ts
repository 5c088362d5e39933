// The CRL the operator publishes in `{ca}-ca-crl`: signed by the CA, listing revoked serials, with
// a CRL number one higher than the previous CRL's. nextUpdate is the CA's expiry (as Puppet's CA
// does, so servers never see an "expired CRL" between operator refreshes).
import { createCrl, readCrl, type Authority, type RevokedEntry } from '@openvox/shared/runtime';

export interface CrlInput {
  authority: Authority;
  /** Serials to list; a serial already in `previousPem` keeps its original revocation date. */
  revoked: RevokedEntry[];
  /** The CRL currently published, if any. */
  previousPem?: string;
  now: Date;
}

export interface CrlResult {
  pem: string;
  crlNumber: bigint;
  revokedSerials: string[];
}

export async function buildCrl(input: CrlInput): Promise<CrlResult> {
  const previous = input.previousPem ? readCrl(input.previousPem) : undefined;
  const bySerial = new Map<string, RevokedEntry>();
  for (const entry of input.revoked) {
    const serialNumber = entry.serialNumber.toLowerCase();
    if (!bySerial.has(serialNumber)) bySerial.set(serialNumber, { ...entry, serialNumber });
  }
  const crlNumber = (previous?.crlNumber ?? 0n) + 1n;
  const pem = await createCrl(input.authority, {
    revoked: [...bySerial.values()],
    crlNumber,
    now: input.now,
    nextUpdate: input.authority.cert.notAfter,
  });
  return { pem, crlNumber, revokedSerials: [...bySerial.keys()].sort() };
}

/** Does the published CRL already list exactly these serials? (Then nothing is re-signed.) */
export function crlListsExactly(previousPem: string | undefined, serials: string[]): boolean {
  if (!previousPem) return false;
  const have = [...readCrl(previousPem).revokedSerials].sort();
  const want = [...new Set(serials.map((s) => s.toLowerCase()))].sort();
  return have.length === want.length && have.every((s, i) => s === want[i]);
}
