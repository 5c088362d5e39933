import { X509Certificate } from 'node:crypto';
import { API_VERSION, readCrl, type CertificateAuthority } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../config/fake-api.test-helpers.js';
import { CertificateAuthorityReconciler } from './reconcile.js';

const ca = (spec: CertificateAuthority['spec'] = {}): CertificateAuthority & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'CertificateAuthority',
  metadata: { name: 'production-ca', namespace: 'prod', uid: 'uid-ca', generation: 1 },
  spec,
});
const text = (o: KubeObject | undefined, key: string) =>
  Buffer.from((o as { data: Record<string, string> }).data[key]!, 'base64').toString();

function setup() {
  const api = fakeApi();
  const reconciler = new CertificateAuthorityReconciler({
    ...api,
    keyAlgorithm: 'ec-p256',
    caches: {
      authorities: api.cache('CertificateAuthority'),
      secrets: api.cache('Secret'),
      claims: api.cache('PersistentVolumeClaim'),
    },
  });
  return { api, reconciler };
}

describe('CertificateAuthorityReconciler', () => {
  it('creates the key once, publishes certificate and CRL, claims data, reports Ready; a resync writes nothing', async () => {
    const { api, reconciler } = setup();
    api.cache('CertificateAuthority').put(ca({ ttl: '1y' }));
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual([
      'create Secret production-ca-ca-key',
      'apply Secret production-ca-ca',
      'apply Secret production-ca-ca-crl',
      'apply Secret production-ca-autosign-policy',
      'create PersistentVolumeClaim production-ca-data',
      'status CertificateAuthority production-ca',
    ]);
    const secrets = api.cache('Secret');
    const certPem = text(secrets.get('prod', 'production-ca-ca'), 'ca_crt.pem');
    expect(certPem).toBe(text(secrets.get('prod', 'production-ca-ca-key'), 'ca_crt.pem'));
    expect(text(secrets.get('prod', 'production-ca-ca-key'), 'ca_pub.pem')).toMatch(/BEGIN PUBLIC KEY/);
    expect(readCrl(text(secrets.get('prod', 'production-ca-ca-crl'), 'ca_crl.pem')).crlNumber).toBe(1n);
    expect(secrets.get('prod', 'production-ca-ca-key')?.metadata?.ownerReferences).toBeUndefined();
    expect(
      api.cache('PersistentVolumeClaim').get('prod', 'production-ca-data')?.metadata?.ownerReferences,
    ).toBeUndefined();
    const status = api.cache('CertificateAuthority').get('prod', 'production-ca')!.status as Record<string, unknown>;
    expect(status).toMatchObject({ phase: 'Ready', caSecretName: 'production-ca-ca', observedGeneration: 1 });
    expect(status.notAfter).toBe(
      new Date(new X509Certificate(certPem).validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(api.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Normal CAInitialized']);

    api.writes.length = 0;
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual([]);
    expect(api.events).toHaveLength(1);
    // no key material anywhere but the key Secret
    const everywhere = JSON.stringify([status, api.events, api.logLines]);
    expect(everywhere).not.toMatch(/PRIVATE KEY/);
  });

  it('keeps an existing key (a re-created CA object finds it) and never overwrites it', async () => {
    const { api, reconciler } = setup();
    api.cache('CertificateAuthority').put(ca());
    await reconciler.reconcile('prod/production-ca');
    const key = text(api.cache('Secret').get('prod', 'production-ca-ca-key'), 'ca_key.pem');
    api.cache('Secret').items.delete('prod/production-ca-ca');
    api.cache('CertificateAuthority').put({ ...ca(), metadata: { ...ca().metadata, uid: 'uid-ca-2' } });
    api.writes.length = 0;
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).not.toContain('create Secret production-ca-ca-key');
    expect(text(api.cache('Secret').get('prod', 'production-ca-ca-key'), 'ca_key.pem')).toBe(key);
  });

  it('reports Error with a reason when the key Secret is broken, without leaking it', async () => {
    const { api, reconciler } = setup();
    api.cache('CertificateAuthority').put(ca());
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'production-ca-ca-key', namespace: 'prod' },
      data: {
        'ca_crt.pem': Buffer.from('not a cert').toString('base64'),
        'ca_key.pem': Buffer.from('-----BEGIN PRIVATE KEY-----\nsecret').toString('base64'),
      },
    } as KubeObject);
    await reconciler.reconcile('prod/production-ca');
    const status = api.cache('CertificateAuthority').get('prod', 'production-ca')!.status as {
      phase: string;
      conditions: { reason: string }[];
    };
    expect(status.phase).toBe('Error');
    expect(status.conditions[0]!.reason).toBe('CAKeySecretInvalid');
    expect(api.events.map((e) => e.reason)).toEqual(['CAKeySecretInvalid']);
    expect(JSON.stringify([status, api.events, api.logLines])).not.toContain('secret');
  });

  it('refuses to take over a foreign {ca}-ca Secret', async () => {
    const { api, reconciler } = setup();
    api.cache('CertificateAuthority').put(ca());
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'production-ca-ca', namespace: 'prod' },
    } as KubeObject);
    await reconciler.reconcile('prod/production-ca');
    const status = api.cache('CertificateAuthority').get('prod', 'production-ca')!.status as {
      phase: string;
      conditions: { reason: string }[];
    };
    expect(status.phase).toBe('Error');
    expect(status.conditions[0]!.reason).toBe('SecretConflict');
  });
});
