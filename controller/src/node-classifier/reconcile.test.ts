import { API_VERSION, type Config, type NodeClassifier } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { NodeClassifierReconciler, SECRET_RECHECK_MS } from './reconcile.js';

const nc = (auth?: NodeClassifier['spec']['auth']): NodeClassifier & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'NodeClassifier',
  metadata: { name: 'enc', namespace: 'prod', uid: 'u', generation: 3 },
  spec: { url: 'http://enc.example.com', ...(auth ? { auth } : {}) },
});
const config = (name: string, nodeClassifierRef?: string): Config & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'Config',
  metadata: { name, namespace: 'prod' },
  spec: { image: { repository: 'r', tag: 't' }, ...(nodeClassifierRef ? { nodeClassifierRef } : {}) },
});

function setup() {
  const api = fakeApi();
  const reconciler = new NodeClassifierReconciler({
    ...api,
    caches: { nodeClassifiers: api.cache('NodeClassifier'), configs: api.cache('Config') },
  });
  const status = () =>
    api.cache('NodeClassifier').get('prod', 'enc')!.status as {
      phase: string;
      observedGeneration: number;
      conditions: { type: string; status: string; reason: string; message: string }[];
    };
  return { api, reconciler, status, reconcile: () => reconciler.reconcile('prod/enc') };
}

describe('NodeClassifier status', () => {
  it('Pending NotReferenced, then Active Rendered naming the Configs and Secrets; a resync writes nothing', async () => {
    const t = setup();
    t.api.cache('NodeClassifier').put(nc());
    await t.reconcile();
    expect(t.status()).toMatchObject({ phase: 'Pending', conditions: [{ status: 'False', reason: 'NotReferenced' }] });
    t.api.cache('Config').put(config('production', 'enc'));
    t.api.cache('Config').put(config('staging', 'enc'));
    t.api.cache('Config').put(config('other'));
    await t.reconcile();
    expect(t.status()).toMatchObject({
      phase: 'Active',
      observedGeneration: 3,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Rendered',
          message:
            'Rendered into Secret production-enc, staging-enc: the Servers of Config production, staging ask http://enc.example.com for each node',
        },
      ],
    });
    t.api.writes.length = 0;
    await t.reconcile();
    expect(t.api.writes).toEqual([]);
  });

  it('Error SecretNotFound / SecretKeyNotFound with the field while its token is missing, and looks again', async () => {
    const t = setup();
    t.api.cache('Config').put(config('production', 'enc'));
    t.api.cache('NodeClassifier').put(nc({ bearer: { secretKeyRef: { name: 'enc-token', key: 'token' } } }));
    expect(await t.reconcile()).toEqual({ requeueAfterMs: SECRET_RECHECK_MS });
    expect(t.status()).toMatchObject({
      phase: 'Error',
      conditions: [
        {
          status: 'False',
          reason: 'SecretNotFound',
          message:
            'spec.auth.bearer.secretKeyRef: Secret enc-token not found; the Servers of Config production refuse every node until then',
        },
      ],
    });
    expect(t.api.events.map((e) => `${e.type} ${e.reason}`)).toContain('Warning SecretNotFound');
    t.api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'enc-token', namespace: 'prod' },
      data: { other: 'eA==' },
    } as KubeObject);
    await t.reconcile();
    expect(t.status().conditions[0]!.reason).toBe('SecretKeyNotFound');
  });
});
