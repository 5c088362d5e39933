// What a kubelet would do, for a cluster without nodes: bind pods to a fake Node and report them Ready.
import { kubectl, kubectlOk } from './kubectl.js';
import { listObjects, type Obj } from './objects.js';

export function createFakeNode(name: string): void {
  kubectlOk(['apply', '-f', '-'], {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  });
}

export function deleteFakeNode(name: string): void {
  kubectl(['delete', 'node', name, '--wait=false']);
}

/** Binds and readies every live pod matching `selector`; returns how many are Ready now. */
export function makePodsReady(ns: string, selector: string, node: string): number {
  let ready = 0;
  for (const pod of listObjects('pods', ns, selector) as Obj[]) {
    if (pod.metadata.deletionTimestamp) continue;
    if (!pod.spec.nodeName) {
      kubectlOk(['create', '-n', ns, '-f', '-'], {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata.name },
        target: { kind: 'Node', name: node },
      });
    }
    if (!pod.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True')) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: now,
      }));
      const patch = JSON.stringify({ status: { phase: 'Running', conditions } });
      kubectlOk(['patch', 'pod', pod.metadata.name, '-n', ns, '--subresource=status', '--type=merge', '-p', patch]);
    }
    ready++;
  }
  return ready;
}
