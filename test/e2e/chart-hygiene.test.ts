// The chart's workload settings as helm renders them: Node's heap limit derived from each memory
// limit, and the two NetworkPolicies (the workload linter in test/src/lint/ checks the rest).
import { spawnSync } from 'node:child_process';
import { render, template, type K8sObject } from '../src/chart/render.js';

const WEBHOOK = 'openvox-operator-webhook';
const CONTROLLER = 'openvox-operator-controller';

const env = (deployment: K8sObject, name: string): string | undefined =>
  deployment.spec.template.spec.containers[0].env?.find((e: { name: string }) => e.name === name)?.value;

describe("Node's heap limit", () => {
  it('is 70% of the memory limit of each component by default: old space plus a young generation of 3 semi-spaces', () => {
    const manifest = render();
    // 384Mi -> 268 MiB; 1Gi -> 716 MiB.
    expect(env(manifest.one('Deployment', WEBHOOK), 'NODE_OPTIONS')).toBe(
      '--max-old-space-size=244 --max-semi-space-size=8',
    );
    expect(env(manifest.one('Deployment', CONTROLLER), 'NODE_OPTIONS')).toBe(
      '--max-old-space-size=704 --max-semi-space-size=4',
    );
  });

  it("keeps V8's whole heap at that size (the node binary itself, with the chart's flags)", () => {
    const flags = env(render().one('Deployment', WEBHOOK), 'NODE_OPTIONS')!;
    const r = spawnSync(
      process.execPath,
      ['-p', "Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20)"],
      {
        env: { ...process.env, NODE_OPTIONS: flags },
        encoding: 'utf8',
      },
    );
    expect(r.stdout.trim()).toBe('268');
  });

  it('follows a changed limit and percentage, in binary or decimal units, and is left out without a limit', () => {
    const manifest = render({
      values: {
        nodeHeapPercent: 50,
        webhook: { resources: { limits: { memory: '2000M' } } },
        // null removes a default value in helm's merge.
        controller: { resources: { limits: { memory: null } } },
      },
    });
    // 2000M = 1907 MiB; half of it, less the young generation.
    expect(env(manifest.one('Deployment', WEBHOOK), 'NODE_OPTIONS')).toBe(
      '--max-old-space-size=929 --max-semi-space-size=8',
    );
    expect(env(manifest.one('Deployment', CONTROLLER), 'NODE_OPTIONS')).toBeUndefined();
    expect(env(manifest.one('Deployment', CONTROLLER), 'POD_NAMESPACE')).toBeUndefined(); // a fieldRef, no value
  });

  it('refuses a limit it cannot compute from, naming it', () => {
    const result = template({ values: { controller: { resources: { limits: { memory: '1.5Gi' } } } } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('memory limit "1.5Gi": give an integer with an optional Ki, Mi, Gi, Ti');
    const small = template({ values: { webhook: { resources: { limits: { memory: '120Mi' } } } } });
    expect(small.stderr).toContain('memory limit "120Mi" leaves Node less than 64 MiB of old space');
  });
});

describe('NetworkPolicies', () => {
  const manifest = render();
  const policy = (name: string) => manifest.one('NetworkPolicy', name);
  const egress = [
    { ports: [443, 6443].map((port) => ({ protocol: 'TCP', port })) },
    {
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
      to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    },
  ];

  // The controller's CRL refresh: the Server pods the operator renders (the CA Servers among them) on 8140.
  const serverPods = { 'app.kubernetes.io/name': 'openvox-server', 'app.kubernetes.io/managed-by': 'openvox-operator' };
  const caServers = (namespaceSelector: object) => ({
    ports: [{ protocol: 'TCP', port: 8140 }],
    to: [{ podSelector: { matchLabels: serverPods }, namespaceSelector }],
  });

  it("select each component's pods, both directions", () => {
    for (const name of [WEBHOOK, CONTROLLER]) {
      const pods = manifest.one('Deployment', name).spec.template.metadata.labels;
      expect(pods).toMatchObject(policy(name).spec.podSelector.matchLabels);
      expect(policy(name).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
    expect(policy(WEBHOOK).spec.egress).toEqual(egress);
    expect(policy(CONTROLLER).spec.egress).toEqual([...egress, caServers({})]);
  });

  it('let the controller reach the Server pods on 8140 in the watched namespaces only, in namespace mode', () => {
    const scoped = render({ values: { scope: { mode: 'namespace', watchNamespace: 'a', watchNamespaces: ['b'] } } });
    expect(scoped.one('NetworkPolicy', CONTROLLER).spec.egress[2]).toEqual(
      caServers({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] }),
    );
  });

  it('let in admission requests on the webhook port and scrapers on the controller port only', () => {
    expect(policy(WEBHOOK).spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 9443 }] }]);
    expect(policy(CONTROLLER).spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const scraper = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const custom = render({
      values: { networkPolicy: { metricsFrom: [scraper], apiServer: { cidrs: ['192.0.2.10/32'], ports: [6443] } } },
    });
    const controller = custom.one('NetworkPolicy', CONTROLLER).spec;
    expect(controller.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }], from: [scraper] }]);
    expect(controller.egress[0]).toEqual({
      ports: [{ protocol: 'TCP', port: 6443 }],
      to: [{ ipBlock: { cidr: '192.0.2.10/32' } }],
    });
  });

  it('are left out when disabled', () => {
    expect(render({ values: { networkPolicy: { enabled: false } } }).ofKind('NetworkPolicy')).toEqual([]);
  });
});
