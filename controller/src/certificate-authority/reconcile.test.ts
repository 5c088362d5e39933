import { X509Certificate } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  API_VERSION,
  createAuthority,
  loadAuthority,
  readCrl,
  type CertificateAuthority,
} from '@openvox/shared/runtime';
import type { CrlEndpoint } from './crl-fetch.js';
import { createCaMetrics } from './metrics.js';
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
type Obj = Record<string, unknown>;
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
  const ns = 'prod';
  function caServerSetup(withService = true) {
    const { api } = setup();
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
    if (withService)
      api.cache('Service').put({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'production-ca', namespace: ns },
        spec: { clusterIP: '10.0.0.12' },
      } as KubeObject);
    const state: { served?: string } = {};
    const dialed: CrlEndpoint[] = [];
    const registry = new Registry();
    const reconciler = new CertificateAuthorityReconciler({
      ...api,
      keyAlgorithm: 'ec-p256',
      metrics: createCaMetrics(registry),
      fetchCrl: async (endpoint) => {
        dialed.push(endpoint);
        if (!state.served) throw new Error('connect ECONNREFUSED 10.0.0.12:8140');
        return state.served;
      },
      caches: {
        authorities: api.cache('CertificateAuthority'),
        secrets: api.cache('Secret'),
        claims: api.cache('PersistentVolumeClaim'),
        servers: api.cache('Server'),
        certificates: api.cache('Certificate'),
        pools: api.cache('Pool'),
        services: api.cache('Service'),
      },
    });
    const status = () => api.cache('CertificateAuthority').get(ns, 'production-ca')!.status as Obj;
    const synced = () => (status().conditions as Obj[]).find((c) => c.type === 'CRLSynced');
    const metric = async (name: string) => {
      const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`));
      return line ? Number(line.split(' ').pop()) : undefined;
    };
    const authority = async () => {
      const key = api.cache('Secret').get(ns, 'production-ca-ca-key');
      return loadAuthority(text(key, 'ca_crt.pem'), text(key, 'ca_key.pem'));
    };
    const published = () => text(api.cache('Secret').get(ns, 'production-ca-ca-crl'), 'ca_crl.pem');
    return { api, reconciler, state, dialed, status, synced, metric, authority, published };
  }

  it('dials the Service ClusterIP as the Service name; unreachable: CRLSynced False, backoff, one Warning; recovered: the newer CRL published with an Event', async () => {
    const t = caServerSetup();
    // Unreachable: retried at 5 s, then 10 s (capped by the 2 m refresh interval), the status says why.
    expect(await t.reconciler.reconcile('prod/production-ca')).toEqual({ requeueAfterMs: 5000 });
    expect(t.dialed).toEqual([{ host: '10.0.0.12', port: 8140, serverName: 'production-ca.prod.svc' }]);
    expect(t.synced()).toMatchObject({ status: 'False', reason: 'CAServerUnreachable' });
    expect(t.synced()!.message).toBe(
      'Cannot fetch the CRL from the CA Server at https://production-ca.prod.svc:8140: connect ECONNREFUSED 10.0.0.12:8140; the published CRL (number 1) stays in Secret production-ca-ca-crl; retrying with backoff',
    );
    expect(t.status()).toMatchObject({ phase: 'Ready', crlNumber: 1 });
    expect(await t.reconciler.reconcile('prod/production-ca')).toEqual({ requeueAfterMs: 10_000 });
    expect(t.api.events.filter((e) => e.reason === 'CRLRefreshFailed')).toHaveLength(1);
    expect(await t.metric('openvox_ca_crl_synced')).toBe(0);
    expect(await t.metric('openvox_ca_crl_refresh_failures_total')).toBe(2);
    expect(await t.metric('openvox_ca_crl_number')).toBe(1);

    // The CA Server comes back with a revocation (serial 0a): its CRL #2.
    t.state.served = (
      await buildCrl({
        authority: await t.authority(),
        previousPem: t.published(),
        revoked: [{ serialNumber: '0a', revocationDate: new Date() }],
        now: new Date(),
      })
    ).pem;
    t.api.writes.length = 0;
    t.api.events.length = 0;
    expect(await t.reconciler.reconcile('prod/production-ca')).toEqual({ requeueAfterMs: 120_000 });
    expect(t.api.writes).toEqual(['apply Secret production-ca-ca-crl', 'status CertificateAuthority production-ca']);
    expect(readCrl(t.published()).revokedSerials).toEqual(['0a']);
    expect(t.status().crlNumber).toBe(2);
    expect(t.status().crlThisUpdate).toBe(
      readCrl(t.published())
        .thisUpdate.toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(t.synced()).toMatchObject({ status: 'True', reason: 'CRLCurrent' });
    expect(t.api.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual([
      'Normal CRLUpdated: CRL number 2 from the CA Server at https://production-ca.prod.svc:8140 published in Secret production-ca-ca-crl (was 1)',
      'Normal CRLRefreshRecovered: CRL number 2 is published in Secret production-ca-ca-crl; the CA Server at https://production-ca.prod.svc:8140 has 2',
    ]);
    expect(await t.metric('openvox_ca_crl_synced')).toBe(1);
    expect(await t.metric('openvox_ca_crl_number')).toBe(2);
    expect(await t.metric('openvox_ca_crl_age_seconds')).toBeGreaterThanOrEqual(0);

    // A resync with the same CRL writes nothing and records nothing.
    t.api.writes.length = 0;
    t.api.events.length = 0;
    await t.reconciler.reconcile('prod/production-ca');
    expect(t.api.writes).toEqual([]);
    expect(t.api.events).toEqual([]);
    // one warning for the refused connection, not one per reconcile
    expect(t.api.logLines.filter((l) => l.includes('could not fetch the CA Server CRL'))).toHaveLength(1);
  });

  it('says so when the CA Server Service has no ClusterIP, or serves a CRL of another CA', async () => {
    const t = caServerSetup(false);
    await t.reconciler.reconcile('prod/production-ca');
    expect(t.dialed).toEqual([]);
    expect(t.synced()).toMatchObject({ status: 'False', reason: 'CAServerServiceNotFound' });
    const other = await createAuthority({
      commonName: 'Puppet CA: other',
      now: new Date(),
      notAfter: new Date(Date.now() + 86_400_000),
      algorithm: 'ec-p256',
    });
    t.state.served = (
      await buildCrl({ authority: await loadAuthority(other.certPem, other.keyPem), revoked: [], now: new Date() })
    ).pem;
    t.api.cache('Service').put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'production-ca', namespace: ns },
      spec: { clusterIP: '10.0.0.12' },
    } as KubeObject);
    await t.reconciler.reconcile('prod/production-ca');
    expect(t.synced()).toMatchObject({ status: 'False', reason: 'CRLNotSignedByCA' });
    expect(t.api.events.filter((e) => e.reason === 'CRLRefreshFailed').map((e) => e.type)).toEqual([
      'Warning',
      'Warning',
    ]);
  });

  it('without a CA Server the operator CRL is the CA one: CRLSynced True, no refresh scheduled', async () => {
    const { api, reconciler } = setup();
    api.cache('CertificateAuthority').put(ca());
    expect(await reconciler.reconcile('prod/production-ca')).toBeUndefined();
    const status = api.cache('CertificateAuthority').get('prod', 'production-ca')!.status as Obj;
    expect((status.conditions as Obj[]).map((c) => [c.type, c.status, c.reason])).toEqual([
      ['CAReady', 'True', 'CAInitialized'],
      ['CRLSynced', 'True', 'OperatorCRL'],
    ]);
  });
});
