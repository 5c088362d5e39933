// The parts of a kubeconfig file our clients use: the current context's server, TLS material and
// credentials, with file references resolved against the file's folder, as kubectl does.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterAccess {
  server: string;
  /** PEM; undefined means the system's trust store. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  clientCert?: string;
  clientKey?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Set when the user authenticates in a way only client-node implements (exec, auth-provider). */
  needsFullClient?: 'exec' | 'auth-provider';
}

type Fields = Record<string, unknown>;

function entry(list: unknown, key: 'cluster' | 'user' | 'context', name: string, file: string): Fields {
  const found = (Array.isArray(list) ? (list as Fields[]) : []).find((e) => e?.name === name);
  const value = found?.[key];
  if (!value || typeof value !== 'object') throw new Error(`${file}: no ${key} named "${name}"`);
  return value as Fields;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Inline base64 data, or the file it names (relative to the kubeconfig's folder). */
function material(fields: Fields, dataKey: string, fileKey: string, base: string): string | undefined {
  const data = str(fields[dataKey]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const path = str(fields[fileKey]);
  return path ? readFileSync(isAbsolute(path) ? path : join(base, path), 'utf8') : undefined;
}

/** The current context of the kubeconfig at `file`; errors name the file and the missing part. */
export function readKubeconfig(file: string): ClusterAccess {
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Fields;
  const contextName = str(doc['current-context']);
  if (!contextName) throw new Error(`${file}: no current-context`);
  const context = entry(doc.contexts, 'context', contextName, file);
  const cluster = entry(doc.clusters, 'cluster', String(context.cluster), file);
  const user = context.user === undefined ? {} : entry(doc.users, 'user', String(context.user), file);
  const base = dirname(file);
  const server = str(cluster.server);
  if (!server) throw new Error(`${file}: cluster "${String(context.cluster)}" has no server`);
  const tokenFile = str(user.tokenFile);
  return {
    server: server.replace(/\/$/, ''),
    ca: material(cluster, 'certificate-authority-data', 'certificate-authority', base),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']),
    clientCert: material(user, 'client-certificate-data', 'client-certificate', base),
    clientKey: material(user, 'client-key-data', 'client-key', base),
    token: str(user.token),
    tokenFile: tokenFile && !isAbsolute(tokenFile) ? join(base, tokenFile) : tokenFile,
    username: str(user.username),
    password: str(user.password),
    needsFullClient: user.exec ? 'exec' : user['auth-provider'] ? 'auth-provider' : undefined,
  };
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's own service account, as client-go's in-cluster config reads it. */
export function inClusterAccess(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    insecureSkipTlsVerify: false,
    tokenFile: join(dir, 'token'),
  };
}
