// The puppetserver CA HTTP API, as the `puppetserver ca` CLI uses it: list every request and certificate
// (certificate_statuses), read one (certificate_status), sign or revoke (PUT desired_state), clean (DELETE),
// and the signed certificate itself (certificate/{certname}). Mutual TLS: the CA Server is verified against
// the CA certificate under its Service's DNS name, and the operator presents a client certificate with
// pp_cli_auth (client-identity.ts), which the CA's built-in auth.conf rules allow on these endpoints.
import { request } from 'node:https';
import { describeEndpoint, type CaEndpoint } from '../contracts/ca-server.js';

/** One entry of certificate_statuses, as puppetserver 7/8 answers (requests lack serial and dates). */
export interface CaStatusEntry {
  name: string;
  state: string;
  fingerprint?: string;
  fingerprints?: Record<string, string>;
  dns_alt_names?: string[];
  subject_alt_names?: string[];
  authorization_extensions?: Record<string, string>;
  /** Decimal digits as sent (kept as text: a 128-bit serial does not fit a JavaScript number). */
  serial_number?: string;
  not_before?: string;
  not_after?: string;
}

export interface CaTarget {
  endpoint: CaEndpoint;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export type DesiredCaState = 'signed' | 'revoked';

export interface CaApi {
  list(target: CaTarget): Promise<CaStatusEntry[]>;
  /** Undefined when the CA Server knows no request or certificate for the certname (404). */
  get(target: CaTarget, certname: string): Promise<CaStatusEntry | undefined>;
  setState(target: CaTarget, certname: string, state: DesiredCaState): Promise<void>;
  clean(target: CaTarget, certname: string): Promise<void>;
  /** The signed certificate's PEM, undefined when there is none. */
  certificate(target: CaTarget, certname: string): Promise<string | undefined>;
}

/** A response the CA Server gave (status and its text), or a connection that failed (no status). */
export class CaApiError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

export interface CaApiOptions {
  timeoutMs?: number;
  /** Largest body read; a 10,000-agent listing is about 8 MiB. */
  maxBytes?: number;
}

const STATUS = '/puppet-ca/v1/certificate_status/';
const q = (certname: string) => `${encodeURIComponent(certname)}?environment=production`;

/** JSON with `serial_number` kept as its exact digits (JSON.parse's reviver sees the source text). */
export function parseStatuses(text: string): unknown {
  return JSON.parse(text, function (key: string, value: unknown, context?: { source?: string }) {
    if (key === 'serial_number' && typeof value === 'number') return context?.source ?? String(value);
    return value;
  } as (key: string, value: unknown) => unknown);
}

function asEntry(v: unknown): CaStatusEntry | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const e = v as Record<string, unknown>;
  return typeof e.name === 'string' && typeof e.state === 'string' ? (e as unknown as CaStatusEntry) : undefined;
}

/** The CA API over node:https; one connection per request (a poll makes one list and few other calls). */
export function httpsCaApi(options: CaApiOptions = {}): CaApi {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;

  const call = (t: CaTarget, method: string, path: string, body?: string, accept = 'application/json') => {
    const what = `${method} ${describeEndpoint(t.endpoint)}${path.replace(/\?.*$/, '')}`;
    return new Promise<{ status: number; text: string; what: string }>((resolve, reject) => {
      const req = request(
        {
          method,
          host: t.endpoint.host,
          port: t.endpoint.port,
          path,
          servername: t.endpoint.serverName,
          ca: t.caCertPem,
          cert: t.clientCertPem,
          key: t.clientKeyPem,
          headers: {
            Accept: accept,
            Host: `${t.endpoint.serverName}:${t.endpoint.port}`,
            ...(body !== undefined
              ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
              : {}),
          },
          timeout: timeoutMs,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let tooLarge = false;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= maxBytes) chunks.push(chunk);
            else if (!tooLarge) {
              // Settled here: a destroyed response may still emit 'end' with the part read so far.
              tooLarge = true;
              reject(new CaApiError(`${what}: response larger than ${maxBytes} bytes`));
              req.destroy();
            }
          });
          res.on('end', () => {
            if (!tooLarge) resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), what });
          });
          res.on('error', (err) => reject(new CaApiError(`${what}: ${err.message}`)));
        },
      );
      req.on('timeout', () => req.destroy(new CaApiError(`${what}: timed out after ${timeoutMs / 1000} s`)));
      req.on('error', (err) => reject(err instanceof CaApiError ? err : new CaApiError(`${what}: ${err.message}`)));
      req.end(body);
    });
  };

  /** The CA Server's own words on a refusal (puppetserver answers text or JSON), one line, bounded. */
  const refused = (r: { status: number; text: string; what: string }) => {
    const detail = r.text.replace(/\s+/g, ' ').trim().slice(0, 300);
    return new CaApiError(`${r.what}: HTTP ${r.status}${detail ? `: ${detail}` : ''}`, r.status);
  };

  return {
    async list(t) {
      const r = await call(t, 'GET', '/puppet-ca/v1/certificate_statuses/any?environment=production');
      if (r.status !== 200) throw refused(r);
      const parsed = parseStatuses(r.text);
      if (!Array.isArray(parsed)) throw new CaApiError(`${r.what}: the answer is not a JSON list`);
      return parsed.map(asEntry).filter((e): e is CaStatusEntry => e !== undefined);
    },
    async get(t, certname) {
      const r = await call(t, 'GET', STATUS + q(certname));
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw refused(r);
      const entry = asEntry(parseStatuses(r.text));
      if (!entry) throw new CaApiError(`${r.what}: the answer is no certificate status`);
      return entry;
    },
    async setState(t, certname, state) {
      const r = await call(t, 'PUT', STATUS + q(certname), JSON.stringify({ desired_state: state }));
      if (r.status !== 204 && r.status !== 200) throw refused(r);
    },
    async clean(t, certname) {
      const r = await call(t, 'DELETE', STATUS + q(certname));
      if (r.status !== 204 && r.status !== 200) throw refused(r);
    },
    async certificate(t, certname) {
      const r = await call(t, 'GET', `/puppet-ca/v1/certificate/${q(certname)}`, undefined, 'text/plain');
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw refused(r);
      return r.text.includes('BEGIN CERTIFICATE') ? r.text : undefined;
    },
  };
}
