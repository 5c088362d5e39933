import { API_VERSION } from '@openvox/shared';
import { DATABASE } from '../kube/resources.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { reconcileLater } from './controller.js';

const resource = DATABASE;
const db = {
  apiVersion: API_VERSION,
  kind: 'Database',
  metadata: { name: 'production-db', namespace: 'prod', uid: 'u', generation: 2 },
  spec: {},
};

describe('the kinds this version does not act on', () => {
  it('says so in the status: Pending, Ready=False NotImplemented, and a resync writes nothing', async () => {
    const api = fakeApi();
    const cache = api.cache('Database');
    cache.put(db);
    await reconcileLater(api.client, resource, cache, 'prod/production-db', api.clock);
    expect(cache.get('prod', 'production-db')!.status).toEqual({
      phase: 'Pending',
      observedGeneration: 2,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'NotImplemented',
          message: 'This version of the operator accepts and validates Database objects but does not act on them yet',
          observedGeneration: 2,
          lastTransitionTime: '2026-11-25T12:00:00.000Z',
        },
      ],
    });
    const writes = api.writes.length;
    api.clock.advance(60_000);
    await reconcileLater(api.client, resource, cache, 'prod/production-db', api.clock);
    expect(api.writes.length).toBe(writes);
  });

  it('ignores a deleted object', async () => {
    const api = fakeApi();
    await reconcileLater(api.client, resource, api.cache('Database'), 'prod/gone', api.clock);
    expect(api.writes).toEqual([]);
  });
});
