import { pino } from 'pino';
import { createAuthority, createCrl, loadAuthority } from '@openvox/shared/runtime';
import { FakeClock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { ReferenceIndex } from './index-refs.js';
import { ServerReconciler, type ServerCaches } from './reconcile.js';
import { authority, certificate, config, NS, server } from './fixtures.test-helpers.js';

/** The shared fake API; its writes land in the caches, as the informers would deliver them. */
function setup() {
  const writes: string[] = [];
  const api = fakeApi({
    onWrite: (w) => writes.push(`${w.verb} ${w.kind}${w.fieldManager ? ` as ${w.fieldManager}` : ''}`),
  });
  const caches = {
    servers: api.cache('Server'),
    configs: api.cache('Config'),
    certificates: api.cache('Certificate'),
    authorities: api.cache('CertificateAuthority'),
    configMaps: api.cache('ConfigMap'),
    secrets: api.cache('Secret'),
    deployments: api.cache('Deployment'),
    hpas: api.cache('HorizontalPodAutoscaler'),
    pdbs: api.cache('PodDisruptionBudget'),
    networkPolicies: api.cache('NetworkPolicy'),
  };
  const client = api.client;
  const appliedRv = api.lastResourceVersion;
  const events: string[] = [];
  const recorder: EventRecorder = { record: async (_o, type, reason) => void events.push(`${type} ${reason}`) };
  const index = new ReferenceIndex();
  const reconciler = new ServerReconciler({
    client,
    caches: caches as unknown as ServerCaches,
    index,
    recorder,
    clock: new FakeClock(Date.parse('2026-11-25T12:00:00Z')),
    logger: pino({ level: 'silent' }),
  });
  const put = (o: unknown) => {
    const k = (o as KubeObject).kind!;
    const target = {
      Server: caches.servers,
      Config: caches.configs,
      Certificate: caches.certificates,
      CertificateAuthority: caches.authorities,
    }[k];
    target!.put(o as KubeObject);
  };
  const data = (kind: 'ConfigMap' | 'Secret', name: string, d: Record<string, string>) =>
    (kind === 'ConfigMap' ? caches.configMaps : caches.secrets).put({
      kind,
      metadata: { name, namespace: NS },
      data: d,
    });
  const status = () =>
    caches.servers.get(NS, 'compiler')!.status as Record<string, unknown> & {
      conditions: { type: string; reason: string }[];
    };
  return { caches, writes, events, index, reconciler, put, data, status, appliedRv };
}

function complete(t: ReturnType<typeof setup>, spec = {}) {
  t.put(server('compiler', spec));
  t.put(config());
  t.put(certificate());
  t.put(authority());
  t.data('ConfigMap', 'production-config', { 'puppet.conf': 'a' });
  t.data('Secret', 'production-cert-tls', { 'cert.pem': 'Yw==' });
  t.data('Secret', 'production-ca-ca', { 'ca_crt.pem': 'Yw==' });
  t.data('Secret', 'production-ca-ca-crl', { 'ca_crl.pem': 'Yw==' });
}

describe('ServerReconciler', () => {
  it('creates the Deployment, writes status once, and a second pass makes zero writes', async () => {
    const t = setup();
    complete(t);
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['apply Deployment', 'status Server']);
    expect(t.status()).toMatchObject({ phase: 'Pending', ready: 0, desired: 2, observedGeneration: 3 });
    expect(t.events).toEqual(['Normal Pending']);
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual([]);
    expect(t.events).toEqual(['Normal Pending']);
  });

  it('does not repeat writes while the informer caches lag behind them', async () => {
    const t = setup();
    complete(t);
    t.caches.servers.put({
      ...t.caches.servers.get(NS, 'compiler')!,
      metadata: { ...server().metadata, resourceVersion: '10' },
    } as KubeObject);
    // A lagging cache: writes succeed, but the caches keep showing the old objects.
    const deployments = t.caches.deployments;
    const servers = t.caches.servers;
    const realPut = deployments.put.bind(deployments);
    deployments.put = () => undefined;
    const realServerPut = servers.put.bind(servers);
    servers.put = () => undefined;
    await t.reconciler.reconcile(`${NS}/compiler`);
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['apply Deployment', 'status Server']);
    expect(t.events).toEqual(['Normal Pending']);
    // The informer delivers our write, then someone else's change: that must be applied over again.
    deployments.put = realPut;
    servers.put = realServerPut;
    t.reconciler.applied.observe(`Deployment/${NS}/compiler`, t.appliedRv.Deployment);
    deployments.put({
      kind: 'Deployment',
      metadata: {
        name: 'compiler',
        namespace: NS,
        resourceVersion: '99',
        ownerReferences: [{ apiVersion: 'x', kind: 'Server', name: 'compiler', uid: 'uid-compiler', controller: true }],
      },
    });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes.filter((w) => w === 'apply Deployment')).toHaveLength(2);
  });

  it('moves to Running when the Deployment reports ready pods', async () => {
    const t = setup();
    complete(t);
    await t.reconciler.reconcile(`${NS}/compiler`);
    const d = t.caches.deployments.get(NS, 'compiler')!;
    t.caches.deployments.put({ ...d, status: { readyReplicas: 1 } });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status()).toMatchObject({ phase: 'Running', ready: 1 });
    expect(t.status().conditions.map((c) => `${c.type}=${c.reason}`)).toEqual([
      'SSLBootstrapped=CertificateSigned',
      'Ready=PodsReady',
    ]);
  });

  it('reports a failing probe as ProbeFailing with the kubelet message, one Warning per new reason', async () => {
    const t = setup();
    complete(t);
    const running = { running: { startedAt: '2026-11-25T11:59:00Z' } };
    const pod = (name: string, ready: boolean) => ({
      metadata: { name, namespace: NS, uid: `uid-${name}`, labels: { 'openvox.voxpupuli.org/server': 'compiler' } },
      status: { containerStatuses: [{ name: 'openvox-server', ready, state: running }] },
    });
    let pods = [pod('compiler-a', true), pod('compiler-b', false)];
    let failures: Record<string, string> = {};
    const caches = t.caches as unknown as ServerCaches;
    caches.pods = { get: () => undefined, list: () => [], withLabel: () => pods as KubeObject[] };
    caches.probeEventsOf = (_ns, name) =>
      failures[name]
        ? [
            {
              metadata: { name: `${name}.1`, namespace: NS },
              involvedObject: { name, uid: `uid-${name}`, fieldPath: 'spec.containers{openvox-server}' },
              message: failures[name],
              lastTimestamp: '2026-11-25T11:59:30Z',
            },
          ]
        : [];
    await t.reconciler.reconcile(`${NS}/compiler`);
    const d = t.caches.deployments.get(NS, 'compiler')!;
    t.caches.deployments.put({ ...d, status: { readyReplicas: 1 } });
    failures = { 'compiler-b': 'Readiness probe failed: context deadline exceeded' };
    await t.reconciler.reconcile(`${NS}/compiler`);
    const ready = () => (t.status().conditions as unknown as Record<string, string>[]).find((c) => c.type === 'Ready')!;
    expect(ready()).toMatchObject({
      status: 'True',
      reason: 'ProbeFailing',
      message:
        '1 of 2 pods ready: pod compiler-b container openvox-server: Readiness probe failed: context deadline exceeded',
    });
    expect(t.events.filter((e) => e.startsWith('Warning'))).toEqual(['Warning ProbeFailing']);
    // Another failure message, the same reason: the condition follows, no second Warning.
    failures = { 'compiler-b': 'Readiness probe failed: HTTP probe failed with statuscode: 503' };
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(ready().message).toMatch(/statuscode: 503$/);
    expect(t.events.filter((e) => e.startsWith('Warning'))).toEqual(['Warning ProbeFailing']);
    // The probe passes again: back to PodsReady.
    pods = [pod('compiler-a', true), pod('compiler-b', true)];
    failures = {};
    t.caches.deployments.put({ ...t.caches.deployments.get(NS, 'compiler')!, status: { readyReplicas: 2 } });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(ready()).toMatchObject({ status: 'True', reason: 'PodsReady' });
  });

  it('waits for the certificate, then reports missing Config and Secrets as Error', async () => {
    const t = setup();
    complete(t);
    t.put(certificate({ phase: 'WaitingForSigning' }));
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status().phase).toBe('WaitingForCert');
    expect(t.writes).toEqual(['status Server']);

    t.put(certificate());
    t.caches.secrets.items.delete(`${NS}/production-ca-ca-crl`);
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status()).toMatchObject({ phase: 'Error' });
    expect(t.status().conditions[1]!.reason).toBe('SecretNotFound');

    t.caches.configs.items.clear();
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status().conditions[1]!.reason).toBe('ConfigNotFound');
    expect(t.events).toEqual(['Normal WaitingForCert', 'Warning SecretNotFound', 'Warning ConfigNotFound']);
  });

  it('refuses a CA Server with 3 replicas (the webhook was bypassed): phase Error, InvalidSpec, a Warning, no apply', async () => {
    const t = setup();
    complete(t, { ca: true, replicas: 3 });
    t.data('Secret', 'production-ca-autosign-policy', { policy: 'Yw==' });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['status Server']);
    expect(t.caches.deployments.get(NS, 'compiler')).toBeUndefined();
    expect(t.status().phase).toBe('Error');
    const ready = t.status().conditions.find((c) => c.type === 'Ready') as unknown as {
      reason: string;
      message: string;
    };
    expect(ready.reason).toBe('InvalidSpec');
    expect(ready.message).toContain('spec.replicas: must be 0 or 1 when ca is true');
    expect(t.events).toEqual(['Warning InvalidSpec']);

    // An unchanged resync: no write, no second Event. Fixed: rendered.
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual([]);
    t.put(server('compiler', { ca: true, replicas: 1 }));
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['apply Deployment', 'status Server']);
    expect(t.status().phase).toBe('Pending');
    expect(t.events).toEqual(['Warning InvalidSpec', 'Normal Pending']);
  });

  it('leaves a running Deployment alone when its Server turns invalid: no scale-up of a CA', async () => {
    const t = setup();
    complete(t, { ca: true, replicas: 1 });
    t.data('Secret', 'production-ca-autosign-policy', { policy: 'Yw==' });
    await t.reconciler.reconcile(`${NS}/compiler`);
    const before = t.caches.deployments.get(NS, 'compiler')!;
    t.put(server('compiler', { ca: true, replicas: 3 }));
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['status Server']);
    expect(t.caches.deployments.get(NS, 'compiler')).toEqual(before);
    expect((before.spec as { replicas: number }).replicas).toBe(1);
    expect(t.status().phase).toBe('Error');
  });

  it('keeps running on the current Secret while the Certificate renews', async () => {
    const t = setup();
    complete(t);
    t.put(certificate({ phase: 'Renewing', secretName: 'production-cert-tls' }));
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status().phase).toBe('Pending');
    expect(t.writes).toContain('apply Deployment');
  });

  it('records every dependency so changes fan out to this Server', async () => {
    const t = setup();
    complete(t);
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.index.depsOf(`${NS}/compiler`).sort()).toEqual([
      'Certificate/prod/production-cert',
      'CertificateAuthority/prod/production-ca',
      'Config/prod/production',
      'ConfigMap/prod/production-config',
      'Secret/prod/production-ca-ca',
      'Secret/prod/production-ca-ca-crl',
      'Secret/prod/production-cert-tls',
      // Mounted while it exists: its creation must reach the Server.
      'Secret/prod/production-report-processors',
    ]);
  });

  it('rolls the pods when the ConfigMap changes and removes a pool label that was dropped', async () => {
    const t = setup();
    complete(t, { poolRefs: ['a', 'b'] });
    await t.reconciler.reconcile(`${NS}/compiler`);
    const before = t.caches.deployments.get(NS, 'compiler') as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    } & KubeObject;
    t.data('ConfigMap', 'production-config', { 'puppet.conf': 'b' });
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['apply Deployment']);
    const after = t.caches.deployments.get(NS, 'compiler') as typeof before;
    expect(after.spec.template.metadata.annotations['openvox.voxpupuli.org/config-hash']).not.toBe(
      before.spec.template.metadata.annotations['openvox.voxpupuli.org/config-hash'],
    );
    // The fake keeps the old labels (a subset check alone would miss the removal); the applied hash catches it.
    t.put({ ...server('compiler', { poolRefs: ['a'] }), status: t.status() });
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['apply Deployment']);
  });

  it('creates and deletes HPA and PDB with the toggles, and only deletes what it owns', async () => {
    const t = setup();
    complete(t, { pdb: { enabled: true }, autoscaling: { enabled: true, minReplicas: 2 } });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes.sort()).toEqual([
      'apply Deployment',
      'apply HorizontalPodAutoscaler',
      'apply PodDisruptionBudget',
      'status Server',
    ]);
    expect(t.status().desired).toBe(2);
    t.put(server('compiler', { pdb: { enabled: false }, autoscaling: { enabled: false } }));
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes.sort()).toEqual([
      'apply Deployment',
      'delete HorizontalPodAutoscaler',
      'delete PodDisruptionBudget',
    ]);

    // A foreign PDB of the same name is neither deleted nor taken over.
    t.caches.pdbs.put({ kind: 'PodDisruptionBudget', metadata: { name: 'compiler', namespace: NS, uid: 'foreign' } });
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual([]);
    t.put(server('compiler', { pdb: { enabled: true } }));
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).not.toContain('apply PodDisruptionBudget');
    expect(t.status().conditions[1]!.reason).toBe('ResourceConflict');
  });

  it('applies the NetworkPolicy {server}-netpol when enabled and deletes its own when switched off', async () => {
    const t = setup();
    complete(t, { networkPolicy: { enabled: true } });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toContain('apply NetworkPolicy');
    expect(t.caches.networkPolicies.get(NS, 'compiler-netpol')).toBeDefined();
    t.put(server('compiler', { networkPolicy: { enabled: false } }));
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual(['delete NetworkPolicy']);
  });

  it('hands spec.replicas over before autoscaling takes it, so the Deployment is not reset to 1', async () => {
    const t = setup();
    complete(t, { replicas: 3 });
    await t.reconciler.reconcile(`${NS}/compiler`);
    const d = t.caches.deployments.get(NS, 'compiler')!;
    const managedFields = [
      { manager: 'openvox-operator', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ];
    t.caches.deployments.put({ ...d, metadata: { ...d.metadata, managedFields, resourceVersion: '5' } });
    t.put({
      ...server('compiler', { replicas: 3, autoscaling: { enabled: true, minReplicas: 2 } }),
      status: t.status(),
    });
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes.slice(0, 2)).toEqual(['apply Deployment as openvox-operator-handover', 'apply Deployment']);
    // Once we no longer own the field there is nothing to hand over.
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes.filter((w) => w.includes('handover'))).toEqual([]);
  });

  it('reports an API failure as Error ApplyFailed and rethrows so the queue retries', async () => {
    const t = setup();
    complete(t);
    const reconciler = t.reconciler as unknown as { d: { client: KubeClient } };
    reconciler.d.client.apply = async () => {
      throw new Error('PATCH deployments/compiler: 500 etcd unavailable');
    };
    await expect(t.reconciler.reconcile(`${NS}/compiler`)).rejects.toThrow('etcd unavailable');
    expect(t.status()).toMatchObject({ phase: 'Error' });
    expect(t.status().conditions[1]).toMatchObject({
      reason: 'ApplyFailed',
      message: expect.stringContaining('etcd unavailable'),
    });
    expect(t.events).toEqual(['Warning ApplyFailed']);
  });

  it('forgets a deleted Server', async () => {
    const t = setup();
    complete(t);
    await t.reconciler.reconcile(`${NS}/compiler`);
    t.caches.servers.items.clear();
    t.writes.length = 0;
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.writes).toEqual([]);
    expect(t.index.depsOf(`${NS}/compiler`)).toEqual([]);
  });
});

describe('the CRL a non-CA Server pods get', () => {
  it('reports the CRL number of the {ca}-ca-crl Secret its pods mount, parsed once per Secret version', async () => {
    const t = setup();
    complete(t);
    const pem = await testCrl(7n);
    t.caches.secrets.put({
      kind: 'Secret',
      metadata: { name: 'production-ca-ca-crl', namespace: NS, resourceVersion: '5' },
      data: { 'ca_crl.pem': Buffer.from(pem).toString('base64') },
    });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status().crlNumber).toBe(7);
    t.caches.secrets.put({
      kind: 'Secret',
      metadata: { name: 'production-ca-ca-crl', namespace: NS, resourceVersion: '6' },
      data: { 'ca_crl.pem': Buffer.from(await testCrl(8n)).toString('base64') },
    });
    await t.reconciler.reconcile(`${NS}/compiler`);
    expect(t.status().crlNumber).toBe(8);
  });
});

/** A CRL with the given number, signed by a throwaway CA. */
async function testCrl(crlNumber: bigint): Promise<string> {
  const now = new Date();
  const pem = await createAuthority({
    commonName: 'Puppet CA: t',
    now,
    notAfter: new Date(now.getTime() + 86_400_000),
    algorithm: 'ec-p256',
  });
  const ca = await loadAuthority(pem.certPem, pem.keyPem);
  return createCrl(ca, { revoked: [], crlNumber, now, nextUpdate: ca.cert.notAfter });
}
