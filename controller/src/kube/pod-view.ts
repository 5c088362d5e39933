// What the controller keeps of a Server's pod: the status the kubelet reports (why the pod is not Ready)
// and the containers' names and images (a failed pull names its image). The rest of the spec, most of a
// pod's size and a copy of the Deployment's template, is memory for nothing, once per Server.
import type { KubeObject } from './client.js';

interface PodLike extends KubeObject {
  spec?: { containers?: { name?: string; image?: string }[]; initContainers?: { name?: string; image?: string }[] };
}

const nameAndImage = (cs: { name?: string; image?: string }[] | undefined) =>
  cs?.map((c) => ({ name: c.name, image: c.image }));

/** Reduces a pod in place, as an informer transform, before it is cached. */
export function keepPodStatusView(obj: KubeObject): void {
  const pod = obj as PodLike;
  if (pod.metadata) delete pod.metadata.annotations;
  if (!pod.spec) return;
  const containers = nameAndImage(pod.spec.containers);
  const initContainers = nameAndImage(pod.spec.initContainers);
  pod.spec = { ...(containers ? { containers } : {}), ...(initContainers ? { initContainers } : {}) };
}
