// A pod whose openvox-server container fails its probes, in the kubelet's words (its Unhealthy Events).
// The kubelet also reports every failed startup probe of a normal start (puppetserver takes 20-230 s and
// is probed every 5 s), so not every Unhealthy Event is a problem:
// - readiness and liveness failures are: they run only once the startup probe passed;
// - a startup failure is when the server answered with an HTTP status other than 503: a refused
//   connection, a timeout or 503 (services still starting) are how a starting puppetserver looks, and
//   the kubelet's 6-minute startup limit, then the restart loop (ContainerCrashing), covers a server
//   that never binds; a 403 or 404 is a configuration that the waiting will not mend.
// Only failures since the container's current start count, and only while it is not Ready.
// The kubelet rate-limits its Events per pod (a burst of 25, then one per 5 minutes): a pod whose start
// took more than 25 startup probes may show a later failure only minutes late. The kubelet's aggregator
// may also prefix a message with "(combined from similar events): ".
import type { V1Pod } from '@kubernetes/client-node';
import { lastObserved, type ProbeEventView } from '../kube/probe-event-view.js';
import { APP_NAME } from './render/index.js';

export const PROBE_FIELD_PATH = `spec.containers{${APP_NAME}}`;

const COMBINED = /^\(combined from similar events\): /;

/** Whether the kubelet's message is a probe failure a waiting pod will not outgrow. */
export function isProbeFault(kubeletMessage: string): boolean {
  const message = kubeletMessage.replace(COMBINED, '');
  if (/^(Readiness|Liveness) probe failed/.test(message)) return true;
  const status = /^Startup probe failed: HTTP probe failed with statuscode: (\d+)/.exec(message);
  return status !== null && status[1] !== '503';
}

/** The latest failed probe of the pod's server container since it started, or undefined. */
export function probeFailure(pod: V1Pod, events: readonly ProbeEventView[]): string | undefined {
  const status = pod.status?.containerStatuses?.find((s) => s.name === APP_NAME);
  const startedAt = status?.state?.running?.startedAt;
  if (!status || status.ready || !startedAt) return undefined;
  const since = new Date(startedAt).getTime();
  let latest: { at: number; message: string } | undefined;
  for (const e of events) {
    if (e.involvedObject?.uid !== pod.metadata?.uid || e.involvedObject?.fieldPath !== PROBE_FIELD_PATH) continue;
    const at = new Date(lastObserved(e) ?? 0).getTime();
    if (!e.message || !isProbeFault(e.message) || at < since || (latest && latest.at >= at)) continue;
    latest = { at, message: e.message.replace(COMBINED, '') };
  }
  return latest?.message;
}
