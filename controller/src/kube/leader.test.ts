import { pino } from 'pino';
import { FakeClock } from './clock.js';
import { ApiError, type KubeClient, type KubeObject } from './client.js';
import { LeaderElector } from './leader.js';

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

/** An in-memory Lease store with optimistic concurrency, like the API server's. */
function leaseStore() {
  let lease: KubeObject | undefined;
  let rv = 0;
  const calls = { get: 0, replace: 0 };
  const client = {
    get: async () => (calls.get++, lease ? structuredClone(lease) : undefined),
    create: async (_r: unknown, obj: KubeObject) => {
      if (lease) throw new ApiError(409, 'exists');
      lease = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    },
    replace: async (_r: unknown, obj: KubeObject) => {
      calls.replace++;
      if (obj.metadata?.resourceVersion !== lease?.metadata?.resourceVersion) throw new ApiError(409, 'conflict');
      lease = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    },
  } as unknown as KubeClient;
  return {
    client,
    calls,
    holder: () => (lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity,
    /** Another writer touches the Lease (e.g. kubectl annotate): its resourceVersion moves on. */
    touch: () => void (lease = { ...lease, metadata: { ...lease?.metadata, resourceVersion: String(++rv) } }),
  };
}

function elector(client: KubeClient, clock: FakeClock, identity: string, log: string[]) {
  return new LeaderElector({
    client,
    clock,
    logger: pino({ level: 'silent' }),
    namespace: 'default',
    name: 'openvox-operator-controller',
    identity,
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
  });
}

describe('LeaderElector', () => {
  it('renews with one request per period from the Lease it wrote, reading it again only after a conflict', async () => {
    const store = leaseStore();
    const clock = new FakeClock(1_000_000);
    const a = elector(store.client, clock, 'a', []);
    a.start();
    await flush();
    expect(a.isLeader()).toBe(true);
    const base = { ...store.calls };
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      await flush();
    }
    expect({ get: store.calls.get - base.get, replace: store.calls.replace - base.replace }).toEqual({
      get: 0,
      replace: 5,
    });
    store.touch();
    clock.advance(2000);
    await flush();
    // The conflict, then a read and a renewal from what it read.
    expect({ get: store.calls.get - base.get, replace: store.calls.replace - base.replace }).toEqual({
      get: 1,
      replace: 7,
    });
    expect(a.isLeader()).toBe(true);
    expect(store.holder()).toBe('a');
  });

  it('lets one replica lead and hands over on release', async () => {
    const store = leaseStore();
    const clock = new FakeClock(1_000_000);
    const log: string[] = [];
    const a = elector(store.client, clock, 'a', log);
    const b = elector(store.client, clock, 'b', log);
    a.start();
    await flush();
    b.start();
    await flush();
    for (let i = 0; i < 10; i++) {
      clock.advance(2000);
      await flush();
    }
    expect(log).toEqual(['a started']);
    expect(store.holder()).toBe('a');
    await a.release();
    expect(store.holder()).toBe('');
    clock.advance(2000);
    await flush();
    expect(log).toEqual(['a started', 'b started']);
    expect(store.holder()).toBe('b');
  });

  it('takes over a lease whose holder stopped renewing, only after the lease duration', async () => {
    const store = leaseStore();
    const deadClock = new FakeClock(0); // the crashed replica's timers never fire again
    const clock = new FakeClock(0);
    const log: string[] = [];
    elector(store.client, deadClock, 'a', log).start();
    await flush();
    const b = elector(store.client, clock, 'b', log);
    b.start();
    await flush();
    for (let t = 0; t < 14_000; t += 2000) {
      clock.advance(2000);
      await flush();
    }
    expect(b.isLeader()).toBe(false);
    for (let t = 0; t < 4000; t += 2000) {
      clock.advance(2000);
      await flush();
    }
    expect(b.isLeader()).toBe(true);
    expect(log).toEqual(['a started', 'b started']);
  });

  it('steps down when it cannot renew within the renew deadline, then leads again', async () => {
    const store = leaseStore();
    const clock = new FakeClock(0);
    const log: string[] = [];
    const a = elector(store.client, clock, 'a', log);
    a.start();
    await flush();
    const api = store.client as { get: unknown; replace: unknown };
    const working = { get: api.get, replace: api.replace };
    const down = async () => {
      throw new ApiError(500, 'etcd down');
    };
    Object.assign(api, { get: down, replace: down });
    for (let t = 0; t < 12_000; t += 2000) {
      clock.advance(2000);
      await flush();
    }
    expect(log).toEqual(['a started', 'a stopped']);
    expect(a.isLeader()).toBe(false);
    // It keeps campaigning: once the API answers again it leads again, without a restart.
    Object.assign(api, working);
    clock.advance(2000);
    await flush();
    expect(log).toEqual(['a started', 'a stopped', 'a started']);
  });

  it('holds the lease for writes only within the renew deadline of the last renewal sent', async () => {
    const store = leaseStore();
    // A frozen process: its renewal timers never fire, yet its clock moves on.
    let now = 0;
    const frozen = { now: () => now, setTimeout: () => ({ cancel: () => undefined }) };
    const a = elector(store.client, frozen as unknown as FakeClock, 'a', []);
    expect(a.holdsLease()).toBe(false);
    a.start();
    await flush();
    expect(a.holdsLease()).toBe(true);
    now = 9_999; // the default renew deadline is 10 s
    expect(a.holdsLease()).toBe(true);
    now = 10_000;
    expect(a.holdsLease()).toBe(false);
  });
});
