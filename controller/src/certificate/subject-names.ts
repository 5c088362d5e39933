// Subject alternative names of a server certificate: the certname, spec.dnsAltNames, and the Service
// names of the Pools that the Servers mounting it join: the names clients reach them by. A Server's own
// name is not one of them (no Service carries it), and leaving it out matters: adding a Server to an
// existing Pool then re-issues nothing, instead of rolling every pod that mounts the certificate.
// Sorted and de-duplicated, so the decision "do the names still match?" is stable.
import type { Certificate, Pool, Server } from '@openvox/shared/runtime';
import { isIP } from 'node:net';
import { CA_CLI_SERVER } from '../contracts/names.js';

export interface SubjectNames {
  dnsNames: string[];
  ipAddresses: string[];
  /** A CA Server mounts the certificate: it carries pp_cli_auth so `puppetserver ca` works in its pod. */
  cliAuth?: true;
}

/**
 * spec.certname, else the Certificate's own name: what the mutating webhook defaults it to, so a
 * Certificate stored without the webhook gets the same identity (and never a shared `puppet`).
 */
export const certname = (cert: Certificate): string => cert.spec.certname || cert.metadata.name!;

function serviceNames(name: string, namespace: string | undefined): string[] {
  if (!namespace) return [name];
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
}

/**
 * @param servers every Server in the namespace (only those whose certificateRef is this cert count)
 * @param pools every Pool in the namespace (only those those Servers list in poolRefs count)
 */
export function subjectNames(cert: Certificate, servers: readonly Server[], pools: readonly Pool[]): SubjectNames {
  const namespace = cert.metadata.namespace;
  const names = new Set<string>([certname(cert), ...(cert.spec.dnsAltNames ?? [])]);
  const users = servers.filter((s) => s.spec.certificateRef === cert.metadata.name);
  const caServer = users.some((s) => s.spec.ca === true);
  // `puppetserver ca` in the CA pod connects to `puppet` (its default server, this pod: see hostAliases).
  if (caServer) names.add(CA_CLI_SERVER);
  const poolNames = new Set(pools.map((p) => p.metadata.name));
  for (const server of users) {
    for (const ref of server.spec.poolRefs ?? []) {
      if (poolNames.has(ref)) for (const n of serviceNames(ref, namespace)) names.add(n);
    }
  }
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const raw of names) {
    const value = raw.replace(/^(IP|DNS):/i, '').toLowerCase();
    if (/^IP:/i.test(raw) || isIP(value)) ipAddresses.push(value);
    else dnsNames.push(value);
  }
  return {
    dnsNames: [...new Set(dnsNames)].sort(),
    ipAddresses: [...new Set(ipAddresses)].sort(),
    ...(caServer ? { cliAuth: true as const } : {}),
  };
}
