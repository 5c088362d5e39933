// Revocations made on the CA Server (`puppetserver ca revoke`, or the CA API) land in the CA pod's
// cadir. To reach the other Servers they must come back into `{ca}-ca-crl`: the CA controller asks the
// CA Server for its CRL and publishes it when it is signed by this CA and newer than the published one.
import { request } from 'node:https';
import {
  crlSignedBy,
  readCrl,
  type Authority,
  type Certificate,
  type Pool,
  type Server,
} from '@openvox/shared/runtime';

export type CrlFetcher = (baseUrl: string, caCertPem: string) => Promise<string>;

const MAX_BYTES = 10 * 1024 * 1024;

/** GET {base}/puppet-ca/v1/certificate_revocation_list/ca over TLS verified against the CA. */
export const fetchCrl: CrlFetcher = (baseUrl, caCertPem) =>
  new Promise((resolve, reject) => {
    const url = new URL('/puppet-ca/v1/certificate_revocation_list/ca?environment=production', baseUrl);
    const req = request(url, { ca: caCertPem, headers: { Accept: 'text/plain' }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BYTES) req.destroy(new Error('CRL response too large'));
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.href}: timed out`)));
    req.on('error', reject);
    req.end();
  });

/** The fetched CRL when it is this CA's and has a higher CRL number than the published one. */
export async function newerCrl(
  authority: Authority,
  publishedPem: string | undefined,
  fetchedPem: string,
): Promise<string | undefined> {
  if (!(await crlSignedBy(fetchedPem, authority))) return undefined;
  const fetched = readCrl(fetchedPem).crlNumber;
  const published = publishedPem ? readCrl(publishedPem).crlNumber : -1n;
  return fetched > published ? fetchedPem : undefined;
}

/**
 * Where the CA Server answers: the first Pool Service of a `ca: true` Server whose Certificate is
 * signed by this CA (names sorted, so the choice is stable). Undefined when no such Server exists.
 */
export function caServerUrl(
  caName: string,
  namespace: string,
  servers: readonly Server[],
  certificates: readonly Certificate[],
  pools: readonly Pool[],
): string | undefined {
  const certsOfCa = new Set(certificates.filter((c) => c.spec.authorityRef === caName).map((c) => c.metadata.name));
  const poolByName = new Map(pools.map((p) => [p.metadata.name, p]));
  const caServers = servers
    .filter((s) => s.spec.ca === true && certsOfCa.has(s.spec.certificateRef))
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const server of caServers) {
    for (const ref of [...(server.spec.poolRefs ?? [])].sort()) {
      const pool = poolByName.get(ref);
      if (pool) return `https://${ref}.${namespace}.svc:${pool.spec?.service?.port ?? 8140}`;
    }
  }
  return undefined;
}
