// The e2e run's operator processes, as recorded by the global setup: metrics, kill and restart.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
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

/** Kills the controller (SIGKILL, as a crash) and starts it again with the same flags. */
export async function restartController(): Promise<void> {
  const state = readOperatorState();
  if (!state.pids.controller || !state.controllerArgs) throw new Error('no controller in this e2e run');
  const old = state.pids.controller;
  if (isAlive(old)) process.kill(old, 'SIGKILL');
  await until('the old controller to exit', () => !isAlive(old), 10_000);
  const log = state.logs.controller ? openSync(state.logs.controller, 'a') : 'ignore';
  const child = spawn(process.execPath, state.controllerArgs, { stdio: ['ignore', log, log] });
  state.pids.controller = child.pid;
  writeFileSync(statePath(), JSON.stringify(state, null, 2));
  await until(
    'the controller to be healthy',
    async () => (await fetch(`${state.controllerUrl}/healthz`).catch(() => undefined))?.ok,
    30_000,
  );
}

/** Stops a controller that a fault test started in place of the global setup's one. */
export function stopReplacedController(state: OperatorState, originalPid: number | undefined): void {
  const pid = state.pids.controller;
  if (pid && pid !== originalPid && isAlive(pid)) process.kill(pid, 'SIGTERM');
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
