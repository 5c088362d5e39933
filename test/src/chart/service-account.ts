// Credentials of a ServiceAccount the chart created: a TokenRequest token in a kubeconfig of its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { clusterPaths } from '../cluster/paths.js';
import { kubectl, kubectlOk } from '../e2e-support/kubectl.js';

interface AdminKubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority': string } }[];
}

/** `kubectl create token` (TokenRequest API), short-lived. */
export function requestToken(namespace: string, serviceAccount: string, duration = '15m'): string {
  return kubectlOk(['create', 'token', serviceAccount, '-n', namespace, `--duration=${duration}`]).trim();
}

/** Writes a kubeconfig that authenticates as the ServiceAccount (same API server and CA as the admin one). */
export function writeServiceAccountKubeconfig(path: string, namespace: string, serviceAccount: string): void {
  const admin = parse(readFileSync(clusterPaths.kubeconfig, 'utf8')) as AdminKubeconfig;
  const cluster = admin.clusters[0]!.cluster;
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'openvox-local', cluster }],
    users: [{ name: user, user: { token: requestToken(namespace, serviceAccount) } }],
    contexts: [{ name: 'sa', context: { cluster: 'openvox-local', user, namespace } }],
    'current-context': 'sa',
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** `kubectl auth can-i` as the ServiceAccount (impersonation by the admin). */
export function canI(
  namespace: string,
  serviceAccount: string,
  verb: string,
  resource: string,
  inNamespace?: string,
): boolean {
  const [plural, subresource] = resource.split('/');
  const args = ['auth', 'can-i', verb, plural!, `--as=system:serviceaccount:${namespace}:${serviceAccount}`];
  if (subresource) args.push(`--subresource=${subresource}`);
  args.push(...(inNamespace ? ['-n', inNamespace] : ['--all-namespaces']));
  const result = kubectl(args);
  if (result.stdout.trim() !== 'yes' && result.stdout.trim() !== 'no') {
    throw new Error(`kubectl ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  }
  return result.stdout.trim() === 'yes';
}
