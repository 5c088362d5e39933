// The e2e run's operator processes, as recorded by the global setup: metrics, kill and restart.
import { readFileSync } from 'node:fs';
import { operatorStatePath, type OperatorState } from '../operator/operator.js';
import { isAlive } from '../cluster/processes.js';
import { until } from './poll.js';
import { readMetrics } from './metrics.js';

export function statePath(): string {
  // Set by the e2e globalSetup for its own operator run.
  return process.env.OPENVOX_OPERATOR_STATE ?? operatorStatePath();
}

export function readOperatorState(): OperatorState {
  return JSON.parse(readFileSync(statePath(), 'utf8'));
}

/** The controller's metrics, read with the run's scraper token. */
export async function metricsText(url = readOperatorState().controllerUrl): Promise<string> {
  const { metricsToken } = readOperatorState();
  if (!url || !metricsToken) throw new Error('no controller or no metrics token in this e2e run');
  return readMetrics(url, metricsToken);
}

/** Sum of a counter over all label sets that contain every `labels` fragment (e.g. 'verb="apply"'). */
export function counter(metrics: string, name: string, ...labels: string[]): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`).exec(line);
    if (m && labels.every((l) => (m[1] ?? '').includes(l))) sum += Number(m[2]);
  }
  return sum;
}

/** Kills the controller (SIGKILL, as a crash); the runner starts it again, as a Deployment would. */
export async function restartController(): Promise<void> {
  const state = readOperatorState();
  const old = state.pids.controller;
  if (!old) throw new Error('no controller in this e2e run');
  if (isAlive(old)) process.kill(old, 'SIGKILL');
  await until('the old controller to exit', () => !isAlive(old), 10_000);
  await waitForNewController(old);
}

/** Waits until the runner has replaced controller `old` and the new one answers /healthz. */
export async function waitForNewController(old: number, timeoutMs = 30_000): Promise<number> {
  return until(
    'a new controller to be healthy',
    async () => {
      const { pids, controllerUrl } = readOperatorState();
      if (!pids.controller || pids.controller === old) return undefined;
      const res = await fetch(`${controllerUrl}/healthz`).catch(() => undefined);
      return res?.ok ? pids.controller : undefined;
    },
    timeoutMs,
  );
}

/**
 * Resumes the run's controller after a fault test froze it (SIGSTOP). Frozen past its renew deadline it
 * exits on its first write (the fence) and the runner starts a new one; either way, wait until one leads.
 */
export async function resumeRunController(pid: number): Promise<void> {
  if (isAlive(pid)) process.kill(pid, 'SIGCONT');
  await until(
    'the run controller to lead again',
    async () => {
      const { pids, controllerUrl } = readOperatorState();
      return pids.controller !== undefined && isAlive(pids.controller) && (await isLeader(controllerUrl!));
    },
    60_000,
  );
}

/**
 * The run's controller arguments with some flags replaced (e.g. another --port or --leader-election-id).
 * Without a `debug-port` override the copy has no debug port: the run's controller holds that one.
 */
export function controllerArgsWith(overrides: Record<string, string>): string[] {
  const args = [...(readOperatorState().controllerArgs ?? [])];
  if (args.length === 0) throw new Error('no controller in this e2e run');
  const debug = args.indexOf('--debug-port');
  if (debug >= 0 && !('debug-port' in overrides)) args.splice(debug, 2);
  for (const [flag, value] of Object.entries(overrides)) {
    const at = args.indexOf(`--${flag}`);
    if (at >= 0) args[at + 1] = value;
    else args.push(`--${flag}`, value);
  }
  return args;
}

/** Whether the controller serving `url` currently holds its Lease. */
export async function isLeader(url: string): Promise<boolean> {
  const text = await metricsText(url).catch(() => '');
  return /^openvox_controller_leader 1$/m.test(text);
}

/** API writes a controller made, Lease renewals excluded (they are leader election, not reconcile). */
export async function reconcileWrites(url: string): Promise<number> {
  const text = await metricsText(url);
  return (
    counter(text, 'openvox_controller_api_writes_total') -
    counter(text, 'openvox_controller_api_writes_total', 'kind="Lease"')
  );
}

/** Runs a full resync on the leading controller (its 127.0.0.1 debug port) and returns once its queue is idle. */
export async function resyncController(
  url = readOperatorState().controllerUrl,
  debugUrl = readOperatorState().debugUrl,
): Promise<void> {
  if (!debugUrl) throw new Error('the controller of this e2e run has no debug port');
  await until('the controller to lead', () => isLeader(url!), 30_000);
  const res = await fetch(`${debugUrl}/debug/resync`, { method: 'POST' });
  if (!res.ok) throw new Error(`resync failed: ${res.status} ${await res.text()}`);
}
