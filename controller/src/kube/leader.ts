// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: the holder renews the lease;
// others take it over once it has not changed for leaseDuration by their own clock (no clock-skew trust).
import type { Logger } from 'pino';
import type { Clock, Timer } from './clock.js';
import { isConflict, type KubeClient, type KubeObject } from './client.js';
import { LEASE } from './resources.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaderOptions {
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

/** MicroTime as the API expects it: RFC 3339 with microseconds. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  private leader = false;
  private stopped = false;
  private timer: Timer | undefined;
  private observed: { rv?: string; holder?: string; at: number } = { at: 0 };
  /** The Lease as our last write left it, for renewing without reading it first. */
  private ours: Lease | undefined;
  private lastRenew = 0;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;

  constructor(private readonly o: LeaderOptions) {
    this.leaseMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
  }

  isLeader(): boolean {
    return this.leader;
  }

  /**
   * Whether writes are safe now: leading, and the last successful renewal began within the renew deadline.
   * The renew deadline is shorter than the lease, so a write sent now reaches the API server before any
   * other replica can consider the lease expired.
   */
  holdsLease(): boolean {
    return this.leader && this.o.clock.now() - this.lastRenew < this.renewDeadlineMs;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => void this.tick(), this.retryMs);
  }

  private async tick(): Promise<void> {
    // The renewal counts from when it was sent, not answered: the API server recorded it in between.
    const started = this.o.clock.now();
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'leader election: lease request failed');
    }
    const now = this.o.clock.now();
    if (ok) {
      this.lastRenew = started;
      if (!this.leader) {
        this.leader = true;
        this.o.logger.info({ identity: this.o.identity, lease: `${this.o.namespace}/${this.o.name}` }, 'became leader');
        this.o.onStartedLeading();
      }
    } else if (this.leader && now - this.lastRenew >= this.renewDeadlineMs) {
      this.leader = false;
      this.o.logger.error({ identity: this.o.identity }, 'lost leadership');
      this.o.onStoppedLeading();
    }
    this.schedule();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, clock, namespace, name, identity } = this.o;
    const now = clock.now();
    // client-go's fast path: a leader within its lease renews from the Lease it last wrote, one request
    // instead of two; a conflict (someone else wrote it) falls back to reading it.
    if (this.ours && this.leader && now - this.lastRenew < this.leaseMs) {
      try {
        const spec = { ...this.ours.spec, renewTime: microTime(now) };
        this.ours = await client.replace<Lease>(LEASE, { ...this.ours, spec });
        this.observed = { rv: this.ours.metadata?.resourceVersion, holder: identity, at: now };
        return true;
      } catch (err) {
        this.ours = undefined;
        if (!isConflict(err)) throw err;
      }
    }
    const lease = await client.get<Lease>(LEASE, namespace, name);
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    if (!lease) {
      try {
        this.ours = await client.create<Lease>(LEASE, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec,
        });
        return true;
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    const cur = lease.spec ?? {};
    if (lease.metadata?.resourceVersion !== this.observed.rv) {
      this.observed = { rv: lease.metadata?.resourceVersion, holder: cur.holderIdentity, at: now };
    }
    const held = cur.holderIdentity === identity;
    const durationMs = (cur.leaseDurationSeconds ?? 15) * 1000;
    const expired = !cur.holderIdentity || now - this.observed.at > durationMs;
    if (!held && !expired) return false;
    const next: LeaseSpec = held
      ? { ...cur, renewTime: spec.renewTime, leaseDurationSeconds: spec.leaseDurationSeconds }
      : { ...spec, leaseTransitions: (cur.leaseTransitions ?? 0) + 1 };
    try {
      const updated = await client.replace<Lease>(LEASE, { ...lease, spec: next });
      this.observed = { rv: updated.metadata?.resourceVersion, holder: identity, at: now };
      this.ours = updated;
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Stops campaigning and, if leading, empties the lease so another replica takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    this.ours = undefined;
    this.timer?.cancel();
    if (!this.leader) return;
    this.leader = false;
    try {
      const lease = await this.o.client.get<Lease>(LEASE, this.o.namespace, this.o.name);
      if (lease?.spec?.holderIdentity === this.o.identity) {
        await this.o.client.replace<Lease>(LEASE, {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: '',
            leaseDurationSeconds: 1,
            renewTime: microTime(this.o.clock.now()),
          },
        });
      }
      this.o.logger.info('released leader lease');
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'could not release leader lease');
    }
  }
}
