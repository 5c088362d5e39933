// Kubernetes Events on an object, correlated as client-go's EventRecorder does. Callers decide when (on
// transitions); this decides how many writes that costs:
// - one Event per object, type and reason: a repeat within the window updates that Event's count,
//   message and lastTimestamp instead of creating another, and repeats in quick succession share one
//   update (written once the burst is over);
// - a token bucket per object (client-go's spam filter: 25 at once, then one per 5 minutes) drops the rest;
// - the memory of recent Events is bounded (least recently used forgotten first).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock, Timer } from './clock.js';
import type { KubeClient, KubeObject } from './client.js';
import { EVENT } from './resources.js';

export type EventSeverity = 'Normal' | 'Warning';

export interface EventRecorder {
  record(obj: KubeObject, type: EventSeverity, reason: string, message: string): Promise<void>;
}

export interface CorrelationOptions {
  /** A repeat within this long updates the existing Event (client-go: 10 minutes). */
  windowMs: number;
  /** Repeats are written this long after the last one of a burst. */
  flushDelayMs: number;
  /** Events an object may have at once, and how often one more is allowed. */
  burst: number;
  refillMs: number;
  /** Correlated Events remembered (client-go: 4096). */
  maxEntries: number;
}

export const DEFAULT_CORRELATION: CorrelationOptions = {
  windowMs: 10 * 60_000,
  flushDelayMs: 2000,
  burst: 25,
  refillMs: 5 * 60_000,
  maxEntries: 4096,
};

interface Recent {
  name: string;
  namespace?: string;
  count: number;
  message: string;
  firstTimestamp: string;
  lastTimestamp: string;
  lastSeen: number;
  flush?: Timer;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class ApiEventRecorder implements EventRecorder {
  /** Insertion order is recency order: a touched entry is deleted and set again. */
  private readonly recent = new Map<string, Recent>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly component = 'openvox-operator',
    private readonly o: CorrelationOptions = DEFAULT_CORRELATION,
  ) {}

  async record(obj: KubeObject, type: EventSeverity, reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {};
    const objectKey = m.uid ?? `${m.namespace}/${m.name}`;
    if (!this.allow(objectKey)) {
      this.logger.debug({ object: `${m.namespace}/${m.name}`, reason }, 'event dropped: too many for this object');
      return;
    }
    const now = this.clock.now();
    const timestamp = new Date(now).toISOString();
    const key = `${objectKey}|${type}|${reason}`;
    const text = message.slice(0, 1024);
    const seen = this.recent.get(key);
    if (seen && now - seen.lastSeen < this.o.windowMs) {
      this.touch(key, { ...seen, count: seen.count + 1, message: text, lastTimestamp: timestamp, lastSeen: now });
      return;
    }
    seen?.flush?.cancel();
    const name = `${m.name}.${now.toString(16)}${randomBytes(2).toString('hex')}`;
    this.remember(key, {
      name,
      namespace: m.namespace,
      count: 1,
      message: text,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      lastSeen: now,
    });
    try {
      await this.client.create(EVENT, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: m.namespace },
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
        message: text,
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.component,
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
      });
    } catch (err) {
      // An event is advice; failing to write one must not fail the reconcile. A later repeat starts anew.
      this.recent.delete(key);
      this.logger.warn({ err: String(err), reason }, 'could not record event');
    }
  }

  /** Takes a token from the object's bucket, refilled one per refill period up to the burst. */
  private allow(objectKey: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(objectKey) ?? { tokens: this.o.burst, refilledAt: now };
    const refills = Math.floor((now - bucket.refilledAt) / this.o.refillMs);
    if (refills > 0) {
      bucket.tokens = Math.min(this.o.burst, bucket.tokens + refills);
      bucket.refilledAt += refills * this.o.refillMs;
    }
    this.buckets.delete(objectKey);
    this.buckets.set(objectKey, bucket);
    if (this.buckets.size > this.o.maxEntries) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }

  private remember(key: string, entry: Recent): void {
    this.recent.delete(key);
    this.recent.set(key, entry);
    if (this.recent.size > this.o.maxEntries) {
      const oldest = this.recent.keys().next().value!;
      this.recent.get(oldest)?.flush?.cancel();
      this.recent.delete(oldest);
    }
  }

  /** Keeps the repeat and (re)schedules the one update that writes the burst. */
  private touch(key: string, entry: Recent): void {
    entry.flush?.cancel();
    entry.flush = this.clock.setTimeout(() => void this.flush(key), this.o.flushDelayMs);
    this.remember(key, entry);
  }

  private async flush(key: string): Promise<void> {
    const entry = this.recent.get(key);
    if (!entry) return;
    entry.flush = undefined;
    try {
      await this.client.apply(EVENT, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: entry.name, namespace: entry.namespace },
        count: entry.count,
        message: entry.message,
        lastTimestamp: entry.lastTimestamp,
      });
    } catch (err) {
      this.logger.warn({ err: String(err), event: entry.name }, 'could not update event');
    }
  }
}
