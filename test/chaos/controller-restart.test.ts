// The controller SIGKILLed in the middle of a rollout and started again: it renders the same pod
// template byte for byte, so the Deployment's generation does not move and no extra rollout starts.
import { jest } from '@jest/globals';
import { applyServers, inventory, serverNames, waitForConvergence } from '../src/e2e-support/convergence.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { KIND, applyStack, getObject, listObjects, server } from '../src/e2e-support/objects.js';
import { resyncController, restartController } from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';

jest.setTimeout(240_000);

let ns: string;

// No pods run in this namespace (see createNamespace): a rollout is the Deployment's ReplicaSets, and the
// controller's restart must not start a third one whatever the pods do.
beforeAll(async () => {
  ns = createNamespace('chaos-restart');
  await applyStack(ns);
});
afterAll(() => {
  deleteNamespace(ns);
});

const javaArgs = (d: { spec: { template: { spec: { containers: { env: { value: string }[] }[] } } } }) =>
  d.spec.template.spec.containers[0]!.env[0]!.value;

it('makes no extra rollout when restarted mid-rollout', async () => {
  kubectlOk(['apply', '-f', '-'], server('roll', ns, { replicas: 2, javaArgs: '-Xms1g -Xmx1g' }));
  await until('the first ReplicaSet', () => listObjects('replicasets', ns).length === 1);
  await until('Server status', () => getObject(KIND.server, 'roll', ns)?.status?.phase);

  // Start a rollout; with no pods it never finishes, so it stays in progress.
  kubectlOk(['apply', '-f', '-'], server('roll', ns, { replicas: 2, javaArgs: '-Xms2g -Xmx2g' }));
  const rolling = await until('the new template', () => {
    const d = getObject('deployment', 'roll', ns);
    return d && javaArgs(d).startsWith('-Xms2g') && d;
  });
  await until(
    'a second ReplicaSet',
    () => listObjects('replicasets', ns).length === 2,
    60_000,
    () => listObjects('replicasets', ns).map((r) => [r.metadata.name, r.spec.replicas, r.metadata.annotations]),
  );

  await restartController();
  await resyncController();

  const after = getObject('deployment', 'roll', ns);
  expect(after.metadata.generation).toBe(rolling.metadata.generation);
  expect(JSON.stringify(after.spec.template)).toBe(JSON.stringify(rolling.spec.template));
  expect(listObjects('replicasets', ns)).toHaveLength(2);
});

it('converges with no duplicate or orphaned objects when killed while 30 Servers are being created', async () => {
  const names = serverNames('batch', 30);
  applyServers(ns, names);
  await until('the first Deployments', () => listObjects('deployments', ns).length > 1);
  await restartController();
  const seconds = await waitForConvergence(ns, names);
  console.log(`chaos: controller SIGKILL mid-batch of 30: converged ${seconds.toFixed(1)} s after the restart`);
  // `roll` from the test above is the one other Server here.
  expect(inventory(ns)).toMatchObject({ deployments: 31, servers: 31, orphans: [], duplicates: [] });
});
