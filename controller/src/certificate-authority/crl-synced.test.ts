import { RefreshBackoff, crlSyncedCondition } from './crl-synced.js';

describe('crlSyncedCondition', () => {
  const where = 'https://production-ca.prod.svc:8140';
  it('is True while the published CRL is not behind the CA Server; False, with the reason, otherwise', () => {
    const at = (r: Parameters<typeof crlSyncedCondition>[0], published = 3n) =>
      crlSyncedCondition(r, published, 'production-ca-ca-crl');
    expect(at({ kind: 'ok', where, fetchedNumber: 3n })).toMatchObject({ status: 'True', reason: 'CRLCurrent' });
    // The operator re-signed its CRL (a higher number than the CA Server's, the same entries): still current.
    expect(at({ kind: 'ok', where, fetchedNumber: 2n })).toMatchObject({ status: 'True', reason: 'CRLCurrent' });
    expect(at({ kind: 'ok', where, fetchedNumber: 4n })).toEqual({
      type: 'CRLSynced',
      status: 'False',
      reason: 'CRLBehind',
      message: `Secret production-ca-ca-crl holds CRL number 3, the CA Server at ${where} has 4`,
    });
    expect(at({ kind: 'failed', where, error: 'timed out after 10 s' })).toMatchObject({
      status: 'False',
      reason: 'CAServerUnreachable',
    });
    expect(at({ kind: 'foreign', where })).toMatchObject({ status: 'False', reason: 'CRLNotSignedByCA' });
    expect(at({ kind: 'no-endpoint', service: 'production-ca' })).toMatchObject({
      status: 'False',
      reason: 'CAServerServiceNotFound',
    });
    expect(at({ kind: 'none' })).toMatchObject({ status: 'True', reason: 'OperatorCRL' });
  });
});

describe('RefreshBackoff', () => {
  it('doubles from 5 s up to the refresh interval, per CA, and starts over after a success', () => {
    const b = new RefreshBackoff();
    const fiveMinutes = 300_000;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => b.failed('prod/a', fiveMinutes))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    expect(b.failed('prod/b', fiveMinutes)).toBe(5000);
    b.succeeded('prod/a');
    expect(b.failed('prod/a', fiveMinutes)).toBe(5000);
    // An interval shorter than the first step: retried at the interval, never faster than 5 s.
    expect(b.failed('prod/c', 1000)).toBe(5000);
  });
});
