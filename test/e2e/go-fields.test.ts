// The Go operator's fields of the existing kinds, on the real API server and a real pod: a Config's
// authorizationRules, httpClient timeouts and metrics reach the rendered files and a real puppetserver
// starts with them and applies the rule; a CertificateAuthority's resources reach the CA pod's ca-init
// container; a Server's networkPolicy is a NetworkPolicy object, removed again when switched off. (The
// local node's bridge network does not enforce NetworkPolicies: the object is what is checked.)
import { jest } from '@jest/globals';
import { request } from 'node:https';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, KIND, applyStack, getObject, type Obj } from '../src/e2e-support/objects.js';
import { livePods, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';

// A puppetserver pod is Ready in 24-45 s on an idle 2-core machine and up to ~90 s under load.
const POD_MS = 300_000;
jest.setTimeout(POD_MS + 120_000);

const SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const CA_RESOURCES = { requests: { cpu: '20m', memory: '16Mi' }, limits: { memory: '48Mi' } };
const RULE = {
  name: 'environments for anyone',
  matchRequest: { path: '/puppet/v3/environments', type: 'path', method: ['get'] },
  allowUnauthenticated: true,
  sortOrder: 400,
};
const EXTRA_INGRESS = {
  from: [{ namespaceSelector: { matchLabels: { monitoring: 'true' } } }],
  ports: [{ port: 9404 }],
};
let ns: string;

function server(networkPolicy: object) {
  return {
    apiVersion: API,
    kind: 'Server',
    metadata: { name: 'production-ca', namespace: ns },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      ca: true,
      replicas: 1,
      javaArgs: SMALL_JAVA_ARGS,
      networkPolicy,
    },
  };
}

/** GET without a client certificate; resolves with the HTTP status. */
function statusOf(ip: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: ip, port: 8140, path, method: 'GET', rejectUnauthorized: false, timeout: 10_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

beforeAll(async () => {
  ns = createNamespace('e2e-go-fields', { runPods: true });
  await applyStack(ns, {
    ca: { resources: CA_RESOURCES },
    config: {
      puppetserver: { authorizationRules: [RULE], httpClient: { connectTimeoutMs: 5000, idleTimeoutMs: 30000 } },
      metrics: {
        enabled: true,
        jmx: { enabled: true },
        graphite: { enabled: true, host: 'graphite.invalid', port: 2003, updateIntervalSeconds: 300 },
      },
    },
  });
  kubectlOk(['apply', '-f', '-'], server({ enabled: true, additionalIngress: [EXTRA_INGRESS] }));
});
afterAll(() => deleteNamespace(ns));

it('renders the rule, the timeouts and the Graphite reporter into production-config', async () => {
  const cm = await until('ConfigMap production-config', () => getObject('configmap', 'production-config', ns));
  expect(cm.data['auth.conf']).toContain('name: "environments for anyone"');
  expect(cm.data['puppetserver.conf']).toContain('connect-timeout-milliseconds: 5000');
  expect(cm.data['puppetserver.conf']).toContain('idle-timeout-milliseconds: 30000');
  expect(cm.data['metrics.conf']).toMatch(/host: "graphite.invalid"\n\s+port: 2003\n\s+update-interval-seconds: 300/);
});

it('applies the NetworkPolicy production-ca-netpol: 8140 from anywhere, then the extra rule', async () => {
  const np = await until(
    'NetworkPolicy production-ca-netpol',
    () => getObject('networkpolicy', 'production-ca-netpol', ns),
    90_000,
  );
  expect(np.spec).toEqual({
    podSelector: { matchLabels: { 'openvox.voxpupuli.org/server': 'production-ca' } },
    policyTypes: ['Ingress'],
    ingress: [
      { ports: [{ protocol: 'TCP', port: 8140 }] },
      { ...EXTRA_INGRESS, ports: [{ protocol: 'TCP', port: 9404 }] },
    ],
  });
  expect(np.metadata.ownerReferences[0]).toMatchObject({ kind: 'Server', name: 'production-ca', controller: true });
});

it("gives the real CA pod's ca-init container the CertificateAuthority's resources", async () => {
  const pod = await until('a production-ca pod', () => livePods(ns, SELECTOR)[0], 120_000);
  const caInit = pod.spec.initContainers.find((c: Obj) => c.name === 'ca-init');
  expect(caInit.resources).toEqual({
    requests: { cpu: '20m', 'ephemeral-storage': '8Mi', memory: '16Mi' },
    limits: { 'ephemeral-storage': '32Mi', memory: '48Mi' },
  });
});

it('starts puppetserver with those files, and the rule lets an unauthenticated client list environments', async () => {
  const [pod] = await until(
    'the production-ca pod Ready',
    () => {
      const ready = readyPods(ns, SELECTOR);
      return ready.length > 0 && ready;
    },
    POD_MS,
    () => livePods(ns, SELECTOR).map((p: Obj) => ({ phase: p.status?.phase, waiting: waitingReasons(p) })),
  );
  expect(await statusOf(pod.status.podIP, '/puppet/v3/environments')).toBe(200);
  // A path the built-in rules keep for authenticated clients still refuses.
  expect(await statusOf(pod.status.podIP, '/puppet/v3/file_metadatas/plugins?environment=production')).toBe(403);
  expect(getObject(KIND.server, 'production-ca', ns).status.phase).toBe('Running');
});

it('deletes its NetworkPolicy when networkPolicy is switched off', async () => {
  kubectlOk(['apply', '-f', '-'], server({ enabled: false }));
  await until(
    'NetworkPolicy production-ca-netpol gone',
    () => !getObject('networkpolicy', 'production-ca-netpol', ns),
    60_000,
  );
});
