// Kubernetes Events on an object. Callers decide when (on transitions); this only writes them.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import { EVENT } from './resources.js';

export type EventSeverity = 'Normal' | 'Warning';

export interface EventRecorder {
  record(obj: KubeObject, type: EventSeverity, reason: string, message: string): Promise<void>;
}

export class ApiEventRecorder implements EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly component = 'openvox-operator',
  ) {}

  async record(obj: KubeObject, type: EventSeverity, reason: string, message: string): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const m = obj.metadata ?? {};
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${m.name}.${this.clock.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
        namespace: m.namespace,
      },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.client.create(EVENT, event);
    } catch (err) {
      // An event is advice; failing to write one must not fail the reconcile.
      this.logger.warn({ err: String(err), reason }, 'could not record event');
    }
  }
}
