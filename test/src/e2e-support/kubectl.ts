// Runs the real kubectl against the local cluster, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { stringify } from 'yaml';
import { clusterPaths } from '../cluster/paths.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(args: string[], input?: unknown): CommandResult {
  const result = spawnSync(clusterPaths.kubectl, args, {
    env: { ...process.env, KUBECONFIG: clusterPaths.kubeconfig },
    // Objects are written as YAML documents with the yaml package, never by hand.
    // A string is passed as it is (`create --raw` wants JSON); anything else is written as YAML.
    input: input === undefined ? undefined : typeof input === 'string' ? input : toYaml(input),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function toYaml(input: unknown): string {
  const docs = Array.isArray(input) ? input : [input];
  return docs.map((doc) => stringify(doc, { version: '1.1' })).join('---\n');
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(args: string[], input?: unknown): string {
  const result = kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

export { readOperatorState } from './operator-control.js';

/**
 * kubectl without blocking the event loop: for tests that serve HTTP from this process (a classifier,
 * a report receiver) while the command runs, which spawnSync would starve.
 */
export function kubectlAsync(args: string[], timeoutMs = 300_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(clusterPaths.kubectl, args, {
      env: { ...process.env, KUBECONFIG: clusterPaths.kubeconfig },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
