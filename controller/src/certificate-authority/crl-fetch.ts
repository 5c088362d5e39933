// Revocations made on the CA Server (`puppetserver ca revoke`, or the CA API) land in the CA pod's
// cadir. To reach the other Servers they must come back into `{ca}-ca-crl`: the CA controller asks the
// CA Server for its CRL and publishes it when it is signed by this CA and newer than the published one
// (reconcile.ts); the condition CRLSynced says whether that works (crl-synced.ts).
import { request } from 'node:https';
import type { Certificate, Pool, Server } from '@openvox/shared/runtime';

/**
 * Where to dial and whom to expect: the CA Server's Service by its ClusterIP (kube-proxy makes it reachable
 * from a node as from a pod, while `*.svc` names resolve only in pods), verified as the Service's DNS name
 * (TLS servername and Host), which the CA Server's certificate carries.
 */
export interface CrlEndpoint {
  host: string;
  port: number;
  serverName: string;
}

export type CrlFetcher = (endpoint: CrlEndpoint, caCertPem: string) => Promise<string>;

const MAX_BYTES = 10 * 1024 * 1024;
const CRL_PATH = '/puppet-ca/v1/certificate_revocation_list/ca?environment=production';

export const describeEndpoint = (e: CrlEndpoint): string => `https://${e.serverName}:${e.port} (dialed at ${e.host})`;

/** GET /puppet-ca/v1/certificate_revocation_list/ca over TLS verified against the CA. */
export const fetchCrl: CrlFetcher = (endpoint, caCertPem) =>
  new Promise((resolve, reject) => {
    const where = describeEndpoint(endpoint);
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        path: CRL_PATH,
        servername: endpoint.serverName,
        ca: caCertPem,
        headers: { Accept: 'text/plain', Host: `${endpoint.serverName}:${endpoint.port}` },
        timeout: 10_000,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > MAX_BYTES) req.destroy(new Error('CRL response too large'));
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${where}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
    req.on('error', (err) => reject(new Error(`GET ${where}: ${err.message}`)));
    req.end();
  });

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
export function crlEndpoint(svc: CaService, clusterIP: string | undefined): CrlEndpoint | undefined {
  if (!clusterIP || clusterIP === 'None') return undefined;
  return { host: clusterIP, port: svc.port, serverName: `${svc.service}.${svc.namespace}.svc` };
}
