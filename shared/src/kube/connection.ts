// A connection to the API server: its URL, one undici dispatcher (TLS and the connection pool) and the
// headers of the next request. Built from the slim kubeconfig reader; a kubeconfig that needs an exec or
// auth-provider plugin falls back to client-node's KubeConfig, imported only then: it brings the whole
// generated API with it (~75 MiB of RSS), which a service-account token or a client certificate never needs.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { inClusterAccess, readKubeconfig, type ClusterAccess } from './kubeconfig.js';

export interface KubeConnection {
  /** e.g. https://10.0.0.1:443, without a trailing slash. */
  readonly server: string;
  readonly dispatcher: Dispatcher;
  /** Credentials for the next request (a token file is reread as it rotates). */
  headers(): Promise<Record<string, string>>;
}

/** How often a token file is reread; kubelet rotates projected tokens well before they expire. */
const TOKEN_FILE_TTL_MS = 60_000;

/** The kubeconfig at `path`; without one, the pod's service account, else $KUBECONFIG or ~/.kube/config. */
export async function connect(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<KubeConnection> {
  if (!path && env.KUBERNETES_SERVICE_HOST) return fromAccess(inClusterAccess(env));
  const file = path ?? env.KUBECONFIG?.split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
  const access = readKubeconfig(file);
  return access.needsFullClient ? fromClientNode(file) : fromAccess(access);
}

export function fromAccess(access: ClusterAccess): KubeConnection {
  const dispatcher = new Agent({
    connect: {
      ca: access.ca,
      cert: access.clientCert,
      key: access.clientKey,
      rejectUnauthorized: !access.insecureSkipTlsVerify,
      ...(access.tlsServerName ? { servername: access.tlsServerName } : {}),
    },
  });
  let token = { value: access.token, readAt: 0 };
  const basic =
    access.username !== undefined
      ? `Basic ${Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64')}`
      : undefined;
  return {
    server: access.server,
    dispatcher,
    async headers(): Promise<Record<string, string>> {
      if (access.tokenFile && Date.now() - token.readAt > TOKEN_FILE_TTL_MS) {
        token = { value: (await readFile(access.tokenFile, 'utf8')).trim(), readAt: Date.now() };
      }
      if (token.value) return { Authorization: `Bearer ${token.value}` };
      return basic ? { Authorization: basic } : {};
    },
  };
}

async function fromClientNode(file: string): Promise<KubeConnection> {
  const { KubeConfig, RequestContext, HttpMethod } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const server = kc.getCurrentCluster()?.server.replace(/\/$/, '');
  if (!server) throw new Error(`${file}: the current context has no cluster server`);
  const authenticated = async () => {
    const ctx = new RequestContext(server, HttpMethod.GET);
    await kc.applySecurityAuthentication(ctx);
    return ctx;
  };
  const dispatcher = ((await authenticated()).getDispatcher() as Dispatcher | undefined) ?? new Agent();
  return { server, dispatcher, headers: async () => (await authenticated()).getHeaders() };
}
