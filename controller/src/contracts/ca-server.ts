// Where a CertificateAuthority's CA Server answers over HTTPS: the Service of a `ca: true` Server whose
// Certificate the CA signed, dialed at its ClusterIP and verified as the Service's DNS name. The CA kind
// fetches the CRL there and the AgentCertificate kind talks to the CA API there, so it lives here.
import type { Certificate, Pool, Server } from '@openvox/shared/runtime';

/**
 * Where to dial and whom to expect: the CA Server's Service by its ClusterIP (kube-proxy makes it reachable
 * from a node as from a pod, while `*.svc` names resolve only in pods), verified as the Service's DNS name
 * (TLS servername and Host), which the CA Server's certificate carries.
 */
export interface CaEndpoint {
  host: string;
  port: number;
  serverName: string;
}

export const describeEndpoint = (e: CaEndpoint): string => `https://${e.serverName}:${e.port} (dialed at ${e.host})`;

/** The Service of the CA Server, by name; its ClusterIP is looked up separately. */
export interface CaService {
  service: string;
  namespace: string;
  port: number;
}

/**
 * Where the CA Server answers: the first Pool Service of a `ca: true` Server whose Certificate is
 * signed by this CA (names sorted, so the choice is stable). Undefined when no such Server exists.
 */
export function caServerService(
  caName: string,
  namespace: string,
  servers: readonly Server[],
  certificates: readonly Certificate[],
  pools: readonly Pool[],
): CaService | undefined {
  const certsOfCa = new Set(certificates.filter((c) => c.spec.authorityRef === caName).map((c) => c.metadata.name));
  const poolByName = new Map(pools.map((p) => [p.metadata.name, p]));
  const caServers = servers
    .filter((s) => s.spec.ca === true && certsOfCa.has(s.spec.certificateRef))
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const server of caServers) {
    for (const ref of [...(server.spec.poolRefs ?? [])].sort()) {
      const pool = poolByName.get(ref);
      if (pool) return { service: ref, namespace, port: pool.spec?.service?.port ?? 8140 };
    }
  }
  return undefined;
}

/** The endpoint to dial for a CA Service with this ClusterIP (undefined: headless or not allocated yet). */
export function caEndpoint(svc: CaService, clusterIP: string | undefined): CaEndpoint | undefined {
  if (!clusterIP || clusterIP === 'None') return undefined;
  return { host: clusterIP, port: svc.port, serverName: `${svc.service}.${svc.namespace}.svc` };
}
