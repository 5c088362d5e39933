// The Server controller against the real API server and kube-controller-manager: Deployment as specified,
// status through the phases, HPA/PDB toggles, config roll-out, garbage collection and zero-write resyncs.
import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditEvents, auditLogSize } from '../src/cluster/audit.js';
import { kubectl, kubectlOk, readOperatorState } from '../src/e2e-support/kubectl.js';
import { metricsText } from '../src/e2e-support/operator-control.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { until } from '../src/e2e-support/poll.js';

jest.setTimeout(240_000);

const API = 'openvox.voxpupuli.org/v1alpha1';
// Fully qualified: cert-manager's CRDs (installed by the chart tests) also define `certificate`, `server`-like names.
const SERVER = 'servers.openvox.voxpupuli.org';
let ns: string;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function get(kind: string, name: string): Obj | undefined {
  const r = kubectl(['get', kind, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

const apply = (obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);
/** A merge patch of a Server's spec, as a user would type it. */
const patchServer = (name: string, spec: Record<string, unknown>) =>
  kubectlOk(['patch', SERVER, name, '-n', ns, '--type=merge', '-p', JSON.stringify({ spec })]);

/**
 * Writes the run's controller sent for this namespace, from the API server's audit log (its User-Agent
 * names its pid): other test files' namespaces, however busy, do not count.
 */
function controllerWrites(from: number): string[] {
  const pid = readOperatorState().pids.controller;
  return auditEvents(from)
    .filter((e) => e.objectRef?.namespace === ns && e.userAgent?.includes(`-${pid}-`))
    .map(
      (e) =>
        `${e.verb} ${e.objectRef?.resource}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''} ${e.objectRef?.name}`,
    );
}

/** The metrics only prove something when this run's controller is the one reconciling. */
async function waitForLeadership(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!/^openvox_controller_leader 1$/m.test(await metricsText())) {
    if (Date.now() > deadline)
      throw new Error('the controller at controllerUrl is not the leader: another operator holds the lease');
    await sleep(500);
  }
}

async function resync(): Promise<void> {
  const { debugUrl } = readOperatorState();
  const res = await fetch(`${debugUrl}/debug/resync`, { method: 'POST' });
  expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'resynced' });
}

function status(name: string): Obj {
  return get(SERVER, name)?.status ?? {};
}

const CA = { apiVersion: API, kind: 'CertificateAuthority', metadata: { name: 'production-ca' }, spec: {} };

function config(name: string, environmentTimeout?: string) {
  return {
    apiVersion: API,
    kind: 'Config',
    metadata: { name },
    spec: {
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.1' },
      authorityRef: 'production-ca',
      ...(environmentTimeout ? { puppet: { environmentTimeout } } : {}),
    },
  };
}

beforeAll(() => {
  // No pods run here (createNamespace's quota): this file checks the objects and the status the controller
  // derives from them; real pods, Running and ready counts are test/e2e/pods.test.ts.
  ns = createNamespace('e2e-controller');
  // Config and Certificate first; the CA comes later, so the Certificate cannot be signed yet.
  apply([
    config('production'),
    {
      apiVersion: API,
      kind: 'Certificate',
      metadata: { name: 'production-cert', namespace: ns },
      spec: { authorityRef: 'production-ca' },
    },
  ]);
});

afterAll(() => {
  deleteNamespace(ns);
});

describe('Server controller', () => {
  it('waits for the certificate, then renders the Deployment as specified', async () => {
    apply({
      apiVersion: API,
      kind: 'Server',
      metadata: { name: 'compiler', namespace: ns },
      spec: {
        configRef: 'production',
        certificateRef: 'production-cert',
        poolRefs: ['production-server'],
        replicas: 1,
        javaArgs: '-Xms1g -Xmx1g',
        maxActiveInstances: 2,
      },
    });
    const waiting = await until(
      'phase WaitingForCert',
      () => status('compiler').phase === 'WaitingForCert' && status('compiler'),
    );
    expect(waiting.conditions.find((c: Obj) => c.type === 'SSLBootstrapped')).toMatchObject({
      status: 'False',
      reason: 'CertificateNotSigned',
    });
    expect(get('deployment', 'compiler')).toBeUndefined();

    // The CA controller creates the CA, the Certificate controller signs {cert}-tls, the Config controller
    // renders {config}-config: the Server follows on its own.
    apply(CA);
    const d = await until('Deployment compiler', () => get('deployment', 'compiler'));
    const server = get(SERVER, 'compiler')!;
    expect(d.metadata.ownerReferences).toEqual([
      {
        apiVersion: API,
        kind: 'Server',
        name: 'compiler',
        uid: server.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'openvox-server',
      'app.kubernetes.io/instance': 'compiler',
      'app.kubernetes.io/managed-by': 'openvox-operator',
      'openvox.voxpupuli.org/server': 'compiler',
      'openvox.voxpupuli.org/pool-production-server': 'true',
    });
    expect(d.spec.selector).toEqual({ matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } });
    expect(d.spec.strategy.type).toBe('RollingUpdate');
    expect(d.spec.replicas).toBe(1);
    const pod = d.spec.template.spec;
    // crl-sync: the native sidecar that keeps puppetserver's CRL file current.
    expect(pod.initContainers.map((c: Obj) => c.name)).toEqual(['tls-init', 'crl-sync']);
    const main = pod.containers[0];
    expect(main.name).toBe('openvox-server');
    expect(main.env).toEqual([{ name: 'JAVA_ARGS', value: '-Xms1g -Xmx1g -Djruby-puppet.max-active-instances=2' }]);
    expect(main.readinessProbe.httpGet).toMatchObject({ path: '/status/v1/simple', port: 8140, scheme: 'HTTPS' });
    expect(pod.volumes.map((v: Obj) => v.name)).toEqual(
      expect.arrayContaining([
        'ssl',
        'ssl-cert',
        'ssl-ca',
        'ssl-ca-crl',
        'puppet-conf',
        'webserver-conf',
        'ca-cfg',
        'tmp',
      ]),
    );
    expect(main.volumeMounts.find((m: Obj) => m.name === 'ssl-ca-crl')).toEqual({
      name: 'ssl-ca-crl',
      mountPath: '/etc/puppetlabs/puppet/crl',
      readOnly: true,
    });
    expect(Object.keys(d.spec.template.metadata.annotations)).toEqual(
      expect.arrayContaining([
        'openvox.voxpupuli.org/config-hash',
        'openvox.voxpupuli.org/ssl-secret-hash',
        'openvox.voxpupuli.org/ca-secret-hash',
      ]),
    );
    const pending = await until('phase Pending', () => status('compiler').phase === 'Pending' && status('compiler'));
    expect(pending).toMatchObject({ ready: 0, desired: 1, observedGeneration: server.metadata.generation });
    expect(pending.conditions.find((c: Obj) => c.type === 'SSLBootstrapped')).toMatchObject({
      status: 'True',
      reason: 'CertificateSigned',
    });
  });

  it('stays Pending with PodsNotReady while no pod is Ready, with one Event per transition', async () => {
    const pending = await until(
      'phase Pending with a reason',
      () => status('compiler').phase === 'Pending' && status('compiler'),
    );
    expect(pending).toMatchObject({ ready: 0, desired: 1 });
    expect(pending.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodsNotReady',
    });
    const events = kubectlOk([
      'get',
      'events',
      '-n',
      ns,
      '--field-selector',
      'involvedObject.name=compiler,involvedObject.kind=Server',
      '-o',
      'json',
    ]);
    const reasons = (JSON.parse(events).items as Obj[]).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['WaitingForCert', 'Pending']));
    expect(reasons.filter((r) => r === 'Pending')).toHaveLength(1);
  });

  it('creates and removes the PDB and the HPA with their toggles', async () => {
    patchServer('compiler', { pdb: { enabled: true, minAvailable: 1 } });
    const pdb = await until('PDB compiler', () => get('pdb', 'compiler'));
    expect(pdb.spec).toMatchObject({
      minAvailable: 1,
      selector: { matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } },
    });
    expect(pdb.metadata.ownerReferences[0]).toMatchObject({ kind: 'Server', name: 'compiler', controller: true });

    patchServer('compiler', { replicas: 2 });
    await until('2 replicas', () => get('deployment', 'compiler')!.spec.replicas === 2);
    patchServer('compiler', { autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 3 } });
    const hpa = await until('HPA compiler', () => get('hpa', 'compiler'));
    // The HPA takes spec.replicas over as it stands: no reset to the default of 1 on the way.
    const d = JSON.parse(kubectlOk(['get', 'deployment', 'compiler', '-n', ns, '-o', 'json', '--show-managed-fields']));
    expect(d.spec.replicas).toBe(2);
    expect(
      d.metadata.managedFields.find((f: Obj) => f.manager === 'openvox-operator').fieldsV1['f:spec']['f:replicas'],
    ).toBeUndefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'compiler' },
      minReplicas: 1,
      maxReplicas: 3,
    });

    patchServer('compiler', { replicas: 1, pdb: { enabled: false }, autoscaling: { enabled: false } });
    await until('PDB and HPA gone', () => !get('pdb', 'compiler') && !get('hpa', 'compiler'));
    await until('spec.replicas applied again', () => get('deployment', 'compiler')!.spec.replicas === 1);
  });

  it('rolls the pod template when the Config (and so its ConfigMap) changes', async () => {
    const hash = () =>
      get('deployment', 'compiler')!.spec.template.metadata.annotations['openvox.voxpupuli.org/config-hash'];
    const before = hash();
    apply(config('production', '5m'));
    const after = await until('a new config-hash', () => hash() !== before && hash());
    expect(after).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes zero writes when resyncing unchanged Servers', async () => {
    // With PDB, HPA and non-canonical quantities, so every owned kind and the quantity comparison count.
    const logStart = auditLogSize();
    patchServer('compiler', {
      pdb: { enabled: true },
      autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 2 },
      resources: { requests: { cpu: '1000m', memory: '1024Mi' } },
    });
    await until('PDB and HPA', () => get('pdb', 'compiler') && get('hpa', 'compiler'));
    // Let the Deployment and the Server status settle, then take full resyncs.
    await until('Deployment observed and Server status current', () => {
      const d = get('deployment', 'compiler')!;
      const server = get(SERVER, 'compiler')!;
      return (
        d.status?.observedGeneration === d.metadata.generation &&
        server.status?.observedGeneration === server.metadata.generation &&
        status('compiler').phase === 'Pending'
      );
    });
    let stable = 0;
    let previous = -1;
    while (stable < 4) {
      const now = controllerWrites(logStart).length;
      stable = now === previous ? stable + 1 : 0;
      previous = now;
      await sleep(500);
    }
    await waitForLeadership();
    // Counted from the patch above: the controller applied the PDB and HPA in this window.
    const before = controllerWrites(logStart);
    expect(before.length).toBeGreaterThan(0);
    await resync();
    await resync();
    await sleep(1000); // the audit log is written as each request completes
    expect(controllerWrites(logStart).slice(before.length)).toEqual([]);
  });

  it('renders a CA Server with Recreate and the CA volumes', async () => {
    apply({
      apiVersion: API,
      kind: 'Server',
      metadata: { name: 'production-ca', namespace: ns },
      spec: { configRef: 'production', certificateRef: 'production-cert', ca: true, replicas: 1 },
    });
    const d = await until('Deployment production-ca', () => get('deployment', 'production-ca'));
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const volumes = Object.fromEntries((d.spec.template.spec.volumes as Obj[]).map((v) => [v.name, v]));
    expect(volumes['ca-data']).toEqual({ name: 'ca-data', persistentVolumeClaim: { claimName: 'production-ca-data' } });
    expect(volumes['autosign-policy']!.secret.secretName).toBe('production-ca-autosign-policy');
    // The CA key and CRL are read only by ca-init, which seeds an empty CA volume.
    expect(volumes['ca-key']!.secret.secretName).toBe('production-ca-ca-key');
    expect(d.spec.template.spec.initContainers.map((c: Obj) => c.name)).toEqual(['ca-init', 'tls-init']);
    expect(d.spec.template.spec.containers[0].volumeMounts.map((m: Obj) => m.name)).not.toContain('ca-key');
  });

  it('reports a missing Config as Error and recovers when it appears', async () => {
    apply({
      apiVersion: API,
      kind: 'Server',
      metadata: { name: 'orphan', namespace: ns },
      spec: { configRef: 'missing', certificateRef: 'production-cert' },
    });
    const err = await until('phase Error', () => status('orphan').phase === 'Error' && status('orphan'));
    expect(err.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ConfigNotFound',
    });
    // The Config arriving (no change to the Server) must wake the Server up once its ConfigMap exists.
    apply(config('missing'));
    await until('Deployment orphan', () => get('deployment', 'orphan'));
    await until('phase Pending', () => status('orphan').phase === 'Pending');
    kubectlOk(['delete', SERVER, 'orphan', '-n', ns]);
  });

  it('garbage-collects owned objects when the Server is deleted', async () => {
    patchServer('compiler', { pdb: { enabled: true } });
    await until('PDB compiler', () => get('pdb', 'compiler'));
    kubectlOk(['delete', SERVER, 'compiler', '-n', ns, '--wait=false']);
    await until(
      'Deployment and PDB collected',
      () => !get('deployment', 'compiler') && !get('pdb', 'compiler'),
      90_000,
    );
  });
});
