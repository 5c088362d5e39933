// What the controller keeps of a kubelet probe-failure Event (reason Unhealthy): which pod and container,
// the kubelet's message and when it last happened. The rest (source, reporting fields, managedFields) is
// dropped before caching, and the message is clipped, so a cluster full of failing probes costs a few
// hundred bytes per pod and message (the API server keeps Events for an hour, --event-ttl).
import type { KubeObject } from './client.js';

export interface ProbeEventView extends KubeObject {
  involvedObject?: { name?: string; namespace?: string; uid?: string; fieldPath?: string };
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { lastObservedTime?: string; count?: number };
}

export const PROBE_MESSAGE_MAX = 300;

/** Reduces an Event in place, as an informer transform, before it is cached. */
export function keepProbeEventView(obj: KubeObject): void {
  const e = obj as ProbeEventView & Record<string, unknown>;
  const { name, namespace, uid, resourceVersion } = e.metadata ?? {};
  const involved = e.involvedObject ?? {};
  const kept: ProbeEventView = {
    metadata: { name, namespace, uid, resourceVersion },
    involvedObject: {
      name: involved.name,
      namespace: involved.namespace,
      uid: involved.uid,
      fieldPath: involved.fieldPath,
    },
    message: e.message && e.message.length > PROBE_MESSAGE_MAX ? e.message.slice(0, PROBE_MESSAGE_MAX) : e.message,
    count: e.count,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    ...(e.series ? { series: { lastObservedTime: e.series.lastObservedTime, count: e.series.count } } : {}),
  };
  for (const key of Object.keys(e)) delete e[key];
  Object.assign(e, JSON.parse(JSON.stringify(kept)));
}

/** When the probe last failed: the series' last observation, else the legacy timestamps. */
export function lastObserved(e: ProbeEventView): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
}
