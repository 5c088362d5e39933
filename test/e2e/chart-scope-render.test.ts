// The chart's namespace-scoped mode as helm renders it: Roles in each watched namespace instead of
// ClusterRoles, both processes told which namespaces to watch, webhooks that select only those, and a
// clear error for values that contradict the mode. Cluster mode stays as chart-render.test.ts shows it.
import { CHART_DIR, helm, kubeVersion, withValuesFile } from '../src/chart/helm.js';
import { render, template, type K8sObject, type Manifest } from '../src/chart/render.js';

const NS = 'openvox-system';
const WEBHOOK = 'openvox-operator-webhook';
const CONTROLLER = 'openvox-operator-controller';
const NAMESPACED = { scope: { mode: 'namespace', watchNamespace: 'team-a', watchNamespaces: ['team-b', 'team-a'] } };
const REVIEWS = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];

const args = (manifest: Manifest, name: string): string[] =>
  manifest.one('Deployment', name).spec.template.spec.containers[0].args;
const where = (objs: K8sObject[]) => objs.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);

describe('namespace mode', () => {
  const manifest = render({ namespace: NS, values: NAMESPACED });
  const cluster = render({ namespace: NS });

  it('is clean with helm lint --strict', () => {
    const result = withValuesFile(NAMESPACED, (file) =>
      helm(['lint', '--strict', '--kube-version', kubeVersion(), CHART_DIR, '--values', file]),
    );
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('grants both ServiceAccounts Roles in each watched namespace, and no cluster-wide read or write', () => {
    const rbac = manifest.objects.filter((o) => o.apiVersion === 'rbac.authorization.k8s.io/v1');
    expect(where(rbac).sort()).toEqual(
      [
        `ClusterRole -/${CONTROLLER}-metrics-auth`,
        `ClusterRoleBinding -/${CONTROLLER}-metrics-auth`,
        'ClusterRole -/openvox-operator-metrics-reader',
        'ClusterRole -/openvox-operator-agentcert-viewer',
        'ClusterRole -/openvox-operator-agentcert-signer',
        `Role ${NS}/${CONTROLLER}-leader-election`,
        `RoleBinding ${NS}/${CONTROLLER}-leader-election`,
        ...['team-a', 'team-b'].flatMap((ns) =>
          [CONTROLLER, WEBHOOK].flatMap((name) => [`Role ${ns}/${name}`, `RoleBinding ${ns}/${name}`]),
        ),
      ].sort(),
    );
    // The Roles carry exactly the cluster mode's rules, less the two cluster-scoped review APIs.
    const clusterRules = (name: string) => cluster.one('ClusterRole', name).rules;
    for (const ns of ['team-a', 'team-b']) {
      const role = (name: string) =>
        manifest.ofKind('Role').find((r) => r.metadata.name === name && r.metadata.namespace === ns)!;
      expect(role(CONTROLLER).rules).toEqual(clusterRules(CONTROLLER).slice(0, -2));
      expect(role(WEBHOOK).rules).toEqual(clusterRules(WEBHOOK));
      for (const name of [CONTROLLER, WEBHOOK]) {
        const binding = manifest
          .ofKind('RoleBinding')
          .find((b) => b.metadata.name === name && b.metadata.namespace === ns)!;
        expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name });
        expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name, namespace: NS }]);
      }
    }
    expect(clusterRules(CONTROLLER).slice(-2)).toEqual(REVIEWS);
    expect(manifest.one('ClusterRole', `${CONTROLLER}-metrics-auth`).rules).toEqual(REVIEWS);
    expect(manifest.one('ClusterRoleBinding', `${CONTROLLER}-metrics-auth`).subjects).toEqual([
      { kind: 'ServiceAccount', name: CONTROLLER, namespace: NS },
    ]);
  });

  it('tells both processes which namespaces to watch, each once; cluster mode passes no such flag', () => {
    for (const name of [CONTROLLER, WEBHOOK]) {
      const a = args(manifest, name);
      expect(a.slice(a.indexOf('--watch-namespaces'))).toEqual(['--watch-namespaces', 'team-a,team-b']);
      expect(args(cluster, name)).not.toContain('--watch-namespaces');
    }
  });

  it('sends only the watched namespaces to both webhook configurations, extra selection kept', () => {
    const custom = render({
      namespace: NS,
      values: { ...NAMESPACED, webhook: { namespaceSelector: { matchLabels: { tier: 'puppet' } } } },
    });
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      for (const webhook of custom.one(kind).webhooks) {
        expect(webhook.namespaceSelector).toEqual({
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }],
          matchLabels: { tier: 'puppet' },
        });
      }
    }
  });

  it('watches the release namespace when no namespace is named', () => {
    const own = render({ namespace: NS, values: { scope: { mode: 'namespace' } } });
    expect(args(own, CONTROLLER)).toEqual(expect.arrayContaining(['--watch-namespaces', NS]));
    expect(where(own.ofKind('Role')).sort()).toEqual([
      `Role ${NS}/${CONTROLLER}`,
      `Role ${NS}/${CONTROLLER}-leader-election`,
      `Role ${NS}/${WEBHOOK}`,
    ]);
    expect(own.one('ValidatingWebhookConfiguration').webhooks[0].namespaceSelector.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: [NS] },
    ]);
  });

  it('leaves out the review ClusterRole when asked: then no cluster-scoped grant to the operator is left', () => {
    const none = render({ namespace: NS, values: { scope: { ...NAMESPACED.scope, metricsAuthClusterRole: false } } });
    // What remains grants the operator nothing: roles for people (metrics scrapers, agent certificate viewers and signers).
    expect(where([...none.ofKind('ClusterRole'), ...none.ofKind('ClusterRoleBinding')])).toEqual([
      'ClusterRole -/openvox-operator-agentcert-viewer',
      'ClusterRole -/openvox-operator-agentcert-signer',
      'ClusterRole -/openvox-operator-metrics-reader',
    ]);
  });

  it('refuses values that contradict the mode, naming them', () => {
    const inCluster = template({ values: { scope: { mode: 'cluster', watchNamespaces: ['team-a'] } } });
    expect(inCluster.code).not.toBe(0);
    expect(inCluster.stderr).toContain(
      'scope.watchNamespace and scope.watchNamespaces apply only with scope.mode: namespace',
    );
    const excluded = template({ values: { ...NAMESPACED, webhook: { excludeNamespaces: ['legacy'] } } });
    expect(excluded.code).not.toBe(0);
    expect(excluded.stderr).toContain('webhook.excludeNamespaces applies only with scope.mode: cluster');
  });

  it('checks the values in the schema: the mode is an enum, namespaces are namespace names', () => {
    expect(template({ values: { scope: { mode: 'tenant' } } }).stderr).toMatch(
      /at '\/scope\/mode': value must be one of 'cluster', 'namespace'/,
    );
    expect(template({ values: { scope: { mode: 'namespace', watchNamespaces: ['Team_A'] } } }).stderr).toContain(
      "at '/scope/watchNamespaces/0'",
    );
    expect(template({ values: { scope: { mode: 'namespace', watchNamespace: 'a.b' } } }).stderr).toContain(
      "at '/scope/watchNamespace'",
    );
  });
});
