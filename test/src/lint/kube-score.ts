// kube-score, the workload linter: built once from its Go module (build-kube-score.sh, cached outside
// the repo) and run on typed objects, each written with the yaml package to its own file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../cluster/paths.js';

/** Optional checks of kube-score that cover the finding classes of the workload-hygiene issue. */
export const OPTIONAL_CHECKS = ['container-seccomp-profile', 'container-ports-check'] as const;

export interface Finding {
  /** `Kind/name` of the scored object. */
  object: string;
  /** kube-score's check id, e.g. `pod-probes-identical`. */
  check: string;
  /** The container a comment names (kube-score's comment path), or '' for the whole object. */
  container: string;
  summary: string;
  grade: 'CRITICAL' | 'WARNING' | 'ALMOST_OK';
}

interface ScoredObject {
  type_meta: { kind: string };
  object_meta: { name: string };
  checks: {
    check: { id: string };
    grade: number;
    skipped: boolean;
    comments: { path: string; summary: string }[] | null;
  }[];
}

const GRADES: Record<number, Finding['grade']> = { 1: 'CRITICAL', 5: 'WARNING', 7: 'ALMOST_OK' };
const ALL_OK = 10;

/** Builds kube-score unless the cache has it (a no-op then) and returns the binary's path. */
export function kubeScoreBinary(): string {
  const script = join(REPO_ROOT, 'test', 'src', 'lint', 'build-kube-score.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8', timeout: 20 * 60_000 });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  const binary = join(dir, 'kube-score');
  if (r.status !== 0 || !existsSync(binary)) throw new Error(`${script} failed (exit ${r.status}):\n${r.stderr}`);
  return binary;
}

/** The minor version the local control plane runs (test/cluster/versions.env), e.g. v1.35. */
function kubernetesMinor(): string {
  const env = readFileSync(join(REPO_ROOT, 'test', 'cluster', 'versions.env'), 'utf8');
  const match = /^K8S_VERSION=(v\d+\.\d+)/m.exec(env);
  if (!match?.[1]) throw new Error('K8S_VERSION not found in test/cluster/versions.env');
  return match[1];
}

/** Scores the objects together (so Services, PDBs and NetworkPolicies count for the pods they select). */
export function score(binary: string, objects: object[]): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'kube-score-'));
  try {
    const files = objects.map((o, i) => {
      const file = join(dir, `${String(i).padStart(3, '0')}.yaml`);
      writeFileSync(file, stringify(o));
      return file;
    });
    const args = ['score', '--output-format', 'json', '--kubernetes-version', kubernetesMinor()];
    for (const check of OPTIONAL_CHECKS) args.push('--enable-optional-test', check);
    const r = spawnSync(binary, [...args, ...files], { encoding: 'utf8', timeout: 60_000 });
    // Exit 1 means a critical finding; anything else but 0 means kube-score itself failed.
    if (r.status !== 0 && r.status !== 1) throw new Error(`kube-score exited ${r.status}: ${r.stderr}`);
    const findings = parse(JSON.parse(r.stdout) as ScoredObject[]);
    if ((r.status === 1) !== findings.some((f) => f.grade === 'CRITICAL'))
      throw new Error(`kube-score's exit code ${r.status} does not match its JSON findings`);
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parse(scored: ScoredObject[]): Finding[] {
  return scored.flatMap((o) =>
    o.checks
      .filter((c) => !c.skipped && c.grade < ALL_OK)
      .flatMap((c) => {
        const base = { object: `${o.type_meta.kind}/${o.object_meta.name}`, check: c.check.id };
        const grade = GRADES[c.grade] ?? 'CRITICAL';
        const comments = c.comments?.length ? c.comments : [{ path: '', summary: '(no comment)' }];
        return comments.map((m) => ({ ...base, container: m.path, summary: m.summary, grade }));
      }),
  );
}

export const describeFinding = (f: Finding): string =>
  `${f.grade} ${f.object}${f.container ? ` (${f.container})` : ''} ${f.check}: ${f.summary}`;
