// cert-manager's controller and cainjector (built from its Go module by cert-manager/build.sh, cached
// outside the repo) running against the local control plane.
import { execFileSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../cluster/paths.js';
import { CERT_MANAGER_VERSION } from './cert-manager-crds.js';

const BUILD_SCRIPT = join(REPO_ROOT, 'test', 'src', 'chart', 'cert-manager', 'build.sh');

/** Builds (once; cached by version and source hash) and returns the binary directory. */
export function buildCertManager(): string {
  const out = execFileSync('bash', [BUILD_SCRIPT], {
    env: { ...process.env, CERT_MANAGER_VERSION },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
  const dir = out.trim().split('\n').pop();
  if (!dir) throw new Error(`${BUILD_SCRIPT} printed no directory`);
  return dir;
}

export interface RunningCertManager {
  stop(): Promise<void>;
  alive(): boolean;
}

function start(binary: string, kubeconfig: string, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(binary, ['--kubeconfig', kubeconfig], { stdio: ['ignore', log, log] });
  closeSync(log);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)])) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Starts the controller and the cainjector with the given kubeconfig; logs go to `logDir`. */
export function startCertManager(binDir: string, kubeconfig: string, logDir: string): RunningCertManager {
  const children = [
    start(join(binDir, 'cert-manager-controller'), kubeconfig, join(logDir, 'cert-manager-controller.log')),
    start(join(binDir, 'cert-manager-cainjector'), kubeconfig, join(logDir, 'cert-manager-cainjector.log')),
  ];
  return {
    alive: () => children.every((c) => c.exitCode === null && c.signalCode === null),
    async stop() {
      await Promise.all(children.map(stopChild));
    },
  };
}
