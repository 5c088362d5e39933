// Runs the real kubectl against the local cluster, as a user would.
import { spawnSync } from 'node:child_process';
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
