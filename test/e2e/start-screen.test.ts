// `npm start` on a real pseudo-terminal (tmux), read as a person sees it: a progress line for each build
// step, the table of what runs, readable (not JSON) logs and no stack trace on a healthy start; Ctrl-C
// stops it and removes its webhook registrations. It runs on the cluster the e2e run uses (OPENVOX_CLUSTER_DIR
// or .cluster), which `npm start` finds already running, with registrations and a Lease of its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterPaths, REPO_ROOT } from '../src/cluster/paths.js';
import { kubectl } from '../src/e2e-support/kubectl.js';
import { Terminal } from '../src/e2e-support/terminal.js';

// The e2e-<pid> prefix lets the next run's global setup remove them if this run is killed.
const INSTANCE = `e2e-${process.pid}-start`;
const REGISTRATION = `openvox-operator-${INSTANCE}`;
const READY = 'In another shell:';

const registrations = () =>
  ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration'].filter(
    (kind) => kubectl(['get', kind, REGISTRATION, '-o', 'name']).code === 0,
  );

let terminal: Terminal | undefined;

afterAll(() => {
  terminal?.kill();
  for (const kind of registrations()) kubectl(['delete', kind, REGISTRATION, '--ignore-not-found']);
});

it('npm start shows progress, the table of what runs and readable logs, and Ctrl-C stops it cleanly', async () => {
  terminal = Terminal.start(['npm', 'start'], {
    cwd: REPO_ROOT,
    env: { KUBECONFIG: undefined, CI: undefined, OPENVOX_START_INSTANCE: INSTANCE, TERM: 'xterm-256color' },
    columns: 200,
  });
  // The controller's last start-up line, in whatever format it logs (the format is asserted below).
  const screen = await terminal.waitFor((s) => s.includes(READY) && s.includes('workers started'), 300_000);
  // Kept for a look afterwards (the README's excerpt comes from one).
  writeFileSync(join(clusterPaths.logs, `start-screen-${INSTANCE}.txt`), screen);
  expect(terminal.exited()).toBe(false);

  // A progress line for every build step (cached here: the cluster is already built and running).
  for (const task of ['kubernetes', 'node packages', 'node daemons', 'images', 'operator image'])
    expect(screen).toMatch(new RegExp(`✓ ${task}(: cached| \\[\\d+/\\d+\\] .+ \\d+(s|m\\d\\ds))`));
  expect(screen).toMatch(/cluster: (already running|ready) at https:\/\//);

  // The table: each process with its address, pid and log.
  expect(screen).toMatch(/^ +address +pid +log$/m);
  expect(screen).toMatch(/^ +webhook +https:\/\/127\.0\.0\.1:\d+ +\d+ +\(this terminal\)$/m);
  expect(screen).toMatch(/^ +controller +http:\/\/127\.0\.0\.1:\d+ +\d+ +\(this terminal\)$/m);
  expect(screen).toMatch(/^ +API server +https:\/\/[\d.]+:\d+ +\d+ +\S+kube-apiserver\.log$/m);
  expect(screen).toMatch(/^ +node +openvox-node [\d.]+ +\d+ +\S+kubelet\.log$/m);
  expect(screen).toMatch(/^ +cluster DNS +[\d.]+:53 \(CoreDNS\) +\d+ +\S+coredns\.log$/m);

  // Logs a person reads: pretty lines, no JSON, no stack trace, nothing at error level.
  expect(screen).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: webhook: listening$/m);
  expect(screen).not.toMatch(/^\{"level"/m);
  expect(screen).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(screen).not.toMatch(/(ERROR|FATAL): /);
  expect(registrations()).toHaveLength(2);

  terminal.send('C-c');
  const stopped = await terminal.waitFor(() => false, 60_000).catch((e: Error) => e.message);
  expect(terminal.exited()).toBe(true);
  expect(stopped).toContain('Stopping the operator');
  expect(registrations()).toEqual([]);
}, 420_000);
