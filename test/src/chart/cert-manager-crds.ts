// cert-manager's CRDs from its Go module (deploy/crds), fetched through the Go module proxy into the
// same module cache the Kubernetes build uses. Nothing is copied into the repository.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './render.js';

/** The cert-manager release whose CRDs (and, where built, binaries) the chart tests use. */
export const CERT_MANAGER_VERSION = 'v1.21.2';
export const CERT_MANAGER_MODULE = 'github.com/cert-manager/cert-manager';

export function goModuleEnv(): NodeJS.ProcessEnv {
  const cache = process.env.OPENVOX_TESTBIN_CACHE ?? join(homedir(), '.cache', 'openvox-testbin');
  return {
    ...process.env,
    GOMODCACHE: join(cache, 'gomod'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
}

/** Downloads (or finds in the cache) the module and returns its directory. */
export function certManagerModuleDir(version = CERT_MANAGER_VERSION): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${CERT_MANAGER_MODULE}@${version}`], {
    env: goModuleEnv(),
    encoding: 'utf8',
    cwd: homedir(),
    timeout: 300_000,
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${CERT_MANAGER_MODULE}@${version}: ${info.Error ?? out}`);
  return info.Dir;
}

/** The CustomResourceDefinitions of cert-manager.io and acme.cert-manager.io, as objects. */
export function certManagerCrds(version = CERT_MANAGER_VERSION): K8sObject[] {
  const dir = join(certManagerModuleDir(version), 'deploy', 'crds');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const crds = files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8'))
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o?.kind === 'CustomResourceDefinition'),
  );
  if (!crds.some((c) => c.metadata.name === 'certificates.cert-manager.io')) {
    throw new Error(`no certificates.cert-manager.io CRD in ${dir}`);
  }
  return crds;
}
