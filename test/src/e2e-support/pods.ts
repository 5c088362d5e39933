// Reading what the real kubelet reports about pods: readiness, container states, endpoints.
import { kubectl } from './kubectl.js';
import { listObjects, type Obj } from './objects.js';

export function isPodReady(pod: Obj): boolean {
  return (
    !pod.metadata.deletionTimestamp &&
    pod.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True')
  );
}

/** Live (not terminating) pods matching `selector`. */
export function livePods(ns: string, selector: string): Obj[] {
  return listObjects('pods', ns, selector).filter((p: Obj) => !p.metadata.deletionTimestamp);
}

export function readyPods(ns: string, selector: string): Obj[] {
  return livePods(ns, selector).filter(isPodReady);
}

/** Ready endpoint addresses of a Service, from its EndpointSlices. */
export function readyEndpoints(ns: string, service: string): string[] {
  const slices = listObjects('endpointslices.discovery.k8s.io', ns, `kubernetes.io/service-name=${service}`);
  return slices.flatMap((s: Obj) =>
    (s.endpoints ?? []).filter((e: Obj) => e.conditions?.ready).flatMap((e: Obj) => e.addresses as string[]),
  );
}

/** Why a pod is not running, in the kubelet's words: waiting reasons and messages of every container. */
export function waitingReasons(pod: Obj): string[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.filter((s: Obj) => s.state?.waiting).map((s: Obj) => `${s.name}: ${s.state.waiting.reason}`);
}

/** `kubectl logs` of one container, for failure messages. */
export function podLogs(ns: string, pod: string, container: string, tail = 40): string {
  return kubectl(['logs', '-n', ns, pod, '-c', container, `--tail=${tail}`]).stdout;
}

/** `kubectl exec` into the openvox-server container of a pod. */
export function serverExec(ns: string, pod: string, ...command: string[]): ReturnType<typeof kubectl> {
  return kubectl(['exec', '-n', ns, pod, '-c', 'openvox-server', '--', ...command]);
}

/** A one-shot pod of the agent image that runs `script` with sh (no token, never restarted). */
export function agentPod(
  ns: string,
  name: string,
  image: string,
  env: { name: string; value: string }[],
  script: string,
): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{ name: 'agent', image, imagePullPolicy: 'IfNotPresent', env, command: ['sh', '-c', script] }],
    },
  };
}
