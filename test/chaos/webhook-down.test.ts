// failurePolicy Fail: with the webhook down a Server cannot be stored, and the same apply works once
// the webhook is back. A dedicated registration scoped to one namespace keeps other suites unaffected.
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { clusterPaths } from '../src/cluster/paths.js';
import { freePort } from '../src/cluster/processes.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { startWebhookChild, writeServingCertificate } from '../src/operator/webhook-process.js';
import { validatingConfiguration } from '../src/operator/webhook-configurations.js';
import type { Child } from '../src/operator/children.js';

const kc = new KubeConfig();
kc.loadFromFile(clusterPaths.kubeconfig);
const api = KubernetesObjectApi.makeApiClient(kc);

let ns: string;
let webhook: Child | undefined;
let registration: ReturnType<typeof validatingConfiguration>;

const server = () => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Server',
  metadata: { name: 'guarded', namespace: ns },
  spec: { configRef: 'production', certificateRef: 'production-cert' },
});

beforeAll(async () => {
  ns = createNamespace('chaos-webhook-down');
  kubectlOk(['label', 'namespace', ns, `openvox-chaos=${ns}`]);
});

afterAll(async () => {
  await api.delete(registration).catch(() => undefined);
  await webhook?.stop();
  deleteNamespace(ns);
});

it('refuses to store a Server while the webhook is down and accepts it once it is back', async () => {
  const port = await freePort();
  const tls = await writeServingCertificate(join(clusterPaths.root, `chaos-tls-${ns}`));
  registration = validatingConfiguration(`https://127.0.0.1:${port}`, tls.caPem, {
    name: `chaos-${ns}`,
    namespaceSelector: { matchLabels: { 'openvox-chaos': ns } },
  });
  await api.patch(registration, undefined, undefined, 'openvox-chaos-test', true, PatchStrategy.ServerSideApply);

  const refused = kubectl(['apply', '-f', '-'], server());
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('failed calling webhook "vserver.openvox.voxpupuli.org"');
  expect(refused.stderr).toMatch(/connection refused/);
  expect(kubectl(['get', 'server', 'guarded', '-n', ns]).stderr).toContain('NotFound');

  webhook = await startWebhookChild({
    port,
    tls,
    kubeconfig: clusterPaths.kubeconfig,
    logFile: join(clusterPaths.logs, 'chaos-webhook.log'),
  });
  const accepted = kubectl(['apply', '-f', '-'], server());
  expect(accepted).toMatchObject({ code: 0 });
  expect(kubectlOk(['get', 'server', 'guarded', '-n', ns, '-o', 'name'])).toContain(
    'server.openvox.voxpupuli.org/guarded',
  );
});
