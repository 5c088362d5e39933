import { API_VERSION, type Pool } from '@openvox/shared';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { PoolReconciler } from './reconcile.js';
import { readyEndpoints } from './endpoints.js';

const pool: Pool & KubeObject = {
  apiVersion: API_VERSION,
  kind: 'Pool',
  metadata: { name: 'production-server', namespace: 'prod', uid: 'uid-pool', generation: 1 },
  spec: {},
};
const slice = (name: string, endpoints: V1EndpointSlice['endpoints']): V1EndpointSlice & KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  addressType: 'IPv4',
  metadata: { name, namespace: 'prod', labels: { 'kubernetes.io/service-name': 'production-server' } },
  endpoints,
});

function setup() {
  const api = fakeApi();
  const reconciler = new PoolReconciler({
    ...api,
    caches: { pools: api.cache('Pool'), services: api.cache('Service'), slices: api.cache('EndpointSlice') },
  });
  return { api, reconciler };
}

describe('readyEndpoints', () => {
  it('counts ready addresses once across slices', () => {
    expect(
      readyEndpoints([
        slice('a', [
          { addresses: ['10.0.0.1'], conditions: { ready: true } },
          { addresses: ['10.0.0.2'], conditions: { ready: false } },
        ]),
        slice('b', [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.3'] }]),
      ]),
    ).toBe(2);
  });
});

describe('PoolReconciler', () => {
  it('applies the Service, reports endpoints, and a resync writes nothing', async () => {
    const { api, reconciler } = setup();
    api.cache('Pool').put(pool);
    api.cache('EndpointSlice').put(slice('s1', [{ addresses: ['10.0.0.9'], conditions: { ready: true } }]));
    await reconciler.reconcile('prod/production-server');
    expect(api.writes).toEqual(['apply Service production-server', 'status Pool production-server']);
    expect(api.cache('Pool').get('prod', 'production-server')!.status).toEqual({
      serviceName: 'production-server',
      endpoints: 1,
      observedGeneration: 1,
    });
    api.writes.length = 0;
    await reconciler.reconcile('prod/production-server');
    expect(api.writes).toEqual([]);
  });

  it('warns once about a foreign Service of the same name', async () => {
    const { api, reconciler } = setup();
    api.cache('Pool').put(pool);
    api
      .cache('Service')
      .put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'production-server', namespace: 'prod' } });
    await reconciler.reconcile('prod/production-server');
    await reconciler.reconcile('prod/production-server');
    expect(api.writes).toEqual(['status Pool production-server']);
    expect(api.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Warning ServiceConflict']);
  });
});
