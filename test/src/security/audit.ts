// Post-run security audit, run by `npm test` after the suites while the cluster is still up:
// 1. no private key or Secret data in any log line, Event or status message of the whole run;
// 2. every container of every Deployment the operator rendered runs hardened.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { KINDS, API_VERSION, LABEL_MANAGED_BY, MANAGER } from '@openvox/shared';
import { clusterPaths } from '../cluster/paths.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

export interface Finding {
  where: string;
  what: string;
}

const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
// "-----BEGIN " base64-encoded at each of the three byte alignments, as it appears inside Secret data.
const BASE64_PEM = /LS0tLS1CRUdJTi|0tLS0tQkVHSU4g|tLS0tLUJFR0lOI/;

export function secretLeaks(where: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    if (PEM_PRIVATE.test(line)) findings.push({ where: `${where}:${i + 1}`, what: 'PEM private key' });
    else if (BASE64_PEM.test(line)) findings.push({ where: `${where}:${i + 1}`, what: 'base64 PEM (Secret data)' });
  });
  return findings;
}

/** What a hardened container must have; pod-level runAsNonRoot and seccomp count for every container. */
export function containerFindings(deployment: Obj): Finding[] {
  const pod = deployment.spec.template.spec;
  const where = `Deployment ${deployment.metadata.namespace}/${deployment.metadata.name}`;
  const findings: Finding[] = [];
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
    findings.push({ where, what: 'seccomp is not RuntimeDefault' });
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const sc = c.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    if (nonRoot !== true) findings.push({ where: `${where} ${c.name}`, what: 'may run as root' });
    if (sc.allowPrivilegeEscalation !== false)
      findings.push({ where: `${where} ${c.name}`, what: 'privilege escalation allowed' });
    if (!(sc.capabilities?.drop ?? []).includes('ALL'))
      findings.push({ where: `${where} ${c.name}`, what: 'capabilities not all dropped' });
    if (sc.privileged) findings.push({ where: `${where} ${c.name}`, what: 'privileged' });
  }
  return findings;
}

export async function audit(
  kubeconfig = clusterPaths.kubeconfig,
  logDir = clusterPaths.logs,
): Promise<{ findings: Finding[]; checked: Record<string, number> }> {
  const findings: Finding[] = [];
  const checked = { logLines: 0, events: 0, statuses: 0, deployments: 0 };
  for (const file of readdirSync(logDir)) {
    const text = readFileSync(join(logDir, file), 'utf8');
    checked.logLines += text.split('\n').length;
    findings.push(...secretLeaks(`log ${file}`, text));
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  const events = await api.list('v1', 'Event');
  for (const e of events.items as Obj[]) {
    checked.events++;
    findings.push(...secretLeaks(`event ${e.metadata.namespace}/${e.metadata.name}`, `${e.reason} ${e.message}`));
  }
  for (const kind of KINDS) {
    const list = await api.list(API_VERSION, kind.kind);
    for (const o of list.items as Obj[]) {
      checked.statuses++;
      findings.push(
        ...secretLeaks(
          `${kind.kind} ${o.metadata.namespace}/${o.metadata.name} status`,
          JSON.stringify(o.status ?? {}),
        ),
      );
    }
  }
  const selector = `${LABEL_MANAGED_BY}=${MANAGER}`;
  const deployments = await api.list(
    'apps/v1',
    'Deployment',
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    selector,
  );
  for (const d of deployments.items as Obj[]) {
    checked.deployments++;
    findings.push(...containerFindings(d));
  }
  return { findings, checked };
}
