// The operator's client certificate for a CA's admin API. The operator holds the CA key, so it signs
// itself a short-lived certificate with pp_cli_auth, the extension the CA's built-in auth.conf rules
// require on certificate_status(es) (as for `puppetserver ca` inside the CA pod). No auth.conf change,
// so no CA pod restart, and a user's authorizationRules keep working; nothing is stored: a new process
// signs a new one. It is never in the CA Server's inventory, so puppetserver ca cannot revoke it by name.
import { generateKeyPair, privateKeyToPem, signLeaf, type Authority, type KeyAlgorithm } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';

export const CLIENT_COMMON_NAME = 'openvox-operator';
const LIFETIME_MS = 24 * 3600_000;
/** Signed anew when less than this is left, well before a request could meet an expired one. */
const RENEW_WITHIN_MS = 6 * 3600_000;

export interface ClientIdentity {
  certPem: string;
  keyPem: string;
  notAfter: number;
}

export class ClientIdentities {
  private readonly byCa = new Map<string, { caCertPem: string; identity: ClientIdentity }>();

  constructor(
    private readonly clock: Clock,
    /** RSA 2048: every TLS stack accepts it as a client key; made once a day per CA. */
    private readonly algorithm: KeyAlgorithm = 'rsa-2048',
  ) {}

  /** The identity for the CA `key` (namespace/name); a new one when the CA certificate changed or it nears expiry. */
  async for(key: string, authority: Authority): Promise<ClientIdentity> {
    const now = this.clock.now();
    const held = this.byCa.get(key);
    if (held && held.caCertPem === authority.certPem && held.identity.notAfter - now > RENEW_WITHIN_MS)
      return held.identity;
    const keys = await generateKeyPair(this.algorithm);
    const certPem = await signLeaf(authority, {
      commonName: CLIENT_COMMON_NAME,
      publicKey: keys.publicKey,
      usages: ['clientAuth'],
      puppetCliAuth: true,
      now: new Date(now),
      notAfter: new Date(now + LIFETIME_MS),
    });
    const identity = { certPem, keyPem: await privateKeyToPem(keys.privateKey), notAfter: now + LIFETIME_MS };
    this.byCa.set(key, { caCertPem: authority.certPem, identity });
    return identity;
  }

  forget(key: string): void {
    this.byCa.delete(key);
  }
}
