// A watch that cannot resume: the controller is frozen, a Server is created, etcd is compacted and the
// API server restarted, so the informer's resourceVersion is gone (410 Gone) when the controller wakes.
// It must re-list and reconcile the Server it never saw an event for.
import { jest } from '@jest/globals';
import { readState, startComponent, stopComponent } from '../src/cluster/cluster.js';
import { applyServers, inventory, waitForConvergence } from '../src/e2e-support/convergence.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { applyStack } from '../src/e2e-support/objects.js';
import { readOperatorState } from '../src/e2e-support/operator-control.js';

jest.setTimeout(240_000);

let ns: string;
const controller = () => readOperatorState().pids.controller!;

beforeAll(async () => {
  ns = createNamespace('chaos-watch-gap');
  await applyStack(ns);
});
afterAll(() => {
  try {
    process.kill(controller(), 'SIGCONT');
  } catch {
    // already running or gone
  }
  deleteNamespace(ns);
});

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

  process.kill(controller(), 'SIGSTOP');
  applyServers(ns, ['in-gap']);
  const revision = await compactEtcd();
  await stopComponent('kube-apiserver', true);
  await startComponent('kube-apiserver');
  process.kill(controller(), 'SIGCONT');
  const resumed = Date.now();

  await waitForConvergence(ns, ['in-gap'], 120_000);
  console.log(
    `chaos: watch gap (etcd compacted at ${revision}, API server restarted): Server from the gap converged ${((Date.now() - resumed) / 1000).toFixed(1)} s after the controller resumed`,
  );
  expect(inventory(ns)).toMatchObject({ deployments: 2, servers: 2, orphans: [], duplicates: [] });
});
