// The API server killed mid-reconcile, and etcd gone for 30 s: the controller keeps its process, its
// informers resume on their own, and every Server converges with no duplicate or orphaned objects.
// A replica with a 300 s lease does it: with the default 8 s renew deadline an outage that long makes a
// controller give up its lease and exit by design (the runner then starts a new one), which would prove
// nothing about informers resuming in one process.
import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startComponent, stopComponent } from '../src/cluster/cluster.js';
import { isAlive } from '../src/cluster/processes.js';
import { applyServers, inventory, serverNames, waitForConvergence } from '../src/e2e-support/convergence.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { applyStack } from '../src/e2e-support/objects.js';
import { isLeader, readOperatorState, resumeRunController } from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';
import { startReplica, type Replica } from '../src/e2e-support/replicas.js';

jest.setTimeout(420_000);

const COUNT = 50;
let ns: string;
let replica: Replica;
let runController: number;

beforeAll(async () => {
  ns = createNamespace('chaos-outage');
  await applyStack(ns);
  runController = readOperatorState().pids.controller!;
  process.kill(runController, 'SIGSTOP');
  replica = await startReplica('outage', ns, {
    'leader-election-id': `chaos-${ns}`,
    'leader-election-lease-duration': '300',
    'leader-election-renew-deadline': '240',
  });
  await until('the replica to lead', () => isLeader(replica.url), 60_000);
});
afterAll(async () => {
  await replica.child.stop();
  deleteNamespace(ns);
  await resumeRunController(runController);
});

function expectCleanInventory(servers: number): void {
  expect(inventory(ns)).toEqual({ deployments: servers, servers, orphans: [], duplicates: [], hpas: 0, pdbs: 0 });
}

it('converges 50 Servers after the API server is SIGKILLed during their reconcile', async () => {
  const controllerPid = replica.child.process.pid!;
  const names = serverNames('kill', COUNT);
  applyServers(ns, names);
  await stopComponent('kube-apiserver', true);
  await sleep(2000);
  await startComponent('kube-apiserver');
  const seconds = await waitForConvergence(ns, names);
  console.log(
    `chaos: API server SIGKILL with ${COUNT} Servers in flight: converged ${seconds.toFixed(1)} s after restart`,
  );

  // Informers resumed without a process restart: a Server created now is reconciled too.
  applyServers(ns, ['kill-after']);
  await waitForConvergence(ns, ['kill-after'], 60_000);
  expect(isAlive(controllerPid)).toBe(true);
  expect(replica.child.process.pid).toBe(controllerPid);
  expectCleanInventory(COUNT + 1);
});

it('converges 50 more Servers when etcd is stopped for 30 s while they are applied', async () => {
  const names = serverNames('etcd', COUNT);
  applyServers(ns, names);
  await stopComponent('etcd');
  await sleep(30_000);
  await startComponent('etcd');
  const seconds = await waitForConvergence(ns, names);
  console.log(
    `chaos: etcd stopped 30 s with ${COUNT} Servers in flight: converged ${seconds.toFixed(1)} s after restart`,
  );
  applyServers(ns, ['etcd-after']);
  await waitForConvergence(ns, ['etcd-after'], 60_000);
  expectCleanInventory(2 * COUNT + 2);
});
