// `helm install` of the chart into the local control plane (with cert-manager's CRDs): every object
// is accepted, upgrade and uninstall behave, and the chart's ServiceAccounts have exactly the rights
// their processes need, shown with TokenRequest tokens and the real webhook process.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { KINDS, VALIDATE_PATH, buildCrd, server as serverKind } from '@openvox/shared';
import { createCa, issueCertificate } from '@openvox/shared/testing';
import { renderCrdTemplateFiles } from '../../shared/src/crd-files.js';
import { CHART_DIR, helm, withValuesFile } from '../src/chart/helm.js';
import { parseObjects, type K8sObject } from '../src/chart/render.js';
import { CERT_MANAGER_VERSION, certManagerCrds } from '../src/chart/cert-manager-crds.js';
import { until } from '../src/e2e-support/poll.js';
import { canI, requestToken, writeServiceAccountKubeconfig } from '../src/chart/service-account.js';
import { getMetrics, readMetrics } from '../src/e2e-support/metrics.js';
import { readOperatorState } from '../src/e2e-support/operator-control.js';
import { postJson } from '../src/chart/https.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { getStatus, waitFor200 } from '../src/cluster/health.js';
import { freePort } from '../src/cluster/processes.js';
import { startNodeChild } from '../src/operator/children.js';
import { startWebhookChild, writeServingCertificate } from '../src/operator/webhook-process.js';

const id = randomBytes(3).toString('hex');
const release = `chart-${id}`;
const webhookSa = `${release}-openvox-operator-webhook`;
const controllerSa = `${release}-openvox-operator-controller`;
// The webhook configurations only match namespaces with this label, which none has: the Service
// behind them is unreachable on this loopback cluster (no kube-proxy) and failurePolicy is Fail.
const selector = { 'openvox.voxpupuli.org/chart-test': release };
const WEBHOOK_MAIN = join(REPO_ROOT, 'webhook', 'dist', 'main.js');
const CONTROLLER_MAIN = join(REPO_ROOT, 'controller', 'dist', 'main.js');
let ns: string;
let other: string;
let tmp: string;

function install(
  command: 'install' | 'upgrade',
  values: unknown,
  chart = CHART_DIR,
): { code: number; stdout: string; stderr: string } {
  return withValuesFile(values, (file) =>
    helm([
      command,
      release,
      chart,
      '--namespace',
      ns,
      '--values',
      file,
      // The e2e run already applied the CRDs (server-side, no Helm metadata): adopt them.
      '--take-ownership',
      '--timeout',
      '2m',
    ]),
  );
}

function manifest(): K8sObject[] {
  return parseObjects(helm(['get', 'manifest', release, '--namespace', ns]).stdout);
}

function live(obj: K8sObject): K8sObject {
  const ref = `${obj.kind}.${obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : ''}`.replace(/\.$/, '');
  const args = ['get', ref, obj.metadata.name, '-o', 'json'];
  if (obj.metadata.namespace) args.push('-n', obj.metadata.namespace);
  return JSON.parse(kubectlOk(args));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'chart-install-'));
  const crds = certManagerCrds();
  kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=chart-test', '-f', '-'], crds);
  kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]);
  ns = createNamespace('chart');
  other = createNamespace('chart-other');
}, 300_000);

afterAll(() => {
  helm(['uninstall', release, '--namespace', ns]);
  deleteNamespace(ns);
  deleteNamespace(other);
  rmSync(tmp, { recursive: true, force: true });
});

describe(`helm install with cert-manager ${CERT_MANAGER_VERSION} CRDs`, () => {
  let objects: K8sObject[];

  it('installs: every rendered object is accepted by the API server', () => {
    const result = install('install', { webhook: { namespaceSelector: { matchLabels: selector } } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('STATUS: deployed');
    expect(result.stdout).toContain(`OpenVox operator 0.1.0 is installed in namespace ${ns}`);
    expect(result.stdout).toContain(
      `kubectl -n ${ns} wait certificate/${webhookSa} --for=condition=Ready --timeout=2m`,
    );
    objects = manifest();
    // A CRD per kind, 2 ServiceAccounts, 2 ClusterRoles + bindings, the metrics-reader ClusterRole, the
    // agentcert viewer and signer ClusterRoles, leader-election Role + binding, 2 Deployments, 2 Services
    // (webhook, controller metrics), PDB, 2 Issuers, 2 Certificates, 2 webhook configurations, 2 NetworkPolicies.
    expect(objects).toHaveLength(KINDS.length + 24);
    for (const obj of objects) {
      const stored = live(obj);
      expect({ kind: stored.kind, name: stored.metadata.name }).toEqual({ kind: obj.kind, name: obj.metadata.name });
      expect(stored.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    }
  }, 60_000);

  it('stores the cert-manager chain and both webhook configurations as rendered', () => {
    const kinds = objects.map((o) => `${o.apiVersion} ${o.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'cert-manager.io/v1 Issuer',
        'cert-manager.io/v1 Certificate',
        'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
        'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
      ]),
    );
    const ca = JSON.parse(
      kubectlOk(['get', 'certificates.cert-manager.io', `${webhookSa}-ca`, '-n', ns, '-o', 'json']),
    );
    expect(ca.spec.isCA).toBe(true);
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      const config = JSON.parse(kubectlOk(['get', kind, `${release}-openvox-operator`, '-o', 'json']));
      expect(config.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`${ns}/${webhookSa}`);
      expect(config.webhooks[0]).toMatchObject({
        failurePolicy: 'Fail',
        sideEffects: 'None',
        timeoutSeconds: 5,
        matchPolicy: 'Equivalent',
        namespaceSelector: {
          matchLabels: selector,
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [ns, 'kube-system'] }],
        },
      });
    }
  }, 60_000);

  it('owns the CRDs through Helm, with the keep policy and the schema from shared/', () => {
    for (const kind of KINDS) {
      const expected = buildCrd(kind);
      const crd = JSON.parse(kubectlOk(['get', 'crd', expected.metadata!.name!, '-o', 'json']));
      expect(crd.metadata.annotations).toMatchObject({
        'helm.sh/resource-policy': 'keep',
        'meta.helm.sh/release-name': release,
        'meta.helm.sh/release-namespace': ns,
      });
      expect(crd.spec.versions[0].schema).toEqual(expected.spec.versions[0]!.schema);
    }
  }, 60_000);

  it('upgrades in place (a changed value reaches the webhook configurations)', () => {
    const result = install('upgrade', { webhook: { timeoutSeconds: 7, namespaceSelector: { matchLabels: selector } } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('STATUS: deployed');
    const config = JSON.parse(
      kubectlOk(['get', 'validatingwebhookconfiguration', `${release}-openvox-operator`, '-o', 'json']),
    );
    expect(config.webhooks[0].timeoutSeconds).toBe(7);
  }, 60_000);
  it('upgrades the CRDs with the chart (a next chart version whose Server CRD changed)', () => {
    const values = { webhook: { namespaceSelector: { matchLabels: selector } } };
    const next = join(tmp, 'next-chart');
    cpSync(CHART_DIR, next, { recursive: true });
    const changed = { ...serverKind, description: `Changed in the next chart version (${id}).` };
    for (const [path, text] of renderCrdTemplateFiles([changed])) {
      writeFileSync(join(next, 'templates', 'crds', basename(path)), text);
    }
    const description = () =>
      JSON.parse(kubectlOk(['get', 'crd', 'servers.openvox.voxpupuli.org', '-o', 'json'])).spec.versions[0].schema
        .openAPIV3Schema.description;
    expect(install('upgrade', values, next)).toMatchObject({ code: 0 });
    expect(description()).toBe(changed.description);
    // And back: the CRD is shared with the rest of the e2e run.
    expect(install('upgrade', values)).toMatchObject({ code: 0 });
    expect(description()).toBe(serverKind.description);
  }, 90_000);
});

describe('RBAC of the chart ServiceAccounts', () => {
  it.each([
    // [serviceAccount, verb, resource, namespace | all, allowed]
    ['webhook', 'list', 'configs.openvox.voxpupuli.org', 'cluster', true],
    ['webhook', 'watch', 'certificates.openvox.voxpupuli.org', 'cluster', true],
    ['webhook', 'get', 'secrets', 'ns', false],
    ['webhook', 'list', 'servers.openvox.voxpupuli.org', 'cluster', false],
    ['webhook', 'create', 'configs.openvox.voxpupuli.org', 'other', false],
    ['controller', 'watch', 'servers.openvox.voxpupuli.org', 'cluster', true],
    ['controller', 'patch', 'servers.openvox.voxpupuli.org/status', 'other', true],
    ['controller', 'patch', 'certificateauthorities.openvox.voxpupuli.org/status', 'other', true],
    ['controller', 'update', 'deployments.apps', 'other', false],
    ['webhook', 'patch', 'servers.openvox.voxpupuli.org/status', 'other', false],
    ['controller', 'update', 'servers.openvox.voxpupuli.org', 'other', false],
    ['controller', 'patch', 'deployments.apps', 'other', true],
    ['controller', 'delete', 'horizontalpodautoscalers.autoscaling', 'other', true],
    ['controller', 'delete', 'poddisruptionbudgets.policy', 'other', true],
    ['controller', 'create', 'persistentvolumeclaims', 'other', true],
    ['controller', 'delete', 'persistentvolumeclaims', 'other', false],
    ['controller', 'delete', 'deployments.apps', 'other', false],
    ['controller', 'create', 'pods', 'other', false],
    ['controller', 'update', 'leases.coordination.k8s.io', 'ns', true],
    ['controller', 'update', 'leases.coordination.k8s.io', 'other', false],
    ['controller', 'create', 'clusterroles.rbac.authorization.k8s.io', 'cluster', false],
    ['controller', 'create', 'agentcertificates.openvox.voxpupuli.org', 'other', true],
    ['controller', 'delete', 'agentcertificates.openvox.voxpupuli.org', 'other', true],
    ['controller', 'update', 'agentcertificates.openvox.voxpupuli.org', 'other', false],
  ] as const)('%s may %s %s in %s: %s', (who, verb, resource, where, allowed) => {
    const sa = who === 'webhook' ? webhookSa : controllerSa;
    const inNamespace = { ns, other, cluster: undefined }[where];
    expect(canI(ns, sa, verb, resource, inNamespace)).toBe(allowed);
  });

  it('agent certificates: the signer role grants signing without exec, and the built-in view role (aggregated) reading', async () => {
    const can = (user: string, verb: string, resource: string) => {
      const [plural, sub] = resource.split('/');
      const args = ['auth', 'can-i', verb, plural!, ...(sub ? [`--subresource=${sub}`] : []), `--as=${user}`];
      return kubectl([...args, '-n', other]).stdout.trim();
    };
    kubectlOk([
      'create',
      'rolebinding',
      'signer',
      '-n',
      other,
      `--clusterrole=${release}-openvox-operator-agentcert-signer`,
      '--user=signer',
    ]);
    kubectlOk(['create', 'rolebinding', 'viewer', '-n', other, '--clusterrole=view', '--user=viewer']);
    await until(
      'the view role aggregated',
      () => can('viewer', 'list', 'agentcertificates.openvox.voxpupuli.org') === 'yes',
    );
    expect(can('viewer', 'patch', 'agentcertificates.openvox.voxpupuli.org')).toBe('no');
    expect(can('signer', 'patch', 'agentcertificates.openvox.voxpupuli.org')).toBe('yes');
    expect(can('signer', 'create', 'pods/exec')).toBe('no');
    expect(can('signer', 'patch', 'agentcertificates.openvox.voxpupuli.org/status')).toBe('no');
  });

  it('the webhook process runs on a token of its ServiceAccount: its reference cache syncs and sees Configs', async () => {
    const kubeconfig = join(tmp, 'webhook.kubeconfig');
    writeServiceAccountKubeconfig(kubeconfig, ns, webhookSa);
    const tls = await writeServingCertificate(join(tmp, 'webhook-tls'));
    const port = await freePort();
    const webhook = await startWebhookChild({ port, tls, kubeconfig, logFile: join(tmp, 'webhook.log') });
    try {
      kubectlOk(['apply', '-n', other, '-f', join(REPO_ROOT, 'examples', 'config.yaml')]);
      const review = (configRef: string) => ({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid: randomUUID(),
          kind: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind: 'Server' },
          resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: 'servers' },
          namespace: other,
          operation: 'CREATE',
          object: {
            apiVersion: 'openvox.voxpupuli.org/v1alpha1',
            kind: 'Server',
            metadata: { name: 'probe', namespace: other },
            spec: { configRef, certificateRef: 'production-cert' },
          },
        },
      });
      const warnings = async (configRef: string): Promise<string[]> => {
        const answer = await postJson(`https://127.0.0.1:${port}${VALIDATE_PATH}`, tls.ca, review(configRef));
        return (answer.response?.warnings ?? []).filter((w: string) => w.startsWith('spec.configRef'));
      };
      // The Config applied above reaches the cache through the watch this token is allowed.
      let seen = await warnings('production');
      for (const deadline = Date.now() + 10_000; seen.length > 0 && Date.now() < deadline; await sleep(200)) {
        seen = await warnings('production');
      }
      expect(seen).toEqual([]);
      expect(await warnings('missing')).toEqual([
        `spec.configRef: Config "missing" does not exist in namespace "${other}" yet; the Server waits for it`,
      ]);
    } finally {
      await webhook.stop();
    }
  }, 60_000);

  it('control: on a token without those rights (the namespace default ServiceAccount) the webhook never becomes ready', async () => {
    const kubeconfig = join(tmp, 'default.kubeconfig');
    writeServiceAccountKubeconfig(kubeconfig, ns, 'default');
    const tls = await writeServingCertificate(join(tmp, 'default-tls'));
    const port = await freePort();
    const args = ['--port', String(port), '--bind-address', '127.0.0.1', '--tls-cert', tls.cert, '--tls-key', tls.key];
    const webhook = startNodeChild(
      'webhook',
      WEBHOOK_MAIN,
      [...args, '--kubeconfig', kubeconfig],
      join(tmp, 'default.log'),
    );
    try {
      const seen: number[] = [];
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(250)) {
        seen.push(await getStatus(`https://127.0.0.1:${port}/readyz`, { ca: tls.ca }));
      }
      expect(seen).toContain(503);
      expect(seen).not.toContain(200);
    } finally {
      await webhook.stop();
    }
  }, 30_000);

  it('the controller process runs on a token of its ServiceAccount: leads through its Lease, reconciles Servers without errors', async () => {
    const kubeconfig = join(tmp, 'controller-process.kubeconfig');
    writeServiceAccountKubeconfig(kubeconfig, ns, controllerSa);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const debugPort = await freePort();
    const debugUrl = `http://127.0.0.1:${debugPort}`;
    const leaseName = `chart-test-${id}`;
    const controller = startNodeChild(
      'controller',
      CONTROLLER_MAIN,
      [
        ...['--kubeconfig', kubeconfig, '--port', String(port), '--bind-address', '127.0.0.1'],
        ...['--debug-port', String(debugPort)],
        ...['--leader-elect', '--leader-election-namespace', ns, '--leader-election-id', leaseName],
      ],
      join(tmp, 'controller.log'),
    );
    try {
      await waitFor200('controller', `${url}/readyz`, undefined, 30_000, () => controller.process.exitCode === null);
      kubectlOk(['apply', '-n', other, '-f', join(REPO_ROOT, 'examples')]);
      // Resync answers 200 only on the leader, after every queued reconcile has finished.
      let resync = 0;
      for (const deadline = Date.now() + 30_000; resync !== 200 && Date.now() < deadline; await sleep(250)) {
        resync = (await fetch(`${debugUrl}/debug/resync`, { method: 'POST' })).status;
      }
      expect(resync).toBe(200);
      const lease = JSON.parse(kubectlOk(['get', 'lease', leaseName, '-n', ns, '-o', 'json']));
      expect(lease.spec.holderIdentity).toBeTruthy();
      // Read with the e2e run's scraper token: this controller reviews it on its chart RBAC.
      const metrics = await readMetrics(url, readOperatorState().metricsToken!);
      const success = /openvox_controller_reconcile_total\{controller="server",result="success"\} (\d+)/.exec(metrics);
      expect(Number(success?.[1])).toBeGreaterThan(0);
      // On failure, say which reconciles failed and why (the process's own error log lines).
      const errors = readFileSync(join(tmp, 'controller.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"level":50'));
      expect({ failedReconciles: /result="error"\} [1-9]/.test(metrics), errors }).toEqual({
        failedReconciles: false,
        errors: [],
      });
      // The e2e run's own controller (admin) reconciles the same Servers, so only the metrics above are
      // this process's own; the status shows the reconcile reached the Server.
      const server = JSON.parse(kubectlOk(['get', 'server', 'production-ca', '-n', other, '-o', 'json']));
      expect(server.status.observedGeneration).toBe(server.metadata.generation);
    } finally {
      await controller.stop();
    }
  }, 90_000);

  it('serves /metrics to a ServiceAccount bound to the chart’s metrics-reader ClusterRole only: the controller reviews tokens on its own RBAC', async () => {
    const kubeconfig = join(tmp, 'controller-metrics.kubeconfig');
    writeServiceAccountKubeconfig(kubeconfig, ns, controllerSa);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const controller = startNodeChild(
      'controller',
      CONTROLLER_MAIN,
      ['--kubeconfig', kubeconfig, '--port', String(port), '--bind-address', '127.0.0.1', '--leader-elect=false'],
      join(tmp, 'controller-metrics.log'),
    );
    const binding = `${release}-test-scraper`;
    try {
      await waitFor200('controller', `${url}/healthz`, undefined, 30_000, () => controller.process.exitCode === null);
      kubectlOk(['create', 'serviceaccount', 'scraper', '-n', ns]);
      expect((await getMetrics(url)).status).toBe(401);
      // Before the binding: authenticated, not allowed.
      const unbound = await getMetrics(url, requestToken(ns, 'scraper'));
      expect(unbound).toEqual({
        status: 403,
        body: `Forbidden: user "system:serviceaccount:${ns}:scraper" cannot get path "/metrics"`,
      });
      kubectlOk([
        'create',
        'clusterrolebinding',
        binding,
        `--clusterrole=${release}-openvox-operator-metrics-reader`,
        `--serviceaccount=${ns}:scraper`,
      ]);
      // A fresh token (the refusal of the first is cached for a few seconds); RBAC takes a moment to apply.
      let bound = await getMetrics(url, requestToken(ns, 'scraper'));
      for (const deadline = Date.now() + 10_000; bound.status !== 200 && Date.now() < deadline; await sleep(250)) {
        bound = await getMetrics(url, requestToken(ns, 'scraper'));
      }
      expect(bound.status).toBe(200);
      expect(bound.body).toContain('openvox_controller_reconcile_total');
      const errors = readFileSync(join(tmp, 'controller-metrics.log'), 'utf8')
        .split('\n')
        .filter((line) => /review failed/.test(line));
      expect(errors).toEqual([]);
    } finally {
      kubectl(['delete', 'clusterrolebinding', binding, '--ignore-not-found']);
      await controller.stop();
    }
  }, 60_000);

  it('with that token, reading Secrets is refused', () => {
    const kubeconfig = join(tmp, 'webhook.kubeconfig');
    const result = kubectl(['--kubeconfig', kubeconfig, 'get', 'secrets', '-n', ns]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `secrets is forbidden: User "system:serviceaccount:${ns}:${webhookSa}" cannot list resource "secrets"`,
    );
    const allowed = kubectl(['--kubeconfig', kubeconfig, 'get', 'configs.openvox.voxpupuli.org', '-A']);
    expect(allowed.code).toBe(0);
  }, 60_000);

  it('with a controller token, every write it sends succeeds; deleting a PVC or a Deployment is refused', () => {
    const kubeconfig = join(tmp, 'controller.kubeconfig');
    writeServiceAccountKubeconfig(kubeconfig, ns, controllerSa);
    const as = (args: string[], input?: unknown) => kubectl(['--kubeconfig', kubeconfig, ...args], input);
    const meta = { name: 'rbac-probe', namespace: other };
    const selector = { matchLabels: { probe: 'rbac' } };
    // One object of every kind the controller server-side applies, sent as it sends them.
    const applied = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: meta, stringData: { a: '1' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: { ports: [{ port: 8140 }], selector: selector.matchLabels },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          selector,
          template: {
            metadata: { labels: selector.matchLabels },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: meta.name },
          minReplicas: 1,
          maxReplicas: 2,
        },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec: { selector, maxUnavailable: 1 } },
    ];
    for (const obj of applied) {
      const result = as(['apply', '--server-side', '--field-manager=openvox-operator', '-f', '-'], obj);
      expect({ kind: obj.kind, ...result }).toMatchObject({ kind: obj.kind, code: 0 });
    }
    // Owned HPAs and PDBs are deleted when switched off; Deployments never are (garbage collection does it).
    expect(as(['delete', 'hpa', meta.name, '-n', other])).toMatchObject({ code: 0 });
    expect(as(['delete', 'pdb', meta.name, '-n', other])).toMatchObject({ code: 0 });
    expect(as(['delete', 'deployment', meta.name, '-n', other]).stderr).toContain(
      'cannot delete resource "deployments"',
    );
    // Status is a merge patch on /status; the spec itself is never written.
    const status = as([
      'patch',
      'config',
      'production',
      '-n',
      other,
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"phase":"Pending"}}',
    ]);
    expect(status).toMatchObject({ code: 0 });
    expect(
      as(['patch', 'config', 'production', '-n', other, '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}'])
        .stderr,
    ).toContain('cannot patch resource "configs"');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `rbac-probe.${id}`, namespace: other },
      involvedObject: { kind: 'Config', name: 'production', namespace: other },
      reason: 'Probe',
      message: 'RBAC probe',
      type: 'Normal',
    };
    expect(as(['create', '-f', '-'], event)).toMatchObject({ code: 0 });
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'rbac-probe', namespace: ns },
      spec: { holderIdentity: 'probe', leaseDurationSeconds: 15 },
    };
    // The Lease is created and replaced (PUT) by the leader election, never patched.
    expect(as(['create', '-f', '-'], lease)).toMatchObject({ code: 0 });
    expect(as(['replace', '-f', '-'], { ...lease, spec: { ...lease.spec, holderIdentity: 'next' } })).toMatchObject({
      code: 0,
    });
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'rbac-probe', namespace: other },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    expect(as(['create', '-f', '-'], claim)).toMatchObject({ code: 0 });
    const del = as(['delete', 'pvc', 'rbac-probe', '-n', other]);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain('cannot delete resource "persistentvolumeclaims"');
    const secrets = as(['get', 'secrets', '-n', other, '-o', 'name']);
    expect(secrets.code).toBe(0);
  }, 60_000);
});

describe('helm install with a certificate of your own (no cert-manager)', () => {
  const byo = `byo-${id}`;
  const svc = `${byo}-openvox-operator-webhook`;

  afterAll(() => {
    helm(['uninstall', byo, '--namespace', other]);
  });

  it('installs with the Secret and caBundle; both configurations carry that CA', async () => {
    const ca = await createCa('byo-webhook-ca', 30);
    const leaf = await issueCertificate(ca, {
      commonName: svc,
      dnsNames: [svc, `${svc}.${other}`, `${svc}.${other}.svc`],
      usages: ['server'],
      days: 30,
    });
    kubectlOk(['apply', '-f', '-'], {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'my-webhook-tls', namespace: other },
      stringData: { 'tls.crt': leaf.certPem, 'tls.key': leaf.keyPem },
    });
    const caBundle = Buffer.from(ca.certPem).toString('base64');
    const values = {
      crds: { enabled: false },
      webhook: {
        certManager: { enabled: false },
        tls: { secretName: 'my-webhook-tls', caBundle },
        namespaceSelector: { matchLabels: selector },
      },
    };
    const result = withValuesFile(values, (file) => helm(['install', byo, CHART_DIR, '-n', other, '--values', file]));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Serving certificate: your Secret my-webhook-tls; its certificate must name ${svc}.${other}.svc.`,
    );
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      const config = JSON.parse(kubectlOk(['get', kind, `${byo}-openvox-operator`, '-o', 'json']));
      expect(config.webhooks[0].clientConfig.caBundle).toBe(caBundle);
      expect(config.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBeUndefined();
    }
    const deployment = JSON.parse(kubectlOk(['get', 'deployment', svc, '-n', other, '-o', 'json']));
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'serving-certs');
    expect(volume.secret.secretName).toBe('my-webhook-tls');
    expect(kubectl(['get', 'issuers.cert-manager.io', '-n', other, '-o', 'name']).stdout.trim()).toBe('');
  }, 60_000);
});

describe('helm uninstall', () => {
  it('removes the release objects but keeps the CRDs', () => {
    const result = helm(['uninstall', release, '--namespace', ns]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /These resources were kept due to the resource policy:[\s\S]*CustomResourceDefinition/,
    );
    expect(kubectl(['get', 'validatingwebhookconfiguration', `${release}-openvox-operator`]).code).not.toBe(0);
    expect(kubectl(['get', 'clusterrole', webhookSa]).code).not.toBe(0);
    for (const kind of KINDS) expect(kubectl(['get', 'crd', buildCrd(kind).metadata!.name!]).code).toBe(0);
    const stored = parse(kubectlOk(['get', 'crd', 'servers.openvox.voxpupuli.org', '-o', 'yaml']));
    expect(stored.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Established', status: 'True' })]),
    );
  }, 60_000);
});
