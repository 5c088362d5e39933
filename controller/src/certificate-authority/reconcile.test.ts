import { X509Certificate } from 'node:crypto';
import { API_VERSION, loadAuthority, readCrl, type CertificateAuthority } from '@openvox/shared/runtime';
import { buildCrl } from './crl.js';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
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

describe('CRL from the CA Server', () => {
  it('publishes the CA Server CRL when it is newer, and a resync with the same CRL writes nothing', async () => {
    const { api } = setup();
    const ns = 'prod';
    api.cache('CertificateAuthority').put(ca({ crlRefreshInterval: '2m' }));
    api.cache('Certificate').put({
      apiVersion: API_VERSION,
      kind: 'Certificate',
      metadata: { name: 'ca-cert', namespace: ns },
      spec: { authorityRef: 'production-ca' },
    } as KubeObject);
    api.cache('Server').put({
      apiVersion: API_VERSION,
      kind: 'Server',
      metadata: { name: 'ca', namespace: ns },
      spec: { configRef: 'c', certificateRef: 'ca-cert', ca: true, poolRefs: ['production-ca'] },
    } as KubeObject);
    api.cache('Pool').put({
      apiVersion: API_VERSION,
      kind: 'Pool',
      metadata: { name: 'production-ca', namespace: ns },
      spec: {},
    } as KubeObject);
    let served: string | undefined = undefined;
    const urls: string[] = [];
    const reconciler = new CertificateAuthorityReconciler({
      ...api,
      keyAlgorithm: 'ec-p256',
      fetchCrl: async (url) => {
        urls.push(url);
        if (!served) throw new Error('connect ECONNREFUSED');
        return served;
      },
      caches: {
        authorities: api.cache('CertificateAuthority'),
        secrets: api.cache('Secret'),
        claims: api.cache('PersistentVolumeClaim'),
        servers: api.cache('Server'),
        certificates: api.cache('Certificate'),
        pools: api.cache('Pool'),
      },
    });
    expect(await reconciler.reconcile('prod/production-ca')).toEqual({ requeueAfterMs: 120_000 });
    expect(urls).toEqual(['https://production-ca.prod.svc:8140']);
    const published = text(api.cache('Secret').get(ns, 'production-ca-ca-crl'), 'ca_crl.pem');
    // The CA Server revokes serial 0a: its CRL #2.
    const key = api.cache('Secret').get(ns, 'production-ca-ca-key');
    const authority = await loadAuthority(text(key, 'ca_crt.pem'), text(key, 'ca_key.pem'));
    served = (
      await buildCrl({
        authority,
        previousPem: published,
        revoked: [{ serialNumber: '0a', revocationDate: new Date() }],
        now: new Date(),
      })
    ).pem;
    api.writes.length = 0;
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual(['apply Secret production-ca-ca-crl']);
    expect(readCrl(text(api.cache('Secret').get(ns, 'production-ca-ca-crl'), 'ca_crl.pem')).revokedSerials).toEqual([
      '0a',
    ]);
    api.writes.length = 0;
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual([]);
    // one warning for the refused connection, not one per reconcile
    expect(api.logLines.filter((l) => l.includes('could not fetch the CA Server CRL'))).toHaveLength(1);
  });
});
