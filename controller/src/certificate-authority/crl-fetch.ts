// Revocations made on the CA Server (`puppetserver ca revoke`, or the CA API) land in the CA pod's
// cadir. To reach the other Servers they must come back into `{ca}-ca-crl`: the CA controller asks the
// CA Server for its CRL and publishes it when it is signed by this CA and newer than the published one
// (reconcile.ts); the condition CRLSynced says whether that works (crl-synced.ts).
import { request } from 'node:https';
import { describeEndpoint, type CaEndpoint } from '../contracts/ca-server.js';

export { caServerService, caEndpoint as crlEndpoint, describeEndpoint } from '../contracts/ca-server.js';
export type { CaService } from '../contracts/ca-server.js';
/** Where the CRL is fetched from: the CA Server's endpoint (contracts/ca-server.ts). */
export type CrlEndpoint = CaEndpoint;

export type CrlFetcher = (endpoint: CrlEndpoint, caCertPem: string) => Promise<string>;

const MAX_BYTES = 10 * 1024 * 1024;
const CRL_PATH = '/puppet-ca/v1/certificate_revocation_list/ca?environment=production';

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
