// Namespace-scoped mode, installed with helm: the chart's ServiceAccounts get Roles in the watched
// namespace only, and the webhook and controller processes, running on tokens of those ServiceAccounts
// with the chart's --watch-namespaces, serve that namespace and leave every other alone. Then `helm
// upgrade` switches the release between the modes and no RBAC of the old mode stays behind.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART_DIR, helm, withValuesFile } from '../src/chart/helm.js';
import { render, type K8sObject } from '../src/chart/render.js';
import { createCa } from '@openvox/shared/testing';
import { writeServiceAccountKubeconfig } from '../src/chart/service-account.js';
import { AUDIT_LOG, auditLogSize } from '../src/cluster/audit.js';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { waitFor200 } from '../src/cluster/health.js';
import { freePort } from '../src/cluster/processes.js';
import { counter, readOperatorState, resumeRunController } from '../src/e2e-support/operator-control.js';
import { readMetrics } from '../src/e2e-support/metrics.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { KIND, getObject, listObjects, server } from '../src/e2e-support/objects.js';
import { until } from '../src/e2e-support/poll.js';
import { startNodeChild, type Child } from '../src/operator/children.js';
import { startWebhookChild, writeServingCertificate } from '../src/operator/webhook-process.js';
import { WEBHOOK_BYPASS_LABEL } from '../src/operator/webhook-configurations.js';

const id = randomBytes(3).toString('hex');
const release = `scope-${id}`;
const fullname = `${release}-openvox-operator`;
const webhookSa = `${fullname}-webhook`;
const controllerSa = `${fullname}-controller`;
// The chart's own webhook configurations point at its Service, which nothing serves here (the processes
// run outside the cluster): this label, which no namespace has, keeps them inert. The test registers the
// same configurations, as the chart renders them in namespace mode, by URL to the webhook process.
const inert = { 'openvox.voxpupuli.org/chart-test': release };
const CONTROLLER_MAIN = join(REPO_ROOT, 'controller', 'dist', 'main.js');
const byUrl = `${release}-by-url`;
let ns: string;
let watched: string;
let other: string;
let tmp: string;
let frozenRunController: number | undefined;
let tls: { secretName: string; caBundle: string };

const namespaceMode = (namespaces: string[]) => ({
  crds: { enabled: false },
  scope: { mode: 'namespace', watchNamespace: namespaces[0], watchNamespaces: namespaces.slice(1) },
});

/** The values with the chart's own webhooks kept inert (`selection` false: as the test registers them). */
const withWebhook = (values: Record<string, unknown>, selection = true) => ({
  ...values,
  webhook: {
    certManager: { enabled: false },
    tls,
    ...(selection ? { namespaceSelector: { matchLabels: inert } } : {}),
  },
});

function upgrade(command: 'install' | 'upgrade', values: Record<string, unknown>) {
  const withInert = withWebhook(values);
  return withValuesFile(withInert, (file) =>
    helm([command, release, CHART_DIR, '--namespace', ns, '--values', file, '--timeout', '2m']),
  );
}

/** Every RBAC object of the release, found by its instance label, as "Kind namespace/name". */
function releaseRbac(): string[] {
  const selector = `app.kubernetes.io/instance=${release}`;
  const items = [
    ...JSON.parse(kubectlOk(['get', 'clusterroles,clusterrolebindings', '-l', selector, '-o', 'json'])).items,
    ...JSON.parse(kubectlOk(['get', 'roles,rolebindings', '-A', '-l', selector, '-o', 'json'])).items,
  ] as K8sObject[];
  return items.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`).sort();
}

const both = (kind: 'Role' | 'ClusterRole', where: string, name: string) => [
  `${kind} ${where}/${name}`,
  `${kind}Binding ${where}/${name}`,
];
const leaderElection = () => both('Role', ns, `${controllerSa}-leader-election`);
// The roles the chart adds for users in either mode: they grant the operator nothing.
const userRoles = [
  `ClusterRole -/${fullname}-metrics-reader`,
  `ClusterRole -/${fullname}-agentcert-viewer`,
  `ClusterRole -/${fullname}-agentcert-signer`,
];
const namespaceModeRbac = (namespaces: string[]) =>
  [
    ...both('ClusterRole', '-', `${controllerSa}-metrics-auth`),
    ...userRoles,
    ...leaderElection(),
    ...namespaces.flatMap((n) => [...both('Role', n, controllerSa), ...both('Role', n, webhookSa)]),
  ].sort();

/** `kubectl get --raw PATH` with a ServiceAccount's kubeconfig. */
const rawAs = (kubeconfig: string, path: string) => kubectl(['--kubeconfig', kubeconfig, 'get', '--raw', path]);
const SERVERS = '/apis/openvox.voxpupuli.org/v1alpha1';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'chart-scope-'));
  // A certificate of its own (no cert-manager here): the chart's pods never run, only its objects count.
  const ca = await createCa('scope-test-ca', 30);
  tls = { secretName: 'scope-webhook-tls', caBundle: Buffer.from(ca.certPem).toString('base64') };
  ns = createNamespace('scope');
  // Both out of the e2e run's own webhook: what is admitted there is admitted by this test's processes.
  watched = createNamespace('scope-watched', { labels: { [WEBHOOK_BYPASS_LABEL]: 'true' } });
  other = createNamespace('scope-other', { labels: { [WEBHOOK_BYPASS_LABEL]: 'true' } });
}, 120_000);

afterAll(async () => {
  kubectl(['delete', 'mutatingwebhookconfiguration,validatingwebhookconfiguration', byUrl, '--ignore-not-found']);
  if (frozenRunController !== undefined) await resumeRunController(frozenRunController);
  helm(['uninstall', release, '--namespace', ns]);
  for (const n of [ns, watched, other]) deleteNamespace(n);
  rmSync(tmp, { recursive: true, force: true });
}, 90_000);

describe('helm install with scope.mode namespace', () => {
  it('grants Roles in the watched namespace and, cluster-wide, only the two review APIs', () => {
    const result = upgrade('install', namespaceMode([watched]));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Scope: namespace mode; the operator watches ${watched} only`);
    expect(releaseRbac()).toEqual(namespaceModeRbac([watched]));
    const auth = JSON.parse(kubectlOk(['get', 'clusterrole', `${controllerSa}-metrics-auth`, '-o', 'json']));
    expect(auth.rules.map((r: { resources: string[]; verbs: string[] }) => `${r.resources} ${r.verbs}`)).toEqual([
      'tokenreviews create',
      'subjectaccessreviews create',
    ]);
  }, 60_000);

  it('refuses cluster-wide and other-namespace reads to both tokens (403), allows the watched namespace', () => {
    const controller = join(tmp, 'controller.kubeconfig');
    const webhook = join(tmp, 'webhook.kubeconfig');
    writeServiceAccountKubeconfig(controller, ns, controllerSa);
    writeServiceAccountKubeconfig(webhook, ns, webhookSa);
    for (const [kubeconfig, path] of [
      [controller, `${SERVERS}/servers`],
      [controller, '/api/v1/secrets'],
      [controller, `/api/v1/namespaces/${other}/secrets`],
      [controller, `${SERVERS}/namespaces/${other}/servers`],
      [webhook, `${SERVERS}/configs`],
      [webhook, `${SERVERS}/namespaces/${other}/certificates`],
    ] as const) {
      const result = rawAs(kubeconfig, path);
      expect({ path, code: result.code, stderr: result.stderr }).toMatchObject({
        path,
        code: 1,
        stderr: expect.stringContaining('Error from server (Forbidden)'),
      });
    }
    for (const [kubeconfig, path] of [
      [controller, `${SERVERS}/namespaces/${watched}/servers`],
      [controller, `/api/v1/namespaces/${watched}/secrets`],
      [webhook, `${SERVERS}/namespaces/${watched}/configs`],
    ] as const) {
      expect({ path, code: rawAs(kubeconfig, path).code }).toEqual({ path, code: 0 });
    }
  }, 60_000);

  it('on those tokens the processes admit and reconcile the watched namespace only, with no forbidden call', async () => {
    const serving = await writeServingCertificate(join(tmp, 'webhook-tls'));
    const port = await freePort();
    const controllerPort = await freePort();
    const debugPort = await freePort();
    const rendered = render({ release, namespace: ns, values: withWebhook(namespaceMode([watched]), false) });
    // The chart's arguments, as its Deployments pass them.
    const watchArgs = (name: string) => {
      const args: string[] = rendered.one('Deployment', name).spec.template.spec.containers[0].args;
      return args.slice(args.indexOf('--watch-namespaces'), args.indexOf('--watch-namespaces') + 2);
    };
    expect(watchArgs(webhookSa)).toEqual(['--watch-namespaces', watched]);
    const webhookLog = join(tmp, 'webhook.log');
    const controllerLog = join(tmp, 'controller.log');
    const auditFrom = auditLogSize();
    const children: Child[] = [];
    try {
      children.push(
        await startWebhookChild({
          port,
          tls: serving,
          kubeconfig: join(tmp, 'webhook.kubeconfig'),
          logFile: webhookLog,
          extraArgs: watchArgs(webhookSa),
        }),
      );
      for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
        const config = rendered.one(kind);
        kubectlOk(['apply', '-f', '-'], {
          apiVersion: config.apiVersion,
          kind,
          metadata: { name: byUrl },
          webhooks: config.webhooks.map((w: K8sObject) => ({
            ...w,
            clientConfig: {
              url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`,
              caBundle: Buffer.from(serving.caPem).toString('base64'),
            },
          })),
        });
      }
      // Only this test's controller reconciles while it runs: the e2e run's (cluster-wide) one is frozen.
      frozenRunController = readOperatorState().pids.controller;
      if (frozenRunController) process.kill(frozenRunController, 'SIGSTOP');
      const controller = startNodeChild(
        'controller',
        CONTROLLER_MAIN,
        [
          ...['--kubeconfig', join(tmp, 'controller.kubeconfig'), '--port', String(controllerPort)],
          ...['--bind-address', '127.0.0.1', '--debug-port', String(debugPort)],
          ...['--leader-elect', '--leader-election-namespace', ns, '--leader-election-id', `scope-test-${id}`],
          ...watchArgs(controllerSa),
        ],
        controllerLog,
      );
      children.push(controller);
      const url = `http://127.0.0.1:${controllerPort}`;
      await waitFor200('controller', `${url}/readyz`, undefined, 30_000, () => controller.process.exitCode === null);

      for (const n of [watched, other]) kubectlOk(['apply', '-n', n, '-f', join(REPO_ROOT, 'examples')]);
      // A heap larger than its maximum: only the webhook refuses that (no CRD rule does).
      const badHeap = (namespace: string) => server('bad-heap', namespace, { javaArgs: '-Xms4g -Xmx2g' });
      const refused = kubectl(['apply', '-f', '-'], badHeap(watched));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('The Server "bad-heap" is invalid');
      expect(refused.stderr).toContain('spec.javaArgs');
      expect(kubectl(['apply', '-f', '-'], badHeap(other))).toMatchObject({ code: 0 });
      // javaArgs has no schema default: only the mutating webhook fills it in.
      for (const n of [watched, other]) kubectlOk(['apply', '-f', '-'], server('defaulted', n));
      expect(getObject(KIND.server, 'defaulted', watched).spec.javaArgs).toBe('-Xms512m -Xmx1024m');
      expect(getObject(KIND.server, 'defaulted', other).spec.javaArgs).toBeUndefined();

      const converged = () => {
        const ca = getObject(KIND.ca, 'production-ca', watched);
        const caServer = getObject(KIND.server, 'production-ca', watched);
        return (
          ca?.status?.phase === 'Ready' &&
          caServer?.status?.observedGeneration === caServer?.metadata.generation &&
          listObjects('deployments', watched).some((d) => d.metadata.name === 'production-ca')
        );
      };
      await until('the examples to converge in the watched namespace', converged, 150_000, () => ({
        ca: getObject(KIND.ca, 'production-ca', watched)?.status,
        server: getObject(KIND.server, 'production-ca', watched)?.status,
      }));

      // After a full resync on the leader (200 once its queue is idle), the other namespace is untouched.
      let resync = 0;
      for (const deadline = Date.now() + 30_000; resync !== 200 && Date.now() < deadline;) {
        resync = (await fetch(`http://127.0.0.1:${debugPort}/debug/resync`, { method: 'POST' })).status;
      }
      expect(resync).toBe(200);
      for (const kind of [KIND.server, KIND.ca, KIND.config, KIND.certificate, KIND.pool]) {
        const statuses = listObjects(kind, other).map((o) => ({ kind, name: o.metadata.name, status: o.status }));
        expect(statuses.every((s) => s.status === undefined)).toBe(true);
      }
      expect(listObjects('deployments', other)).toEqual([]);
      expect(listObjects('secrets', other, 'app.kubernetes.io/managed-by=openvox-operator')).toEqual([]);

      // Its own metrics (read with the run's scraper token, reviewed through the metrics-auth ClusterRole).
      const metrics = await readMetrics(url, readOperatorState().metricsToken!);
      expect(counter(metrics, 'openvox_controller_reconcile_total', 'result="success"')).toBeGreaterThan(0);
      expect(counter(metrics, 'openvox_controller_reconcile_total', 'result="error"')).toBe(0);
      expect(counter(metrics, 'openvox_controller_informer_restarts_total')).toBe(0);

      // Nothing forbidden, so nothing retried: no error, no refused or failed API call in either log, and
      // no write refused in the audit log.
      const problems = (file: string) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter(
            (line) =>
              /"level":(50|60)/.test(line) ||
              /forbidden|informer failed|could not record event|lease request failed|review failed/i.test(line),
          );
      expect({ webhook: problems(webhookLog), controller: problems(controllerLog) }).toEqual({
        webhook: [],
        controller: [],
      });
      const ours = readFileSync(AUDIT_LOG)
        .subarray(auditFrom)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.includes(`"system:serviceaccount:${ns}:${controllerSa}"`))
        .map((l) => JSON.parse(l));
      // The Deployment is this controller's write; the rest are the watched namespace, its Lease, and the
      // two cluster-scoped reviews of /metrics scrapers.
      expect(ours.some((e) => e.objectRef?.resource === 'deployments' && e.objectRef?.namespace === watched)).toBe(
        true,
      );
      const allowedWhere = (e: { objectRef?: { namespace?: string; resource?: string } }) =>
        e.objectRef?.namespace === undefined
          ? ['tokenreviews', 'subjectaccessreviews'].includes(e.objectRef?.resource ?? '')
          : [watched, ns].includes(e.objectRef.namespace);
      expect(ours.filter((e) => e.responseStatus?.code === 403 || !allowedWhere(e))).toEqual([]);
    } finally {
      kubectl(['delete', 'mutatingwebhookconfiguration,validatingwebhookconfiguration', byUrl, '--ignore-not-found']);
      for (const child of children.reverse()) await child.stop();
      if (frozenRunController !== undefined) await resumeRunController(frozenRunController);
      frozenRunController = undefined;
    }
  }, 300_000);
});

describe('helm upgrade between the modes', () => {
  it('leaves exactly the RBAC of the new values: cluster, two namespaces, one namespace', () => {
    expect(upgrade('upgrade', { crds: { enabled: false } })).toMatchObject({ code: 0 });
    expect(releaseRbac()).toEqual(
      [
        ...both('ClusterRole', '-', controllerSa),
        ...both('ClusterRole', '-', webhookSa),
        ...userRoles,
        ...leaderElection(),
      ].sort(),
    );

    expect(upgrade('upgrade', namespaceMode([watched, other]))).toMatchObject({ code: 0 });
    expect(releaseRbac()).toEqual(namespaceModeRbac([watched, other]));

    expect(upgrade('upgrade', namespaceMode([watched]))).toMatchObject({ code: 0 });
    expect(releaseRbac()).toEqual(namespaceModeRbac([watched]));
  }, 120_000);
});
