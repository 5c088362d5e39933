// The files of OpenVox DB's conf.d: config.ini, jetty.ini and auth.conf (ConfigMap), database.ini (Secret:
// it holds the PostgreSQL password). Pure; values that could break a file are refused (writers/).
import type { Database } from '@openvox/shared/runtime';
import { TLS_CERT_KEY, TLS_KEY_KEY, CA_CERT_KEY, DATABASE_HTTPS_PORT } from '../../contracts/names.js';
import { writeHocon } from '../../writers/hocon.js';
import { writeIni } from '../../writers/ini.js';
import { DATABASE_LAYOUT, LOCAL_HTTP_PORT } from './layout.js';

export interface PostgresCredentials {
  username: string;
  password: string;
}

/** Thrown for a spec value that cannot go into a file; `field` names it for the status. */
export class DatabaseRenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'DatabaseRenderError';
  }
}

export function renderConfigIni(): string {
  return writeIni([
    {
      name: 'global',
      entries: [
        ['vardir', DATABASE_LAYOUT.vardir],
        ['logging-config', DATABASE_LAYOUT.logbackXml],
      ],
    },
    // No call home from a cluster (Debian's build already defaults to this).
    { name: 'puppetdb', entries: [['disable-update-checking', true]] },
  ]);
}

/**
 * HTTPS on all addresses with client-auth need: only holders of a certificate of the Database's CA (the
 * Servers) get in, as PuppetDB's query and command APIs have no other authentication. Cleartext HTTP only
 * on 127.0.0.1, for the exec probes. Jetty reads the `{cert}-tls` files where the Secret is mounted.
 */
export function renderJettyIni(): string {
  const tls = DATABASE_LAYOUT.tlsDir;
  return writeIni([
    {
      name: 'jetty',
      entries: [
        ['host', '127.0.0.1'],
        ['port', LOCAL_HTTP_PORT],
        ['ssl-host', '0.0.0.0'],
        ['ssl-port', DATABASE_HTTPS_PORT],
        ['ssl-cert', `${tls}/${TLS_CERT_KEY}`],
        ['ssl-key', `${tls}/${TLS_KEY_KEY}`],
        ['ssl-ca-cert', `${tls}/${CA_CERT_KEY}`],
        ['client-auth', 'need'],
      ],
    },
  ]);
}

/** The trapperkeeper authorization of PuppetDB's metrics and status services (upstream's default rules). */
export function renderAuthConf(): string {
  const rule = (
    name: string,
    path: string,
    access: Record<string, string | boolean>,
    method?: string | string[],
    sortOrder = 500,
  ) => ({
    name,
    'match-request': { path, type: 'path', ...(method ? { method } : {}) },
    ...access,
    'sort-order': sortOrder,
  });
  return writeHocon({
    authorization: {
      version: 1,
      rules: [
        rule('puppetlabs status service - full', '/status/v1/services', { 'allow-unauthenticated': true }, 'get'),
        rule('puppetlabs status service - simple', '/status/v1/simple', { 'allow-unauthenticated': true }, 'get'),
        rule('puppetlabs puppetdb metrics', '/metrics', { allow: '*' }, ['get', 'post']),
        rule('puppetlabs deny all', '/', { deny: '*' }, undefined, 999),
      ],
    },
  });
}

// A host name or an IPv4 address: it goes into a JDBC URL unescaped.
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** The JDBC subname of spec.postgres: `//host:port/database?sslmode=mode`. */
export function jdbcSubname(db: Database): string {
  const pg = db.spec.postgres;
  if (!HOST.test(pg.host))
    throw new DatabaseRenderError('spec.postgres.host', `not a host name: ${JSON.stringify(pg.host)}`);
  const database = pg.database ?? 'openvoxdb';
  return `//${pg.host}:${pg.port ?? 5432}/${encodeURIComponent(database)}?sslmode=${pg.sslMode ?? 'require'}`;
}

export function renderDatabaseIni(db: Database, credentials: PostgresCredentials): string {
  const field = `Secret ${db.spec.postgres.credentialsSecretRef}`;
  try {
    return writeIni([
      {
        name: 'database',
        entries: [
          ['subname', jdbcSubname(db)],
          ['username', credentials.username],
          ['password', credentials.password],
        ],
      },
    ]);
  } catch (err) {
    if (err instanceof DatabaseRenderError) throw err;
    // The writer names the key, never the value: a password stays out of the status.
    throw new DatabaseRenderError(field, (err as Error).message);
  }
}
