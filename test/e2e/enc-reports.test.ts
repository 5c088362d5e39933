// NodeClassifier and ReportProcessor with a real agent on the real node. The test serves a real HTTP
// classifier and a report receiver on the node IP; one Config names the classifier and has a
// ReportProcessor; one CA Server pod compiles from code a pod wrote into a claim; one agent pod runs
// `puppet agent --test` three times (kubectl exec). Its certificate is signed by a SigningPolicy.
// - The classifier is asked for the agent's certname with the configured token header and the
//   agent's facts, and the catalog holds the class (with its parameter) it returned.
// - The receiver gets the agent's report with its certname and status, with the configured headers.
// - Classifier stopped: the agent run fails with the classifier's name and reason; the Server pod
//   stays Ready, unrestarted, and still forwards the failed run's report.
// - Receiver answering 500: the agent run succeeds; puppetserver logs the failed endpoint.
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { IMAGES } from '../src/cluster/node/images.js';
import { kubectlAsync, kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, KIND, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';
import { RecordingService, type RecordedRequest } from '../src/e2e-support/recording-service.js';

const POD_MS = 300_000;
jest.setTimeout(POD_MS + 120_000);

const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const CERTNAME = 'enc-agent';
const ENC_TOKEN = 'enc-t0ken-e2e';
const REPORT_TOKEN = 'report-t0ken-e2e';
const note = (line: string) => console.info(`[enc-reports] ${line}`);
let ns: string;

// The code the Server compiles: an empty node default and the class the classifier assigns, with a
// parameter of the class and one top-scope parameter, both from the classifier's answer.
const SITE_PP = 'node default {}\n';
const ENC_ROLE_PP = [
  'class enc_role (String $tier) {',
  "  notify { 'enc-role':",
  '    message => "enc_role ${tier} for ${trusted[\'certname\']} in ${::datacenter}",',
  '  }',
  '}',
  '',
].join('\n');
const CLASSIFICATION = { classes: { enc_role: { tier: 'web' } }, parameters: { datacenter: 'dc-e2e' } };
const EXPECTED_NOTICE = `enc_role web for ${CERTNAME} in dc-e2e`;

const classifier = new RecordingService(() => ({ status: 200, body: stringify(CLASSIFICATION) }));
const receiver = new RecordingService(() => ({ status: 202, body: '{}', contentType: 'application/json' }));

const apply = (obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);
const obj = (kind: string, name: string, spec: object) => ({
  apiVersion: API,
  kind,
  metadata: { name, namespace: ns },
  spec,
});
const phaseOf = (resource: string, name: string) => getObject(resource, name, ns)?.status;
const reportsOf = (from: number) =>
  receiver.requests.slice(from).filter((r: RecordedRequest) => r.url === '/reports' && r.method === 'POST');

/** One `puppet agent --test` in the agent pod, without blocking this process (it serves the HTTP). */
async function agentRun(): Promise<{ code: number; log: string }> {
  const server = `production-ca.${ns}.svc`;
  const cmd = `puppet agent --test --server ${server} --ca_server ${server} --certname ${CERTNAME} --waitforcert 10 --no-usecacheonfailure 2>&1`;
  const t0 = Date.now();
  const r = await kubectlAsync(['exec', '-n', ns, 'agent', '-c', 'agent', '--', 'sh', '-c', cmd], 240_000);
  note(`agent run: exit ${r.code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { code: r.code, log: r.stdout + r.stderr };
}

beforeAll(async () => {
  await classifier.start();
  await receiver.start();
  ns = createNamespace('e2e-enc', { runPods: true });
  kubectlOk(['create', 'secret', 'generic', 'enc-token', '-n', ns, `--from-literal=token=${ENC_TOKEN}`]);
  kubectlOk([
    'create',
    'secret',
    'generic',
    'report-auth',
    '-n',
    ns,
    '--from-literal=username=reporter',
    '--from-literal=password=pw-e2e',
    `--from-literal=token=${REPORT_TOKEN}`,
  ]);
  for (const file of ['certificate-authority', 'certificate', 'pools']) {
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', `${file}.yaml`)]);
  }
  apply([
    // The code: a claim a pod fills, as a git-sync would.
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'code', namespace: ns },
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
            env: [
              { name: 'SITE_PP', value: SITE_PP },
              { name: 'ENC_ROLE_PP', value: ENC_ROLE_PP },
            ],
            command: [
              'sh',
              '-c',
              'set -e; p=/code/production; mkdir -p $p/manifests $p/modules/enc_role/manifests; ' +
                'printf "%s" "$SITE_PP" > $p/manifests/site.pp; printf "%s" "$ENC_ROLE_PP" > $p/modules/enc_role/manifests/init.pp; ' +
                'chmod -R a+rX /code',
            ],
            volumeMounts: [{ name: 'code', mountPath: '/code' }],
          },
        ],
        volumes: [{ name: 'code', persistentVolumeClaim: { claimName: 'code' } }],
      },
    },
    obj('SigningPolicy', 'enc-agent', { certificateAuthorityRef: 'production-ca', pattern: { allow: [CERTNAME] } }),
    obj('NodeClassifier', 'classifier', {
      url: classifier.url,
      request: { method: 'POST', path: '/classify/{certname}', body: 'facts' },
      response: { format: 'yaml' },
      timeoutSeconds: 5,
      auth: { token: { header: 'X-Enc-Token', secretKeyRef: { name: 'enc-token', key: 'token' } } },
    }),
    obj('ReportProcessor', 'reports', {
      configRef: 'production',
      url: `${receiver.url}/reports`,
      timeoutSeconds: 5,
      auth: { basic: { secretRef: { name: 'report-auth' } } },
      headers: [
        { name: 'X-Report-Token', valueFrom: { secretKeyRef: { name: 'report-auth', key: 'token' } } },
        { name: 'X-Source', value: 'e2e' },
      ],
    }),
    obj('Config', 'production', {
      authorityRef: 'production-ca',
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
      nodeClassifierRef: 'classifier',
      code: { claimName: 'code' },
    }),
    obj('Server', 'production-ca', {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-ca'],
      ca: true,
      javaArgs: SMALL_JAVA_ARGS,
    }),
    agentPod(ns, 'agent', IMAGES.agent, [], 'sleep 3600'),
  ]);
});

afterAll(async () => {
  deleteNamespace(ns);
  await classifier.stop();
  await receiver.stop();
});

describe('NodeClassifier and ReportProcessor with a real agent', () => {
  let caPod: Obj;

  it('renders both for the Config (Active), and the Server pod starts with them mounted', async () => {
    for (const [resource, name] of [
      ['nodeclassifier', 'classifier'],
      ['reportprocessor', 'reports'],
    ] as const) {
      const status = await until(
        `${resource} ${name} Active`,
        () => phaseOf(resource, name)?.phase === 'Active' && phaseOf(resource, name),
      );
      expect(status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'Rendered' });
    }
    const t0 = Date.now();
    [caPod] = await until(
      'the CA pod Ready',
      () => readyPods(ns, CA_SELECTOR).length === 1 && readyPods(ns, CA_SELECTOR),
      POD_MS,
      () => livePods(ns, CA_SELECTOR).map((p: Obj) => ({ pod: p.metadata.name, waiting: waitingReasons(p) })),
    );
    note(`CA pod Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after the objects were applied`);
    const mounts = caPod.spec.containers
      .find((c: Obj) => c.name === 'openvox-server')
      .volumeMounts.map((m: Obj) => m.mountPath);
    expect(mounts).toEqual(
      expect.arrayContaining(['/etc/puppetlabs/puppet/enc', '/run/puppetserver/lib/puppet/reports']),
    );
    await until(
      'the code written',
      () => getObject('pod', 'code-writer', ns)?.status?.phase === 'Succeeded',
      120_000,
      () => podLogs(ns, 'code-writer', 'write'),
    );
    await until('the agent pod running', () => getObject('pod', 'agent', ns)?.status?.phase === 'Running', 120_000);
  });

  it('classifies the agent: the classifier gets its certname, token and facts; the catalog holds the class it returned', async () => {
    const seen = receiver.requests.length;
    const { code, log } = await agentRun();
    expect({ code, log }).toMatchObject({ code: 2 });
    expect(log).toContain(`Notice: ${EXPECTED_NOTICE}`);
    // The agent's own record of its catalog's classes.
    const classes = await kubectlAsync([
      'exec',
      '-n',
      ns,
      'agent',
      '-c',
      'agent',
      '--',
      'sh',
      '-c',
      'cat "$(puppet config print classfile)"',
    ]);
    expect(classes.stdout.split('\n')).toContain('enc_role');

    const asked = classifier.requests;
    expect(asked.length).toBeGreaterThan(0);
    for (const r of asked) {
      expect({ method: r.method, url: r.url, token: r.headers['x-enc-token'] }).toEqual({
        method: 'POST',
        url: `/classify/${CERTNAME}`,
        token: ENC_TOKEN,
      });
    }
    const bodies = asked.map((r) => JSON.parse(r.body) as { certname: string; facts: Record<string, unknown> });
    expect(bodies.every((b) => b.certname === CERTNAME)).toBe(true);
    // The catalog request's lookup comes with the facts the agent just sent.
    expect(bodies.some((b) => b.facts.kernel === 'Linux' && (b.facts.networking as Obj)?.fqdn !== undefined)).toBe(
      true,
    );

    const [report] = await until('the report at the receiver', () => reportsOf(seen).length > 0 && reportsOf(seen));
    expect(report!.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('reporter:pw-e2e').toString('base64')}`,
      'x-report-token': REPORT_TOKEN,
      'x-source': 'e2e',
      'content-type': 'application/json',
    });
    const body = JSON.parse(report!.body);
    expect({ host: body.host, status: body.status }).toEqual({ host: CERTNAME, status: 'changed' });
    expect(Object.keys(body.resource_statuses)).toContain('Notify[enc-role]');
  });

  it('with the classifier stopped: the run fails naming the classifier and why; the Server stays Ready', async () => {
    await classifier.stop();
    const seen = receiver.requests.length;
    const { code, log } = await agentRun();
    expect(code).toBe(1);
    expect(log).toMatch(
      new RegExp(
        `Failed to find ${CERTNAME} via exec: .*openvox-enc: NodeClassifier classifier: POST ${classifier.url.replace(/\./g, '\\.')}/classify/${CERTNAME}: .*refused`,
        'i',
      ),
    );
    expect(log).not.toContain(EXPECTED_NOTICE);
    // Nothing else broke: the same pod, Ready, never restarted; the Server Running.
    const pods = readyPods(ns, CA_SELECTOR);
    expect(pods.map((p: Obj) => p.metadata.uid)).toEqual([caPod.metadata.uid]);
    expect(pods[0].status.containerStatuses.find((s: Obj) => s.name === 'openvox-server').restartCount).toBe(0);
    expect(phaseOf(KIND.server, 'production-ca')).toMatchObject({ phase: 'Running', ready: 1 });
    // The failed run's report still reaches the receiver.
    const [report] = await until('the failed run report', () => reportsOf(seen).length > 0 && reportsOf(seen));
    expect(JSON.parse(report!.body)).toMatchObject({ host: CERTNAME, status: 'failed' });
  });

  it('with the receiver failing: the agent run still succeeds, and puppetserver logs the failed endpoint', async () => {
    await classifier.start();
    receiver.reply = () => ({ status: 500, body: 'receiver exploded' });
    const seen = receiver.requests.length;
    const { code, log } = await agentRun();
    expect({ code, notice: log.includes(EXPECTED_NOTICE) }).toEqual({ code: 2, notice: true });
    expect(log).not.toMatch(/Could not send report|Error:/);
    expect(reportsOf(seen)).toHaveLength(1);
    const serverLog = await until('the endpoint failure in the Server log', () => {
      const logs = podLogs(ns, caPod.metadata.name, 'openvox-server', 400);
      return (
        /openvox_http: ReportProcessor reports: POST \S+\/reports answered HTTP 500 receiver exploded/.test(logs) &&
        logs
      );
    });
    expect(serverLog).toContain(`the report of ${CERTNAME} was not accepted there`);
  });
});
