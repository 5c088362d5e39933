import { API_VERSION, type CertificateAuthority, type SigningPolicy } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { SECRET_RECHECK_MS, SigningPolicyReconciler } from './reconcile.js';
import { AUTOSIGN_SCRIPT } from './autosign-script.js';

const ca = (spec: CertificateAuthority['spec'] = {}): CertificateAuthority & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'CertificateAuthority',
  metadata: { name: 'production-ca', namespace: 'prod', uid: 'uid-ca' },
  spec,
});
const policy = (name: string, spec: Partial<SigningPolicy['spec']>): SigningPolicy & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'SigningPolicy',
  metadata: { name, namespace: 'prod', uid: `uid-${name}`, generation: 1 },
  spec: { certificateAuthorityRef: 'production-ca', ...spec },
});
const psk = { name: 'pp_preshared_key', valueFrom: { secretKeyRef: { name: 'signing-psk', key: 'psk' } } };

function setup() {
  const api = fakeApi();
  const reconciler = new SigningPolicyReconciler({
    ...api,
    caches: {
      authorities: api.cache('CertificateAuthority'),
      policies: api.cache('SigningPolicy'),
      secrets: api.cache('Secret'),
    },
  });
  const secret = (name: string) =>
    api.cache('Secret').get('prod', name) as (KubeObject & { data: Record<string, string> }) | undefined;
  const file = () =>
    JSON.parse(
      Buffer.from(secret('production-ca-autosign-policy')!.data['autosign-policy.json']!, 'base64').toString(),
    );
  const status = (name: string) =>
    api.cache('SigningPolicy').get('prod', name)!.status as {
      phase: string;
      conditions: { reason: string; message: string }[];
    };
  return { api, reconciler, secret, file, status };
}

describe('SigningPolicyReconciler', () => {
  it('renders the policies of the CA, sorted, with the Secret value resolved; Active; a resync writes nothing', async () => {
    const { api, reconciler, secret, file, status } = setup();
    api.cache('CertificateAuthority').put(ca());
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'signing-psk', namespace: 'prod' },
      data: { psk: Buffer.from('s3cret').toString('base64') },
    } as KubeObject);
    api.cache('SigningPolicy').put(policy('trusted', { pattern: { allow: ['*.example.com'] } }));
    api.cache('SigningPolicy').put(policy('bootstrap', { csrAttributes: [psk] }));
    api
      .cache('SigningPolicy')
      .put({ ...policy('other-ca', { any: true }), spec: { certificateAuthorityRef: 'staging-ca', any: true } });
    const result = await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual([
      'apply Secret production-ca-autosign-policy',
      'status SigningPolicy trusted',
      'status SigningPolicy bootstrap',
    ]);
    expect(file()).toEqual({
      policies: [
        {
          name: 'bootstrap',
          any: false,
          csrAttributes: [{ name: 'pp_preshared_key', oid: '1.3.6.1.4.1.34380.1.1.4', value: 's3cret' }],
        },
        { name: 'trusted', any: false, pattern: ['*.example.com'], csrAttributes: [] },
      ],
    });
    const live = secret('production-ca-autosign-policy')!;
    expect(Buffer.from(live.data['openvox-autosign']!, 'base64').toString()).toBe(AUTOSIGN_SCRIPT);
    expect(live.metadata!.ownerReferences).toMatchObject([
      { kind: 'CertificateAuthority', uid: 'uid-ca', controller: true },
    ]);
    expect(status('trusted')).toMatchObject({ phase: 'Active', conditions: [{ reason: 'PolicyRendered' }] });
    // The user's Secret is not watched: looked at again after a while.
    expect(result).toEqual({ requeueAfterMs: SECRET_RECHECK_MS });
    api.writes.length = 0;
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual([]);
  });

  it('leaves out a policy whose Secret or key is missing (Error with the reason); the others stay Active', async () => {
    const { api, reconciler, file, status } = setup();
    api.cache('CertificateAuthority').put(ca());
    api.cache('SigningPolicy').put(policy('trusted', { pattern: { allow: ['*.example.com'] } }));
    api.cache('SigningPolicy').put(policy('bootstrap', { csrAttributes: [psk] }));
    await reconciler.reconcile('prod/production-ca');
    expect(file().policies.map((p: { name: string }) => p.name)).toEqual(['trusted']);
    expect(status('bootstrap')).toMatchObject({
      phase: 'Error',
      conditions: [
        { reason: 'SecretNotFound', message: 'csrAttributes[0].valueFrom.secretKeyRef: Secret signing-psk not found' },
      ],
    });
    expect(status('trusted').phase).toBe('Active');
    expect(api.events.map((e) => `${e.type} ${e.reason}`)).toContain('Warning SecretNotFound');
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'signing-psk', namespace: 'prod' },
      data: { other: 'eA==' },
    } as KubeObject);
    await reconciler.reconcile('prod/production-ca');
    expect(status('bootstrap').conditions[0]).toMatchObject({ reason: 'SecretKeyNotFound' });
  });

  it('with no policy writes a file that signs nothing; policies of a missing or external CA are Error', async () => {
    const { api, reconciler, file, status } = setup();
    api.cache('SigningPolicy').put(policy('orphan', { any: true }));
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual(['status SigningPolicy orphan']);
    expect(status('orphan').conditions[0]).toMatchObject({ reason: 'CertificateAuthorityNotFound' });
    api.cache('CertificateAuthority').put(ca({ external: { url: 'https://ca.example:8140' } }));
    await reconciler.reconcile('prod/production-ca');
    expect(status('orphan').conditions[0]).toMatchObject({ reason: 'ExternalCertificateAuthority' });
    api.cache('CertificateAuthority').put(ca());
    api.cache('SigningPolicy').items.clear();
    await reconciler.reconcile('prod/production-ca');
    expect(file()).toEqual({ policies: [] });
  });

  it('does not take over a same-named Secret someone else made', async () => {
    const { api, reconciler, status } = setup();
    api.cache('CertificateAuthority').put(ca());
    api.cache('Secret').put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'production-ca-autosign-policy', namespace: 'prod' },
    } as KubeObject);
    api.cache('SigningPolicy').put(policy('trusted', { pattern: { allow: ['*'] } }));
    await reconciler.reconcile('prod/production-ca');
    expect(api.writes).toEqual(['status SigningPolicy trusted']);
    expect(status('trusted')).toMatchObject({ phase: 'Error', conditions: [{ reason: 'SecretConflict' }] });
  });
});
