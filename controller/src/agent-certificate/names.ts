// The name of a mirrored AgentCertificate: the certname itself when it is a valid object name that no
// other AgentCertificate holds (so `kubectl patch agentcert web1.example.com` just works), else one
// derived from the CA and the certname with a short hash (a certname may hold '_' and other characters
// object names may not, and two CAs of a namespace may both know a certname). Objects are matched to
// certnames by spec, never by name, so the name is only chosen once.
import { createHash } from 'node:crypto';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX = 253;

export const isObjectName = (name: string): boolean => name.length <= MAX && SUBDOMAIN.test(name);

export function agentCertificateName(ca: string, certname: string, taken: (name: string) => boolean): string {
  if (isObjectName(certname) && !taken(certname)) return certname;
  const hash = createHash('sha256').update(`${ca}\n${certname}`).digest('hex').slice(0, 8);
  const readable = certname
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, MAX - ca.length - hash.length - 2);
  return [ca, readable, hash]
    .filter(Boolean)
    .join('-')
    .replace(/[.-]{2,}/g, '-');
}
