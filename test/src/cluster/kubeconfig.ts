// Writes an admin kubeconfig (a typed object serialised with the yaml package).
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function kubeconfigObject(input: KubeconfigInput) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'openvox-local', cluster: { server: input.server, 'certificate-authority': input.caFile } }],
    users: [{ name: 'admin', user: { 'client-certificate': input.certFile, 'client-key': input.keyFile } }],
    contexts: [{ name: 'openvox-local', context: { cluster: 'openvox-local', user: 'admin', namespace: 'default' } }],
    'current-context': 'openvox-local',
  };
}

export function writeKubeconfig(path: string, input: KubeconfigInput): void {
  writeFileSync(path, stringify(kubeconfigObject(input)), { mode: 0o600 });
}
