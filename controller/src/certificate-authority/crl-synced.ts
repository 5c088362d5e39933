// The CRLSynced condition of a CertificateAuthority, from the outcome of one CRL refresh from its CA
// Server, and the retry schedule while refreshes fail. Pure: the reconciler does the I/O.
import type { ConditionStatus } from '../kube/condition.js';

export const CRL_SYNCED = 'CRLSynced';

export type CrlRefresh =
  /** No `ca: true` Server uses a certificate of this CA: the operator's own CRL is the CA's. */
  | { kind: 'none' }
  /** The CA Server's Service does not exist or has no ClusterIP yet. */
  | { kind: 'no-endpoint'; service: string }
  | { kind: 'failed'; where: string; error: string }
  /** The CA Server answered with a CRL this CA did not sign (its cadir holds another CA). */
  | { kind: 'foreign'; where: string }
  | { kind: 'ok'; where: string; fetchedNumber: bigint };

export interface SyncedCondition {
  type: typeof CRL_SYNCED;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/**
 * Messages stay the same from one refresh to the next while nothing changes (no status write per
 * refresh); a failure says what failed and that it is retried, and that nothing published is lost.
 */
export function crlSyncedCondition(r: CrlRefresh, published: bigint, secretName: string): SyncedCondition {
  const kept = `the published CRL (number ${published}) stays in Secret ${secretName}; retrying with backoff`;
  const c = (status: ConditionStatus, reason: string, message: string): SyncedCondition => ({
    type: CRL_SYNCED,
    status,
    reason,
    message,
  });
  switch (r.kind) {
    case 'none':
      return c(
        'True',
        'OperatorCRL',
        `No CA Server runs this CA: the operator's CRL number ${published} is published in Secret ${secretName}`,
      );
    case 'no-endpoint':
      return c('False', 'CAServerServiceNotFound', `Service ${r.service} of the CA Server has no ClusterIP; ${kept}`);
    case 'failed':
      return c(
        'False',
        'CAServerUnreachable',
        `Cannot fetch the CRL from the CA Server at ${r.where}: ${r.error}; ${kept}`,
      );
    case 'foreign':
      return c(
        'False',
        'CRLNotSignedByCA',
        `The CA Server at ${r.where} serves a CRL this CA did not sign (does its CA volume hold another CA?); ${kept}`,
      );
    case 'ok':
      return r.fetchedNumber > published
        ? // Only when publishing failed silently; the reconciler publishes a newer CRL before it asks.
          c(
            'False',
            'CRLBehind',
            `Secret ${secretName} holds CRL number ${published}, the CA Server at ${r.where} has ${r.fetchedNumber}`,
          )
        : c(
            'True',
            'CRLCurrent',
            `CRL number ${published} is published in Secret ${secretName}; the CA Server at ${r.where} has ${r.fetchedNumber}`,
          );
  }
}

/** Capped exponential backoff per CA while refreshes fail; a success resets it. */
export class RefreshBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly initialMs = 5_000,
    private readonly maxMs = 5 * 60_000,
  ) {}

  /** The delay before the next try after one more failure (never above `capMs`, the refresh interval). */
  failed(key: string, capMs: number): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.initialMs * 2 ** n, this.maxMs, Math.max(capMs, this.initialMs));
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
