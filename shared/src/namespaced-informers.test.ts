import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchEventType } from './informer.js';
import { NamespacedInformers, type NamespaceInformer } from './namespaced-informers.js';

/** One namespace's informer: a map of objects, synced on demand, with its handlers. */
class PartInformer implements NamespaceInformer<KubernetesObject> {
  synced = false;
  started = 0;
  readonly handlers: ((obj: KubernetesObject) => void)[] = [];
  readonly objects: KubernetesObject[] = [];
  constructor(readonly namespace: string | undefined) {}
  on(_type: WatchEventType, handler: (obj: KubernetesObject) => void) {
    this.handlers.push(handler);
  }
  add(name: string, namespace = this.namespace!) {
    const obj = { metadata: { name, namespace } };
    this.objects.push(obj);
    for (const h of this.handlers) h(obj);
  }
  hasSynced() {
    return this.synced;
  }
  get(namespace: string | undefined, name: string) {
    return this.objects.find((o) => o.metadata?.namespace === namespace && o.metadata?.name === name);
  }
  list(namespace?: string) {
    return this.objects.filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
  }
  async start() {
    this.started++;
  }
  async stop() {}
}

function build(namespaces: string[]) {
  const parts = new Map<string | undefined, PartInformer>();
  const set = new NamespacedInformers<KubernetesObject>(namespaces, (ns) => {
    const part = new PartInformer(ns);
    parts.set(ns, part);
    return part;
  });
  return { set, parts };
}

const names = (objs: readonly KubernetesObject[]) => objs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);

describe('NamespacedInformers', () => {
  it('makes one informer per distinct watched namespace and none for all namespaces', () => {
    const { parts } = build(['team-a', 'team-b', 'team-a']);
    expect([...parts.keys()]).toEqual(['team-a', 'team-b']);
  });

  it('without namespaces, is the one cluster-wide informer', () => {
    const { set, parts } = build([]);
    expect([...parts.keys()]).toEqual([undefined]);
    parts.get(undefined)!.add('x', 'anywhere');
    expect(set.watches('anywhere')).toBe(true);
    expect(set.get('anywhere', 'x')).toBeDefined();
  });

  it('reads as one cache: get and list route by namespace, events and start reach every part', async () => {
    const { set, parts } = build(['team-a', 'team-b']);
    const seen: string[] = [];
    set.on('add', (o) => seen.push(`${o.metadata?.namespace}/${o.metadata?.name}`));
    await set.start();
    expect([...parts.values()].map((p) => p.started)).toEqual([1, 1]);
    parts.get('team-a')!.add('ca');
    parts.get('team-b')!.add('web');
    expect(seen).toEqual(['team-a/ca', 'team-b/web']);
    expect(set.get('team-a', 'ca')?.metadata?.name).toBe('ca');
    expect(set.get('team-b', 'ca')).toBeUndefined();
    expect(set.get('elsewhere', 'ca')).toBeUndefined();
    expect(names(set.list())).toEqual(['team-a/ca', 'team-b/web']);
    expect(names(set.list('team-b'))).toEqual(['team-b/web']);
    expect(set.list('elsewhere')).toEqual([]);
    expect([set.watches('team-a'), set.watches('elsewhere')]).toEqual([true, false]);
  });

  it('has synced only when every namespace has', () => {
    const { set, parts } = build(['team-a', 'team-b']);
    parts.get('team-a')!.synced = true;
    expect(set.hasSynced()).toBe(false);
    parts.get('team-b')!.synced = true;
    expect(set.hasSynced()).toBe(true);
  });
});
