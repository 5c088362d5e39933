// Real pods on the real node: `kubectl apply -f examples/` gives a CA Server pod that the kubelet starts,
// probes and reports Ready (no status patches anywhere); a non-CA Server with 2 replicas fills its
// Pool's Service; a deleted pod comes back; a PDB refuses an eviction; the HPA owns the replicas; a
// Server whose image does not exist says why. The pods run the local OpenVox Server stand-in image
// (test/images, docs/image-contract.md), imported under the name examples/ uses.
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, KIND, listObjects, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyEndpoints, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';
import { IMAGES } from '../src/cluster/node/images.js';

// A puppetserver pod is Ready in 24-45 s on an idle 2-core machine and up to ~90 s under load.
const POD_MS = 300_000;
jest.setTimeout(POD_MS + 60_000);

const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const COMPILER_SELECTOR = 'openvox.voxpupuli.org/server=compiler';
// The pod runs as uid 1001, for which Puppet's default confdir is ~/.puppetlabs: name the pod's puppet.conf.
const caCli = (action: string, ...args: string[]) => [
  'puppetserver',
  'ca',
  action,
  '--config',
  '/etc/puppetlabs/puppet/puppet.conf',
  ...args,
];
const note = (line: string) => console.info(`[pods] ${line}`);
let ns: string;

const server = (name: string) => getObject(KIND.server, name, ns);
const apply = (obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);

/** What the pods of a Server are waiting for, for timeout messages. */
const explain = (selector: string) => () =>
  livePods(ns, selector).map((p: Obj) => ({
    pod: p.metadata.name,
    phase: p.status?.phase,
    waiting: waitingReasons(p),
  }));

function compiler(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: API,
    kind: 'Server',
    metadata: { name: 'compiler', namespace: ns },
    spec: {
      configRef: 'production',
      // Its own certificate: joining a Pool adds that Service's names to the certificate of the Server,
      // and re-issuing the CA Server's certificate would restart the CA (Recreate).
      certificateRef: 'compiler-cert',
      poolRefs: ['production-compilers'],
      ca: false,
      // The environments come from an image volume (test/images: a site.pp with a notify).
      code: { image: IMAGES.code },
      replicas: 2,
      javaArgs: SMALL_JAVA_ARGS,
      ...spec,
    },
  };
}

beforeAll(() => {
  ns = createNamespace('e2e-pods', { runPods: true });
  kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples')]);
  apply([
    { apiVersion: API, kind: 'Pool', metadata: { name: 'production-compilers', namespace: ns } },
    {
      apiVersion: API,
      kind: 'Certificate',
      metadata: { name: 'compiler-cert', namespace: ns },
      spec: { authorityRef: 'production-ca', certname: 'compiler' },
    },
    // Known from the start, with no pods yet: its certificate is issued once, with the Pool's Service names,
    // instead of being re-issued (and the pods rolled) when the Server joins the Pool later.
    compiler({ replicas: 0 }),
  ]);
});

afterAll(() => {
  deleteNamespace(ns);
});

describe('real pods from examples/', () => {
  it('starts the CA Server pod: init containers succeed, probes pass, the Server reports Running', async () => {
    const t0 = Date.now();
    const [pod] = await until(
      'the CA pod Ready',
      () => readyPods(ns, CA_SELECTOR).length === 1 && readyPods(ns, CA_SELECTOR),
      POD_MS,
      explain(CA_SELECTOR),
    );
    note(`CA pod ${pod.metadata.name} Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after apply`);
    expect(pod.spec.nodeName).toBe('openvox-node');
    // The kubelet ran ca-init and tls-init to completion, in order, as the pod's non-root user.
    const inits = Object.fromEntries(pod.status.initContainerStatuses.map((s: Obj) => [s.name, s.state.terminated]));
    expect(inits['ca-init']).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(inits['tls-init']).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const main = pod.status.containerStatuses.find((s: Obj) => s.name === 'openvox-server');
    expect(main).toMatchObject({ ready: true, started: true, restartCount: 0 });
    // Started and Ready on the real kubelet with every container's root read-only, disk requests and
    // limits, and a liveness probe that is not the readiness probe.
    for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
      expect([c.name, c.securityContext.readOnlyRootFilesystem]).toEqual([c.name, true]);
      expect(c.resources.requests['ephemeral-storage']).toBeDefined();
      expect(c.resources.limits['ephemeral-storage']).toBeDefined();
    }
    const probes = pod.spec.containers.find((c: Obj) => c.name === 'openvox-server');
    expect(probes.livenessProbe.tcpSocket).toEqual({ port: 8140 });
    expect(probes.readinessProbe.httpGet.path).toBe('/status/v1/simple');
    const running = await until(
      'Server production-ca Running',
      () => server('production-ca')?.status?.phase === 'Running' && server('production-ca'),
    );
    expect(running.status).toMatchObject({ ready: 1, desired: 1 });
    expect(running.status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'PodsReady',
    });
    // The CA volume is a real claim bound to a node volume.
    expect(getObject('pvc', 'production-ca-data', ns)?.status?.phase).toBe('Bound');
    expect(podLogs(ns, pod.metadata.name, 'ca-init')).not.toBe('');
  });

  it('fills the Pool Service of a non-CA Server with 2 ready endpoints', async () => {
    apply(compiler());
    const t0 = Date.now();
    const endpoints = await until(
      '2 ready endpoints of production-compilers',
      () => readyEndpoints(ns, 'production-compilers').length === 2 && readyEndpoints(ns, 'production-compilers'),
      POD_MS,
      explain(COMPILER_SELECTOR),
    );
    note(`2 compiler pods Ready behind the Pool Service ${((Date.now() - t0) / 1000).toFixed(1)} s after apply`);
    const pods = readyPods(ns, COMPILER_SELECTOR);
    expect(pods.map((p: Obj) => p.status.podIP).sort()).toEqual([...endpoints].sort());
    // crl-sync runs beside puppetserver as a native sidecar (an init container that keeps running).
    for (const pod of pods) {
      const sync = pod.status.initContainerStatuses.find((s: Obj) => s.name === 'crl-sync');
      expect(sync).toMatchObject({ started: true });
      expect(sync.state.running).toBeDefined();
    }
    await until('Server compiler Running with 2 ready', () => server('compiler')?.status?.ready === 2);
    expect(server('compiler').status.phase).toBe('Running');
  });

  it('serves an agent pod: CSR signed with puppetserver ca sign in the CA pod, catalog from the code image', async () => {
    const caPod = readyPods(ns, CA_SELECTOR)[0].metadata.name;
    // The agent finds both Services by name through the cluster DNS; it waits for its certificate.
    apply(
      agentPod(
        ns,
        'agent1',
        IMAGES.agent,
        [
          { name: 'SERVER', value: `production-compilers.${ns}.svc` },
          { name: 'CA_SERVER', value: `production-ca.${ns}.svc` },
        ],
        'puppet agent --test --server "$SERVER" --ca_server "$CA_SERVER" --certname agent1 --waitforcert 2; rc=$?; echo "agent exit $rc"; [ $rc -eq 0 ] || [ $rc -eq 2 ]',
      ),
    );
    const t0 = Date.now();
    // What a user types: kubectl exec into the CA pod and sign (once the agent's CSR has arrived).
    const signed = await until(
      'puppetserver ca sign --certname agent1',
      () => {
        const r = kubectl([
          'exec',
          '-n',
          ns,
          caPod,
          '-c',
          'openvox-server',
          '--',
          ...caCli('sign', '--certname', 'agent1'),
        ]);
        return r.code === 0 && r.stdout;
      },
      180_000,
      () => kubectl(['exec', '-n', ns, caPod, '-c', 'openvox-server', '--', ...caCli('list', '--all')]),
    );
    expect(signed).toMatch(/Successfully signed certificate request for agent1/);
    const done = await until(
      'the agent pod to finish',
      () =>
        ['Succeeded', 'Failed'].includes(getObject('pod', 'agent1', ns)?.status?.phase) &&
        getObject('pod', 'agent1', ns),
      180_000,
      () => podLogs(ns, 'agent1', 'agent'),
    );
    const logs = podLogs(ns, 'agent1', 'agent', 200);
    note(`agent1 applied its catalog ${((Date.now() - t0) / 1000).toFixed(1)} s after the pod was created`);
    expect({ phase: done.status.phase, logs }).toMatchObject({ phase: 'Succeeded' });
    expect(logs).toContain('catalog from the code image for agent1');
    kubectlOk(['delete', 'pod', 'agent1', '-n', ns, '--wait=false']);
  });

  it('keeps the CA volume across a CA pod restart (Recreate): the signed agent is still in the inventory', async () => {
    const [old] = readyPods(ns, CA_SELECTOR);
    kubectlOk(['delete', 'pod', old.metadata.name, '-n', ns, '--wait=false']);
    const t0 = Date.now();
    const [fresh] = await until(
      'a new CA pod Ready',
      () => {
        const pods = readyPods(ns, CA_SELECTOR).filter((p: Obj) => p.metadata.name !== old.metadata.name);
        return pods.length === 1 && pods;
      },
      POD_MS,
      explain(CA_SELECTOR),
    );
    note(`CA pod replaced and Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after the delete`);
    const list = kubectlOk([
      'exec',
      '-n',
      ns,
      fresh.metadata.name,
      '-c',
      'openvox-server',
      '--',
      ...caCli('list', '--all'),
    ]);
    expect(list).toMatch(/agent1/);
    await until('Server production-ca Running again', () => server('production-ca')?.status?.phase === 'Running');
  });

  it('replaces a deleted pod and returns to Running', async () => {
    const [victim] = readyPods(ns, COMPILER_SELECTOR);
    kubectlOk(['delete', 'pod', victim.metadata.name, '-n', ns, '--wait=false']);
    await until('the Server to notice', () => (server('compiler')?.status?.ready ?? 2) < 2, 60_000).catch(
      () => undefined,
    );
    await until(
      '2 ready pods again',
      () => {
        const pods = readyPods(ns, COMPILER_SELECTOR);
        return pods.length === 2 && !pods.some((p: Obj) => p.metadata.name === victim.metadata.name);
      },
      POD_MS,
      explain(COMPILER_SELECTOR),
    );
    await until(
      'Server compiler back to 2 ready',
      () => server('compiler')?.status?.ready === 2 && server('compiler')?.status?.phase === 'Running',
    );
  });

  it('refuses an eviction that would break the PodDisruptionBudget', async () => {
    apply(compiler({ pdb: { enabled: true, minAvailable: 2 } }));
    await until('the PDB sees 2 healthy pods', () => getObject('pdb', 'compiler', ns)?.status?.currentHealthy === 2);
    await until(
      'the PDB allows no disruption',
      () => getObject('pdb', 'compiler', ns)?.status?.disruptionsAllowed === 0,
    );
    const [pod] = readyPods(ns, COMPILER_SELECTOR);
    const eviction = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: pod.metadata.name, namespace: ns },
    };
    const path = `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/eviction`;
    const r = kubectl(['create', '--raw', path, '-f', '-'], JSON.stringify(eviction));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/disruption budget/i);
    expect(getObject('pod', pod.metadata.name, ns)?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('lets the HPA own the replicas: raising minReplicas starts another pod', async () => {
    apply(compiler({ pdb: { enabled: false }, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 4 } }));
    await until('the HPA', () => getObject('hpa', 'compiler', ns));
    // No metrics server here: the HPA still enforces its bounds, and only it sets the Deployment's replicas.
    await until(
      '3 replicas set by the HPA',
      () => getObject('deployment', 'compiler', ns)?.spec.replicas === 3,
      120_000,
    );
    const deployment = JSON.parse(
      kubectlOk(['get', 'deployment', 'compiler', '-n', ns, '-o', 'json', '--show-managed-fields']),
    );
    const managers = (deployment.metadata.managedFields as Obj[])
      .filter((f) => JSON.stringify(f.fieldsV1 ?? {}).includes('"f:replicas"'))
      .map((f) => f.manager);
    expect(managers).not.toContain('openvox-operator');
    await until(
      '3 ready pods',
      () => readyPods(ns, COMPILER_SELECTOR).length === 3,
      POD_MS,
      explain(COMPILER_SELECTOR),
    );
    await until(
      'Server compiler desired 3 ready 3',
      () => server('compiler')?.status?.desired === 3 && server('compiler')?.status?.ready === 3,
    );
    // Back to two, so later tests share the node's memory.
    apply(compiler({ autoscaling: { enabled: false }, replicas: 2 }));
    await until('2 pods', () => livePods(ns, COMPILER_SELECTOR).length === 2, 120_000);
  });

  it('reports a missing image in the Ready condition and as an Event, not a silent Pending', async () => {
    apply({
      apiVersion: API,
      kind: 'Server',
      metadata: { name: 'broken', namespace: ns },
      spec: {
        configRef: 'production',
        certificateRef: 'production-cert',
        ca: false,
        image: { repository: 'localhost/openvox-test/does-not-exist', tag: '1' },
      },
    });
    const ready = await until(
      'a Ready condition naming the image problem',
      () => {
        const c = server('broken')?.status?.conditions?.find((x: Obj) => x.type === 'Ready');
        return /ErrImagePull|ImagePullBackOff/.test(c?.message ?? '') && c;
      },
      120_000,
      () => server('broken')?.status,
    );
    expect(ready.status).toBe('False');
    expect(ready.message).toContain('localhost/openvox-test/does-not-exist:1');
    const events = listObjects('events', ns).filter(
      (e: Obj) => e.involvedObject.kind === 'Server' && e.involvedObject.name === 'broken',
    );
    expect(events.map((e: Obj) => `${e.reason}: ${e.message}`).join('\n')).toMatch(/ErrImagePull|ImagePullBackOff/);
    kubectlOk(['delete', KIND.server, 'broken', '-n', ns]);
  });
});
