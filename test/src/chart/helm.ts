// Runs the real helm binary (from the local cluster's bin/, or the cached build) on the chart.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT, clusterPaths } from '../cluster/paths.js';

export const CHART_DIR = join(REPO_ROOT, 'charts', 'openvox-operator');

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The Kubernetes version the local control plane runs (test/cluster/versions.env). */
export function kubeVersion(): string {
  const env = readFileSync(join(REPO_ROOT, 'test', 'cluster', 'versions.env'), 'utf8');
  const match = /^K8S_VERSION=(\S+)$/m.exec(env);
  if (!match?.[1]) throw new Error('K8S_VERSION not found in test/cluster/versions.env');
  return match[1];
}

/** .cluster/bin/helm when the cluster is up, else the newest complete cached build. */
export function helmBinary(): string {
  if (existsSync(clusterPaths.helm)) return clusterPaths.helm;
  const cache = process.env.OPENVOX_TESTBIN_CACHE ?? join(homedir(), '.cache', 'openvox-testbin');
  const builds = existsSync(cache)
    ? readdirSync(cache)
        .map((dir) => join(cache, dir))
        .filter((dir) => existsSync(join(dir, '.complete')) && existsSync(join(dir, 'helm')))
        .sort()
    : [];
  const newest = builds.at(-1);
  if (!newest)
    throw new Error(`no helm binary: run \`npm run cluster:build\` (looked in ${clusterPaths.helm} and ${cache})`);
  return join(newest, 'helm');
}

export function helm(args: string[], kubeconfig = clusterPaths.kubeconfig): HelmResult {
  const home = mkdtempSync(join(tmpdir(), 'helm-home-'));
  try {
    const result = spawnSync(helmBinary(), args, {
      // A private helm home: no user repositories or plugins leak into the tests.
      env: {
        ...process.env,
        KUBECONFIG: kubeconfig,
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs `fn` with the values written to a temporary YAML file (serialised with the yaml package). */
export function withValuesFile<T>(values: unknown, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'chart-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(values ?? {}));
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
