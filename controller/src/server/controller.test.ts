import { pino } from 'pino';
import { FakeClock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { CONFIG, CONFIG_MAP, DEPLOYMENT, SECRET, SERVER, type ResourceType } from '../kube/resources.js';
import { Manager } from '../kube/manager.js';
import { createMetrics } from '../kube/metrics.js';
import { Registry } from 'prom-client';
import { createServerController } from './controller.js';
import { server } from './fixtures.test-helpers.js';
import { FakeInformer } from '../kube/fake-informer.test-helpers.js';

function controller() {
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const mgr = new Manager({
    connection: undefined as never,
    client: {} as KubeClient,
    logger,
    clock,
    metrics: createMetrics(new Registry()),
    concurrency: 1,
    resyncMs: 0,
    informerFactory: (r) => new FakeInformer(r),
  });
  const def = createServerController(mgr, {
    client: {} as KubeClient,
    recorder: { record: async () => {} },
    clock,
    logger,
  });
  const map = (r: ResourceType, type: 'add' | 'update' | 'delete', obj: KubeObject) =>
    def.watches.find((w) => w.resource === r)!.map(type, obj);
  return { def, map };
}

const obj = (kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  kind,
  metadata: { name, namespace: 'prod', ...extra },
});

describe('Server controller fan-out', () => {
  it('maps a dependency change to exactly the Servers that use it', () => {
    const { map } = controller();
    map(SERVER, 'add', server('a', { configRef: 'one' }) as unknown as KubeObject);
    map(SERVER, 'add', server('b', { configRef: 'two' }) as unknown as KubeObject);
    map(SERVER, 'add', server('c', { configRef: 'two' }) as unknown as KubeObject);
    expect(map(CONFIG, 'update', obj('Config', 'one'))).toEqual(['prod/a']);
    expect(map(CONFIG, 'update', obj('Config', 'two')).sort()).toEqual(['prod/b', 'prod/c']);
    expect(map(CONFIG_MAP, 'update', obj('ConfigMap', 'two-config')).sort()).toEqual(['prod/b', 'prod/c']);
    expect(map(CONFIG, 'update', { ...obj('Config', 'one'), metadata: { name: 'one', namespace: 'other' } })).toEqual(
      [],
    );
    expect(map(SECRET, 'update', obj('Secret', 'unrelated'))).toEqual([]);
  });

  it('maps owned objects to their controlling Server only', () => {
    const { map } = controller();
    const owner = {
      apiVersion: 'openvox.voxpupuli.org/v1alpha1',
      kind: 'Server',
      name: 'a',
      uid: 'u',
      controller: true,
    };
    expect(map(DEPLOYMENT, 'update', obj('Deployment', 'a', { ownerReferences: [owner] }))).toEqual(['prod/a']);
    expect(
      map(DEPLOYMENT, 'update', obj('Deployment', 'a', { ownerReferences: [{ ...owner, controller: false }] })),
    ).toEqual([]);
    expect(map(DEPLOYMENT, 'update', obj('Deployment', 'x'))).toEqual([]);
  });
});
