import {
  API_VERSION,
  createAuthority,
  generateKeyPair,
  loadAuthority,
  signLeaf,
  type AgentCertificate,
  type Authority,
  type CertificateAuthority,
} from '@openvox/shared/runtime';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { CaApiError, type CaApi, type CaStatusEntry } from './ca-api.js';
import { ClientIdentities } from './client-identity.js';
import { AgentCertificateReconciler, Backoff, type AgentCertificateObject } from './reconcile.js';

const NS = 'prod';
const KEY = `${NS}/production-ca`;
const POLL = 30_000;
let authority: Authority;
let caPem: { certPem: string; keyPem: string };

beforeAll(async () => {
  const now = new Date('2026-11-25T12:00:00Z');
  caPem = await createAuthority({
    commonName: 'Puppet CA: production-ca',
    now,
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    algorithm: 'ec-p256',
  });
  authority = await loadAuthority(caPem.certPem, caPem.keyPem);
});

/** puppetserver's CA as far as the reconciler can tell: statuses, and what PUT and DELETE do to them. */
class FakeCa implements CaApi {
  readonly entries = new Map<string, CaStatusEntry>();
  readonly calls: string[] = [];
  readonly pems = new Map<string, string>();
  down: string | undefined;
  private serial = 10;
  add(name: string, state: string, extra: Partial<CaStatusEntry> = {}): void {
    this.entries.set(name, { name, state, fingerprint: `FP:${name}:${state}`, ...extra });
  }
  private check(): void {
    if (this.down) throw new CaApiError(this.down);
  }
  async list() {
    this.calls.push('list');
    this.check();
    return [...this.entries.values()].map((e) => ({ ...e }));
  }
  async get(_: unknown, certname: string) {
    this.calls.push(`get ${certname}`);
    this.check();
    const e = this.entries.get(certname);
    return e && { ...e };
  }
  async setState(_: unknown, certname: string, state: 'signed' | 'revoked') {
    this.calls.push(`${state} ${certname}`);
    this.check();
    const e = this.entries.get(certname);
    if (!e) throw new CaApiError(`PUT .../${certname}: HTTP 404: Invalid certificate subject.`, 404);
    if (state === 'signed' && e.state !== 'requested')
      throw new CaApiError(`PUT .../${certname}: HTTP 409: Cannot sign: it is ${e.state}`, 409);
    if (state === 'revoked' && e.state !== 'signed')
      throw new CaApiError(`PUT .../${certname}: HTTP 409: Cannot revoke without a signed certificate`, 409);
    Object.assign(e, {
      state,
      fingerprint: state === 'signed' ? `FP:${certname}:cert` : e.fingerprint,
      ...(state === 'signed'
        ? {
            serial_number: String(++this.serial),
            not_before: '2026-11-25T12:00:00UTC',
            not_after: '2031-11-25T12:00:00UTC',
          }
        : {}),
    });
  }
  async clean(_: unknown, certname: string) {
    this.calls.push(`clean ${certname}`);
    this.check();
    this.entries.delete(certname);
  }
  async certificate(_: unknown, certname: string) {
    this.calls.push(`certificate ${certname}`);
    return this.pems.get(certname);
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function setup(options: { policies?: unknown } = {}) {
  const api = fakeApi();
  const ca = new FakeCa();
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: NS,
    uid: `uid-${name}`,
    ...extra,
  });
  api.cache('CertificateAuthority').put({
    apiVersion: API_VERSION,
    kind: 'CertificateAuthority',
    metadata: meta('production-ca'),
    spec: {},
  } as CertificateAuthority & KubeObject);
  api.cache('Secret').put({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('production-ca-ca-key', { resourceVersion: '1' }),
    data: { 'ca_crt.pem': b64(caPem.certPem), 'ca_key.pem': b64(caPem.keyPem) },
  } as KubeObject);
  if (options.policies)
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('production-ca-autosign-policy'),
      data: { 'autosign-policy.json': b64(JSON.stringify(options.policies)) },
    } as KubeObject);
  api.cache('Server').put({
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: meta('production-ca'),
    spec: { ca: true, certificateRef: 'production-cert', configRef: 'production', poolRefs: ['production-ca'] },
    status: { ready: 1 },
  } as KubeObject);
  api.cache('Certificate').put({
    apiVersion: API_VERSION,
    kind: 'Certificate',
    metadata: meta('production-cert'),
    spec: { authorityRef: 'production-ca' },
  } as KubeObject);
  api
    .cache('Pool')
    .put({ apiVersion: API_VERSION, kind: 'Pool', metadata: meta('production-ca'), spec: {} } as KubeObject);
  api.cache('Service').put({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('production-ca'),
    spec: { clusterIP: '10.0.0.9' },
  } as KubeObject);
  const reconciler = new AgentCertificateReconciler({
    ...api,
    api: ca,
    pollIntervalMs: POLL,
    identities: new ClientIdentities(api.clock, 'ec-p256'),
    backoff: new Backoff(2000),
    caches: {
      authorities: api.cache('CertificateAuthority'),
      agentCertificates: api.cache<AgentCertificateObject>('AgentCertificate'),
      secrets: api.cache('Secret'),
      servers: api.cache('Server'),
      certificates: api.cache('Certificate'),
      pools: api.cache('Pool'),
      services: api.cache('Service'),
    },
  });
  const objects = () => api.cache<AgentCertificateObject>('AgentCertificate');
  const obj = (name: string) => objects().get(NS, name);
  const status = (name: string) => obj(name)?.status as AgentCertificate['status'] & object;
  const ready = (name: string) => status(name)?.conditions?.find((c) => c.type === 'Ready');
  /** A user's edit: spec changes and the generation moves. */
  const userSets = (name: string, desiredState: string) => {
    const o = obj(name)!;
    objects().put({
      ...o,
      metadata: { ...o.metadata, generation: (o.metadata.generation ?? 1) + 1 },
      spec: { ...o.spec, desiredState } as AgentCertificate['spec'],
    });
  };
  const userCreates = (name: string, certname: string, desiredState?: string) =>
    objects().put({
      apiVersion: API_VERSION,
      kind: 'AgentCertificate',
      metadata: {
        name,
        namespace: NS,
        uid: `uid-${name}`,
        generation: 1,
        creationTimestamp: '2026-11-25T11:00:00Z' as never,
      },
      spec: {
        certificateAuthorityRef: 'production-ca',
        certname,
        ...(desiredState ? { desiredState } : {}),
      } as AgentCertificate['spec'],
    });
  const reconcile = () => reconciler.reconcile(KEY);
  return { api, ca, reconciler, reconcile, obj, status, ready, userSets, userCreates, objects };
}

describe('AgentCertificateReconciler: mirroring', () => {
  it('mirrors each certname into one AgentCertificate owned by the CA, then an unchanged poll writes nothing', async () => {
    const t = setup();
    t.ca.add('agent1.example.com', 'requested', { dns_alt_names: ['DNS:agent1.example.com'] });
    t.ca.add('web_2', 'signed', {
      serial_number: '255',
      not_before: '2026-11-25T12:00:00UTC',
      not_after: '2031-11-25T12:00:00UTC',
      fingerprints: { SHA256: 'SHA:256', default: 'SHA:256' },
    });
    t.ca.add('weird', 'unknown-state');
    expect(await t.reconcile()).toEqual({ requeueAfterMs: POLL });
    // web_2 is no object name: CA, readable certname and a hash.
    const web2 = t
      .objects()
      .list(NS)
      .find((o) => o.spec.certname === 'web_2')!.metadata.name!;
    expect(web2).toMatch(/^production-ca-web-2-[0-9a-f]{8}$/);
    expect(t.api.writes).toEqual([
      'create AgentCertificate agent1.example.com',
      'status AgentCertificate agent1.example.com',
      `create AgentCertificate ${web2}`,
      `status AgentCertificate ${web2}`,
    ]);
    const agent1 = t.obj('agent1.example.com')!;
    expect(agent1.metadata).toMatchObject({
      labels: {
        'app.kubernetes.io/managed-by': 'openvox-operator',
        'openvox.voxpupuli.org/certificateauthority': 'production-ca',
      },
      ownerReferences: [
        { kind: 'CertificateAuthority', name: 'production-ca', uid: 'uid-production-ca', controller: true },
      ],
    });
    expect(agent1.spec).toEqual({ certificateAuthorityRef: 'production-ca', certname: 'agent1.example.com' });
    expect(t.status('agent1.example.com')).toMatchObject({
      state: 'requested',
      fingerprint: 'FP:agent1.example.com:requested',
      dnsAltNames: ['DNS:agent1.example.com'],
    });
    const web = t
      .objects()
      .list(NS)
      .find((o) => o.spec.certname === 'web_2')!;
    expect(web.status).toMatchObject({
      state: 'signed',
      fingerprint: 'SHA:256',
      serial: 'ff',
      notBefore: '2026-11-25T12:00:00Z',
      notAfter: '2031-11-25T12:00:00Z',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'DesiredStateReached', message: 'Observing: signed on the CA Server' },
      ],
    });
    expect(web.status).not.toHaveProperty('signedBy');

    // Triggered again within the interval (a watch event): no second list, no write.
    t.api.writes.length = 0;
    t.api.clock.advance(5_000);
    expect(await t.reconcile()).toEqual({ requeueAfterMs: POLL - 5_000 });
    // The interval is over: one list, the same answer, nothing written, no Event.
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.ca.calls).toEqual(['list', 'list']);
    expect(t.api.writes).toEqual([]);
    expect(t.api.events).toEqual([]);
  });

  it('10,000 certnames: one list per interval, 0 writes when nothing changed, one write for the one that did', async () => {
    const t = setup();
    for (let i = 0; i < 10_000; i++) t.ca.add(`agent${i}.example.com`, i % 3 === 0 ? 'requested' : 'signed');
    await t.reconcile();
    expect(t.api.writes).toHaveLength(20_000);
    t.api.writes.length = 0;
    const t0 = Date.now();
    t.api.clock.advance(POLL);
    await t.reconcile();
    const ms = Date.now() - t0;
    expect(t.api.writes).toEqual([]);
    expect(t.ca.calls).toEqual(['list', 'list']);
    t.ca.entries.get('agent0.example.com')!.state = 'signed';
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.api.writes).toEqual(['status AgentCertificate agent0.example.com']);
    console.info(`[agentcerts] an unchanged poll of 10,000 certnames took ${ms} ms`);
  });

  it('deletes the mirror of a certname the CA Server forgot, keeps a user object and says why', async () => {
    const t = setup();
    t.ca.add('gone', 'signed');
    t.userCreates('mine', 'ahead');
    await t.reconcile();
    expect(t.ready('mine')).toMatchObject({
      status: 'False',
      reason: 'NotOnCAServer',
      message: 'the CA Server has no request or certificate for ahead',
    });
    t.ca.entries.delete('gone');
    t.api.writes.length = 0;
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.api.writes).toEqual(['delete AgentCertificate gone']);
    expect(t.obj('mine')).toBeDefined();
  });

  it('two objects for one certname: the older stands for it, the other says so', async () => {
    const t = setup();
    t.ca.add('agent1', 'requested');
    t.userCreates('agent1-a', 'agent1');
    t.userCreates('agent1-b', 'agent1', 'signed');
    await t.reconcile();
    expect(t.ca.calls).toEqual(['list']);
    expect(t.ready('agent1-b')).toMatchObject({
      status: 'False',
      reason: 'Duplicate',
      message:
        'AgentCertificate agent1-a already stands for certname agent1 of CertificateAuthority production-ca; this one is ignored',
    });
    expect(t.status('agent1-a')).toMatchObject({ state: 'requested' });
  });
});

describe('AgentCertificateReconciler: desiredState', () => {
  it('signs a request, then revokes it, then cleans it (deleting the object), with an Event each', async () => {
    const t = setup();
    t.ca.add('agent1', 'requested');
    await t.reconcile();
    t.userSets('agent1', 'signed');
    await t.reconcile();
    expect(t.ca.calls).toEqual(['list', 'signed agent1', 'get agent1']);
    expect(t.status('agent1')).toMatchObject({
      state: 'signed',
      fingerprint: 'FP:agent1:cert',
      serial: 'b',
      signedBy: 'spec.desiredState',
      observedGeneration: 2,
      conditions: [{ type: 'Ready', status: 'True', reason: 'DesiredStateReached', message: 'Signed' }],
    });
    t.userSets('agent1', 'revoked');
    await t.reconcile();
    expect(t.status('agent1')).toMatchObject({ state: 'revoked', signedBy: 'spec.desiredState' });
    t.userSets('agent1', 'cleaned');
    await t.reconcile();
    expect(t.obj('agent1')).toBeUndefined();
    expect(t.ca.entries.has('agent1')).toBe(false);
    expect(t.api.events.map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual([
      'Normal Signed agent1 signed on the CA Server of production-ca',
      'Normal Revoked agent1 revoked on the CA Server of production-ca',
      'Normal Cleaned agent1 cleaned on the CA Server of production-ca',
    ]);
    // The agent asks again: a fresh mirror, requested.
    t.ca.add('agent1', 'requested');
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.status('agent1')).toMatchObject({ state: 'requested' });
    expect(t.obj('agent1')!.spec).not.toHaveProperty('desiredState');
  });

  it('signs a pre-approved certname when its request arrives', async () => {
    const t = setup();
    t.userCreates('web1', 'web1.example.com', 'signed');
    await t.reconcile();
    expect(t.ready('web1')).toMatchObject({ status: 'False', reason: 'WaitingForRequest' });
    t.ca.add('web1.example.com', 'requested');
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.status('web1')).toMatchObject({ state: 'signed', signedBy: 'spec.desiredState' });
    expect(t.ready('web1')).toMatchObject({ status: 'True' });
  });

  it('refuses with a clear reason: revoke of an unknown certname, sign of a revoked one, revoke of a request', async () => {
    const t = setup();
    t.ca.add('old', 'revoked');
    t.ca.add('pending', 'requested');
    t.userCreates('nobody', 'nobody.example.com', 'revoked');
    await t.reconcile();
    t.userSets('old', 'signed');
    t.userSets('pending', 'revoked');
    await t.reconcile();
    expect(t.ca.calls).toEqual(['list']);
    expect([t.ready('nobody'), t.ready('old'), t.ready('pending')]).toMatchObject([
      {
        status: 'False',
        reason: 'UnknownCertname',
        message: 'cannot revoke: the CA Server has no request or certificate for nobody.example.com',
      },
      {
        status: 'False',
        reason: 'RevokedCannotBeSigned',
        message: expect.stringContaining('is revoked and cannot be signed again'),
      },
      { status: 'False', reason: 'NotSigned', message: expect.stringContaining('set desiredState cleaned') },
    ]);
    expect(t.api.events.map((e) => `${e.type} ${e.name} ${e.reason}`).sort()).toEqual([
      'Warning nobody UnknownCertname',
      'Warning old RevokedCannotBeSigned',
      'Warning pending NotSigned',
    ]);
    // Unchanged: no second Event, no write.
    t.api.writes.length = 0;
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.api.writes).toEqual([]);
    expect(t.api.events).toHaveLength(3);
  });

  it('reports what the CA Server refused, and tries again on the next poll', async () => {
    const t = setup();
    t.ca.add('agent1', 'requested');
    await t.reconcile();
    t.userSets('agent1', 'signed');
    t.ca.setState = async () => {
      throw new CaApiError(
        'PUT https://production-ca.prod.svc:8140/puppet-ca/v1/certificate_status/agent1: HTTP 400: Found extensions that are not permitted',
        400,
      );
    };
    await t.reconcile();
    expect(t.ready('agent1')).toMatchObject({
      status: 'False',
      reason: 'CertificateAuthorityFailed',
      message: expect.stringContaining('HTTP 400: Found extensions that are not permitted'),
    });
    expect(t.status('agent1').state).toBe('requested');
  });
});

describe('AgentCertificateReconciler: a CA Server that cannot be reached', () => {
  it('changes nothing, says so on the objects waiting for an action, and retries with backoff', async () => {
    const t = setup();
    t.ca.add('agent1', 'signed');
    t.ca.add('agent2', 'requested');
    await t.reconcile();
    t.ca.down = 'GET https://production-ca.prod.svc:8140 (dialed at 10.0.0.9): connect ECONNREFUSED 10.0.0.9:8140';
    t.userSets('agent2', 'signed');
    t.api.writes.length = 0;
    t.api.clock.advance(POLL);
    expect(await t.reconcile()).toEqual({ requeueAfterMs: 2000 });
    expect(t.api.writes).toEqual(['status AgentCertificate agent2']);
    expect(t.ready('agent2')).toMatchObject({
      status: 'False',
      reason: 'CAUnreachable',
      message: `${t.ca.down}; nothing was changed on the CA Server, retrying with backoff`,
    });
    // What was listed stays: states, and both objects.
    expect([t.status('agent1').state, t.status('agent2').state]).toEqual(['signed', 'requested']);
    expect(await t.reconcile()).toEqual({ requeueAfterMs: 4000 });
    expect(await t.reconcile()).toEqual({ requeueAfterMs: 8000 });
    expect(t.api.writes).toEqual(['status AgentCertificate agent2']);
    // One Warning on the CA and one on the object waiting, on the transition only.
    expect(t.api.events.map((e) => `${e.type} ${e.kind} ${e.reason}`)).toEqual([
      'Warning CertificateAuthority CAServerUnreachable',
      'Warning AgentCertificate CAUnreachable',
    ]);
    t.ca.down = undefined;
    await t.reconcile();
    expect(t.status('agent2')).toMatchObject({ state: 'signed' });
    expect(t.api.events.map((e) => `${e.type} ${e.reason}`)).toEqual([
      'Warning CAServerUnreachable',
      'Warning CAUnreachable',
      'Normal CAServerReachable',
      'Normal Signed',
    ]);
  });

  it('before the CA Server is ready, or without one, the waiting objects say what is missing (no Warning)', async () => {
    const t = setup();
    t.userCreates('agent1', 'agent1', 'signed');
    const server = t.api.cache('Server').get(NS, 'production-ca')!;
    t.api.cache('Server').put({ ...server, status: { ready: 0 } } as KubeObject);
    await t.reconcile();
    expect(t.ready('agent1')).toMatchObject({
      reason: 'CAServerNotReady',
      message: 'the CA Server (Server production-ca) has no ready pod yet',
    });
    expect(t.api.events.map((e) => e.type)).toEqual(['Normal']);
    t.api.cache('Server').items.clear();
    await t.reconcile();
    expect(t.ready('agent1')).toMatchObject({
      reason: 'CAServerNotReady',
      message:
        'no CA Server for CertificateAuthority production-ca: no ca: true Server with a Pool uses a Certificate of it',
    });
    expect(t.ca.calls).toEqual([]);
    t.api.cache('CertificateAuthority').items.clear();
    await t.reconcile();
    expect(t.ready('agent1')).toMatchObject({ reason: 'CertificateAuthorityNotFound' });
  });
});

describe('AgentCertificateReconciler: signedBy', () => {
  const policies = {
    policies: [
      {
        name: 'bootstrap-key',
        any: false,
        csrAttributes: [{ name: 'pp_preshared_key', oid: '1.3.6.1.4.1.34380.1.1.4', value: 's3cret' }],
      },
      { name: 'trusted-hosts', any: false, pattern: ['*.example.com'], csrAttributes: [] },
    ],
  };
  const certFor = async (certname: string, extensions = false) => {
    const keys = await generateKeyPair('ec-p256');
    return signLeaf(authority, {
      commonName: certname,
      publicKey: keys.publicKey,
      usages: ['serverAuth', 'clientAuth'],
      now: new Date('2026-11-25T12:00:00Z'),
      notAfter: new Date('2027-11-25T12:00:00Z'),
      ...(extensions ? { puppetCliAuth: true } : {}),
    });
  };

  it('names the policy a signed certificate matches; "CA Server" for one seen pending that none matches; each certificate read once', async () => {
    const t = setup({ policies });
    t.ca.add('web1.example.com', 'signed');
    t.ca.pems.set('web1.example.com', await certFor('web1.example.com'));
    t.ca.add('admin.example.com', 'signed');
    // pp_cli_auth needs a policy that names it: not trusted-hosts.
    t.ca.pems.set('admin.example.com', await certFor('admin.example.com', true));
    t.ca.add('manual', 'requested');
    // Listed between puppetserver storing the request and its autosign script signing it.
    t.ca.add('late.example.com', 'requested');
    await t.reconcile();
    expect(t.status('web1.example.com').signedBy).toBe('policy trusted-hosts');
    expect(t.status('admin.example.com')).not.toHaveProperty('signedBy');
    // puppetserver ca sign, outside the operator.
    t.ca.entries.get('manual')!.state = 'signed';
    t.ca.entries.get('manual')!.fingerprint = 'FP:manual:cert';
    t.ca.pems.set('manual', await certFor('manual'));
    Object.assign(t.ca.entries.get('late.example.com')!, { state: 'signed', fingerprint: 'FP:late:cert' });
    t.ca.pems.set('late.example.com', await certFor('late.example.com'));
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.status('manual').signedBy).toBe('CA Server');
    expect(t.status('late.example.com').signedBy).toBe('policy trusted-hosts');
    // Each certificate is read once; later polls keep what was found.
    t.api.clock.advance(POLL);
    await t.reconcile();
    expect(t.ca.calls.filter((c) => c.startsWith('certificate')).sort()).toEqual([
      'certificate admin.example.com',
      'certificate late.example.com',
      'certificate manual',
      'certificate web1.example.com',
    ]);
  });
});
