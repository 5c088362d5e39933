// The fake API's apply behaves like server-side apply where the reconciler tests rely on it.
import { fakeApi } from './fake-api.test-helpers.js';
import { DEPLOYMENT } from './resources.js';
import type { KubeObject } from './client.js';

const deployment = (spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'ns', labels },
  spec,
});

describe('fakeApi apply', () => {
  it('keeps the resourceVersion and delivers nothing when an apply changes nothing', async () => {
    const api = fakeApi();
    const first = await api.client.apply(DEPLOYMENT, deployment({ replicas: 1 }));
    const cached = api.cache('Deployment').get('ns', 'd');
    const again = await api.client.apply(DEPLOYMENT, deployment({ replicas: 1 }));
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(api.cache('Deployment').get('ns', 'd')).toBe(cached);
    expect(api.writes).toEqual(['apply Deployment d', 'apply Deployment d']);
  });

  it('keeps fields another manager set and removes the ones this manager stopped applying', async () => {
    const api = fakeApi();
    await api.client.apply(DEPLOYMENT, deployment({ replicas: 1, paused: false }, { a: '1', b: '1' }));
    await api.client.apply(DEPLOYMENT, { ...deployment({}), spec: { minReadySeconds: 5 } }, 'kubectl');
    const after = await api.client.apply(DEPLOYMENT, deployment({ replicas: 2 }, { a: '1' }));
    expect(after.spec).toEqual({ replicas: 2, minReadySeconds: 5 });
    expect(after.metadata?.labels).toEqual({ a: '1' });
    expect(after.metadata?.uid).toBeDefined();
  });
});
