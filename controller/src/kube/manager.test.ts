import { pino } from 'pino';
import { Registry } from 'prom-client';
import { FakeClock } from './clock.js';
import type { KubeClient } from './client.js';
import { CONFIG_MAP, EVENT, PROBE_EVENT } from './resources.js';
import { Manager } from './manager.js';
import { createMetrics } from './metrics.js';
import { FakeInformer } from './fake-informer.test-helpers.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('Manager', () => {
  it('keeps one informer per collection and selection: all Events and the probe failures are two caches', () => {
    const made: string[] = [];
    const mgr = new Manager({
      connection: undefined as never,
      client: {} as KubeClient,
      logger: pino({ level: 'silent' }),
      clock: new FakeClock(),
      metrics: createMetrics(new Registry()),
      concurrency: 1,
      resyncMs: 0,
      informerFactory: (r) => (made.push(r.fieldSelector ?? '(all)'), new FakeInformer(r)),
    });
    expect(mgr.informer(PROBE_EVENT)).toBe(mgr.informer(PROBE_EVENT));
    expect(mgr.informer(EVENT)).not.toBe(mgr.informer(PROBE_EVENT));
    expect(made).toEqual([PROBE_EVENT.fieldSelector, '(all)']);
  });

  it('reconciles only while workers run, and again after leadership returns', async () => {
    const clock = new FakeClock();
    const informers = new Map<string, FakeInformer>();
    const metrics = createMetrics(new Registry());
    const mgr = new Manager({
      connection: undefined as never,
      client: {} as KubeClient,
      logger: pino({ level: 'silent' }),
      clock,
      metrics,
      concurrency: 2,
      resyncMs: 1000,
      informerFactory: (r) => {
        const inf = new FakeInformer(r);
        informers.set(r.kind, inf);
        return inf;
      },
    });
    const seen: string[] = [];
    mgr.register({
      name: 'test',
      watches: [{ resource: CONFIG_MAP, map: (_t, o) => [`${o.metadata?.namespace}/${o.metadata?.name}`] }],
      reconcile: async (key) => void seen.push(key),
      allKeys: () =>
        informers
          .get('ConfigMap')!
          .list()
          .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
    });
    const cm = (name: string) => ({ metadata: { name, namespace: 'ns' } });
    await mgr.start();
    informers.get('ConfigMap')!.emit(cm('a'));
    await flush();
    expect(seen).toEqual([]); // not leading yet
    await mgr.startWorkers();
    await flush();
    expect(seen).toEqual(['ns/a']);

    mgr.stopWorkers();
    informers.get('ConfigMap')!.emit(cm('b'));
    clock.advance(5000); // no resync while stopped
    await flush();
    expect(seen).toEqual(['ns/a']);

    await mgr.startWorkers(); // leading again: queued and all keys run
    await flush();
    expect(seen.slice(1).sort()).toEqual(['ns/a', 'ns/b']);
    clock.advance(1000); // periodic resync
    await flush();
    expect(seen).toHaveLength(5);
    expect(await metrics.registry.getSingleMetricAsString('openvox_controller_reconcile_total')).toContain(
      'openvox_controller_reconcile_total{controller="test",result="success"} 5',
    );
  });
});
