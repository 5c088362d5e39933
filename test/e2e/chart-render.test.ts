// The Helm chart as helm renders it: lint, the values schema, and the objects of each mode, parsed.
import { KINDS, MUTATE_PATH, VALIDATE_PATH, buildCrd, mutatePath, validatePath } from '@openvox/shared';
import { CHART_DIR, helm, kubeVersion, withValuesFile } from '../src/chart/helm.js';
import { render, template, type K8sObject, type Manifest } from '../src/chart/render.js';

const NS = 'openvox-system';
const RELEASE = 'openvox-operator';
const WEBHOOK = 'openvox-operator-webhook';
const CONTROLLER = 'openvox-operator-controller';
const CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
// A self-signed test CA, base64 of its PEM (what a user passes as webhook.tls.caBundle).
const CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBdTCCARugAwIBAgIUQ2Fyb2wgaXMgYSB0ZXN0IENBIG9ubHkwCgYIKoZIzj0EAwIw',
  '-----END CERTIFICATE-----',
  '',
].join('\n');
const CA_BUNDLE = Buffer.from(CA_PEM).toString('base64');
const BYO = {
  webhook: { certManager: { enabled: false }, tls: { secretName: 'my-webhook-tls', caBundle: CA_BUNDLE } },
};

function container(deployment: K8sObject): K8sObject {
  return deployment.spec.template.spec.containers[0];
}

function rulesOf(
  manifest: Manifest,
  kind: string,
  name: string,
): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  return manifest.one(kind, name).rules;
}

describe('helm lint', () => {
  it.each([
    ['default values', {}],
    ['bring-your-own certificate', BYO],
  ])('is clean with --strict (%s)', (_name, values) => {
    const result = withValuesFile(values, (file) =>
      helm(['lint', '--strict', '--kube-version', kubeVersion(), CHART_DIR, '--values', file]),
    );
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.code).toBe(0);
  });
});

describe('values schema', () => {
  it('rejects an unknown value with its path', () => {
    const result = template({ values: { webhook: { iamge: 'x' } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain("at '/webhook': additional properties 'iamge' not allowed");
  });

  it('rejects an unknown top-level value', () => {
    const result = template({ values: { replicaCount: 3 } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("additional properties 'replicaCount' not allowed");
  });

  it('rejects a wrong type with the path and both types', () => {
    const result = template({ values: { webhook: { timeoutSeconds: 'five' } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("at '/webhook/timeoutSeconds': got string, want integer");
  });

  it('rejects a value outside its enum and range', () => {
    const policy = template({ values: { webhook: { failurePolicy: 'Sometimes' } } });
    expect(policy.stderr).toMatch(/at '\/webhook\/failurePolicy': value must be one of 'Fail', 'Ignore'/);
    const timeout = template({ values: { webhook: { timeoutSeconds: 31 } } });
    expect(timeout.stderr).toMatch(/at '\/webhook\/timeoutSeconds': maximum: got 31, want 30/);
  });
});

describe('default render (cert-manager mode)', () => {
  const manifest = render({ release: RELEASE, namespace: NS });

  it('contains exactly the expected kinds', () => {
    expect(manifest.kinds()).toEqual([
      'Certificate',
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'Deployment',
      'Issuer',
      'MutatingWebhookConfiguration',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ValidatingWebhookConfiguration',
    ]);
    for (const obj of manifest.objects.filter((o) => !['ClusterRole', 'ClusterRoleBinding'].includes(o.kind))) {
      if (obj.kind.endsWith('WebhookConfiguration') || obj.kind === 'CustomResourceDefinition') continue;
      expect({ kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace }).toEqual({
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: NS,
      });
    }
  });

  it('ships the five CRDs from shared/ with the keep policy', () => {
    const crds = manifest.ofKind('CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(KINDS.map((k) => buildCrd(k).metadata!.name).sort());
    for (const kind of KINDS) {
      const expected = buildCrd(kind);
      const crd = manifest.one('CustomResourceDefinition', expected.metadata!.name);
      expect(crd.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      expect(crd.spec).toEqual(expected.spec);
    }
  });

  it('runs two webhook pods spread by anti-affinity, probed over HTTPS, certificate mounted as a directory', () => {
    const deployment = manifest.one('Deployment', WEBHOOK);
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'openvox-operator',
      'app.kubernetes.io/instance': RELEASE,
      'app.kubernetes.io/component': 'webhook',
    });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    const c = container(deployment);
    expect(c.image).toBe('ghcr.io/openvox/openvox-operator:0.1.0');
    expect(c.args).toEqual([
      'webhook',
      '--port',
      '9443',
      '--tls-cert',
      `${CERT_DIR}/tls.crt`,
      '--tls-key',
      `${CERT_DIR}/tls.key`,
    ]);
    expect(c.ports).toEqual([{ name: 'webhook', containerPort: 9443, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'webhook', scheme: 'HTTPS' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'webhook', scheme: 'HTTPS' });
    const mount = c.volumeMounts.find((m: K8sObject) => m.mountPath === CERT_DIR);
    expect(mount).toEqual({ name: 'serving-certs', mountPath: CERT_DIR, readOnly: true });
    expect(c.volumeMounts.every((m: K8sObject) => m.subPath === undefined)).toBe(true);
    const volume = pod.volumes.find((v: K8sObject) => v.name === 'serving-certs');
    expect(volume.secret.secretName).toBe(manifest.one('Certificate', WEBHOOK).spec.secretName);
  });

  it('runs both containers non-root, read-only, without capabilities, seccomp RuntimeDefault', () => {
    for (const name of [WEBHOOK, CONTROLLER]) {
      const deployment = manifest.one('Deployment', name);
      expect(deployment.spec.template.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(deployment).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  it('fronts the webhook with a Service on 443 and keeps one pod through disruptions', () => {
    const service = manifest.one('Service', WEBHOOK);
    const pods = manifest.one('Deployment', WEBHOOK).spec.template.metadata.labels;
    expect(service.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
    expect(pods).toMatchObject(service.spec.selector);
    const pdb = manifest.one('PodDisruptionBudget', WEBHOOK);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pods).toMatchObject(pdb.spec.selector.matchLabels);
  });

  it('runs the controller with leader election in the release namespace and POD_NAMESPACE from the downward API', () => {
    const deployment = manifest.one('Deployment', CONTROLLER);
    const c = container(deployment);
    expect(c.args).toEqual(['controller', '--port', '8080', '--leader-elect', '--leader-election-namespace', NS]);
    expect(c.env).toContainEqual({
      name: 'POD_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(deployment.spec.template.spec.serviceAccountName).toBe(CONTROLLER);
    expect(manifest.one('Deployment', WEBHOOK).spec.template.spec.serviceAccountName).toBe(WEBHOOK);
  });

  it('lets the webhook get/list/watch Configs and Certificates and nothing else', () => {
    expect(rulesOf(manifest, 'ClusterRole', WEBHOOK)).toEqual([
      { apiGroups: ['openvox.voxpupuli.org'], resources: ['configs', 'certificates'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(manifest.one('ClusterRoleBinding', WEBHOOK)).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: WEBHOOK },
      subjects: [{ kind: 'ServiceAccount', name: WEBHOOK, namespace: NS }],
    });
  });

  it('gives the controller only what it uses: no wildcards, PVCs create-only, deletes only HPAs, PDBs, NetworkPolicies, Secrets (the ENC and report-processor Secrets a Config owns, once nothing names them) and AgentCertificates (forgotten or cleaned certnames)', () => {
    const rules = rulesOf(manifest, 'ClusterRole', CONTROLLER);
    const flat = rules.flatMap((r) =>
      r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0]}/${res}:${v}`)),
    );
    expect(flat.join(' ')).not.toContain('*');
    expect(flat).toContain('/persistentvolumeclaims:create');
    expect(flat).not.toContain('/persistentvolumeclaims:delete');
    expect(flat.filter((p) => p.endsWith(':delete')).sort()).toEqual([
      '/secrets:delete',
      'autoscaling/horizontalpodautoscalers:delete',
      'networking.k8s.io/networkpolicies:delete',
      'openvox.voxpupuli.org/agentcertificates:delete',
      'policy/poddisruptionbudgets:delete',
    ]);
    for (const kind of KINDS.map((k) => k.plural)) {
      expect(flat).toContain(`openvox.voxpupuli.org/${kind}:watch`);
      expect(flat).toContain(`openvox.voxpupuli.org/${kind}/status:patch`);
      expect(flat).not.toContain(`openvox.voxpupuli.org/${kind}:update`);
      expect(flat).not.toContain(`openvox.voxpupuli.org/${kind}/status:update`);
    }
    for (const write of [
      'apps/deployments:patch',
      '/services:create',
      '/secrets:patch',
      '/configmaps:create',
      '/events:create',
    ]) {
      expect(flat).toContain(write);
    }
    expect(flat.some((p) => p.startsWith('coordination.k8s.io/'))).toBe(false);
    // Events are written, and read (the kubelet's probe failures) but never fetched one by one or deleted.
    expect(flat.filter((p) => p.startsWith('/events:')).sort()).toEqual([
      '/events:create',
      '/events:list',
      '/events:patch',
      '/events:watch',
    ]);
    // Pods are read (their kubelet status), never written.
    expect(flat.filter((p) => p.startsWith('/pods:')).sort()).toEqual(['/pods:get', '/pods:list', '/pods:watch']);
    expect(flat.filter((p) => p.startsWith('discovery.k8s.io/')).sort()).toEqual([
      'discovery.k8s.io/endpointslices:get',
      'discovery.k8s.io/endpointslices:list',
      'discovery.k8s.io/endpointslices:watch',
    ]);
    // Only the Lease is ever replaced (PUT); everything else is server-side applied (PATCH).
    expect(flat.filter((p) => p.endsWith(':update')).every((p) => p.endsWith('/finalizers:update'))).toBe(true);
    const role = manifest.one('Role', `${CONTROLLER}-leader-election`);
    expect(role.metadata.namespace).toBe(NS);
    expect(role.rules).toEqual([
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'create', 'update'],
      },
    ]);
    expect(manifest.one('RoleBinding', `${CONTROLLER}-leader-election`).subjects).toEqual([
      { kind: 'ServiceAccount', name: CONTROLLER, namespace: NS },
    ]);
  });

  it('mutates Servers, judges the kinds with CEL rules before the CEL stage, validates every kind, by their own paths', () => {
    const plural = (k: string) => (k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`);
    expect(
      manifest
        .one('MutatingWebhookConfiguration', RELEASE)
        .webhooks.map(
          (w: { name: string; rules: { resources: string[] }[]; clientConfig: { service: { path: string } } }) => [
            w.name,
            w.rules[0]!.resources[0],
            w.clientConfig.service.path,
          ],
        ),
    ).toEqual([
      ['mserver.openvox.voxpupuli.org', 'servers', MUTATE_PATH],
      ...['certificate', 'pool', 'nodeclassifier', 'reportprocessor', 'database'].map((k) => [
        `m${k}.openvox.voxpupuli.org`,
        plural(k),
        mutatePath(k),
      ]),
    ]);
    const validating = manifest.one('ValidatingWebhookConfiguration', RELEASE).webhooks;
    expect(
      validating.map(
        (w: { name: string; rules: { resources: string[] }[]; clientConfig: { service: { path: string } } }) => [
          w.name,
          w.rules[0]!.resources[0],
          w.clientConfig.service.path,
        ],
      ),
    ).toEqual(
      [
        'server',
        'config',
        'certificate',
        'certificateauthority',
        'pool',
        'signingpolicy',
        'agentcertificate',
        'nodeclassifier',
        'reportprocessor',
        'database',
      ].map((k) => [`v${k}.openvox.voxpupuli.org`, plural(k), validatePath(k)]),
    );
  });

  it.each([
    ['MutatingWebhookConfiguration', MUTATE_PATH],
    ['ValidatingWebhookConfiguration', VALIDATE_PATH],
  ])('%s: Servers, Fail, no side effects, 5 s, skips its own namespace and kube-system', (kind, path) => {
    const config = manifest.one(kind, RELEASE);
    expect(config.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `${NS}/${WEBHOOK}` });
    const hook = config.webhooks[0];
    expect(hook).toMatchObject({
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      timeoutSeconds: 5,
      clientConfig: { service: { name: WEBHOOK, namespace: NS, path, port: 443 } },
      rules: [
        {
          apiGroups: ['openvox.voxpupuli.org'],
          apiVersions: ['v1alpha1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['servers'],
          scope: 'Namespaced',
        },
      ],
      namespaceSelector: {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [NS, 'kube-system'] }],
      },
    });
    expect(hook.clientConfig.caBundle).toBeUndefined();
  });

  it('chains self-signed Issuer -> CA Certificate -> CA Issuer -> serving Certificate for the Service names', () => {
    const selfSigned = manifest.one('Issuer', `${WEBHOOK}-selfsigned`);
    expect(selfSigned.spec).toEqual({ selfSigned: {} });
    const ca = manifest.one('Certificate', `${WEBHOOK}-ca`);
    expect(ca.spec).toMatchObject({
      isCA: true,
      duration: '87600h',
      issuerRef: { kind: 'Issuer', name: `${WEBHOOK}-selfsigned` },
    });
    const caIssuer = manifest.one('Issuer', `${WEBHOOK}-ca`);
    expect(caIssuer.spec).toEqual({ ca: { secretName: ca.spec.secretName } });
    const serving = manifest.one('Certificate', WEBHOOK);
    expect(serving.spec).toMatchObject({
      duration: '8760h',
      renewBefore: '720h',
      issuerRef: { kind: 'Issuer', name: `${WEBHOOK}-ca` },
      usages: expect.arrayContaining(['server auth']),
    });
    expect(serving.spec.dnsNames).toEqual([
      WEBHOOK,
      `${WEBHOOK}.${NS}`,
      `${WEBHOOK}.${NS}.svc`,
      `${WEBHOOK}.${NS}.svc.cluster.local`,
    ]);
    expect(serving.spec.secretName).not.toBe(ca.spec.secretName);
  });
});

describe('bring-your-own certificate', () => {
  const manifest = render({ release: RELEASE, namespace: NS, values: BYO });

  it('renders no cert-manager objects and no injection annotation', () => {
    expect(manifest.ofKind('Issuer')).toEqual([]);
    expect(manifest.ofKind('Certificate')).toEqual([]);
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      expect(manifest.one(kind).metadata.annotations).toBeUndefined();
    }
  });

  it('puts the caBundle into both configurations and mounts the given Secret', () => {
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      expect(manifest.one(kind).webhooks[0].clientConfig.caBundle).toBe(CA_BUNDLE);
    }
    const volume = manifest
      .one('Deployment', WEBHOOK)
      .spec.template.spec.volumes.find((v: K8sObject) => v.name === 'serving-certs');
    expect(volume.secret.secretName).toBe('my-webhook-tls');
  });

  it('fails with a clear message without the Secret name', () => {
    const result = template({ values: { webhook: { certManager: { enabled: false }, tls: { caBundle: CA_BUNDLE } } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('webhook.tls.secretName is required when webhook.certManager.enabled is false');
  });

  it('fails with a clear message without the caBundle', () => {
    const result = template({
      values: { webhook: { certManager: { enabled: false }, tls: { secretName: 'my-webhook-tls' } } },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('webhook.tls.caBundle is required when webhook.certManager.enabled is false');
  });

  it('fails when the caBundle is not base64 PEM', () => {
    const result = template({
      values: { webhook: { certManager: { enabled: false }, tls: { secretName: 's', caBundle: CA_PEM } } },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('webhook.tls.caBundle must be base64-encoded PEM');
  });
});

describe('custom values', () => {
  const manifest = render({
    release: 'ovx',
    namespace: 'operators',
    values: {
      image: { repository: 'registry.example/ovx', digest: `sha256:${'a'.repeat(64)}`, pullPolicy: 'Always' },
      imagePullSecrets: [{ name: 'regcred' }],
      crds: { enabled: false },
      webhook: {
        replicas: 3,
        port: 10250,
        timeoutSeconds: 10,
        failurePolicy: 'Ignore',
        excludeNamespaces: ['legacy'],
        namespaceSelector: {
          matchLabels: { 'openvox.voxpupuli.org/admission': 'enabled' },
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['sandbox'] }],
        },
        pdb: { enabled: false },
        certManager: { duration: '2160h', renewBefore: '360h' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      },
      controller: { replicas: 2, port: 8081, leaderElection: { enabled: true }, nodeSelector: { role: 'infra' } },
    },
  });
  const webhook = 'ovx-openvox-operator-webhook';
  const controller = 'ovx-openvox-operator-controller';

  it('drops the CRDs and the PDB when switched off', () => {
    expect(manifest.ofKind('CustomResourceDefinition')).toEqual([]);
    expect(manifest.ofKind('PodDisruptionBudget')).toEqual([]);
  });

  it('uses the image digest, pull secrets and ports', () => {
    const w = manifest.one('Deployment', webhook);
    expect(container(w).image).toBe(`registry.example/ovx@sha256:${'a'.repeat(64)}`);
    expect(container(w).imagePullPolicy).toBe('Always');
    expect(w.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(w.spec.replicas).toBe(3);
    expect(container(w).ports[0].containerPort).toBe(10250);
    expect(container(w).args).toContain('10250');
    expect(w.spec.template.spec.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
    });
    const c = manifest.one('Deployment', controller);
    expect(c.spec.replicas).toBe(2);
    expect(container(c).args).toEqual([
      'controller',
      '--port',
      '8081',
      '--leader-elect',
      '--leader-election-namespace',
      'operators',
    ]);
    expect(c.spec.template.spec.nodeSelector).toEqual({ role: 'infra' });
  });

  it('applies timeout, failure policy and the extra namespace selection to both configurations', () => {
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const hook = manifest.one(kind, 'ovx-openvox-operator').webhooks[0];
      expect(hook.timeoutSeconds).toBe(10);
      expect(hook.failurePolicy).toBe('Ignore');
      expect(hook.namespaceSelector).toEqual({
        matchLabels: { 'openvox.voxpupuli.org/admission': 'enabled' },
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['operators', 'kube-system', 'legacy'] },
          { key: 'tier', operator: 'NotIn', values: ['sandbox'] },
        ],
      });
    }
    expect(manifest.one('Certificate', webhook).spec).toMatchObject({ duration: '2160h', renewBefore: '360h' });
  });

  it('omits leader election (flags and Role) when disabled', () => {
    const single = render({ values: { controller: { leaderElection: { enabled: false } } } });
    expect(container(single.one('Deployment', CONTROLLER)).args).toEqual(['controller', '--port', '8080']);
    expect(single.ofKind('Role')).toEqual([]);
    expect(single.ofKind('RoleBinding')).toEqual([]);
  });

  it('refuses two controllers without leader election', () => {
    const result = template({ values: { controller: { replicas: 2, leaderElection: { enabled: false } } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('controller.replicas above 1 needs controller.leaderElection.enabled');
  });

  it('refuses a webhook PDB that would block every eviction', () => {
    const result = template({ values: { webhook: { replicas: 2, pdb: { minAvailable: 2 } } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('webhook.pdb.minAvailable (2) must be below webhook.replicas (2)');
    expect(
      render({ values: { webhook: { replicas: 1, pdb: { minAvailable: '50%' } } } }).one('PodDisruptionBudget').spec
        .minAvailable,
    ).toBe('50%');
  });

  it('uses existing ServiceAccounts when asked', () => {
    const existing = render({
      values: {
        webhook: { serviceAccount: { create: false, name: 'wh', annotations: {} } },
        controller: { serviceAccount: { create: false, name: 'ctl', annotations: {} } },
      },
    });
    expect(existing.ofKind('ServiceAccount')).toEqual([]);
    expect(existing.one('Deployment', WEBHOOK).spec.template.spec.serviceAccountName).toBe('wh');
    expect(existing.one('ClusterRoleBinding', CONTROLLER).subjects[0].name).toBe('ctl');
  });
});

describe('controller metrics', () => {
  const manifest = render({ release: RELEASE, namespace: NS });
  const METRICS = `${CONTROLLER}-metrics`;

  it('lets the controller review tokens and access for /metrics, and nothing more of those groups', () => {
    const rules = rulesOf(manifest, 'ClusterRole', CONTROLLER);
    expect(
      rules.filter((r) => r.apiGroups.some((g) => g.startsWith('authentication') || g.startsWith('authorization'))),
    ).toEqual([
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
  });

  it('ships aggregated ClusterRoles to view and to sign agent certificates, without exec or status rights', () => {
    const viewer = manifest.one('ClusterRole', `${RELEASE}-agentcert-viewer`);
    const signer = manifest.one('ClusterRole', `${RELEASE}-agentcert-signer`);
    expect(viewer.rules).toEqual([
      { apiGroups: ['openvox.voxpupuli.org'], resources: ['agentcertificates'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(signer.rules).toEqual([
      {
        apiGroups: ['openvox.voxpupuli.org'],
        resources: ['agentcertificates'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'update'],
      },
    ]);
    const aggregates = (role: { metadata: { labels?: Record<string, string> } }) =>
      Object.keys(role.metadata.labels ?? {})
        .filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-'))
        .map((l) => l.split('aggregate-to-')[1])
        .sort();
    expect(aggregates(viewer)).toEqual(['admin', 'edit', 'view']);
    expect(aggregates(signer)).toEqual(['admin', 'edit']);
  });

  it('ships a ClusterRole a scraper is bound to: get on the URL /metrics only', () => {
    expect(manifest.one('ClusterRole', `${RELEASE}-metrics-reader`).rules).toEqual([
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
  });

  it('fronts the controller pods with a metrics Service on their http port', () => {
    const service = manifest.one('Service', METRICS);
    expect(service.metadata.namespace).toBe(NS);
    expect(service.spec.ports).toEqual([{ name: 'http-metrics', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(manifest.one('Deployment', CONTROLLER).spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  it('renders no ServiceMonitor by default, and never a debug port', () => {
    expect(manifest.ofKind('ServiceMonitor')).toEqual([]);
    const monitored = render({ values: { controller: { metrics: { serviceMonitor: { enabled: true } } } } });
    for (const m of [manifest, monitored]) {
      expect(container(m.one('Deployment', CONTROLLER)).args.join(' ')).not.toContain('debug');
    }
  });

  it('renders a ServiceMonitor when enabled: the metrics Service, with the scraper’s own token file', () => {
    const monitored = render({
      release: RELEASE,
      namespace: NS,
      values: {
        controller: { metrics: { serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } } } },
      },
    });
    const monitor = monitored.one('ServiceMonitor', METRICS);
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata).toMatchObject({ namespace: NS, labels: { release: 'prom' } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [NS] });
    expect(monitored.one('Service', METRICS).metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    // Only the metrics Service carries the controller's labels; the webhook Service must not match.
    expect(monitored.one('Service', WEBHOOK).metadata.labels).not.toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([
      {
        port: 'http-metrics',
        path: '/metrics',
        scheme: 'http',
        interval: '15s',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      },
    ]);
  });

  it('rejects a ServiceMonitor interval that is not a duration', () => {
    const result = template({ values: { controller: { metrics: { serviceMonitor: { interval: 'often' } } } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("at '/controller/metrics/serviceMonitor/interval': 'often' does not match pattern");
  });
});
