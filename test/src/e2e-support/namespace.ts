// A fresh namespace per test file, removed afterwards (kube-controller-manager finishes the deletion).
import { randomBytes } from 'node:crypto';
import { kubectlOk, kubectl } from './kubectl.js';

export function createNamespace(prefix: string): string {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  kubectlOk(['create', 'namespace', name]);
  return name;
}

export function deleteNamespace(name: string): void {
  kubectl(['delete', 'namespace', name, '--wait=false']);
}
