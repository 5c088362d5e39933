import type { KubeClient, KubeObject } from './client.js';
import { applyOwned } from './owned.js';
import { CONFIG_MAP, type ResourceType } from './resources.js';

const desired: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };

function client(existing: KubeObject | undefined) {
  const calls: string[] = [];
  const c = {
    get: async () => (calls.push('get'), existing),
    apply: async (_r: ResourceType, o: KubeObject) => (
      calls.push('apply'),
      { ...o, metadata: { ...o.metadata, resourceVersion: '1' } }
    ),
  } as unknown as KubeClient;
  return { c, calls };
}

describe('applyOwned with a label-selected cache', () => {
  it('refuses a same-named object the cache cannot show because it is not ours', async () => {
    const foreign = { ...desired, metadata: { ...desired.metadata, ownerReferences: [] } };
    const { c, calls } = client(foreign);
    expect(await applyOwned(c, CONFIG_MAP, desired, undefined, 'uid-owner')).toBe('conflict');
    expect(calls).toEqual(['get']);
  });

  it('creates the object when nothing of that name exists', async () => {
    const { c, calls } = client(undefined);
    expect(await applyOwned(c, CONFIG_MAP, desired, undefined, 'uid-owner')).toBe('applied');
    expect(calls).toEqual(['get', 'apply']);
  });
});
