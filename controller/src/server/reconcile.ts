// One Server reconcile: read everything from the informer caches, render, apply what differs, delete
// disabled HPA/PDB we own, and write status only when it changed. Idempotent: an unchanged Server makes
// zero API writes.
import type { Logger } from 'pino';
import type { V1Deployment, V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import {
  readCrl,
  type Certificate,
  type CertificateAuthority,
  type Config,
  type Server,
  type ServerStatus,
} from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache, LabelIndexedCache } from '../kube/informer.js';
import type { ProbeEventView } from '../kube/probe-event-view.js';
import { ApplyMemo, HANDOVER_MANAGER, applyOwned, deleteIfOwned, isControlledBy, ownsField } from '../kube/owned.js';
import { DEPLOYMENT, HPA, NETWORK_POLICY, PDB, SERVER, splitKey, type ResourceType } from '../kube/resources.js';
import { StatusMemo, writeStatusIfChanged } from '../kube/status.js';
import type { HandlerResult } from '../kube/queue.js';
import { contentHash, type DataObject } from '../kube/hash.js';
import { depKey, type ReferenceIndex } from './index-refs.js';
import {
  ENC_CACHE_DIR_ANNOTATION,
  autosignSecretName,
  caSecretName,
  certSecretName,
  configMapName,
  crlSecretName,
  encSecretName,
  reportProcessorsSecretName,
} from './names.js';
import { CA_CRL_KEY } from '../contracts/names.js';
import { networkPolicyName, render, RenderError, type ContentHashes, type Integrations } from './render/index.js';
import { computeStatus, transition, type Observation } from './status.js';
import { podProblems } from './pod-problems.js';

export interface ServerCaches {
  servers: Cache<Server & KubeObject>;
  configs: Cache<Config & KubeObject>;
  certificates: Cache<Certificate & KubeObject>;
  authorities: Cache<CertificateAuthority & KubeObject>;
  configMaps: Cache<DataObject & KubeObject>;
  secrets: Cache<DataObject & KubeObject>;
  deployments: Cache<KubeObject>;
  hpas: Cache<KubeObject>;
  pdbs: Cache<KubeObject>;
  networkPolicies: Cache<KubeObject>;
  /** Optional so a test without pods need not fake them. */
  pods?: LabelIndexedCache<KubeObject>;
  /** The kubelet's probe failures (Unhealthy Events) of one pod, by the pod's name. */
  probeEventsOf?: (namespace: string, pod: string) => ProbeEventView[];
}

export interface ServerReconcilerDeps {
  client: KubeClient;
  caches: ServerCaches;
  index: ReferenceIndex;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

/** Reconcile cannot proceed for a reason the user can fix; becomes phase Error. */
class Blocked extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly ssl: Observation['ssl'] = { status: 'Unknown', reason, message },
  ) {
    super(message);
  }
}

/** Dependencies visible from the spec alone: recorded before the first reconcile so fan-out works at once. */
export function specDeps(server: Server): string[] {
  const ns = server.metadata.namespace!;
  return [
    depKey('Config', ns, server.spec.configRef),
    depKey('Certificate', ns, server.spec.certificateRef),
    depKey('ConfigMap', ns, configMapName(server.spec.configRef)),
  ];
}

export class ServerReconciler {
  /** Our writes the informer caches may not show yet (see ApplyMemo, StatusMemo). */
  readonly applied: ApplyMemo;
  readonly statuses: StatusMemo;

  constructor(private readonly d: ServerReconcilerDeps) {
    const now = () => d.clock.now();
    this.applied = new ApplyMemo(now);
    this.statuses = new StatusMemo(now);
  }

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace, name } = splitKey(key);
    const server = this.d.caches.servers.get(namespace, name);
    if (!server) {
      // Deleted: owned objects go through garbage collection; nothing to release but the index.
      this.d.index.remove(key);
      this.statuses.forget(key);
      return;
    }
    if (server.metadata.deletionTimestamp) return;
    const deps = new Set(specDeps(server));
    let obs: Observation;
    let failure: unknown;
    try {
      obs = await this.converge(server, deps);
    } catch (err) {
      if (err instanceof Blocked) {
        obs = this.errorObservation(server, err.reason, err.message, err.ssl);
      } else {
        failure = err;
        obs = this.errorObservation(server, 'ApplyFailed', err instanceof Error ? err.message : String(err), {
          status: 'Unknown',
          reason: 'ApplyFailed',
          message: 'unknown: the reconcile did not complete',
        });
      }
    } finally {
      this.d.index.set(key, deps);
    }
    await this.writeStatus(server, obs);
    if (failure) throw failure;
  }

  private errorObservation(server: Server, reason: string, message: string, ssl: Observation['ssl']): Observation {
    return { phase: 'Error', reason, message, ssl, ...this.counts(server) };
  }

  /** Ready and desired pods from the live Deployment and HPA (0/spec when they do not exist yet). */
  private counts(server: Server): { ready: number; desired: number } {
    const ns = server.metadata.namespace!;
    const name = server.metadata.name!;
    const depObj = this.d.caches.deployments.get(ns, name);
    const hpaObj = this.d.caches.hpas.get(ns, name);
    const dep = depObj as unknown as V1Deployment | undefined;
    const hpa = hpaObj as unknown as V2HorizontalPodAutoscaler | undefined;
    const owned = (o: KubeObject | undefined) =>
      o?.metadata?.ownerReferences?.some((r) => r.controller && r.uid === server.metadata.uid);
    const ready = owned(depObj) ? (dep!.status?.readyReplicas ?? 0) : 0;
    const autoscaling = server.spec.autoscaling?.enabled === true;
    const desired = autoscaling
      ? owned(hpaObj) && hpa!.status?.desiredReplicas !== undefined
        ? hpa!.status.desiredReplicas
        : (server.spec.autoscaling?.minReplicas ?? 1)
      : (server.spec.replicas ?? 1);
    return { ready, desired };
  }

  private podProblems(server: Server) {
    const name = server.metadata.name!;
    const ns = server.metadata.namespace!;
    const pods = this.d.caches.pods?.withLabel(ns, name) ?? [];
    const eventsOf = this.d.caches.probeEventsOf;
    return podProblems(pods as unknown as V1Pod[], (pod) => eventsOf?.(ns, pod.metadata?.name ?? '') ?? []);
  }

  /**
   * The CRL number of the `{ca}-ca-crl` Secret a non-CA Server's pods mount: what the kubelet delivers to
   * every pod and crl-sync copies to puppetserver's CRL path (README "Choices worth knowing"). Parsed
   * once per Secret version; one entry per CRL Secret.
   */
  private readonly crlNumbers = new Map<string, { resourceVersion?: string; crlNumber: number }>();
  private servedCrl(secret: (DataObject & KubeObject) | undefined): { crlNumber?: number } {
    const pem = secret?.data?.[CA_CRL_KEY];
    if (!pem) return {};
    const key = `${secret.metadata?.namespace}/${secret.metadata?.name}`;
    const resourceVersion = secret.metadata?.resourceVersion;
    const known = this.crlNumbers.get(key);
    if (known && known.resourceVersion === resourceVersion) return { crlNumber: known.crlNumber };
    try {
      const crlNumber = Number(readCrl(Buffer.from(pem, 'base64').toString('utf8')).crlNumber);
      this.crlNumbers.set(key, { resourceVersion, crlNumber });
      return { crlNumber };
    } catch {
      return {};
    }
  }

  private secret(
    ns: string,
    name: string,
    deps: Set<string>,
    missing: string[],
  ): (DataObject & KubeObject) | undefined {
    deps.add(depKey('Secret', ns, name));
    const s = this.d.caches.secrets.get(ns, name);
    if (!s) missing.push(name);
    return s;
  }

  /**
   * The Config's ENC and report processor Secrets, as the Config controller rendered them: the ENC one
   * must exist when the Config names a classifier (puppet.conf runs its script); the report one is
   * mounted while it exists (ReportProcessors name the Config). Both are dependencies either way.
   */
  private integrations(server: Server, config: Config, deps: Set<string>, missing: string[]): Integrations {
    if (server.spec.server === false) return {};
    const ns = server.metadata.namespace!;
    const name = config.metadata.name!;
    const out: Integrations = {};
    if (config.spec.nodeClassifierRef) {
      const enc = this.secret(ns, encSecretName(name), deps, missing);
      const cacheDirectory = (enc as KubeObject | undefined)?.metadata?.annotations?.[ENC_CACHE_DIR_ANNOTATION];
      out.enc = cacheDirectory ? { cacheDirectory } : {};
    }
    const reports = reportProcessorsSecretName(name);
    deps.add(depKey('Secret', ns, reports));
    if (this.d.caches.secrets.get(ns, reports)) out.reportProcessors = true;
    return out;
  }

  private async converge(server: Server, deps: Set<string>): Promise<Observation> {
    const c = this.d.caches;
    const ns = server.metadata.namespace!;
    const { configRef, certificateRef } = server.spec;

    const config = c.configs.get(ns, configRef);
    if (!config) throw new Blocked('ConfigNotFound', `Config ${configRef} not found`);
    const cert = c.certificates.get(ns, certificateRef);
    if (!cert) throw new Blocked('CertificateNotFound', `Certificate ${certificateRef} not found`);

    const caName = cert.spec.authorityRef;
    deps.add(depKey('CertificateAuthority', ns, caName));
    // While a Certificate renews, its current Secret stays valid: keep running instead of flapping to
    // WaitingForCert (the Go operator's renewal race).
    const usable = (cert.status?.phase === 'Signed' || cert.status?.phase === 'Renewing') && !!cert.status.secretName;
    if (!usable) {
      const message = `Certificate ${certificateRef} is ${cert.status?.phase ?? 'not yet processed'}; waiting for it to be Signed`;
      const ssl = { status: 'False' as const, reason: 'CertificateNotSigned', message };
      return { phase: 'WaitingForCert', reason: 'WaitingForCertificate', message, ssl, ...this.counts(server) };
    }
    const ca = c.authorities.get(ns, caName);
    if (!ca)
      throw new Blocked(
        'CertificateAuthorityNotFound',
        `CertificateAuthority ${caName} (authorityRef of Certificate ${certificateRef}) not found`,
      );

    const cmName = configMapName(configRef);
    const cm = c.configMaps.get(ns, cmName);
    const missing: string[] = [];
    const certSecret = this.secret(ns, certSecretName(cert), deps, missing);
    const caSecret = this.secret(ns, caSecretName(ca), deps, missing);
    if (server.spec.ca) this.secret(ns, autosignSecretName(caName), deps, missing);
    const crlSecret = server.spec.ca ? undefined : this.secret(ns, crlSecretName(caName), deps, missing);
    const integrations = this.integrations(server, config, deps, missing);
    const sslMissing = missing.includes(certSecretName(cert)) || missing.includes(caSecretName(ca));
    const ssl: Observation['ssl'] = sslMissing
      ? { status: 'False', reason: 'SecretNotFound', message: `TLS Secret(s) not found: ${missing.join(', ')}` }
      : {
          status: 'True',
          reason: 'CertificateSigned',
          message: `Certificate ${certificateRef} is signed; pods mount Secret ${certSecretName(cert)}`,
        };
    if (!cm)
      throw new Blocked('ConfigMapNotFound', `ConfigMap ${cmName} (rendered from Config ${configRef}) not found`, ssl);
    if (missing.length) throw new Blocked('SecretNotFound', `Secret(s) not found: ${missing.join(', ')}`, ssl);

    const hashes: ContentHashes = {
      config: contentHash(cm),
      sslCert: contentHash(certSecret!),
      ca: contentHash(caSecret!),
    };
    let rendered;
    try {
      rendered = render({ server, config, certificate: cert, ca, hashes, integrations });
    } catch (err) {
      if (err instanceof RenderError) throw new Blocked(err.reason, err.message, ssl);
      throw err;
    }

    const uid = server.metadata.uid!;
    const name = server.metadata.name!;
    const conflicts: string[] = [];
    const apply = async (r: ResourceType, desired: KubeObject | undefined, live: KubeObject | undefined) => {
      if (desired) {
        if ((await applyOwned(this.d.client, r, desired, live, uid, this.applied)) === 'conflict')
          conflicts.push(`${r.kind} ${name}`);
      } else if (await deleteIfOwned(this.d.client, r, live, uid)) {
        this.d.logger.info({ key: `${ns}/${name}`, kind: r.kind }, 'deleted disabled object');
      }
    };
    const liveDeployment = c.deployments.get(ns, name);
    await this.handOverReplicas(rendered.deployment as KubeObject, liveDeployment, uid);
    await apply(DEPLOYMENT, rendered.deployment as KubeObject, liveDeployment);
    await apply(HPA, rendered.hpa as KubeObject | undefined, c.hpas.get(ns, name));
    await apply(PDB, rendered.pdb as KubeObject | undefined, c.pdbs.get(ns, name));
    await apply(
      NETWORK_POLICY,
      rendered.networkPolicy as KubeObject | undefined,
      c.networkPolicies.get(ns, networkPolicyName(name)),
    );
    if (conflicts.length) {
      throw new Blocked(
        'ResourceConflict',
        `${conflicts.join(', ')} already exist(s) and is not controlled by this Server`,
        ssl,
      );
    }

    const counts = { ...this.counts(server), ...this.servedCrl(crlSecret) };
    const phase = counts.ready > 0 ? 'Running' : 'Pending';
    const summary = `${counts.ready} of ${counts.desired} pods ready`;
    // Fewer pods ready than wanted and the kubelet says why: that is the condition's reason, and a Warning.
    const [problem, ...more] = counts.ready < counts.desired ? this.podProblems(server) : [];
    if (problem) {
      const others = more.length ? ` (and ${more.length} more pod${more.length > 1 ? 's' : ''})` : '';
      return {
        phase,
        reason: problem.reason,
        message: `${summary}: ${problem.message}${others}`,
        ssl,
        warning: true,
        ...counts,
      };
    }
    if (phase === 'Running') return { phase, reason: 'PodsReady', message: summary, ssl, ...counts };
    return { phase, reason: 'PodsNotReady', message: summary, ssl, ...counts };
  }

  /**
   * When autoscaling starts, our apply stops setting spec.replicas. A field nobody else manages is then
   * reset to its default (1), which would scale a running Deployment down before the HPA acts. So a
   * separate field manager first takes the current value; the HPA then owns the count from there.
   */
  private async handOverReplicas(desired: KubeObject, live: KubeObject | undefined, uid: string): Promise<void> {
    const desiredSpec = desired.spec as { replicas?: number };
    const liveReplicas = (live?.spec as { replicas?: number } | undefined)?.replicas;
    if (desiredSpec.replicas !== undefined || liveReplicas === undefined || !isControlledBy(live, uid)) return;
    if (!ownsField(live, ['spec', 'replicas'])) return;
    const { apiVersion, kind, metadata } = desired;
    await this.d.client.apply(
      DEPLOYMENT,
      {
        apiVersion,
        kind,
        metadata: { name: metadata!.name, namespace: metadata!.namespace },
        spec: { replicas: liveReplicas },
      },
      HANDOVER_MANAGER,
    );
  }

  private async writeStatus(server: Server, obs: Observation): Promise<void> {
    const prev = this.statuses.current(server as Server & KubeObject) as ServerStatus | undefined;
    const now = new Date(this.d.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = computeStatus(prev, obs, server.metadata.generation ?? 0, now);
    const wrote = await writeStatusIfChanged(
      this.d.client,
      SERVER,
      server as Server & KubeObject,
      status,
      this.statuses,
    );
    if (wrote)
      this.d.logger.info(
        { key: `${server.metadata.namespace}/${server.metadata.name}`, phase: obs.phase, reason: obs.reason },
        'status updated',
      );
    if (transition(prev, obs)) {
      const type = obs.phase === 'Error' || obs.warning ? 'Warning' : 'Normal';
      const reason = obs.phase === 'Error' || obs.warning ? obs.reason : obs.phase;
      await this.d.recorder.record(server as Server & KubeObject, type, reason, obs.message);
    }
  }
}
