// Real pods through a change, a claim and a broken probe, one set-up for all three:
// - a Server whose Config locks the kubelet out of /status/v1/simple fails its probes, and its status
//   says so (ProbeFailing, with the kubelet's words) with one Warning Event;
// - a 2-replica compiler behind a Pool rolls (its code moves from the image to a PersistentVolumeClaim,
//   a user's edit of the Server) while an agent pod runs `puppet agent --test` against the Pool in a
//   loop: every run succeeds (the pods drain before SIGTERM, termination.ts), and the runs after the
//   rollout apply the catalog from the claim, which a writer pod filled as a user would; each old pod
//   keeps accepting connections for seconds after it left the Pool's ready endpoints (the drain itself,
//   which the agent loop alone rarely catches in its window).
import { jest } from '@jest/globals';
import { IMAGES } from '../src/cluster/node/images.js';
import { agentLoopScript, parseAgentRuns, runOutput, STOP_FILE } from '../src/e2e-support/agent-runs.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, KIND, listObjects, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyEndpoints, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';
import { probeServing, type ServingProbe } from '../src/e2e-support/serving-probe.js';

// A puppetserver pod is Ready in 24-45 s on an idle 2-core machine and up to ~90 s under load.
const POD_MS = 300_000;
jest.setTimeout(POD_MS + 120_000);

const COMPILER = 'openvox.voxpupuli.org/server=compiler';
const CA = 'openvox.voxpupuli.org/server=rollout-ca';
const CERTNAME = 'rollout-agent.example.com';
const PVC_MESSAGE = 'catalog from the code claim';
const IMAGE = {
  repository: IMAGES.openvoxServer.split(':')[0],
  tag: IMAGES.openvoxServer.split(':')[1],
  pullPolicy: 'IfNotPresent',
};
const note = (line: string) => console.info(`[rollout] ${line}`);
let ns: string;

const server = (name: string) => getObject(KIND.server, name, ns);
const apply = (obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);
const readyCondition = (name: string) => server(name)?.status?.conditions?.find((c: Obj) => c.type === 'Ready');
const explain = (selector: string) => () =>
  livePods(ns, selector).map((p: Obj) => ({
    pod: p.metadata.name,
    phase: p.status?.phase,
    waiting: waitingReasons(p),
  }));

const obj = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: API,
  kind,
  metadata: { name, namespace: ns },
  spec,
});
const certificate = (name: string, certname: string) =>
  obj('Certificate', name, { authorityRef: 'rollout-ca', certname });
const compiler = (code: Record<string, unknown>) =>
  obj('Server', 'compiler', {
    configRef: 'rollout',
    certificateRef: 'compiler-cert',
    poolRefs: ['compilers'],
    ca: false,
    replicas: 2,
    javaArgs: SMALL_JAVA_ARGS,
    code,
  });

/** The claim with an environment, written by a pod that mounts it, as a user fills a code volume. */
function codeClaim() {
  const sitePp = [
    'node default {',
    "  notify { 'code-claim':",
    `    message => "${PVC_MESSAGE} for \${trusted['certname']}",`,
    '  }',
    '}',
  ].join('\n');
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'code', namespace: ns },
      // ReadWriteOnce is one node's: the writer and both compiler pods share the single node here. With
      // several nodes the compilers need ReadOnlyMany (or ReadWriteMany) storage, or to share a node.
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'code-writer', namespace: ns },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'write',
            image: IMAGES.busybox,
            imagePullPolicy: 'IfNotPresent',
            env: [{ name: 'SITE_PP', value: sitePp }],
            command: [
              'sh',
              '-c',
              'mkdir -p /code/production/manifests && printf "%s\\n" "$SITE_PP" > /code/production/manifests/site.pp && ls -lR /code',
            ],
            volumeMounts: [{ name: 'code', mountPath: '/code' }],
          },
        ],
        volumes: [{ name: 'code', persistentVolumeClaim: { claimName: 'code' } }],
      },
    },
  ];
}

beforeAll(async () => {
  ns = createNamespace('e2e-rollout', { runPods: true });
  // Servers and Pools first, so each Certificate is issued once with its Pool's Service names (a
  // re-issue would roll the pods before the test does).
  apply([
    obj('CertificateAuthority', 'rollout-ca', {}),
    obj('Config', 'rollout', { authorityRef: 'rollout-ca', image: IMAGE }),
    // A user's lock-down that also locks out the kubelet: it probes /status/v1/simple without a certificate.
    obj('Config', 'locked-status', {
      authorityRef: 'rollout-ca',
      image: IMAGE,
      puppetserver: {
        authorizationRules: [
          {
            name: 'status only for known clients',
            matchRequest: { path: '/status/v1/simple', type: 'path', method: ['get'] },
            allow: '*',
            sortOrder: 100,
          },
        ],
      },
    }),
    obj('SigningPolicy', 'example-hosts', {
      certificateAuthorityRef: 'rollout-ca',
      pattern: { allow: ['*.example.com'] },
    }),
    obj('Pool', 'rollout-ca', {}),
    obj('Pool', 'compilers', {}),
    obj('Server', 'rollout-ca', {
      configRef: 'rollout',
      certificateRef: 'ca-cert',
      poolRefs: ['rollout-ca'],
      ca: true,
      server: false,
      javaArgs: SMALL_JAVA_ARGS,
    }),
    compiler({ image: IMAGES.code }),
    obj('Server', 'unready', {
      configRef: 'locked-status',
      certificateRef: 'unready-cert',
      ca: false,
      javaArgs: SMALL_JAVA_ARGS,
    }),
    ...codeClaim(),
  ]);
  await until(
    'the operator to see the Servers',
    () => ['rollout-ca', 'compiler', 'unready'].every((n) => server(n)?.status?.conditions),
    60_000,
  );
  apply([
    certificate('ca-cert', 'puppet'),
    certificate('compiler-cert', 'compiler'),
    certificate('unready-cert', 'unready'),
  ]);
});

afterAll(() => {
  deleteNamespace(ns);
});

describe('a Pool of two compilers', () => {
  it('serves the agent loop through the Pool Service once both compilers are ready', async () => {
    const t0 = Date.now();
    await until(
      '2 ready endpoints of compilers',
      () => readyEndpoints(ns, 'compilers').length === 2,
      POD_MS,
      explain(COMPILER),
    );
    await until('the CA pod Ready', () => readyPods(ns, CA).length === 1, POD_MS, explain(CA));
    note(`CA and 2 compilers Ready ${((Date.now() - t0) / 1000).toFixed(1)} s into the test`);
    // The probe case's Server starts now, on its own: the kubelet sends at most 25 Events per pod before
    // it throttles them to one per 5 minutes, and a start slowed down by three others would spend them
    // all on the failed startup probes of a normal start.
    apply([
      obj('Server', 'unready', {
        configRef: 'locked-status',
        certificateRef: 'unready-cert',
        ca: false,
        javaArgs: SMALL_JAVA_ARGS,
      }),
      certificate('unready-cert', 'unready'),
    ]);
    apply(
      agentPod(
        ns,
        'agent',
        IMAGES.agent,
        [
          { name: 'SERVER', value: `compilers.${ns}.svc` },
          { name: 'CA_SERVER', value: `rollout-ca.${ns}.svc` },
          { name: 'CERTNAME', value: CERTNAME },
        ],
        agentLoopScript(900),
      ),
    );
    // The CSR is signed by the SigningPolicy (*.example.com); two good runs before anything changes.
    const runsBefore = await until(
      '2 agent runs',
      () => {
        const runs = parseAgentRuns(podLogs(ns, 'agent', 'agent', 10_000));
        return runs.length >= 2 && runs;
      },
      180_000,
      () => podLogs(ns, 'agent', 'agent'),
    );
    expect(runsBefore.map((r) => r.ok)).toEqual(runsBefore.map(() => true));
    expect(podLogs(ns, 'agent', 'agent', 10_000)).toContain(`catalog from the code image for ${CERTNAME}`);
    expect(getObject('pod', 'code-writer', ns)?.status?.phase).toBe('Succeeded');
    expect(getObject('pvc', 'code', ns)?.status?.phase).toBe('Bound');
  });
});

describe('probe failures', () => {
  it('says in the Ready condition that the probe fails, in the kubelet words, and warns once', async () => {
    const t0 = Date.now();
    const ready = await until(
      'Ready condition ProbeFailing on Server unready',
      () => readyCondition('unready')?.reason === 'ProbeFailing' && readyCondition('unready'),
      POD_MS,
      () => ({ status: server('unready')?.status, pods: explain('openvox.voxpupuli.org/server=unready')() }),
    );
    note(`ProbeFailing ${((Date.now() - t0) / 1000).toFixed(1)} s into the test: ${ready.message}`);
    expect(ready.status).toBe('False');
    expect(ready.message).toMatch(
      /^0 of 1 pods ready: pod unready-\S+ container openvox-server: Startup probe failed: HTTP probe failed with statuscode: 403/,
    );
    // What a user reads: kubectl get server -o yaml.
    expect(kubectlOk(['get', KIND.server, 'unready', '-n', ns, '-o', 'yaml'])).toContain('reason: ProbeFailing');
    // The kubelet's own Event is the source, and the Server carries one Warning for the reason.
    const events = listObjects('events', ns);
    expect(
      events.some(
        (e: Obj) => e.involvedObject.kind === 'Pod' && e.reason === 'Unhealthy' && /statuscode: 403/.test(e.message),
      ),
    ).toBe(true);
    const warnings = events.filter(
      (e: Obj) =>
        e.involvedObject.kind === 'Server' && e.involvedObject.name === 'unready' && e.reason === 'ProbeFailing',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'Warning', count: 1 });
    // The pod is running, just never Ready: not a crash, not a pull problem.
    const [pod] = livePods(ns, 'openvox.voxpupuli.org/server=unready');
    expect(pod.status.containerStatuses.find((s: Obj) => s.name === 'openvox-server')).toMatchObject({
      ready: false,
      started: false,
    });
    kubectlOk(['delete', KIND.server, 'unready', '-n', ns, '--wait=false']);
  });
});

describe('rolling update of the Pool under agent load, onto code from a claim', () => {
  it('rolls both pods with no failed agent run, and the runs after it apply the catalog from the claim', async () => {
    const oldPods = livePods(ns, COMPILER);
    const old = oldPods.map((p: Obj) => p.metadata.name as string);
    // The drain, measured per old pod: when it left the ready endpoints, and until when it still served.
    const drains = oldPods.map((p: Obj) => ({
      pod: p.metadata.name as string,
      ip: p.status.podIP as string,
      probe: probeServing(p.status.podIP, 8140, '/status/v1/simple') as ServingProbe,
      leftAt: undefined as number | undefined,
    }));
    const t0 = Math.floor(Date.now() / 1000);
    // The user's edit: the code comes from the claim now. It changes the pod template, so the pods roll.
    apply(compiler({ claimName: 'code' }));
    const rolled = () => {
      const ready = readyEndpoints(ns, 'compilers');
      for (const d of drains) if (d.leftAt === undefined && !ready.includes(d.ip)) d.leftAt = Date.now();
      const d = getObject('deployment', 'compiler', ns);
      const pods = listObjects('pods', ns, COMPILER).map((p: Obj) => p.metadata.name);
      const s = d?.status ?? {};
      return (
        d?.metadata.generation === s.observedGeneration &&
        s.updatedReplicas === 2 &&
        s.readyReplicas === 2 &&
        s.replicas === 2 &&
        !pods.some((p: string) => old.includes(p))
      );
    };
    await until('the rollout done and the old pods gone', rolled, POD_MS, explain(COMPILER));
    const t1 = Math.floor(Date.now() / 1000);
    note(`rollout: ${t1 - t0} s from the edit until both old pods were gone`);
    for (const d of drains) d.probe.stop();
    const servedAfterLeaving = drains.map((d) => ({
      pod: d.pod,
      seconds: d.leftAt && d.probe.lastServed() ? (d.probe.lastServed()! - d.leftAt) / 1000 : undefined,
    }));
    note(`served after leaving the Pool's endpoints: ${JSON.stringify(servedAfterLeaving)}`);
    // The preStop pause is 15 s (termination.ts); without it puppetserver closes its listener on SIGTERM,
    // about when the endpoint goes, and this is 0-2 s.
    expect(servedAfterLeaving.filter((s) => !(s.seconds !== undefined && s.seconds >= 10))).toEqual([]);
    // Two more runs on the new pods, then the loop stops after its current run.
    await until(
      '2 runs after the rollout',
      () => parseAgentRuns(podLogs(ns, 'agent', 'agent', 10_000)).filter((r) => r.start > t1).length >= 2,
      120_000,
    );
    kubectlOk(['exec', '-n', ns, 'agent', '--', 'touch', STOP_FILE]);
    await until('the agent loop to end', () => getObject('pod', 'agent', ns)?.status?.phase === 'Succeeded', 120_000);
    const log = podLogs(ns, 'agent', 'agent', 10_000);
    const runs = parseAgentRuns(log);
    const during = runs.filter((r) => r.end >= t0 && r.start <= t1);
    const failed = runs.filter((r) => !r.ok);
    note(
      `agent runs: ${runs.length} in all, ${during.length} overlapping the rollout (${t1 - t0} s), ${failed.length} failed`,
    );
    for (const r of failed) note(`failed run ${r.n} (rc ${r.rc}): ${runOutput(log, r.n)}`);
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(failed.map((r) => `run ${r.n} rc ${r.rc}: ${runOutput(log, r.n)}`)).toEqual([]);
    const last = runs.at(-1)!;
    expect(runOutput(log, last.n)).toContain(`${PVC_MESSAGE} for ${CERTNAME}`);
    // Both new pods mount the claim read-only where the environments are.
    for (const pod of readyPods(ns, COMPILER)) {
      const volume = pod.spec.volumes.find((v: Obj) => v.name === 'code');
      expect(volume.persistentVolumeClaim).toEqual({ claimName: 'code', readOnly: true });
    }
    await until('Server compiler Running with 2 ready', () => server('compiler')?.status?.ready === 2);
  });
});
