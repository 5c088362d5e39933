// The controller's /metrics with real tokens on the real API server: the controller asks it who a
// token belongs to (TokenReview) and whether that user may get /metrics (SubjectAccessReview). Health
// stays open for the kubelet; the resync endpoint lives only on a debug port bound to 127.0.0.1.
import { jest } from '@jest/globals';
import { NODE } from '../src/cluster/node/host.js';
import { fileKubeConfig } from '../src/operator/kubeconfig.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { getMetrics } from '../src/e2e-support/metrics.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { readOperatorState } from '../src/e2e-support/operator-control.js';
import { SCRAPER, serviceAccountToken } from '../src/operator/metrics-scraper.js';

jest.setTimeout(60_000);

let ns: string;
const state = () => readOperatorState();

beforeAll(() => {
  ns = createNamespace('metrics-auth');
});

afterAll(() => deleteNamespace(ns));

it('answers /healthz and /readyz without a token', async () => {
  for (const path of ['/healthz', '/readyz']) {
    const res = await fetch(`${state().controllerUrl}${path}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
  }
});

it('refuses /metrics without a token (401) and with a token the API server does not know (401)', async () => {
  const none = await getMetrics(state().controllerUrl!);
  expect(none.status).toBe(401);
  expect(none.body).not.toContain('openvox_controller');
  const forged = await getMetrics(state().controllerUrl!, 'eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl');
  expect(forged.status).toBe(401);
});

it('refuses /metrics to a real ServiceAccount token whose user lacks get /metrics (403)', async () => {
  kubectlOk(['create', 'serviceaccount', 'no-metrics', '-n', ns]);
  const token = await serviceAccountToken(fileKubeConfig(), ns, 'no-metrics', 600);
  const res = await getMetrics(state().controllerUrl!, token);
  expect(res).toEqual({
    status: 403,
    body: `Forbidden: user "system:serviceaccount:${ns}:no-metrics" cannot get path "/metrics"`,
  });
});

it('serves /metrics to the scraper, whose ServiceAccount is bound to the metrics-reader ClusterRole (200)', async () => {
  const can = kubectlOk([
    'auth',
    'can-i',
    'get',
    '/metrics',
    `--as=system:serviceaccount:${SCRAPER.namespace}:${SCRAPER.name}`,
  ]).trim();
  expect(can).toBe('yes');
  const res = await getMetrics(state().controllerUrl!, state().metricsToken);
  expect(res.status).toBe(200);
  expect(res.body).toMatch(/^openvox_controller_leader [01]$/m);
  expect(res.body).toContain('openvox_controller_api_writes_total');
});

it('has no /debug/resync on the metrics port; the debug port listens on 127.0.0.1 only', async () => {
  const onMetricsPort = await fetch(`${state().controllerUrl}/debug/resync`, { method: 'POST' });
  expect(onMetricsPort.status).toBe(405);
  const debug = new URL(state().debugUrl!);
  expect(debug.hostname).toBe('127.0.0.1');
  // The node's address is on this machine too: a socket bound to 0.0.0.0 would answer there.
  const fromNodeIp = await fetch(`http://${NODE.ip}:${debug.port}/debug/resync`, { method: 'POST' }).then(
    (r) => `HTTP ${r.status}`,
    (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? String(e),
  );
  expect(fromNodeIp).toBe('ECONNREFUSED');
});
