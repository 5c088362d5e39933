// Two controller replicas on one Lease: only the leader writes; SIGKILL the leader and the other takes
// over and converges a Server created after the kill.
import { jest } from '@jest/globals';
import { applyServers, inventory, waitForConvergence } from '../src/e2e-support/convergence.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { applyStack } from '../src/e2e-support/objects.js';
import { isLeader, readOperatorState, reconcileWrites } from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';
import { oneLeader, startReplica, type Replica } from '../src/e2e-support/replicas.js';

jest.setTimeout(240_000);

let ns: string;
let lease: string;
const replicas: Replica[] = [];
const globalController = () => readOperatorState().pids.controller!;

beforeAll(async () => {
  ns = createNamespace('chaos-failover');
  lease = `chaos-${ns}`;
  await applyStack(ns);
  // The run's own controller would reconcile these Servers too; freeze it so only the replicas act.
  process.kill(globalController(), 'SIGSTOP');
  replicas.push(await startReplica('replica-a', ns, { 'leader-election-id': lease }));
  replicas.push(await startReplica('replica-b', ns, { 'leader-election-id': lease }));
});

afterAll(async () => {
  for (const r of replicas) await r.child.stop();
  process.kill(globalController(), 'SIGCONT');
  deleteNamespace(ns);
});

it('fails over within the lease duration and never lets the follower write', async () => {
  const leader = await oneLeader(replicas);
  const follower = replicas.find((r) => r !== leader)!;

  applyServers(ns, ['before-kill']);
  await waitForConvergence(ns, ['before-kill'], 60_000);
  expect(await reconcileWrites(leader.url)).toBeGreaterThan(0);
  expect(await reconcileWrites(follower.url)).toBe(0);
  expect(await isLeader(follower.url)).toBe(false);

  leader.child.process.kill('SIGKILL');
  const killedAt = Date.now();
  applyServers(ns, ['after-kill']);
  await until('the follower to take over', () => isLeader(follower.url), 30_000);
  const takeover = (Date.now() - killedAt) / 1000;
  await waitForConvergence(ns, ['after-kill'], 60_000);
  const converged = (Date.now() - killedAt) / 1000;
  console.log(
    `chaos: leader SIGKILL: follower led after ${takeover.toFixed(1)} s, new Server converged after ${converged.toFixed(1)} s`,
  );

  // The lease lasts 12 s and is retried every 2 s: takeover within 14 s, inside the 15 s budget.
  expect(takeover).toBeLessThanOrEqual(15);
  const holder = JSON.parse(kubectlOk(['get', 'lease', lease, '-n', 'default', '-o', 'json'])).spec.holderIdentity;
  expect(holder).toBeTruthy();
  expect(inventory(ns)).toMatchObject({ deployments: 2, servers: 2, orphans: [], duplicates: [] });
});
