// A watch that cannot resume: the controller is frozen, a Server is created, etcd is compacted and the
// API server restarted, so the informer's resourceVersion is gone (410 Gone) when the controller wakes.
// It must re-list (counted by its relist metric, reason "expired") and reconcile the Server it never saw
// an event for. A replica of its own with a long lease does it: the run's controller, frozen that long,
// would rightly fence itself and exit instead.
import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { readState, startComponent, stopComponent } from '../src/cluster/cluster.js';
import { applyServers, inventory, waitForConvergence } from '../src/e2e-support/convergence.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { applyStack } from '../src/e2e-support/objects.js';
import {
  counter,
  isLeader,
  metricsText,
  readOperatorState,
  resumeRunController,
} from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';
import type { Child } from '../src/operator/children.js';
import { startReplica } from '../src/e2e-support/replicas.js';

jest.setTimeout(300_000);

let ns: string;
let replica: Child;
let url: string;
let runController: number;

beforeAll(async () => {
  ns = createNamespace('chaos-watch-gap');
  await applyStack(ns);
  runController = readOperatorState().pids.controller!;
  process.kill(runController, 'SIGSTOP');
  ({ child: replica, url } = await startReplica('watch-gap', ns, {
    'leader-election-id': `chaos-${ns}`,
    'leader-election-lease-duration': '300',
    'leader-election-renew-deadline': '240',
    'watch-timeout-seconds': '5',
  }));
  await until('the replica to lead', () => isLeader(url), 60_000);
});
afterAll(async () => {
  try {
    process.kill(replica.process.pid!, 'SIGCONT');
  } catch {
    // gone already
  }
  await replica.stop();
  deleteNamespace(ns);
  await resumeRunController(runController);
});

const expiredRelists = async () =>
  counter(await metricsText(url), 'openvox_controller_informer_relists_total', 'kind="Server"', 'reason="expired"');

/** Compacts etcd up to its current revision through its JSON gateway: older revisions are gone. */
async function compactEtcd(): Promise<number> {
  const base = `http://127.0.0.1:${readState()!.ports.etcd}`;
  const res0 = await fetch(`${base}/v3/maintenance/status`, { method: 'POST', body: '{}' });
  const status = (await res0.json()) as { header: { revision: string } };
  const revision = Number(status.header.revision);
  const res = await fetch(`${base}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision, physical: true }),
  });
  if (!res.ok) throw new Error(`compaction failed: ${res.status} ${await res.text()}`);
  return revision;
}

it('re-lists after 410 Gone and reconciles the Server created in the gap', async () => {
  applyServers(ns, ['before-gap']);
  await waitForConvergence(ns, ['before-gap'], 60_000);
  expect(await expiredRelists()).toBe(0);

  process.kill(replica.process.pid!, 'SIGSTOP');
  applyServers(ns, ['in-gap']);
  const revision = await compactEtcd();
  // The replica's watches end on their timeout (5 s) while it is frozen, cleanly, so once resumed it
  // watches again from its old resourceVersion, which the restarted API server no longer has: 410 Gone.
  // (A watch cut by the restart itself would end in an error, and the informer re-lists after errors
  // without ever seeing a 410: two earlier versions of this test passed that way or failed at random.)
  await sleep(8000);
  await stopComponent('kube-apiserver', true);
  await startComponent('kube-apiserver');
  process.kill(replica.process.pid!, 'SIGCONT');
  const resumed = Date.now();

  await waitForConvergence(ns, ['in-gap'], 120_000);
  console.log(
    `chaos: watch gap (etcd compacted at ${revision}, API server restarted): Server from the gap converged ${((Date.now() - resumed) / 1000).toFixed(1)} s after the controller resumed`,
  );
  // The informer saw its resourceVersion expire and rebuilt its cache from a list.
  expect(await expiredRelists()).toBeGreaterThanOrEqual(1);
  expect(inventory(ns)).toMatchObject({ deployments: 2, servers: 2, orphans: [], duplicates: [] });
});
