// A deposed leader must not write. Two replicas on one Lease; the leader is frozen (SIGSTOP) past its
// lease while Servers are still being reconciled; the other takes over and finishes them. Resumed, the
// old leader issues not one write (counted in the API server's audit log by its User-Agent, Leases too)
// and exits non-zero, to come back as a follower.
// What no client can fence: a request it had handed to its socket before it froze, whose bytes leave
// the process only when it resumes (they wait in the socket's write queue). Such a request arrives
// after the takeover but before the resumed process runs any code; the test tells it apart by time:
// received before the fence closed (its log line) and within a moment of the resume.
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { auditEvents } from '../src/cluster/audit.js';
import { applyServers, inventory, serverNames, waitForConvergence } from '../src/e2e-support/convergence.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { applyStack, listObjects } from '../src/e2e-support/objects.js';
import { isLeader, readOperatorState, resumeRunController } from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';
import { oneLeader, startReplica, type Replica } from '../src/e2e-support/replicas.js';

jest.setTimeout(300_000);

const COUNT = 60;
let ns: string;
let lease: string;
let runController: number;
const replicas: Replica[] = [];

/** Write requests the process `pid` made, by the identity in its User-Agent, received after `since`. */
function writesBy(pid: number, since = 0) {
  return auditEvents().filter(
    (e) => e.userAgent?.includes(`-${pid}-`) && Date.parse(e.requestReceivedTimestamp) > since,
  );
}

beforeAll(async () => {
  ns = createNamespace('chaos-partition');
  lease = `chaos-${ns}`;
  await applyStack(ns);
  // Only the two replicas may act on these Servers.
  runController = readOperatorState().pids.controller!;
  process.kill(runController, 'SIGSTOP');
  replicas.push(await startReplica('partition-a', ns, { 'leader-election-id': lease }));
  replicas.push(await startReplica('partition-b', ns, { 'leader-election-id': lease }));
});

afterAll(async () => {
  for (const r of replicas) {
    if (r.child.process.exitCode === null) process.kill(r.child.process.pid!, 'SIGCONT');
    await r.child.stop();
  }
  deleteNamespace(ns);
  await resumeRunController(runController);
});

it('stops a leader frozen past its lease from writing once another leads, and it exits', async () => {
  const old = await oneLeader(replicas);
  const next = replicas.find((r) => r !== old)!;
  const oldPid = old.child.process.pid!;

  const names = serverNames('partition', COUNT);
  // A first batch to freeze the leader in the middle of; the rest arrives while it is frozen, so work is
  // left for the next leader however fast the first one was (it once finished all 60 before the freeze).
  const firstBatch = names.slice(0, COUNT / 3);
  applyServers(ns, firstBatch);
  await until('the leader to be mid-batch', () => listObjects('deployments', ns).length >= 3, 60_000);
  process.kill(oldPid, 'SIGSTOP');
  const doneAtFreeze = listObjects('deployments', ns).length;
  applyServers(ns, names.slice(firstBatch.length));

  await until('the other replica to lead', () => isLeader(next.url), 60_000);
  // The takeover as the API server ordered it: when the new leader's first write of the Lease completed.
  const takeover = auditEvents().find(
    (e) =>
      e.userAgent?.includes(`-${next.child.process.pid}-`) &&
      e.objectRef?.resource === 'leases' &&
      e.objectRef.name === lease &&
      e.responseStatus?.code === 200,
  );
  expect(takeover).toBeDefined();
  const acquired = Date.parse(takeover!.stageTimestamp);
  await waitForConvergence(ns, names);

  const resumed = Date.now();
  process.kill(oldPid, 'SIGCONT');
  await until('the old leader to exit', () => old.child.process.exitCode !== null, 60_000);
  // A few seconds for the API server to have logged anything the old leader might still have sent.
  await new Promise((r) => setTimeout(r, 3000));

  const fenceClosed = readFileSync(old.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('lost leadership: no more writes'))
    .map((line) => (JSON.parse(line) as { time: number }).time)[0];
  expect(fenceClosed).toBeDefined();

  const oldWrites = writesBy(oldPid);
  const late = writesBy(oldPid, acquired);
  // Bytes already in the socket at the freeze: flushed on resume, before the fence's first check.
  const flushed = late.filter(
    (e) =>
      Date.parse(e.requestReceivedTimestamp) <= fenceClosed! && Date.parse(e.requestReceivedTimestamp) < resumed + 1000,
  );
  const oldAfterTakeover = late.filter((e) => !flushed.includes(e));
  const newWrites = writesBy(next.child.process.pid!, acquired);
  console.log(
    `chaos: leader frozen past its lease with ${doneAtFreeze}/${firstBatch.length} of its batch done: ${oldWrites.length - late.length} writes before, ${oldAfterTakeover.length} issued after the takeover (${flushed.length} sent before the freeze, flushed on resume); new leader ${newWrites.length} writes; old leader exit code ${old.child.process.exitCode}`,
  );
  expect(oldWrites.length).toBeGreaterThan(0);
  expect(newWrites.length).toBeGreaterThan(0);
  // At most the requests a replica has in flight at once (4 workers, their Events).
  expect(flushed.length).toBeLessThanOrEqual(8);
  expect(
    oldAfterTakeover.map(
      (e) =>
        `${e.verb} ${e.objectRef?.resource}/${e.objectRef?.name} received ${e.requestReceivedTimestamp}, takeover ${takeover!.stageTimestamp}`,
    ),
  ).toEqual([]);
  expect(old.child.process.exitCode).toBe(1);
  expect(inventory(ns)).toMatchObject({ deployments: COUNT, servers: COUNT, orphans: [], duplicates: [] });
});
