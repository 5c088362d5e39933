// The API server's audit log: every write request, with who made it, so fault tests can count one
// process's writes from outside it (a fenced leader cannot be asked afterwards).
import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterPaths } from './paths.js';

export const AUDIT_LOG = join(clusterPaths.logs, 'audit.log');
const POLICY = join(clusterPaths.root, 'audit-policy.yaml');
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Metadata only (no bodies, so no Secrets in the log), writes only, one line per finished request. */
export const auditPolicy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [{ level: 'Metadata', verbs: WRITE_VERBS }, { level: 'None' }],
};

export function auditArgs(): string[] {
  writeFileSync(POLICY, stringify(auditPolicy));
  return [
    `--audit-policy-file=${POLICY}`,
    `--audit-log-path=${AUDIT_LOG}`,
    '--audit-log-format=json',
    '--audit-log-maxsize=200',
    '--audit-log-maxbackup=1',
  ];
}

export interface AuditEvent {
  verb: string;
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; subresource?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

/** Where the log ends now: pass it to auditEvents to read only what comes after. */
export function auditLogSize(): number {
  return existsSync(AUDIT_LOG) ? statSync(AUDIT_LOG).size : 0;
}

/** The logged write requests from byte `from` on, oldest first. */
export function auditEvents(from = 0): AuditEvent[] {
  if (!existsSync(AUDIT_LOG)) return [];
  const fd = openSync(AUDIT_LOG, 'r');
  const buffer = Buffer.alloc(Math.max(0, statSync(AUDIT_LOG).size - from));
  readSync(fd, buffer, 0, buffer.length, from);
  closeSync(fd);
  return buffer
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((e) => WRITE_VERBS.includes(e.verb));
}
