// One reconcile per CertificateAuthority (key namespace/ca): list the CA Server's requests and
// certificates (at most once per poll interval, whatever triggered the reconcile), carry out the
// desiredState of its AgentCertificates through the CA API, and mirror every certname into one
// AgentCertificate: created when new, status written only when it changed, deleted when the CA Server
// forgot a certname nobody asked anything of. A poll of an unchanged CA makes no API write at all.
// A CA Server that cannot be reached changes nothing: statuses stay as last listed, the objects
// waiting for an action say why, and the list is retried with backoff.
import type { Logger } from 'pino';
import {
  API_VERSION,
  LABEL_CA,
  LABEL_MANAGED_BY,
  MANAGER,
  loadAuthority,
  type AgentCertificate,
  type Authority,
  type Certificate,
  type CertificateAuthority,
  type Pool,
  type Server,
} from '@openvox/shared/runtime';
import {
  AUTOSIGN_POLICY_KEY,
  CA_CERT_KEY,
  CA_KEY_KEY,
  autosignSecretName,
  caKeySecretName,
} from '../contracts/names.js';
import { caEndpoint, caServerService, describeEndpoint } from '../contracts/ca-server.js';
import type { Clock } from '../kube/clock.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { controllerReference } from '../kube/owner-reference.js';
import { isoNow } from '../kube/phase.js';
import type { HandlerResult } from '../kube/queue.js';
import { AGENT_CERTIFICATE, splitKey } from '../kube/resources.js';
import { StatusMemo, sameStatus } from '../kube/status.js';
import { httpsCaApi, type CaApi, type CaTarget } from './ca-api.js';
import { ClientIdentities } from './client-identity.js';
import { agentCertificateName } from './names.js';
import { observe, observeAll, type Observed } from './observe.js';
import { parsePolicyFile, readSignedCertificate, signingPolicyOf } from './signed-by.js';
import { READY, agentStatus, readyOf, withReady, type ReadyOutcome } from './status.js';
import { ACTION_EVENT, nextStep, type DesiredState, type Step } from './transitions.js';

type SecretObject = KubeObject & { data?: Record<string, string> };
export type AgentCertificateObject = AgentCertificate & KubeObject;

/** CA API calls for desiredState per reconcile; more wait for the next one (a second later). */
const MAX_ACTIONS_PER_PASS = 50;
/** Signed certificates fetched per reconcile to tell which policy signed them. */
const MAX_ATTRIBUTIONS_PER_PASS = 50;
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

export interface AgentCertificateReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** One list per CA per interval. */
  pollIntervalMs?: number;
  api?: CaApi;
  identities?: ClientIdentities;
  backoff?: Backoff;
  caches: {
    authorities: Cache<CertificateAuthority & KubeObject>;
    agentCertificates: Cache<AgentCertificateObject>;
    /** Ours: `{ca}-ca-key` and `{ca}-autosign-policy`. */
    secrets: Cache<SecretObject>;
    servers: Cache<Server & KubeObject>;
    certificates: Cache<Certificate & KubeObject>;
    pools: Cache<Pool & KubeObject>;
    services: Cache<KubeObject & { spec?: { clusterIP?: string } }>;
  };
}

/** Per-key exponential backoff for the CA Server's list, capped at the poll interval. */
export class Backoff {
  private readonly failures = new Map<string, number>();
  constructor(private readonly initialMs = 2_000) {}
  failed(key: string, capMs: number): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.initialMs * 2 ** n, Math.max(capMs, this.initialMs));
  }
  succeeded(key: string): void {
    this.failures.delete(key);
  }
}

interface Listing {
  at: number;
  observed: Map<string, Observed>;
}

const decode = (s: SecretObject | undefined, key: string) => {
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const byAge = (a: AgentCertificateObject, b: AgentCertificateObject) =>
  String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')) ||
  a.metadata.name!.localeCompare(b.metadata.name!);

export class AgentCertificateReconciler {
  private readonly api: CaApi;
  private readonly identities: ClientIdentities;
  private readonly backoff: Backoff;
  private readonly intervalMs: number;
  /** Our status writes the informer may not show yet. */
  readonly statuses: StatusMemo;
  private readonly listings = new Map<string, Listing>();
  private readonly authorities = new Map<string, { version: string; authority: Authority }>();
  /** Fingerprints already looked at for a signing policy (once per process, not per poll). */
  private readonly attributed = new Map<string, Set<string>>();
  private readonly lastError = new Map<string, string>();

  constructor(private readonly d: AgentCertificateReconcilerDeps) {
    this.api = d.api ?? httpsCaApi();
    this.identities = d.identities ?? new ClientIdentities(d.clock);
    this.backoff = d.backoff ?? new Backoff();
    this.intervalMs = d.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.statuses = new StatusMemo(() => d.clock.now());
  }

  private forget(key: string): void {
    for (const m of [this.listings, this.authorities, this.attributed, this.lastError]) m.delete(key);
    this.identities.forget(key);
    this.backoff.succeeded(key);
  }

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace: ns, name } = splitKey(key);
    const objects = this.d.caches.agentCertificates
      .list(ns)
      .filter((o) => o.spec?.certificateAuthorityRef === name && !o.metadata.deletionTimestamp);
    const ca = this.d.caches.authorities.get(ns, name);
    if (!ca || ca.metadata.deletionTimestamp) {
      this.forget(key);
      await this.blockAll(objects, {
        status: 'False',
        reason: 'CertificateAuthorityNotFound',
        message: `CertificateAuthority ${name} not found in namespace ${ns}`,
      });
      return;
    }
    if (ca.spec.external) {
      this.forget(key);
      await this.blockAll(objects, {
        status: 'False',
        reason: 'ExternalCertificateAuthority',
        message: `CertificateAuthority ${name} is external: its CA Server runs elsewhere and the operator holds no key for its CA API`,
      });
      return;
    }
    const target = await this.target(key, ca);
    if (typeof target === 'string') {
      // Not a failure yet (a CA Server starting takes minutes): no Warning, a look again each interval.
      await this.blockPending(objects, { status: 'False', reason: 'CAServerNotReady', message: target });
      return { requeueAfterMs: this.intervalMs };
    }

    const now = this.d.clock.now();
    let listing = this.listings.get(key);
    if (!listing || now - listing.at >= this.intervalMs) {
      try {
        listing = { at: now, observed: observeAll(await this.api.list(target)) };
      } catch (err) {
        return this.unreachable(key, ca, objects, message(err));
      }
      this.listings.set(key, listing);
      this.backoff.succeeded(key);
      if (this.lastError.delete(key))
        await this.d.recorder.record(
          ca,
          'Normal',
          'CAServerReachable',
          `The CA Server at ${describeEndpoint(target.endpoint)} lists ${listing.observed.size} certnames again`,
        );
    }
    const deferred = await this.sync(ca, target, listing, objects);
    const untilNextList = Math.max(1000, listing.at + this.intervalMs - this.d.clock.now());
    return { requeueAfterMs: deferred ? 1000 : untilNextList };
  }

  /** The CA Server's address and the credentials to talk to it, or why there are none yet. */
  private async target(key: string, ca: CertificateAuthority): Promise<CaTarget | string> {
    const ns = ca.metadata.namespace!;
    const name = ca.metadata.name!;
    const c = this.d.caches;
    const svc = caServerService(name, ns, c.servers.list(ns), c.certificates.list(ns), c.pools.list(ns));
    if (!svc)
      return `no CA Server for CertificateAuthority ${name}: no ca: true Server with a Pool uses a Certificate of it`;
    const signedHere = new Set(
      c.certificates
        .list(ns)
        .filter((x) => x.spec.authorityRef === name)
        .map((x) => x.metadata.name),
    );
    const caServers = c.servers.list(ns).filter((x) => x.spec.ca === true && signedHere.has(x.spec.certificateRef));
    if (!caServers.some((x) => (x.status?.ready ?? 0) > 0))
      return `the CA Server (Server ${caServers.map((x) => x.metadata.name).join(', ')}) has no ready pod yet`;
    const endpoint = caEndpoint(svc, c.services.get(ns, svc.service)?.spec?.clusterIP);
    if (!endpoint) return `Service ${svc.service} of the CA Server has no ClusterIP yet`;
    const secret = c.secrets.get(ns, caKeySecretName(name));
    const certPem = decode(secret, CA_CERT_KEY);
    const keyPem = decode(secret, CA_KEY_KEY);
    if (!certPem || !keyPem) return `the CA key Secret ${caKeySecretName(name)} does not exist yet`;
    const version = `${secret!.metadata?.uid}/${secret!.metadata?.resourceVersion}`;
    let held = this.authorities.get(key);
    if (held?.version !== version) {
      try {
        held = { version, authority: await loadAuthority(certPem, keyPem) };
      } catch (err) {
        return `Secret ${caKeySecretName(name)}: ${message(err)}`;
      }
      this.authorities.set(key, held);
    }
    const identity = await this.identities.for(key, held.authority);
    return { endpoint, caCertPem: certPem, clientCertPem: identity.certPem, clientKeyPem: identity.keyPem };
  }

  private async unreachable(
    key: string,
    ca: CertificateAuthority & KubeObject,
    objects: AgentCertificateObject[],
    error: string,
  ): Promise<HandlerResult> {
    if (this.lastError.get(key) !== error) {
      this.d.logger.warn({ key, err: error }, 'could not list the CA Server certificates');
      await this.d.recorder.record(ca, 'Warning', 'CAServerUnreachable', `${error}; retrying with backoff`);
      this.lastError.set(key, error);
    }
    await this.blockPending(objects, {
      status: 'False',
      reason: 'CAUnreachable',
      message: `${error}; nothing was changed on the CA Server, retrying with backoff`,
    });
    return { requeueAfterMs: this.backoff.failed(key, this.intervalMs) };
  }

  /** Returns whether actions were left for the next pass. */
  private async sync(
    ca: CertificateAuthority & KubeObject,
    target: CaTarget,
    listing: Listing,
    objects: AgentCertificateObject[],
  ): Promise<boolean> {
    const ns = ca.metadata.namespace!;
    const caName = ca.metadata.name!;
    const groups = new Map<string, AgentCertificateObject[]>();
    for (const o of objects) {
      const list = groups.get(o.spec.certname) ?? [];
      list.push(o);
      groups.set(o.spec.certname, list);
    }
    const names = new Set(this.d.caches.agentCertificates.list(ns).map((o) => o.metadata.name!));
    const policies = parsePolicyFile(
      decode(this.d.caches.secrets.get(ns, autosignSecretName(caName)), AUTOSIGN_POLICY_KEY),
    );
    const budget = { actions: MAX_ACTIONS_PER_PASS, attributions: MAX_ATTRIBUTIONS_PER_PASS };
    let deferred = false;

    for (const certname of new Set([...listing.observed.keys(), ...groups.keys()])) {
      const [first, ...duplicates] = (groups.get(certname) ?? []).sort(byAge);
      for (const dup of duplicates)
        await this.writeReady(dup, {
          status: 'False',
          reason: 'Duplicate',
          message: `AgentCertificate ${first!.metadata.name} already stands for certname ${certname} of CertificateAuthority ${caName}; this one is ignored`,
        });
      let obj = first;
      let observed = listing.observed.get(certname);
      if (!obj) {
        if (!observed) continue;
        obj = await this.createMirror(ca, certname, names);
        if (!obj) continue;
      }
      const mirror = obj.metadata.labels?.[LABEL_MANAGED_BY] === MANAGER;
      const desired = obj.spec.desiredState as DesiredState | undefined;
      let step: Step = nextStep(desired, observed?.state, certname, mirror);
      let acted: string | undefined;
      let signedByUs = false;
      if (step.kind === 'act' && budget.actions <= 0) {
        deferred = true;
        step = { kind: 'wait', reason: 'Queued', message: 'waiting for its turn: many actions at once' };
      } else if (step.kind === 'act') {
        budget.actions--;
        try {
          if (step.action === 'clean') await this.api.clean(target, certname);
          else await this.api.setState(target, certname, step.action === 'sign' ? 'signed' : 'revoked');
          const after = await this.api.get(target, certname);
          observed = after ? observe(after) : undefined;
          if (observed) listing.observed.set(certname, observed);
          else listing.observed.delete(certname);
          acted = step.action;
          signedByUs = step.action === 'sign';
          this.d.logger.info({ key: `${ns}/${caName}`, certname, action: step.action }, 'CA API action done');
          step = nextStep(desired, observed?.state, certname, mirror);
        } catch (err) {
          step = { kind: 'refuse', reason: 'CertificateAuthorityFailed', message: message(err) };
        }
      }
      const verb = acted ? ACTION_EVENT[acted as keyof typeof ACTION_EVENT] : undefined;
      const where = `the CA Server of ${caName}`;
      if (step.kind === 'forget') {
        if (verb) await this.d.recorder.record(obj, 'Normal', verb, `${certname} ${verb.toLowerCase()} on ${where}`);
        await this.deleteObject(obj);
        continue;
      }
      if (step.kind === 'act') step = { kind: 'wait', reason: 'Pending', message: `${step.action} is pending` };
      const prev = this.statuses.current(obj) as AgentCertificate['status'];
      const signedBy = await this.signedBy(ns, caName, target, prev, observed, signedByUs, policies, budget);
      const ready = readyOf(step);
      const status = agentStatus(prev, observed, signedBy, ready, obj.metadata.generation ?? 0, isoNow(this.d.clock));
      await this.writeStatus(obj, prev, status);
      if (verb) await this.d.recorder.record(obj, 'Normal', verb, `${certname} ${verb.toLowerCase()} on ${where}`);
      else if (prev?.state && observed && prev.state !== observed.state)
        await this.d.recorder.record(
          obj,
          'Normal',
          'StateChanged',
          `${certname}: ${prev.state} → ${observed.state} on ${where}`,
        );
      await this.readyEvent(obj, prev, ready);
    }
    return deferred;
  }

  /** Who signed it: kept while the certificate is the same; worked out once when it is first seen signed. */
  private async signedBy(
    ns: string,
    caName: string,
    target: CaTarget,
    prev: AgentCertificate['status'],
    observed: Observed | undefined,
    signedByUs: boolean,
    policies: ReturnType<typeof parsePolicyFile>,
    budget: { attributions: number },
  ): Promise<string | undefined> {
    if (!observed || observed.state === 'requested') return undefined;
    if (signedByUs) return 'spec.desiredState';
    if (prev?.signedBy && prev.fingerprint === observed.fingerprint) return prev.signedBy;
    if (observed.state !== 'signed') return undefined;
    // Seen pending and signed by someone else: `puppetserver ca sign`, unless a policy matches it (puppetserver
    // stores a request before it runs the autosign script, so a listing in between sees it pending).
    const seenPending = prev?.state === 'requested';
    const fallback = seenPending ? 'CA Server' : undefined;
    if (!observed.fingerprint || !policies?.policies.length) return fallback;
    const key = `${ns}/${caName}`;
    const tried = this.attributed.get(key) ?? new Set<string>();
    this.attributed.set(key, tried);
    if (tried.has(observed.fingerprint) || budget.attributions <= 0) return fallback;
    budget.attributions--;
    tried.add(observed.fingerprint);
    try {
      const pem = await this.api.certificate(target, observed.certname);
      const policy = pem ? signingPolicyOf(policies, readSignedCertificate(observed.certname, pem)) : undefined;
      return policy ? `policy ${policy}` : fallback;
    } catch (err) {
      this.d.logger.info({ key, certname: observed.certname, err: message(err) }, 'could not read the certificate');
      return fallback;
    }
  }

  private async createMirror(
    ca: CertificateAuthority & KubeObject,
    certname: string,
    names: Set<string>,
  ): Promise<AgentCertificateObject | undefined> {
    const name = agentCertificateName(ca.metadata.name!, certname, (n) => names.has(n));
    const body: AgentCertificateObject = {
      apiVersion: API_VERSION,
      kind: 'AgentCertificate',
      metadata: {
        name,
        namespace: ca.metadata.namespace!,
        labels: { [LABEL_MANAGED_BY]: MANAGER, [LABEL_CA]: ca.metadata.name! },
        ownerReferences: [controllerReference('CertificateAuthority', ca.metadata)],
      },
      spec: { certificateAuthorityRef: ca.metadata.name!, certname },
    };
    try {
      const created = await this.d.client.create(AGENT_CERTIFICATE, body);
      names.add(name);
      return created;
    } catch (err) {
      // Our cache has not seen our own create yet, or a user just made one: the next pass sees it.
      if (isConflict(err)) return undefined;
      throw err;
    }
  }

  private async deleteObject(obj: AgentCertificateObject): Promise<void> {
    try {
      await this.d.client.delete(AGENT_CERTIFICATE, obj.metadata.namespace!, obj.metadata.name!, obj.metadata.uid);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.statuses.forget(`${obj.metadata.namespace}/${obj.metadata.name}`);
  }

  /** Whole status, as a merge patch with null for each field that went (a revoked-then-cleaned certname). */
  private async writeStatus(
    obj: AgentCertificateObject,
    prev: AgentCertificate['status'],
    status: AgentCertificate['status'],
  ): Promise<void> {
    if (sameStatus(prev, status)) return;
    const gone = Object.keys(prev ?? {}).filter((k) => !(k in (status ?? {})));
    const body = { ...status, ...Object.fromEntries(gone.map((k) => [k, null])) };
    const result = await this.d.client.patchStatus<KubeObject>(
      AGENT_CERTIFICATE,
      obj.metadata.namespace!,
      obj.metadata.name!,
      body,
    );
    this.statuses.wrote(obj, status, result?.metadata?.resourceVersion);
  }

  private async writeReady(obj: AgentCertificateObject, ready: ReadyOutcome): Promise<void> {
    const prev = this.statuses.current(obj) as AgentCertificate['status'];
    await this.writeStatus(obj, prev, withReady(prev, ready, obj.metadata.generation ?? 0, isoNow(this.d.clock)));
    await this.readyEvent(obj, prev, ready);
  }

  /** A Warning on the transition to a refusal (or to another reason), never on every poll. */
  private async readyEvent(
    obj: AgentCertificateObject,
    prev: AgentCertificate['status'],
    ready: ReadyOutcome,
  ): Promise<void> {
    const before = prev?.conditions?.find((c) => c.type === READY);
    if (ready.status === 'True' || (before?.status === ready.status && before.reason === ready.reason)) return;
    const warning = !['WaitingForRequest', 'Pending', 'Queued', 'NotOnCAServer', 'CAServerNotReady'].includes(
      ready.reason,
    );
    await this.d.recorder.record(obj, warning ? 'Warning' : 'Normal', ready.reason, ready.message);
  }

  private async blockAll(objects: AgentCertificateObject[], ready: ReadyOutcome): Promise<void> {
    for (const o of objects) await this.writeReady(o, ready);
  }

  /** Only the objects waiting for an action: the others' status shows the last listing, still true as far as anyone knows. */
  private async blockPending(objects: AgentCertificateObject[], ready: ReadyOutcome): Promise<void> {
    for (const o of objects) {
      const desired = o.spec.desiredState as DesiredState | undefined;
      if (!desired) continue;
      const step = nextStep(desired, o.status?.state, o.spec.certname, true);
      if (step.kind !== 'done') await this.writeReady(o, ready);
    }
  }
}
