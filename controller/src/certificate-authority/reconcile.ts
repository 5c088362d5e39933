// One CertificateAuthority reconcile: make sure the CA key and certificate exist (generated once,
// never overwritten), publish the certificate in `{ca}-ca` and a CRL signed by it in `{ca}-ca-crl`,
// create the `{ca}-data` claim once, and report Ready with notAfter. Key material never reaches a
// log line, an Event or the status.
import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import {
  crlSignedBy,
  loadAuthority,
  parseDurationSeconds,
  readCrl,
  type Authority,
  type Certificate,
  type Pool,
  type Server,
  type CertificateAuthority,
  type KeyAlgorithm,
  LABEL_MANAGED_BY,
  MANAGER,
} from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import { isConflict, type KubeClient, type KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { CERTIFICATE_AUTHORITY, SECRET, splitKey, type ResourceType } from '../kube/resources.js';
import type { HandlerResult } from '../kube/queue.js';
import { writePhase, type PhaseOutcome } from '../kube/phase.js';
import { generateAuthority } from './authority.js';
import { buildCrl } from './crl.js';
import {
  caServerService,
  crlEndpoint,
  describeEndpoint,
  fetchCrl,
  type CrlEndpoint,
  type CrlFetcher,
} from './crl-fetch.js';
import { CRL_SYNCED, RefreshBackoff, crlSyncedCondition, type CrlRefresh } from './crl-synced.js';
import type { CaMetrics } from './metrics.js';
import {
  CA_CERT_KEY,
  CA_CRL_KEY,
  CA_KEY_KEY,
  caDataClaimName,
  caKeySecretName,
  caPublicSecretName,
  crlSecretName,
} from './names.js';
import { caCertSecret, caCrlSecret, caDataClaim, caKeySecret } from './render.js';
import { PVC } from './resources.js';

type SecretObject = KubeObject & { data?: Record<string, string> };

/** How often an external CA's Secret (the user's, not watched) is read again. */
const EXTERNAL_SECRET_RECHECK_MS = 5 * 60_000;

export interface CaReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  keyAlgorithm: KeyAlgorithm;
  /** Asks the CA Server for its CRL (revocations made there); defaults to HTTPS. */
  fetchCrl?: CrlFetcher;
  /** CRL number, age and sync state per CA (Prometheus); none in tests that do not ask. */
  metrics?: CaMetrics;
  /** Retry schedule while the CA Server cannot be reached. */
  backoff?: RefreshBackoff;
  caches: {
    authorities: Cache<CertificateAuthority & KubeObject>;
    secrets: Cache<SecretObject>;
    claims: Cache<KubeObject>;
    servers?: Cache<Server & KubeObject>;
    certificates?: Cache<Certificate & KubeObject>;
    pools?: Cache<Pool & KubeObject>;
    /** The Pool Services: the CA Server is dialed at its Service's ClusterIP. */
    services?: Cache<KubeObject & { spec?: { clusterIP?: string } }>;
  };
}

export const CA_READY = 'CAReady';
/** Re-sign the CRL when it has less than this left (it is issued until the CA expires). */
const CRL_MIN_REMAINING_MS = 30 * 86_400_000;

const decode = (s: SecretObject | undefined, key: string): string | undefined => {
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

class Blocked extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export class CertificateAuthorityReconciler {
  private readonly backoff: RefreshBackoff;

  constructor(private readonly d: CaReconcilerDeps) {
    this.backoff = d.backoff ?? new RefreshBackoff();
  }

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const ca = this.d.caches.authorities.get(namespace, name);
    if (!ca || ca.metadata.deletionTimestamp) {
      this.d.metrics?.forget(namespace, name);
      this.backoff.succeeded(key);
      return;
    }
    let outcome: PhaseOutcome;
    let result: HandlerResult | void = undefined;
    try {
      const r = ca.spec.external ? await this.external(ca) : await this.internal(ca);
      outcome = r.outcome;
      result = r.result;
    } catch (err) {
      if (!(err instanceof Blocked)) throw err;
      outcome = { phase: 'Error', conditionType: CA_READY, status: 'False', reason: err.reason, message: err.message };
    }
    await writePhase(this.d, CERTIFICATE_AUTHORITY, ca, outcome);
    return result;
  }

  /**
   * An external CA: only its public certificate is needed (CRL refresh from it is not implemented). The
   * user's Secret is not one of ours, so not in the (label-selected) cache: read by name, and again each
   * resync interval to see it change.
   */
  private async external(ca: CertificateAuthority): Promise<{ outcome: PhaseOutcome; result?: HandlerResult }> {
    const ns = ca.metadata.namespace!;
    const secretName = ca.spec.external!.caSecretRef || caPublicSecretName(ca.metadata.name!);
    const certPem = decode(await this.d.client.get(SECRET, ns, secretName), CA_CERT_KEY);
    if (!certPem)
      throw new Blocked('CASecretNotFound', `Secret ${secretName} with ${CA_CERT_KEY} of the external CA not found`);
    return {
      result: { requeueAfterMs: EXTERNAL_SECRET_RECHECK_MS },
      outcome: {
        phase: 'External',
        conditionType: CA_READY,
        status: 'True',
        reason: 'ExternalCA',
        message: `Using the external CA at ${ca.spec.external!.url}`,
        fields: { caSecretName: secretName, notAfter: notAfterOf(certPem) },
      },
    };
  }

  /**
   * The caches hold only objects with our managed-by label. An object of the same name without it was made
   * by someone else: say so instead of failing to create it on every reconcile.
   */
  private async refuseUnmanaged(resource: ResourceType, ns: string, name: string): Promise<void> {
    const existing = await this.d.client.get(resource, ns, name);
    if (existing && existing.metadata?.labels?.[LABEL_MANAGED_BY] !== MANAGER)
      throw new Blocked(
        'NotManaged',
        `${resource.kind} ${name} exists but was not made by the operator (no label ${LABEL_MANAGED_BY}=${MANAGER}); delete it, or label it to hand it over`,
      );
  }

  private async internal(ca: CertificateAuthority): Promise<{ outcome: PhaseOutcome; result?: HandlerResult }> {
    const ns = ca.metadata.namespace!;
    const name = ca.metadata.name!;
    const uid = ca.metadata.uid!;
    const secrets = this.d.caches.secrets;
    const now = new Date(this.d.clock.now());

    // 1. The key pair: created once; a later reconcile (or a re-created CA object) reuses it.
    const keySecretName = caKeySecretName(name);
    const keySecret = secrets.get(ns, keySecretName);
    let authority: Authority;
    if (!keySecret) {
      await this.refuseUnmanaged(SECRET, ns, keySecretName);
      const pem = await generateAuthority(ca, now, this.d.keyAlgorithm);
      try {
        await this.d.client.create(SECRET, caKeySecret(ca, pem) as KubeObject);
      } catch (err) {
        // Another writer was first, or our cache has not seen our own create yet: look again.
        if (isConflict(err)) return { outcome: initializing(), result: { requeueAfterMs: 1000 } };
        throw err;
      }
      this.d.logger.info(
        { key: `${ns}/${name}`, secret: keySecretName, algorithm: this.d.keyAlgorithm },
        'CA generated',
      );
      authority = await loadAuthority(pem.certPem, pem.keyPem);
    } else {
      const certPem = decode(keySecret, CA_CERT_KEY);
      const keyPem = decode(keySecret, CA_KEY_KEY);
      if (!certPem || !keyPem) {
        throw new Blocked('CAKeySecretInvalid', `Secret ${keySecretName} lacks ${CA_CERT_KEY} or ${CA_KEY_KEY}`);
      }
      try {
        authority = await loadAuthority(certPem, keyPem);
      } catch (err) {
        // The message says what is wrong (mismatch, unsupported type) and holds no key material.
        throw new Blocked('CAKeySecretInvalid', `Secret ${keySecretName}: ${(err as Error).message}`);
      }
    }

    // 2. The public certificate for pods and clients.
    await this.applyOrBlock(
      caCertSecret(ca, authority.certPem) as KubeObject,
      secrets.get(ns, caPublicSecretName(name)),
      uid,
    );

    // 3. The CRL: keep the published one while it is ours and far from nextUpdate; else re-sign it
    //    with the same entries and the next CRL number.
    const crlLive = secrets.get(ns, crlSecretName(name));
    const published = decode(crlLive, CA_CRL_KEY);
    let crlPem = published;
    const ours = published !== undefined && (await crlSignedBy(published, authority));
    const fresh = ours && (readCrl(published!).nextUpdate?.getTime() ?? 0) - now.getTime() > CRL_MIN_REMAINING_MS;
    if (!fresh) {
      const revoked = ours
        ? readCrl(published!).revokedSerials.map((serialNumber) => ({ serialNumber, revocationDate: now }))
        : [];
      crlPem = (await buildCrl({ authority, revoked, previousPem: ours ? published : undefined, now })).pem;
    }
    //    Revocations made on the CA Server come back through its CRL endpoint.
    const key = `${ns}/${name}`;
    const caService = this.caService(ca);
    let refresh: CrlRefresh = { kind: 'none' };
    if (caService) {
      const svc = this.d.caches.services?.get(ns, caService.service);
      const endpoint = crlEndpoint(caService, svc?.spec?.clusterIP);
      if (!endpoint) refresh = { kind: 'no-endpoint', service: caService.service };
      else {
        const fetched = await this.fromCaServer(key, endpoint, authority);
        refresh = fetched.refresh;
        if (fetched.pem && fetched.number! > readCrl(crlPem!).crlNumber) {
          this.d.logger.info(
            { key, url: describeEndpoint(endpoint), crlNumber: String(fetched.number) },
            'CRL refreshed from the CA Server',
          );
          crlPem = fetched.pem;
        }
      }
    }
    await this.applyOrBlock(caCrlSecret(ca, crlPem!) as KubeObject, crlLive, uid);
    const crl = readCrl(crlPem!);
    const synced = crlSyncedCondition(refresh, crl.crlNumber, crlSecretName(name));
    await this.crlEvents(ca, crl.crlNumber, synced, refresh);
    this.d.metrics?.set(ns, name, {
      crlNumber: Number(crl.crlNumber),
      thisUpdate: crl.thisUpdate,
      synced: synced.status === 'True',
    });
    const intervalMs = parseDurationSeconds(ca.spec.crlRefreshInterval ?? '5m') * 1000;
    let requeueAfterMs: number | undefined;
    if (refresh.kind === 'none') this.backoff.succeeded(key);
    else if (synced.status === 'True') {
      this.backoff.succeeded(key);
      requeueAfterMs = intervalMs;
    } else {
      this.d.metrics?.refreshFailed(ns, name);
      requeueAfterMs = this.backoff.failed(key, intervalMs);
    }

    // 4. The data claim for the CA pod: created once, never updated or deleted by the operator.
    // A claim someone else made under this name is used as it is (pods mount it by name).
    if (
      !this.d.caches.claims.get(ns, caDataClaimName(name)) &&
      !(await this.d.client.get(PVC, ns, caDataClaimName(name)))
    ) {
      try {
        await this.d.client.create(PVC, caDataClaim(ca) as KubeObject);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }

    return {
      ...(requeueAfterMs !== undefined ? { result: { requeueAfterMs } } : {}),
      outcome: {
        phase: 'Ready',
        conditionType: CA_READY,
        status: 'True',
        reason: 'CAInitialized',
        message: `CA certificate in Secret ${caPublicSecretName(name)}, CRL in ${crlSecretName(name)}`,
        fields: {
          caSecretName: caPublicSecretName(name),
          notAfter: authority.cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          crlNumber: Number(crl.crlNumber),
          crlThisUpdate: crl.thisUpdate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        extraConditions: [synced],
      },
    };
  }

  private caService(ca: CertificateAuthority) {
    const c = this.d.caches;
    if (!c.servers || !c.certificates || !c.pools) return undefined;
    const ns = ca.metadata.namespace!;
    return caServerService(ca.metadata.name!, ns, c.servers.list(ns), c.certificates.list(ns), c.pools.list(ns));
  }

  /** The CA Server's CRL and what the attempt tells; a failure is logged once per distinct error. */
  private async fromCaServer(
    key: string,
    endpoint: CrlEndpoint,
    authority: Authority,
  ): Promise<{ refresh: CrlRefresh; pem?: string; number?: bigint }> {
    const where = `https://${endpoint.serverName}:${endpoint.port}`;
    try {
      const pem = await (this.d.fetchCrl ?? fetchCrl)(endpoint, authority.certPem);
      this.lastFetchError.delete(key);
      if (!(await crlSignedBy(pem, authority))) return { refresh: { kind: 'foreign', where } };
      const number = readCrl(pem).crlNumber;
      return { refresh: { kind: 'ok', where, fetchedNumber: number }, pem, number };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.lastFetchError.get(key) !== message)
        this.d.logger.warn({ key, url: describeEndpoint(endpoint), err: message }, 'could not fetch the CA Server CRL');
      this.lastFetchError.set(key, message);
      return { refresh: { kind: 'failed', where, error: message } };
    }
  }

  private readonly lastFetchError = new Map<string, string>();

  /** Events on changes only: a new CRL number; the refresh starting to fail (or failing otherwise); recovering. */
  private async crlEvents(
    ca: CertificateAuthority,
    number: bigint,
    synced: ReturnType<typeof crlSyncedCondition>,
    refresh: CrlRefresh,
  ): Promise<void> {
    const obj = ca as CertificateAuthority & KubeObject;
    const before = ca.status?.crlNumber;
    if (before !== undefined && BigInt(before) !== number) {
      const from =
        refresh.kind === 'ok' && refresh.fetchedNumber === number ? ` from the CA Server at ${refresh.where}` : '';
      await this.d.recorder.record(
        obj,
        'Normal',
        'CRLUpdated',
        `CRL number ${number}${from} published in Secret ${crlSecretName(ca.metadata.name!)} (was ${before})`,
      );
    }
    const prev = ca.status?.conditions?.find((c) => c.type === CRL_SYNCED);
    if (synced.status === 'False' && (prev?.status !== 'False' || prev.reason !== synced.reason))
      await this.d.recorder.record(obj, 'Warning', 'CRLRefreshFailed', synced.message);
    else if (synced.status === 'True' && prev?.status === 'False')
      await this.d.recorder.record(obj, 'Normal', 'CRLRefreshRecovered', synced.message);
  }

  private async applyOrBlock(desired: KubeObject, live: KubeObject | undefined, uid: string): Promise<void> {
    const outcome = await applyOwned(this.d.client, SECRET, desired, live, uid);
    if (outcome === 'conflict') {
      throw new Blocked(
        'SecretConflict',
        `Secret ${desired.metadata!.name} exists and is not controlled by this CertificateAuthority`,
      );
    }
  }
}

function initializing(): PhaseOutcome {
  return {
    phase: 'Initializing',
    conditionType: CA_READY,
    status: 'False',
    reason: 'Initializing',
    message: 'Generating the CA',
  };
}

function notAfterOf(certPem: string): string | undefined {
  try {
    return new Date(new X509Certificate(certPem).validTo).toISOString().replace(/\.\d{3}Z$/, 'Z');
  } catch {
    return undefined;
  }
}
