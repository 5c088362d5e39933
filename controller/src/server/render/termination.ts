// How a Server pod stops: a drain before SIGTERM, and time enough for puppetserver to finish. When a pod
// is deleted (a rollout, a scale-down, an eviction) the kubelet runs the preStop hook and, at the same
// moment, the EndpointSlice controller marks the pod terminating; kube-proxy then takes it out of the
// Service's rules. Without a pause, puppetserver stops at once while kube-proxy still sends it new
// connections: agents that pick the pod in that window get a refused connection and a failed run.
import type { V1Lifecycle } from '@kubernetes/client-node';
import type { Server } from '@openvox/shared/runtime';

export interface Termination {
  /** The kubelet's own sleep (lifecycle.preStop.sleep, on by default since Kubernetes 1.30): no binary in the image. */
  preStopSeconds: number;
  /** The preStop plus puppetserver's shutdown; after it the kubelet sends SIGKILL. */
  gracePeriodSeconds: number;
}

/**
 * Non-CA Servers (RollingUpdate, other replicas ready beside them): 15 s covers the endpoint update
 * reaching kube-proxy (1-2 s on an idle cluster, several seconds on a busy one) plus an agent run
 * already talking to this pod over kept-alive connections (Puppet reuses one for 4 s between requests).
 * CA Servers (Recreate, one pod, the only CA): no other endpoint takes over, so a long pause only
 * lengthens the gap; 5 s still moves the agents of a shared Pool to its other Servers first and lets a
 * CSR in flight finish.
 */
const PRESTOP_SECONDS = { ca: 5, other: 15 };

/**
 * puppetserver stops in about 4 s when idle, but first lets Jetty finish
 * the requests in flight (a catalog compile takes seconds, more under load) and the CA writes its
 * serial and inventory: 45 s after the preStop before the kubelet kills it.
 */
const SHUTDOWN_SECONDS = 45;

export function termination(server: Server): Termination {
  const preStopSeconds = server.spec.ca ? PRESTOP_SECONDS.ca : PRESTOP_SECONDS.other;
  return { preStopSeconds, gracePeriodSeconds: preStopSeconds + SHUTDOWN_SECONDS };
}

export function preStopLifecycle(t: Termination): V1Lifecycle {
  return { preStop: { sleep: { seconds: t.preStopSeconds } } };
}
