// One Database reconcile: its Certificate (signed, its Secret in the cache) and the user's PostgreSQL
// credentials, then the rendered ConfigMap, Secret, Deployment, Service, PDB and NetworkPolicy, each applied
// only when it differs (never over an object someone else controls), and the status written only when it
// changed. A resync of an unchanged Database makes zero writes.
import type { Logger } from 'pino';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Certificate, Database } from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { DataObject } from '../kube/hash.js';
import type { Cache } from '../kube/informer.js';
import { writePhase, type PhaseOutcome } from '../kube/phase.js';
import { ApplyMemo, applyOwned, deleteIfOwned, isControlledBy } from '../kube/owned.js';
import type { HandlerResult } from '../kube/queue.js';
import {
  CONFIG_MAP,
  DATABASE,
  DEPLOYMENT,
  NETWORK_POLICY,
  PDB,
  SECRET,
  SERVICE,
  splitKey,
  type ResourceType,
} from '../kube/resources.js';
import { DATABASE_HTTPS_PORT, databaseHost, databaseUrl } from '../contracts/names.js';
import { readCredentials } from './credentials.js';
import { configMapName, databaseObjectName, databaseSecretName, networkPolicyName } from './names.js';
import { DatabaseRenderError, renderDatabase } from './render/index.js';
import { hostCondition, outcome, runningOutcome, type Counts } from './status.js';

export interface DatabaseCaches {
  databases: Cache<Database & KubeObject>;
  certificates: Cache<Certificate & KubeObject>;
  /** The operator's Secrets: the Certificate's `{cert}-tls` and our `{db}-openvoxdb-database`. */
  secrets: Cache<DataObject & KubeObject>;
  configMaps: Cache<KubeObject>;
  deployments: Cache<KubeObject>;
  services: Cache<KubeObject>;
  pdbs: Cache<KubeObject>;
  networkPolicies: Cache<KubeObject>;
}

export interface DatabaseReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  caches: DatabaseCaches;
}

/** The user's credentials Secret is not watched (it is not ours): look again this soon while it is missing… */
export const CREDENTIALS_RETRY_MS = 10_000;
/** …and this often once found, so a changed password reaches database.ini and rolls the pods. */
export const CREDENTIALS_RECHECK_MS = 60_000;

export class DatabaseReconciler {
  /** Our applies the caches may not show yet (see ApplyMemo). */
  readonly applied: ApplyMemo;

  constructor(private readonly d: DatabaseReconcilerDeps) {
    this.applied = new ApplyMemo(() => d.clock.now());
  }

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const db = this.d.caches.databases.get(namespace, name);
    if (!db || db.metadata.deletionTimestamp) return;
    const port = db.spec.service?.port ?? DATABASE_HTTPS_PORT;
    const fields = { url: databaseUrl(namespace, name, port), ...this.counts(db) };
    const { result, requeueAfterMs } = await this.converge(db, fields);
    await writePhase(this.d, DATABASE, db, result);
    return { requeueAfterMs };
  }

  private counts(db: Database): Counts {
    const live = this.d.caches.deployments.get(db.metadata.namespace!, databaseObjectName(db.metadata.name!));
    const ready = isControlledBy(live, db.metadata.uid!) ? ((live as V1Deployment).status?.readyReplicas ?? 0) : 0;
    return { ready, desired: db.spec.replicas ?? 1 };
  }

  private async converge(
    db: Database & KubeObject,
    fields: Record<string, unknown>,
  ): Promise<{ result: PhaseOutcome; requeueAfterMs: number }> {
    const c = this.d.caches;
    const ns = db.metadata.namespace!;
    const name = db.metadata.name!;
    const later = CREDENTIALS_RECHECK_MS;
    const error = (reason: string, message: string, requeueAfterMs = later) => ({
      result: outcome('Error', reason, message, fields),
      requeueAfterMs,
    });

    const certName = db.spec.certificateRef;
    const cert = c.certificates.get(ns, certName);
    if (!cert) return error('CertificateNotFound', `spec.certificateRef: Certificate ${certName} not found`);
    // A renewing Certificate's current Secret stays valid (as for Servers).
    const phase = cert.status?.phase;
    if (!((phase === 'Signed' || phase === 'Renewing') && cert.status?.secretName)) {
      const message = `Certificate ${certName} is ${phase ?? 'not yet processed'}; waiting for it to be Signed`;
      return { result: outcome('WaitingForCert', 'WaitingForCertificate', message, fields), requeueAfterMs: later };
    }
    const tlsSecret = c.secrets.get(ns, cert.status.secretName);
    if (!tlsSecret)
      return error('SecretNotFound', `Secret ${cert.status.secretName} of Certificate ${certName} not found`);

    const creds = await readCredentials(this.d.client, db);
    if (!creds.found) return error(creds.reason, creds.message, CREDENTIALS_RETRY_MS);

    let rendered;
    try {
      rendered = renderDatabase({
        db,
        credentials: creds.credentials,
        tlsSecret: { name: cert.status.secretName, ...(tlsSecret.data ? { data: tlsSecret.data } : {}) },
      });
    } catch (err) {
      if (err instanceof DatabaseRenderError) return error('InvalidSpec', err.message);
      throw err;
    }

    const uid = db.metadata.uid!;
    const conflicts: string[] = [];
    const apply = async (
      r: ResourceType,
      objName: string,
      desired: KubeObject | undefined,
      cache: Cache<KubeObject>,
    ) => {
      const live = cache.get(ns, objName);
      if (!desired) {
        if (await deleteIfOwned(this.d.client, r, live, uid))
          this.d.logger.info({ key: `${ns}/${name}`, kind: r.kind }, 'deleted disabled object');
        return;
      }
      const result = await applyOwned(this.d.client, r, desired, live, uid, this.applied);
      if (result === 'conflict') conflicts.push(`${r.kind} ${objName}`);
      else if (result === 'applied') this.d.logger.info({ key: `${ns}/${name}`, kind: r.kind }, 'applied');
    };
    const objName = databaseObjectName(name);
    // Files first, so new pods find them.
    await apply(CONFIG_MAP, configMapName(name), rendered.configMap as KubeObject, c.configMaps);
    await apply(SECRET, databaseSecretName(name), rendered.secret as KubeObject, c.secrets);
    await apply(DEPLOYMENT, objName, rendered.deployment as KubeObject, c.deployments);
    await apply(SERVICE, objName, rendered.service as KubeObject, c.services);
    await apply(PDB, objName, rendered.pdb as KubeObject | undefined, c.pdbs);
    await apply(
      NETWORK_POLICY,
      networkPolicyName(name),
      rendered.networkPolicy as KubeObject | undefined,
      c.networkPolicies,
    );
    if (conflicts.length) {
      return error(
        'ResourceConflict',
        `${conflicts.join(', ')} already exist(s) and is not controlled by this Database`,
      );
    }
    const host = hostCondition(cert, databaseHost(ns, name));
    return { result: runningOutcome(this.counts(db), fields, [host]), requeueAfterMs: later };
  }
}
